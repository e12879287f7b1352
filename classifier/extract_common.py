"""Shared pieces of the extractors: hits in normalised coordinates and text views.

Extractors work on the normalised text (or a view of it) and report `Hit`s whose span is
in NORMALISED coordinates; `classifier.extract` resolves overlaps and maps the survivors to
the original text once, at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from classifier.entities import EntityKind
from classifier.normalize import MappedText

__all__ = ["Hit", "View", "context_before", "luhn_valid"]


@dataclass(frozen=True, slots=True)
class Hit:
    """An indicator found by one extractor; `start`/`end` index the normalised text."""

    kind: EntityKind
    value: str
    start: int
    end: int
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class View:
    """Text an extractor scans: the normalised text itself or a `MappedText` of it."""

    text: str
    mapped: MappedText | None = None

    @classmethod
    def of(cls, mapped: MappedText) -> View:
        """A view of `mapped`; the identity view when nothing was rewritten."""
        if mapped.text == mapped.source:
            return cls(mapped.source)
        return cls(mapped.text, mapped)

    def to_norm(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of this view to the normalised text."""
        return (start, end) if self.mapped is None else self.mapped.to_source(start, end)


def context_before(text: str, start: int, width: int) -> str:
    """Up to `width` characters of `text` before `start`."""
    return text[max(0, start - width) : start]


def luhn_valid(digits: str) -> bool:
    """The Luhn check digit test used by payment cards."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0
