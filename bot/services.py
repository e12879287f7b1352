"""Long-lived services shared by all handlers, opened in ``post_init`` and closed in
``post_shutdown``. Handlers reach them through ``context.bot_data`` (typed, see bot.context)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.links import build_link_inspector
from bot.lookups import DatabaseBlocklist
from bot.model import load_model
from bot.storage import create_engine, session_factory
from classifier import Analyzer
from knowledge import load_knowledge


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
        knowledge = load_knowledge()
        links = build_link_inspector(settings, knowledge, sessions)  # None when offline
        analyzer = Analyzer(
            knowledge,
            blocklist=DatabaseBlocklist(sessions),
            links=links,
            model=load_model(settings),
        )
        return cls(settings=settings, engine=engine, sessions=sessions, analyzer=analyzer)

    async def close(self) -> None:
        """Release connections."""
        if self.analyzer.links is not None:
            await self.analyzer.links.aclose()
        if self.analyzer.model is not None:
            self.analyzer.model.close()
        await self.engine.dispose()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One session per update: commits on success, rolls back on error."""
        async with self.sessions() as session, session.begin():
            yield session
