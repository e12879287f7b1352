"""Per-user token buckets: a flood from one user is refused politely, others are unaffected.

In-process (one bot process). With several processes the same interface would be backed by
Redis; nothing else changes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    warned_at: float = float("-inf")


class UserRateLimiter:
    """``rate`` checks per ``per`` seconds per user, with bursts up to ``rate``."""

    def __init__(
        self,
        rate: int = 20,
        per: float = 60.0,
        *,
        warn_every: float = 30.0,
        max_users: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        self.per = per
        self.warn_every = warn_every
        self._max_users = max_users
        self._clock = clock
        self._buckets: dict[int, _Bucket] = {}

    def _bucket(self, user_id: int) -> _Bucket:
        now = self._clock()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            if len(self._buckets) >= self._max_users:
                self._prune(now)
            bucket = self._buckets[user_id] = _Bucket(float(self.rate), now)
        else:
            refill = (now - bucket.stamp) * self.rate / self.per
            bucket.tokens = min(float(self.rate), bucket.tokens + refill)
            bucket.stamp = now
        return bucket

    def allow(self, user_id: int) -> bool:
        """Take one token for ``user_id``; False when the user is over the limit."""
        bucket = self._bucket(user_id)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return True
        return False

    def should_warn(self, user_id: int) -> bool:
        """Whether to send the "slow down" message now (at most once per ``warn_every``)."""
        bucket = self._bucket(user_id)
        now = self._clock()
        if now - bucket.warned_at >= self.warn_every:
            bucket.warned_at = now
            return True
        return False

    def _prune(self, now: float) -> None:
        full = [uid for uid, b in self._buckets.items() if now - b.stamp >= self.per]
        for uid in full or list(self._buckets)[: len(self._buckets) // 2]:
            del self._buckets[uid]
