"""Load the fine-tuned text model for the bot and the command line, once per process."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from bot.config import Settings
from knowledge.errors import ScamCheckError

if TYPE_CHECKING:
    from classifier.model.bundle import ModelBundle

log = logging.getLogger(__name__)


def load_model(settings: Settings) -> ModelBundle | None:
    """The model bundle, or None when disabled or unusable (then the rules work alone,
    and the log says why in one line)."""
    if not settings.use_model:
        return None
    started = time.monotonic()
    from classifier.model.bundle import BUNDLED_DIR, ModelBundle

    try:
        bundle = ModelBundle.load(settings.model_dir or BUNDLED_DIR, quantise=settings.model_int8)
    except ScamCheckError as exc:
        log.warning("text model not loaded, checking with rules only: %s", exc)
        return None
    log.info("text model loaded in %.1f s", time.monotonic() - started)
    return bundle
