"""Link checks as the bot runs them: the classifier's inspector with a shared cache.

The cache is Redis when ``SCAMCHECK_REDIS_URL`` is set (several bot processes share it),
otherwise the ``link_cache`` table of the database. Both implement
``classifier.links.LinkCache``; a failing cache only costs a fresh fetch.
"""

from __future__ import annotations

import json
import math
from datetime import timedelta
from typing import Any

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.storage import queries
from bot.storage.models import utcnow
from classifier.fetch import FetchPolicy, GuardedFetcher
from classifier.links import LinkCache, LinkInspector
from knowledge import Knowledge

REDIS_PREFIX = "scamcheck:link:"


class DatabaseLinkCache:
    """Link reports in the ``link_cache`` table (one short transaction per call)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def get(self, key: str) -> dict[str, Any] | None:
        """The unexpired report stored under ``key``."""
        async with self._sessions() as session:
            return await queries.get_cached_link(session=session, url_hash=key)

    async def put(self, key: str, report: dict[str, Any], ttl: float) -> None:
        """Store a report for ``ttl`` seconds."""
        expires_at = utcnow() + timedelta(seconds=ttl)
        async with self._sessions() as session, session.begin():
            await queries.put_cached_link(
                session=session, url_hash=key, report=report, expires_at=expires_at
            )

    async def aclose(self) -> None:
        """The engine belongs to the caller: nothing to close here."""


class RedisLinkCache:
    """Link reports in Redis, as JSON strings that expire by themselves."""

    def __init__(self, client: Redis, *, prefix: str = REDIS_PREFIX) -> None:
        self._client = client
        self._prefix = prefix

    @classmethod
    def from_url(cls, url: str, *, prefix: str = REDIS_PREFIX) -> RedisLinkCache:
        """A cache on a new client (connects lazily)."""
        return cls(Redis.from_url(url), prefix=prefix)

    async def get(self, key: str) -> dict[str, Any] | None:
        """The report stored under ``key`` (Redis drops expired keys itself)."""
        raw = await self._client.get(self._prefix + key)
        if raw is None:
            return None
        data = json.loads(raw)
        return data if isinstance(data, dict) else None

    async def put(self, key: str, report: dict[str, Any], ttl: float) -> None:
        """Store a report for ``ttl`` seconds (no lifetime: drop any stored one)."""
        milliseconds = math.ceil(ttl * 1000)
        if milliseconds <= 0:
            await self._client.delete(self._prefix + key)
            return
        value = json.dumps(report, ensure_ascii=False)
        await self._client.set(self._prefix + key, value, px=milliseconds)

    async def aclose(self) -> None:
        """Close the client's connections."""
        await self._client.aclose()


def build_link_inspector(
    settings: Settings,
    knowledge: Knowledge,
    sessions: async_sessionmaker[AsyncSession] | None = None,
) -> LinkInspector | None:
    """The inspector the settings ask for, or None when links must not be opened."""
    if not settings.fetch_links:
        return None
    cache: LinkCache | None = None
    if settings.link_cache_ttl > 0:
        if settings.redis_url is not None:
            cache = RedisLinkCache.from_url(settings.redis_url.get_secret_value())
        elif sessions is not None:
            cache = DatabaseLinkCache(sessions)
    fetcher = GuardedFetcher(FetchPolicy(allowed_ports=settings.fetch_ports))
    return LinkInspector(knowledge, fetcher, cache=cache, ttl=float(settings.link_cache_ttl))
