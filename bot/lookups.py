"""The community blocklist as the classifier sees it, backed by the database."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage import queries
from classifier import BlocklistMatch, Indicator


class DatabaseBlocklist:
    """Implements ``classifier.Blocklist`` with one query per analysis."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def find(self, indicators: Sequence[Indicator]) -> Sequence[BlocklistMatch]:
        """Accepted blocklist entries matching the indicators."""
        async with self._sessions() as session:
            entries = await queries.find_blocklisted(
                session=session, indicators=[(item.kind, item.value) for item in indicators]
            )
        return [BlocklistMatch(entry.kind, entry.value, entry.fraud_type) for entry in entries]
