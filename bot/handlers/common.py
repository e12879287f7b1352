"""Small helpers shared by the handlers: the user's script, localised replies."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update, User

from bot.context import Context
from bot.script import localise, prefers_traditional

_KEY = "traditional"


def is_traditional(context: Context, user: User | None) -> bool:
    """Whether this user reads Traditional (what they wrote last, else their app language)."""
    remembered = context.user_data.get(_KEY) if context.user_data is not None else None
    if remembered is not None:
        return bool(remembered)
    return bool(user and prefers_traditional("", user.language_code))


def remember_script(context: Context, user: User | None, text: str) -> bool:
    """Note the script of what the user just wrote; returns the preference to use now."""
    found = prefers_traditional(text, user.language_code if user else None)
    if found is not None and context.user_data is not None:
        context.user_data[_KEY] = found
    return found if found is not None else is_traditional(context, user)


def tr(context: Context, update: Update) -> bool:
    """The script preference of the update's user."""
    return is_traditional(context, update.effective_user)


async def answer(
    update: Update,
    context: Context,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Reply in the update's chat, in the user's script."""
    chat = update.effective_chat
    if chat is None:
        return
    await context.bot.send_message(
        chat.id, localise(text, tr(context, update)), reply_markup=markup
    )
