"""What a user reports with /report: one indicator (phone, card, account, link) or a message.

The indicator is normalised exactly as the blocklist stores it, so an accepted report
matches the next message that carries it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.htmltext import cut
from classifier import Analyzer, Entity, EntityKind, Submission

MAX_VALUE = 512
# A text is "one indicator" when little else surrounds it.
_SLACK = 8
_PAYMENT_PREFIX = {
    EntityKind.ALIPAY_ACCOUNT: "alipay",
    EntityKind.WECHAT_ID: "wechat",
    EntityKind.QQ_ID: "qq",
    EntityKind.CRYPTO_WALLET: "wallet",
}
_PRIORITY = (
    EntityKind.BANK_CARD,
    EntityKind.SAFE_ACCOUNT,
    *_PAYMENT_PREFIX,
    EntityKind.PHONE,
    EntityKind.URL,
    EntityKind.APP_DOWNLOAD,
    EntityKind.DOMAIN,
)


@dataclass(frozen=True)
class Reported:
    """The report to file: database kind, normalised value, and what to show the user."""

    kind: str
    value: str
    display: str


def _indicator(entity: Entity) -> tuple[str, str] | None:
    kind = entity.kind
    if kind is EntityKind.BANK_CARD or (kind is EntityKind.SAFE_ACCOUNT and entity.value.isdigit()):
        return "bank_card", entity.value
    if kind in _PAYMENT_PREFIX:
        return "payment_account", f"{_PAYMENT_PREFIX[kind]}:{entity.value}"
    if kind is EntityKind.PHONE:
        return "phone", entity.value
    if kind in (EntityKind.URL, EntityKind.APP_DOWNLOAD):
        return "url", entity.value
    if kind is EntityKind.DOMAIN:
        return "domain", entity.value
    return None


def what_is_reported(text: str, analyzer: Analyzer) -> Reported:
    """The indicator a short text is, or the whole message (cut to the column size)."""
    text = text.strip()
    entities = analyzer.analyze_offline(Submission(text=text)).entities
    ranked = sorted(
        (e for e in entities if e.kind in _PRIORITY), key=lambda e: _PRIORITY.index(e.kind)
    )
    for entity in ranked:
        found = _indicator(entity)
        if found is not None and len(text) <= len(entity.raw) + _SLACK:
            return Reported(found[0], found[1], entity.masked())
    return Reported("message", text[:MAX_VALUE], cut(text, 40))
