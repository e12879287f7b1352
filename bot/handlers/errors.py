"""The one error handler: log first, then apologise politely with a reference."""

from __future__ import annotations

import logging
import secrets

from telegram import Update

from bot import messages
from bot.context import Context

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Log the failure with the update id, then tell the user in plain words."""
    update_id = update.update_id if isinstance(update, Update) else None
    # The update id is the reference the user quotes (as in bot.check_flow's apologies).
    reference = str(update_id) if update_id is not None else secrets.token_hex(3)
    # Log the error before we do anything else, so we can see it even if something breaks.
    log.error("update %s failed (ref %s)", update_id, reference, exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(messages.ERROR.format(reference=reference))
        except Exception:
            log.warning("could not send the apology for ref %s", reference)
