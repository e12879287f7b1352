"""Indicators extracted from a message: phone numbers, links, accounts, amounts...

An `Entity` keeps the full canonical value for lookups (blocklists, official-number lists)
but anything that leaves the process (a reply, a log line, JSON) must use `masked()` or
`to_json()`, which never contain a full card number, phone number or account.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

__all__ = ["Entity", "EntityKind", "mask_middle"]


class EntityKind(StrEnum):
    """What an extracted indicator is."""

    URL = "url"
    DOMAIN = "domain"
    PHONE = "phone"
    BANK_CARD = "bank_card"
    ALIPAY_ACCOUNT = "alipay_account"
    WECHAT_ID = "wechat_id"
    QQ_ID = "qq_id"
    AMOUNT = "amount"
    VERIFICATION_CODE = "verification_code"
    APP_DOWNLOAD = "app_download"
    MEETING_ID = "meeting_id"
    SAFE_ACCOUNT = "safe_account"
    CRYPTO_WALLET = "crypto_wallet"
    EMAIL = "email"
    PAYMENT_CODE = "payment_code"


# Kinds shown as they are: they identify the scammer's infrastructure, not a person.
_PUBLIC_KINDS = frozenset(
    {
        EntityKind.URL,
        EntityKind.DOMAIN,
        EntityKind.AMOUNT,
        EntityKind.APP_DOWNLOAD,
        EntityKind.MEETING_ID,
    }
)
# Phone categories that are businesses or public services, not a person's line.
_PUBLIC_PHONE_CATEGORIES = frozenset({"service_400_800", "short_code_95", "short_code_96"})


def mask_middle(value: str, keep_start: int, keep_end: int, *, stars: int | None = None) -> str:
    """Replace the middle of `value` with asterisks, keeping `keep_start`/`keep_end` chars.

    Short values keep less so that at least a third (and at least two) of the characters
    are hidden.
    """
    n = len(value)
    min_hidden = max(2, n // 3)
    while n - keep_start - keep_end < min_hidden and (keep_start or keep_end):
        if keep_start >= keep_end and keep_start:
            keep_start -= 1
        else:
            keep_end -= 1
    hidden = n - keep_start - keep_end
    star_count = hidden if stars is None else stars
    tail = value[n - keep_end :] if keep_end else ""
    return value[:keep_start] + "*" * star_count + tail


def _mask_card(digits: str) -> str:
    # "6222 **** **** 1234": the usual receipt form, whatever the length.
    return (
        f"{digits[:4]} **** **** {digits[-4:]}" if len(digits) >= 12 else mask_middle(digits, 2, 2)
    )


def _mask_phone(value: str, attrs: Mapping[str, str]) -> str:
    category = attrs.get("category", "")
    if value.startswith("+86"):
        national = value[3:]
        if category == "landline":
            national = "0" + national  # the trunk prefix people dial and recognise
        if category in _PUBLIC_PHONE_CATEGORIES:
            return national
        # Keep the area code of landlines: 010 / 02x have three digits, others four.
        keep = 4 if national.startswith("0") and national[1:2] not in {"1", "2"} else 3
        return mask_middle(national, keep, 4, stars=4)
    if value.startswith("+"):
        code = attrs.get("country_code", "")
        rest = value[1 + len(code) :]
        return f"+{code} " + mask_middle(rest, 0, 4, stars=4)
    if category in _PUBLIC_PHONE_CATEGORIES:
        return value  # 95588, 96110
    return mask_middle(value, 3, 4, stars=4)


def _mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return f"{local[:2]}***@{domain}" if len(local) > 2 else f"{local[:1]}***@{domain}"


def _mask_name(name: str) -> str:
    # Chinese names: keep the surname (and the last character of 3+ character names).
    if len(name) <= 2:
        return name[:1] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


@dataclass(frozen=True, slots=True)
class Entity:
    """One indicator found in a message.

    `span` and `raw` refer to the ORIGINAL text the user sent; `value` is canonical
    (E.164 phone, card digits, lower-case URL host, registrable domain...).
    """

    kind: EntityKind
    value: str
    span: tuple[int, int]
    raw: str
    attrs: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Read-only view of a private copy: an Entity never changes after it is built.
        object.__setattr__(self, "attrs", MappingProxyType(dict(self.attrs)))

    def __hash__(self) -> int:
        return hash((self.kind, self.value, self.span, self.raw, tuple(sorted(self.attrs.items()))))

    def masked(self) -> str:
        """The display form: safe to show in a reply, a log line or JSON."""
        kind, value = self.kind, self.value
        if kind in _PUBLIC_KINDS:
            return value
        if kind is EntityKind.PHONE:
            return _mask_phone(value, self.attrs)
        if kind is EntityKind.BANK_CARD:
            return _mask_card(value)
        if kind is EntityKind.ALIPAY_ACCOUNT:
            if "@" in value:
                return _mask_email(value)
            return mask_middle(value.removeprefix("+86"), 3, 4, stars=4)
        if kind is EntityKind.EMAIL:
            return _mask_email(value)
        if kind is EntityKind.CRYPTO_WALLET:
            return f"{value[:4]}…{value[-4:]}" if len(value) > 12 else mask_middle(value, 2, 2)
        if kind is EntityKind.SAFE_ACCOUNT:
            if value.isdigit():
                return _mask_card(value) if len(value) >= 12 else mask_middle(value, 2, 2)
            return _mask_name(value)
        if kind is EntityKind.VERIFICATION_CODE:
            return "*" * len(value)
        if kind is EntityKind.PAYMENT_CODE:
            # "wxp://f2f0****3dG6": the scheme / host says which app, the token is the payee.
            head, sep, token = value.rpartition("/")
            return head + sep + mask_middle(token, 4, 4, stars=4)
        # wechat_id, qq_id: partially masked.
        return mask_middle(value, 2, 2)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; carries the masked value only, never `value` or `raw`."""
        return {
            "kind": self.kind.value,
            "value": self.masked(),
            "span": [self.span[0], self.span[1]],
            "attrs": dict(self.attrs),
        }
