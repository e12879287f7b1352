"""/privacy (what is stored, raw-text consent) and /delete (erase everything, confirmed)."""

from __future__ import annotations

from telegram import Update

from bot import messages
from bot.context import Context, runtime, services
from bot.handlers.common import answer, tr
from bot.keyboards import delete_keyboard, parse, privacy_keyboard
from bot.script import localise
from bot.storage import queries


async def _privacy_text(update: Update, context: Context) -> tuple[str, bool]:
    user = update.effective_user
    consent = False
    if user is not None:
        async with services(context).transaction() as session:
            account = await queries.get_user(session=session, user_id=user.id)
            consent = bool(account and account.consent_store_text)
    state = messages.CONSENT_ON if consent else messages.CONSENT_OFF
    return messages.PRIVACY.format(consent=state), consent


async def privacy_command(update: Update, context: Context) -> None:
    """/privacy: exactly what is stored, with the consent and delete buttons."""
    text, consent = await _privacy_text(update, context)
    traditional = tr(context, update)
    await answer(
        update, context, text, privacy_keyboard(consent, lambda t: localise(t, traditional))
    )


async def on_consent(update: Update, context: Context) -> None:
    """consent:1 / consent:0: keep raw text to improve the model, or stop."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    store = parse(query.data)[-1] == "1"
    async with services(context).transaction() as session:
        await queries.set_consent(session=session, user_id=user.id, store_text=store)
        await queries.audit(
            session=session,
            actor_id=user.id,
            action="consent_store_text",
            target=f"user:{user.id}",
            details={"store_text": store},
        )
    traditional = tr(context, update)
    await query.answer(
        localise(
            messages.CONSENT_CHANGED_ON if store else messages.CONSENT_CHANGED_OFF, traditional
        )
    )
    text, consent = await _privacy_text(update, context)
    await query.edit_message_text(
        localise(text, traditional),
        reply_markup=privacy_keyboard(consent, lambda t: localise(t, traditional)),
    )


async def delete_command(update: Update, context: Context) -> None:
    """/delete: ask for confirmation first."""
    traditional = tr(context, update)
    await answer(
        update,
        context,
        messages.DELETE_CONFIRM,
        delete_keyboard(lambda t: localise(t, traditional)),
    )


async def on_delete(update: Update, context: Context) -> None:
    """del:ask (from /privacy), del:yes (erase), del:no (keep)."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    choice = parse(query.data)[-1]
    traditional = tr(context, update)
    await query.answer()
    if choice == "ask":
        await delete_command(update, context)
        return
    if choice != "yes":
        await query.edit_message_text(localise(messages.DELETE_CANCELLED, traditional))
        return
    async with services(context).transaction() as session:
        summary = await queries.delete_user_data(session=session, user_id=user.id)
    if context.user_data is not None:
        context.user_data.clear()
    rt = runtime(context)
    rt.verdicts.drop_where(lambda remembered: remembered.user_id == user.id)
    rt.retries.drop_where(lambda pending: pending.user_id == user.id)
    await query.edit_message_text(
        localise(messages.DELETED.format(checks=summary.checks), traditional)
    )
