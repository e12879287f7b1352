"""Several messages sent together (an album, a burst of forwards) become one check.

The first message of a burst opens it and waits until the user has been quiet for the
window; messages arriving meanwhile join it and return at once. Pure asyncio, per user,
no Telegram types: the items are whatever the caller collects.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class _Burst(Generic[T]):
    items: list[T]
    window: float
    started: float
    last: float
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    closed: bool = False


class BurstCollector(Generic[T]):
    """Per-user bursts: at most ``max_items`` items and ``max_wait`` seconds each."""

    def __init__(self, *, max_items: int = 20, max_wait: float = 8.0) -> None:
        self.max_items = max_items
        self.max_wait = max_wait
        self._open: dict[int, _Burst[T]] = {}

    def join(self, user_id: int, item: T, window: float = 0.0) -> bool:
        """Add ``item`` to the user's open burst; False when none is open (or it is full)."""
        burst = self._open.get(user_id)
        if burst is None or burst.closed or len(burst.items) >= self.max_items:
            return False
        burst.items.append(item)
        burst.last = time.monotonic()
        burst.window = max(burst.window, window)
        if len(burst.items) >= self.max_items:
            burst.closed = True
        burst.wake.set()
        return True

    async def collect(self, user_id: int, item: T, window: float) -> list[T]:
        """Open a burst with ``item`` and return every item once the user is quiet."""
        now = time.monotonic()
        burst: _Burst[T] = _Burst([item], window, now, now)
        if window <= 0:
            return burst.items
        self._open[user_id] = burst
        try:
            while not burst.closed:
                now = time.monotonic()
                deadline = min(burst.last + burst.window, burst.started + self.max_wait)
                if now >= deadline:
                    break
                burst.wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(burst.wake.wait(), deadline - now)
        finally:
            burst.closed = True
            if self._open.get(user_id) is burst:
                del self._open[user_id]
        return burst.items
