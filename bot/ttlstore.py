"""A small in-memory store with a size cap and an expiry (pending retries, cached verdicts).

Per process and lost on restart by design: it only holds what a button press may need in
the next hours; everything that must survive lives in the database.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TtlStore(Generic[K, V]):
    """At most ``cap`` items, each kept ``ttl`` seconds; the oldest go first when full."""

    def __init__(
        self, *, cap: int, ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.cap = cap
        self.ttl = ttl
        self._clock = clock
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def __len__(self) -> int:
        self._expire()
        return len(self._items)

    def put(self, key: K, value: V) -> None:
        """Store (or replace) ``value`` under ``key``."""
        self._items.pop(key, None)
        self._items[key] = (self._clock() + self.ttl, value)
        self._expire()
        while len(self._items) > self.cap:
            self._items.popitem(last=False)

    def get(self, key: K) -> V | None:
        """The live value under ``key``, or None."""
        self._expire()
        item = self._items.get(key)
        return item[1] if item else None

    def pop(self, key: K) -> V | None:
        """Remove and return the live value under ``key``, or None."""
        self._expire()
        item = self._items.pop(key, None)
        return item[1] if item else None

    def drop_where(self, predicate: Callable[[V], bool]) -> int:
        """Remove every value for which ``predicate`` holds; returns how many."""
        doomed = [key for key, (_, value) in self._items.items() if predicate(value)]
        for key in doomed:
            del self._items[key]
        return len(doomed)

    def _expire(self) -> None:
        now = self._clock()
        while self._items:
            key, (deadline, _) = next(iter(self._items.items()))
            if deadline > now:
                break
            del self._items[key]


def short_token() -> str:
    """A short random key that fits in callback data (8 hex characters)."""
    return secrets.token_hex(4)
