"""Long-lived services shared by all handlers, opened in ``post_init`` and closed in
``post_shutdown``. Handlers reach them through ``context.bot_data`` (typed, see bot.context)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.lookups import DatabaseBlocklist
from bot.storage import create_engine, session_factory
from classifier import Analyzer


@dataclass
class Services:
    """What a handler may use: the settings, the database and the analyzer."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    analyzer: Analyzer

    @classmethod
    def open(cls, settings: Settings) -> Services:
        """Create the clients and load the classifier (no database I/O until first use)."""
        engine = create_engine(settings.database_url.get_secret_value())
        sessions = session_factory(engine)
        analyzer = Analyzer(blocklist=DatabaseBlocklist(sessions))
        return cls(settings=settings, engine=engine, sessions=sessions, analyzer=analyzer)

    async def close(self) -> None:
        """Release connections."""
        await self.engine.dispose()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One session per update: commits on success, rolls back on error."""
        async with self.sessions() as session, session.begin():
            yield session
