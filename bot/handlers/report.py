"""/report: report a number, account, link or message as fraud, with its type.

Two short steps: send what to report (or put it after the command), then press the type.
The state lives in ``context.user_data`` for a few minutes; /cancel ends it.
"""

from __future__ import annotations

import html
import time
from typing import Any

from telegram import Update

from bot import messages
from bot.context import Context, services
from bot.handlers.common import answer, tr
from bot.keyboards import parse, report_type_keyboard
from bot.reporting import what_is_reported
from bot.script import localise
from bot.storage import queries
from bot.ttlstore import short_token

_KEY = "report"
EXPIRES = 600.0


def _state(context: Context) -> dict[str, Any] | None:
    data = context.user_data
    state = data.get(_KEY) if data is not None else None
    if state is None or time.monotonic() - state["at"] > EXPIRES:
        return None
    return dict(state)


def awaiting_value(context: Context) -> bool:
    """Whether the user's next text is the thing to report."""
    state = _state(context)
    return state is not None and state["stage"] == "value"


def _set(context: Context, **state: Any) -> None:
    if context.user_data is not None:
        context.user_data[_KEY] = {**state, "at": time.monotonic()}


def _clear(context: Context) -> bool:
    return context.user_data is not None and context.user_data.pop(_KEY, None) is not None


async def report_command(update: Update, context: Context) -> None:
    """/report [what]: ask for the thing to report, or go straight to the type."""
    value = " ".join(context.args or ())
    if value.strip():
        await _ask_type(update, context, value)
        return
    _set(context, stage="value")
    await answer(update, context, messages.REPORT_ASK)


async def receive_value(update: Update, context: Context) -> None:
    """The text after /report: what is being reported."""
    message = update.effective_message
    text = (message.text or message.caption or "") if message else ""
    if not text.strip():
        await answer(update, context, messages.REPORT_EMPTY)
        return
    await _ask_type(update, context, text)


async def _ask_type(update: Update, context: Context, text: str) -> None:
    knowledge = services(context).analyzer.knowledge
    reported = what_is_reported(text, services(context).analyzer)
    token = short_token()
    _set(context, stage="type", token=token, kind=reported.kind, value=reported.value)
    what = f"{messages.REPORT_KIND[reported.kind]} {reported.display}"
    types = [(key, fraud.name) for key, fraud in knowledge.fraud_types.items()]
    traditional = tr(context, update)
    await answer(
        update,
        context,
        messages.REPORT_WHAT.format(what=html.escape(what)),
        report_type_keyboard(token, types, lambda label: localise(label, traditional)),
    )


async def on_report_type(update: Update, context: Context) -> None:
    """The type was chosen: file the report and give the reference number."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    parts = parse(query.data)
    state = _state(context)
    traditional = tr(context, update)
    await query.answer()
    if len(parts) != 3 or state is None or state.get("token") != parts[1]:
        await query.edit_message_text(localise(messages.REPORT_EXPIRED, traditional))
        return
    knowledge = services(context).analyzer.knowledge
    fraud_type = parts[2] if parts[2] in knowledge.fraud_types else None
    async with services(context).transaction() as session:
        await queries.touch_user(session=session, user_id=user.id)
        report = await queries.add_report(
            session=session,
            reporter_id=user.id,
            kind=state["kind"],
            value=state["value"],
            fraud_type=fraud_type,
        )
    _clear(context)
    await query.edit_message_text(
        localise(messages.REPORT_DONE.format(reference=report.id), traditional)
    )


async def cancel_command(update: Update, context: Context) -> None:
    """/cancel: end a report in progress."""
    cancelled = _clear(context)
    await answer(update, context, messages.CANCELLED if cancelled else messages.NOTHING_TO_CANCEL)
