"""Payment requests: does the message ask for money, how, how much, and to whom?

    payment = payment_request(norm, entities, knowledge)   # PaymentRequest | None

The situations (safe account, unfreeze fee, deposit, withdraw-then-recharge, payment code,
plain transfer request) and their warnings live in ``knowledge/payments.yaml``; the first
situation that matches wins. The amount, account and payee are the extracted entities
nearest to what triggered it. Pure and fast: no I/O, a few regex scans.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

from classifier.entities import Entity, EntityKind, mask_middle
from classifier.normalize import NormalizedText
from knowledge import Knowledge
from knowledge.models import PaymentSituation

__all__ = ["PaymentRequest", "payment_request"]

K = EntityKind

# Where the money would go, most telling first.
_ACCOUNT_KINDS: Final = (
    K.SAFE_ACCOUNT,
    K.BANK_CARD,
    K.ALIPAY_ACCOUNT,
    K.PAYMENT_CODE,
    K.CRYPTO_WALLET,
)
_HAN: Final = "\u4e00-\u9fff"
_HOLDER: Final = re.compile(
    r"(?:户名|收款人|开户名|账户名|帐户名|收款户名|姓名)(?:是|为)?:? ?"
    rf"(?P<name>[{_HAN}]{{2,4}}?)(?=[^{_HAN}]|$|[请的转汇并后卡账帐开银身电手联即马立])"
)
# Details further than this (in characters) from the request belong to something else.
_WINDOW: Final = 120
_MAX_REASONS: Final = 3
_MAX_QUOTE: Final = 40

_LONG_NUMBER: Final = re.compile(r"[0-9]{7,}")

_Span = tuple[int, int]
# Where a trigger is in the original text, and how to quote it (entities: masked).
_Trigger = tuple[_Span, str]


@dataclass(frozen=True)
class PaymentRequest:
    """A request for money found in a message, with the warning to show about it.

    ``amount`` is in yuan as extracted (``"3000"``); ``payee`` and ``account_masked`` are
    masked; ``bank`` is the bank's Chinese name. ``reasons`` quotes the words that show the
    request. ``paid_steps`` (advice keys, in order) is set when the message says the money
    has already been sent.
    """

    situation: str
    warning: str
    amount: str | None = None
    payee: str | None = None
    bank: str | None = None
    account_masked: str | None = None
    account_kind: str | None = None
    reasons: tuple[str, ...] = ()
    advice: tuple[str, ...] = ()
    already_paid: bool = False
    paid_steps: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The documented JSON form (docs/VERDICT.md, ``payment``)."""
        return {
            "situation": self.situation,
            "warning": self.warning,
            "amount": self.amount,
            "payee": self.payee,
            "bank": self.bank,
            "account": self.account_masked,
            "account_kind": self.account_kind,
            "reasons": list(self.reasons),
            "advice": list(self.advice),
            "already_paid": self.already_paid,
            "paid_steps": list(self.paid_steps),
        }


def payment_request(
    norm: NormalizedText, entities: Sequence[Entity], knowledge: Knowledge
) -> PaymentRequest | None:
    """The payment request of a message, or None when it asks for no money."""
    for situation in knowledge.payment_situations:
        triggers = sorted(_triggers(situation, norm, entities))
        if triggers:
            return _request(situation, triggers, norm, entities, knowledge)
    return None


def _triggers(
    situation: PaymentSituation, norm: NormalizedText, entities: Sequence[Entity]
) -> Iterator[_Trigger]:
    """What shows this situation: spans in the original text, with their quotes."""
    text = norm.text
    spans: list[_Span] = []
    for phrase in situation.phrases:
        start = text.find(phrase)
        while start >= 0:
            spans.append(norm.to_original(start, start + len(phrase)))
            start = text.find(phrase, start + len(phrase))
    if situation.regex is not None:
        spans.extend(norm.to_original(*m.span()) for m in re.finditer(situation.regex, text))
    for start, end in spans:
        yield (start, end), _quote(norm.original[start:end])
    for entity in entities:
        if entity.kind.value in situation.entities:
            yield entity.span, entity.masked()


def _quote(text: str) -> str:
    """The user's words, cut short, with long numbers (cards, accounts) masked."""
    text = " ".join(text.split())[:_MAX_QUOTE]
    return _LONG_NUMBER.sub(lambda m: mask_middle(m.group(), 4, 4, stars=4), text)


