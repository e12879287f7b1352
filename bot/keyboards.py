"""Inline keyboards and their callback data (always under Telegram's 64-byte limit).

Callback data is a short ``verb:arg[:arg]`` string; ``parse`` splits it back. Button labels
come from bot/messages.py and pass through ``localise`` for Traditional readers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import messages
from bot.htmltext import CALLBACK_DATA_LIMIT

Localise = Callable[[str], str]

FEEDBACK_CODES = {"a": "accurate", "f": "false_positive", "m": "missed"}
_FEEDBACK_LABELS = {
    "accurate": messages.BUTTON_ACCURATE,
    "false_positive": messages.BUTTON_FALSE_POSITIVE,
    "missed": messages.BUTTON_MISSED,
}


def data(*parts: object) -> str:
    """Callback data from parts; raises if it would exceed Telegram's limit."""
    text = ":".join(str(part) for part in parts)
    if len(text.encode()) > CALLBACK_DATA_LIMIT:
        raise ValueError(f"callback data too long: {text!r}")
    return text


def parse(raw: str | None) -> list[str]:
    """The parts of callback data (empty for none)."""
    return raw.split(":") if raw else []


def _same(text: str) -> str:
    return text


def verdict_keyboard(
    check_id: int,
    *,
    warns: bool,
    chosen: str | None = None,
    localise: Localise = _same,
) -> InlineKeyboardMarkup:
    """为什么？ / 我已经转账了 (high and medium) / 👍 准确 · 👎 误报 · 漏报."""
    rows = [
        [InlineKeyboardButton(localise(messages.BUTTON_WHY), callback_data=data("why", check_id))]
    ]
    if warns:
        rows.append(
            [
                InlineKeyboardButton(
                    localise(messages.BUTTON_PAID), callback_data=data("paid", check_id)
                )
            ]
        )
    feedback = []
    for code, kind in FEEDBACK_CODES.items():
        label = _FEEDBACK_LABELS[kind]
        if kind == chosen:
            label = messages.BUTTON_CHOSEN.format(label=label)
        feedback.append(
            InlineKeyboardButton(localise(label), callback_data=data("fb", code, check_id))
        )
    rows.append(feedback)
    return InlineKeyboardMarkup(rows)


def retry_keyboard(token: str, localise: Localise = _same) -> InlineKeyboardMarkup:
    """The "重试" button of a failed check."""
    button = InlineKeyboardButton(
        localise(messages.BUTTON_RETRY), callback_data=data("retry", token)
    )
    return InlineKeyboardMarkup([[button]])


def privacy_keyboard(consent: bool, localise: Localise = _same) -> InlineKeyboardMarkup:
    """Opt in or out of keeping raw text, and delete everything."""
    toggle = (
        InlineKeyboardButton(localise(messages.BUTTON_CONSENT_OFF), callback_data="consent:0")
        if consent
        else InlineKeyboardButton(localise(messages.BUTTON_CONSENT_ON), callback_data="consent:1")
    )
    delete = InlineKeyboardButton(localise(messages.BUTTON_DELETE), callback_data="del:ask")
    return InlineKeyboardMarkup([[toggle], [delete]])


def delete_keyboard(localise: Localise = _same) -> InlineKeyboardMarkup:
    """Confirm or cancel the erasure."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(localise(messages.BUTTON_DELETE_YES), callback_data="del:yes"),
                InlineKeyboardButton(localise(messages.BUTTON_DELETE_NO), callback_data="del:no"),
            ]
        ]
    )


def report_type_keyboard(
    token: str, types: Iterable[tuple[str, str]], localise: Localise = _same
) -> InlineKeyboardMarkup:
    """Two fraud types per row (key, name), then "不清楚"."""
    buttons = [
        InlineKeyboardButton(localise(name), callback_data=data("rt", token, key))
        for key, name in types
    ]
    rows: list[Sequence[InlineKeyboardButton]] = [
        buttons[index : index + 2] for index in range(0, len(buttons), 2)
    ]
    unknown = InlineKeyboardButton(
        localise(messages.REPORT_UNKNOWN_TYPE), callback_data=data("rt", token, "_")
    )
    rows.append([unknown])
    return InlineKeyboardMarkup(rows)
