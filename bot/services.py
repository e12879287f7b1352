"""Long-lived services shared by all handlers, opened in ``post_init`` and closed in
``post_shutdown``. Handlers reach them through ``context.bot_data`` (typed, see bot.context)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.storage import create_engine, session_factory


@dataclass
class Services:
    """What a handler may use: the settings and the database."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    @classmethod
    def open(cls, settings: Settings) -> Services:
        """Create the clients (no I/O happens until first use)."""
        engine = create_engine(settings.database_url.get_secret_value())
        return cls(settings=settings, engine=engine, sessions=session_factory(engine))

    async def close(self) -> None:
        """Release connections."""
        await self.engine.dispose()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One session per update: commits on success, rolls back on error."""
        async with self.sessions() as session, session.begin():
            yield session
