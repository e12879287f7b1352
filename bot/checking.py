"""The check service: analyse a submission and store the verdict (privacy-preserving)."""

from __future__ import annotations

import asyncio
import contextlib
from weakref import WeakKeyDictionary

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.services import Services
from bot.storage import queries
from classifier import Submission, Verdict

_SQLITE_WRITERS: WeakKeyDictionary[AsyncEngine, asyncio.Lock] = WeakKeyDictionary()


def sqlite_writer(engine: AsyncEngine) -> asyncio.Lock | None:
    """One writer at a time on SQLite: queueing here is fair and quick, while concurrent
    write transactions make SQLite's busy handler sleep (long latency tails). None elsewhere."""
    if engine.dialect.name != "sqlite":
        return None
    lock = _SQLITE_WRITERS.get(engine)
    if lock is None:
        lock = _SQLITE_WRITERS[engine] = asyncio.Lock()
    return lock


async def check_and_record(
    services: Services,
    submission: Submission,
    *,
    user_id: int | None,
    chat_id: int | None,
    chat_kind: str | None = None,
    input_kind: str = "text",
) -> tuple[Verdict, int]:
    """Analyse and store the verdict; returns it with the id of the stored check.

    Stored: a salted hash of the content, the verdict, the evidence and the masked
    indicators. The raw text is kept only when the user opted in (enforced by queries).
    """
    verdict = await services.analyzer.analyze(submission)
    record = verdict.to_json()
    text = submission.combined_text()
    writer = sqlite_writer(services.engine)
    async with writer or contextlib.nullcontext(), services.transaction() as session:
        if user_id is not None:
            await queries.touch_user(session=session, user_id=user_id)
        if chat_id is not None and chat_kind is not None:
            await queries.upsert_chat(session=session, chat_id=chat_id, kind=chat_kind)
        check = await queries.record_check(
            session=session,
            user_id=user_id,
            chat_id=chat_id,
            content_hash=queries.content_hash(
                text, salt=services.settings.hash_salt.get_secret_value()
            ),
            input_kind=input_kind,
            risk=verdict.risk.value,
            score=verdict.score,
            fraud_type=verdict.fraud_type,
            evidence=[
                {key: item[key] for key in ("kind", "source", "weight", "span")}
                for item in record["evidence"]
            ],
            indicators=record["entities"],
            components=record["components"],
            raw_text=text,
        )
    return verdict, check.id
