"""Per-process state the private-chat flow needs between updates (all in memory, bounded).

Rate limits, open bursts, per-user serialisation, verdicts kept for the "为什么？" button and
failed checks kept for "重试". Nothing here is needed to answer correctly after a restart:
buttons fall back to the database or ask the user to send the message again.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.adapters import Origin, Piece
from bot.bursts import BurstCollector
from bot.ratelimit import UserRateLimiter
from bot.ttlstore import TtlStore
from classifier import Verdict

CHECKS_PER_MINUTE = 20
BURST_WINDOW = 1.5
TYPING_DELAY = 0.6


@dataclass(frozen=True)
class Remembered:
    """A verdict just given, for its details button."""

    verdict: Verdict
    origin: Origin | None
    user_id: int


@dataclass(frozen=True)
class PendingCheck:
    """A check that failed, kept so that "重试" can run it again (nothing the user sent is lost)."""

    pieces: Sequence[Piece]
    chat_id: int
    user_id: int
    traditional: bool


class UserLocks:
    """One lock per user, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, user_id: int) -> AsyncIterator[None]:
        """Run the body with no other body of the same user running."""
        lock, users = self._locks.get(user_id, (asyncio.Lock(), 0))
        self._locks[user_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[user_id]
            if users <= 1:
                del self._locks[user_id]
            else:
                self._locks[user_id] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


class Runtime:
    """The in-memory helpers of one bot process; tests may tune the numbers."""

    def __init__(self) -> None:
        self.limiter = UserRateLimiter(CHECKS_PER_MINUTE, 60.0)
        self.bursts: BurstCollector[Piece] = BurstCollector()
        self.burst_window = BURST_WINDOW
        self.typing_delay = TYPING_DELAY
        self.locks = UserLocks()
        self.verdicts: TtlStore[int, Remembered] = TtlStore(cap=5000, ttl=6 * 3600)
        self.retries: TtlStore[str, PendingCheck] = TtlStore(cap=1000, ttl=3600)
