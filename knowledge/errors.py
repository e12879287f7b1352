"""The project's exception tree.

::

    ScamCheckError            every error raised on purpose by this project
     └── KnowledgeError       a knowledge file is missing, malformed or inconsistent

``ScamCheckError`` lives here because ``knowledge/`` is the bottom layer of the project;
``classifier/`` re-exports it and adds its own subclasses (e.g. ``LinkCheckError``).
"""

from __future__ import annotations

__all__ = ["KnowledgeError", "ScamCheckError"]


class ScamCheckError(Exception):
    """Base class of every exception the project raises on purpose."""


class KnowledgeError(ScamCheckError):
    """A knowledge file cannot be used; names the file, the line and the reason.

    ``str(error)`` is one line, e.g.
    ``knowledge/fraud_types/x.yaml:12: red_flags[3].weight: must be in (0, 1]``.
    """

    def __init__(self, reason: str, file: str, line: int | None = None) -> None:
        self.reason = reason
        self.file = file
        self.line = line
        super().__init__(reason, file, line)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.reason}"
