"""The buttons under a verdict: 为什么？, 我已经转账了, feedback, and 重试 after a failure."""

from __future__ import annotations

import contextlib

from telegram import ReplyParameters, Update
from telegram.error import BadRequest

from bot import messages
from bot.check_flow import run_check
from bot.context import Context, runtime, services
from bot.details import render_details, view_of_stored, view_of_verdict
from bot.handlers.common import tr
from bot.handlers.paid import send_paid_steps
from bot.keyboards import FEEDBACK_CODES, parse, verdict_keyboard
from bot.script import localise
from bot.storage import queries
from classifier import RiskLevel


def _check_id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else None


async def on_why(update: Update, context: Context) -> None:
    """Send the details of a verdict (all evidence, masked indicators, scores)."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    check_id = _check_id(parse(query.data)[-1])
    service = services(context)
    knowledge = service.analyzer.knowledge
    remembered = runtime(context).verdicts.get(check_id) if check_id is not None else None
    text: str | None = None
    if remembered is not None and remembered.user_id == user.id:
        text = render_details(view_of_verdict(remembered.verdict, remembered.origin), knowledge)
    elif check_id is not None:
        async with service.transaction() as session:
            check = await queries.get_check(session=session, check_id=check_id)
            if check is not None and check.user_id == user.id:
                view = view_of_stored(
                    risk=check.risk,
                    score=check.score,
                    fraud_type=check.fraud_type,
                    evidence=check.evidence,
                    indicators=check.indicators,
                    components=check.components,
                    knowledge=knowledge,
                )
                text = render_details(view, knowledge)
    await query.answer()
    traditional = tr(context, update)
    if query.message is None:
        return
    await context.bot.send_message(
        query.message.chat.id,
        localise(text or messages.DETAILS_GONE, traditional),
        reply_parameters=ReplyParameters(
            query.message.message_id, allow_sending_without_reply=True
        ),
    )


async def on_paid(update: Update, context: Context) -> None:
    """The "我已经转账了" button: the emergency steps, and the outcome recorded."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    await send_paid_steps(update, context, check_id=_check_id(parse(query.data)[-1]))


async def on_feedback(update: Update, context: Context) -> None:
    """👍 准确 / 👎 误报 / 漏报: one per user and check, changeable; the keyboard shows it."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    parts = parse(query.data)
    kind = FEEDBACK_CODES.get(parts[1]) if len(parts) == 3 else None
    check_id = _check_id(parts[-1])
    if kind is None or check_id is None:
        await query.answer()
        return
    traditional = tr(context, update)
    async with services(context).transaction() as session:
        check = await queries.get_check(session=session, check_id=check_id)
        if check is None or check.user_id != user.id:
            await query.answer(localise(messages.NOT_YOURS, traditional))
            return
        await queries.set_feedback(session=session, check_id=check_id, user_id=user.id, kind=kind)
        warns = check.risk in (RiskLevel.HIGH.value, RiskLevel.MEDIUM.value)
    await query.answer(localise(messages.FEEDBACK_THANKS[kind], traditional))
    markup = verdict_keyboard(
        check_id, warns=warns, chosen=kind, localise=lambda text: localise(text, traditional)
    )
    with contextlib.suppress(BadRequest):  # same answer twice: "message is not modified"
        await query.edit_message_reply_markup(markup)


async def on_retry(update: Update, context: Context) -> None:
    """Run a failed check again, editing the apology into the verdict."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None or query.message is None:
        return
    rt = runtime(context)
    pending = rt.retries.pop(parse(query.data)[-1])
    traditional = tr(context, update)
    await query.answer()
    if pending is None or pending.user_id != user.id:
        await query.edit_message_text(localise(messages.RETRY_EXPIRED, traditional))
        return
    await query.edit_message_text(localise(messages.CHECKING_AGAIN, pending.traditional))
    await run_check(
        bot=context.bot,
        service=services(context),
        runtime=rt,
        pieces=pending.pieces,
        chat_id=pending.chat_id,
        user_id=user.id,
        traditional=pending.traditional,
        progress_message_id=query.message.message_id,
    )
