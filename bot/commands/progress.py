"""Progress for long commands: a bar on a terminal, silence in pipes and CI logs."""

from __future__ import annotations

import sys
from types import TracebackType

from tqdm import tqdm


class Progress:
    """``with Progress(total, "checking") as p: p.advance(n)``; drawn on stderr."""

    def __init__(self, total: int, label: str) -> None:
        self._bar = tqdm(
            total=total, desc=label, unit="msg", file=sys.stderr, disable=None, leave=False
        )

    def advance(self, count: int = 1) -> None:
        """Mark ``count`` more items done."""
        self._bar.update(count)

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._bar.close()