def _distance(a: _Span, b: _Span) -> int:
    return max(0, a[0] - b[1], b[0] - a[1])


def _nearest(candidates: Sequence[Entity], anchors: Sequence[_Span]) -> Entity | None:
    """The candidate closest to any anchor, within the window (later wins a tie)."""
    best: tuple[int, int] | None = None
    chosen = None
    for entity in candidates:
        distance = min(_distance(entity.span, anchor) for anchor in anchors)
        key = (distance, -entity.span[0])
        if distance <= _WINDOW and (best is None or key < best):
            best, chosen = key, entity
    return chosen


def _request(
    situation: PaymentSituation,
    triggers: list[_Trigger],
    norm: NormalizedText,
    entities: Sequence[Entity],
    knowledge: Knowledge,
) -> PaymentRequest:
    spans = [span for span, _quote in triggers]
    account = None
    for kind in _ACCOUNT_KINDS:
        account = _nearest([e for e in entities if e.kind is kind], spans)
        if account is not None:
            break
    anchors = [*spans, account.span] if account is not None else spans
    amount = _nearest([e for e in entities if e.kind is K.AMOUNT], spans)
    card = account
    if account is not None and account.kind is K.SAFE_ACCOUNT:
        # The safe-account payee is often also read as a bank card, which knows its bank.
        same = [e for e in entities if e.kind is K.BANK_CARD and e.value == account.value]
        card = same[0] if same else account
    already_paid = any(phrase in norm.text for phrase in knowledge.paid_phrases)
    return PaymentRequest(
        situation=situation.key,
        warning=situation.warning,
        amount=amount.value if amount is not None else None,
        payee=_payee(account, norm, anchors),
        bank=_bank(card, norm, anchors, knowledge),
        account_masked=_account_display(account),
        account_kind=account.kind.value if account is not None else None,
        reasons=_reasons(triggers),
        advice=tuple(key for key in situation.advice if key in knowledge.advice),
        already_paid=already_paid,
        paid_steps=knowledge.paid_steps if already_paid else (),
    )


def _account_display(account: Entity | None) -> str | None:
    if account is None:
        return None
    if account.kind is K.SAFE_ACCOUNT and account.attrs.get("account_type") == "name":
        return None  # only the holder's name is known: that is the payee, not an account
    return account.masked()


def _payee(account: Entity | None, norm: NormalizedText, anchors: Sequence[_Span]) -> str | None:
    """The masked account holder: from a safe-account entity, else "户名 X" nearby."""
    if account is not None and account.kind is K.SAFE_ACCOUNT and "holder" in account.attrs:
        return account.attrs["holder"]
    best: tuple[int, str] | None = None
    for match in _HOLDER.finditer(norm.text):
        span = norm.to_original(*match.span("name"))
        distance = min(_distance(span, anchor) for anchor in anchors)
        if distance <= _WINDOW and (best is None or distance < best[0]):
            best = (distance, match["name"])
    if best is None:
        return None
    name = best[1]
    return name[0] + "*" * (len(name) - 1)


def _bank(
    account: Entity | None, norm: NormalizedText, anchors: Sequence[_Span], knowledge: Knowledge
) -> str | None:
    """The bank's name: from the card number's prefix, else a bank named near the request."""
    orgs = knowledge.organisations
    if account is not None and account.attrs.get("bank") in orgs:
        return orgs[account.attrs["bank"]].name
    best: tuple[int, str] | None = None
    for org in orgs.values():
        if org.kind != "bank":
            continue
        for token in {org.name, *(t for t in org.brand_tokens if "银行" in t)}:
            start = norm.text.find(token)
            if start < 0:
                continue
            span = norm.to_original(start, start + len(token))
            distance = min(_distance(span, anchor) for anchor in anchors)
            if distance <= _WINDOW and (best is None or distance < best[0]):
                best = (distance, org.name)
    return best[1] if best is not None else None


def _reasons(triggers: Sequence[_Trigger]) -> tuple[str, ...]:
    quotes: list[str] = []
    for _span, quote in triggers:
        if quote and quote not in quotes:
            quotes.append(quote)
        if len(quotes) == _MAX_REASONS:
            break
    return tuple(quotes)
