"""/paid and the "我已经转账了" button: the ordered emergency steps, outcome recorded."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update

from bot.context import Context, runtime, services
from bot.handlers.common import answer
from bot.paid import PAID_OUTCOME, bank_in, render_paid
from bot.storage import queries
from bot.storage.models import utcnow

# /paid without a button refers to the user's latest check of the last few days.
RECENT = timedelta(days=3)


async def paid_command(update: Update, context: Context) -> None:
    """/paid: the steps, for the latest check if there is one."""
    await send_paid_steps(update, context, check_id=None)


async def send_paid_steps(update: Update, context: Context, *, check_id: int | None) -> None:
    """Record that the user lost money on this check (or their latest) and show the steps."""
    user = update.effective_user
    service = services(context)
    knowledge = service.analyzer.knowledge
    bank = None
    recorded = False
    if user is not None:
        async with service.transaction() as session:
            if check_id is not None:
                check = await queries.get_check(session=session, check_id=check_id)
            else:
                check = await queries.latest_check(
                    session=session, user_id=user.id, since=utcnow() - RECENT
                )
            if check is not None and check.user_id == user.id:
                await queries.record_paid_outcome(
                    session=session, check_id=check.id, outcome=PAID_OUTCOME
                )
                remembered = runtime(context).verdicts.get(check.id)
                payment = getattr(remembered.verdict, "payment", None) if remembered else None
                bank = bank_in(check.indicators, knowledge, payment=payment)
                recorded = True
    await answer(update, context, render_paid(knowledge, bank, recorded=recorded))
