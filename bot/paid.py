""" "我已经转账了": the ordered emergency steps, with the bank's number when the message
names one (a card number whose prefix identifies the bank, or the payment request's bank)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

from bot import messages
from knowledge import Knowledge, Organisation

PAID_OUTCOME = "paid"
_BANK_STEP = "paid_call_bank"
_FEES_STEP = "paid_no_recovery_fees"
_EMPHASIS = re.compile(r"(?<!\d)(110|96110)(?!\d)|紧急止付")


def bank_in(
    indicators: Iterable[Mapping[str, Any]], knowledge: Knowledge, *, payment: object = None
) -> Organisation | None:
    """The bank of the first card in the message (by BIN), or of the payment request."""
    for item in indicators:
        if item.get("kind") == "bank_card":
            key = str((item.get("attrs") or {}).get("bank") or "")
            if key in knowledge.organisations:
                return knowledge.organisations[key]
    named = str(getattr(payment, "bank", "") or "") if payment is not None else ""
    if named:
        for org in knowledge.organisations.values():
            if org.kind == "bank" and (named in (org.key, org.name) or named in org.brand_tokens):
                return org
    return None


def render_paid(
    knowledge: Knowledge, bank: Organisation | None = None, *, recorded: bool = False
) -> str:
    """The numbered steps (HTML) from knowledge/advice.yaml ``paid_steps``, in order."""
    lines = [messages.PAID_TITLE]
    for number, key in enumerate(knowledge.paid_steps, start=1):
        advice = knowledge.advice.get(key)
        if advice is None:
            continue
        text = html.escape(advice.text)
        text = _EMPHASIS.sub(lambda match: f"<b>{match.group(0)}</b>", text)
        if key == _BANK_STEP and bank is not None:
            phone = bank.stop_payment_phone or (bank.phones[0] if bank.phones else None)
            if phone:
                bank_line = messages.PAID_BANK.format(bank=html.escape(bank.name), phone=phone)
                text += "\n   " + bank_line
        if key == _FEES_STEP:
            text += messages.PAID_SECOND_SCAM
        lines.append(f"{number}. {text}")
    if recorded:
        lines += ["", messages.PAID_RECORDED]
    return "\n".join(lines)
