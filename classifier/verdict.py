"""What goes into the classifier (``Submission``) and what comes out (``Verdict``).

The JSON form of a verdict is documented in docs/VERDICT.md; keep the two in step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from classifier.entities import Entity
from classifier.payments import PaymentRequest


class RiskLevel(StrEnum):
    """The four levels a user sees, from most to least dangerous."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    SAFE = "safe"


class ChatKind(StrEnum):
    """Where the message was seen; groups use a higher bar before speaking."""

    PRIVATE = "private"
    GROUP = "group"
    CLI = "cli"


class EvidenceKind(StrEnum):
    """What produced a piece of evidence."""

    RULE = "rule"
    COMBO = "combo"
    BENIGN = "benign"
    ENTITY = "entity"
    LOOKUP = "lookup"
    LINK = "link"
    MODEL = "model"


@dataclass(frozen=True)
class Submission:
    """Everything the bot (or the command line) knows about one thing to check.

    ``urls`` holds links that are not visible in the text (Telegram text_link entities, QR
    codes); ``image_text`` the lines read from screenshots. No Telegram types here.
    """

    text: str = ""
    urls: Sequence[str] = ()
    image_text: Sequence[str] = ()
    forward_origin: str | None = None
    chat_kind: ChatKind = ChatKind.PRIVATE
    language: str | None = None

    def combined_text(self) -> str:
        """The text the analysis reads: message, then hidden links, then image text.

        Spans in the verdict refer to this string; for a plain text submission it is
        exactly ``text``.
        """
        parts = [self.text, *self.urls, *self.image_text]
        return "\n".join(part for part in parts if part)


@dataclass(frozen=True)
class Evidence:
    """One reason for (or against) the verdict, with where it was found.

    ``span`` indexes the submission's ``combined_text()`` (the user's original characters),
    ``quote`` is that original text. ``error`` is set when a lookup failed: the analysis
    carries on and says so instead of aborting.
    """

    kind: EvidenceKind
    source: str
    explanation: str
    weight: float
    fraud_type: str | None = None
    span: tuple[int, int] | None = None
    quote: str | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "kind": self.kind.value,
            "source": self.source,
            "explanation": self.explanation,
            "weight": round(self.weight, 4),
            "fraud_type": self.fraud_type,
            "span": list(self.span) if self.span else None,
            "quote": self.quote,
            "error": self.error,
        }


@dataclass(frozen=True)
class Verdict:
    """The classifier's answer: risk, score, type, evidence, entities, advice, components."""

    risk: RiskLevel
    score: float
    fraud_type: str | None
    evidence: Sequence[Evidence] = ()
    entities: Sequence[Entity] = ()
    advice: Sequence[str] = ()
    components: Mapping[str, float | None] = field(default_factory=dict)
    fraud_type_name: str | None = None
    payment: PaymentRequest | None = None
    """The request for money in the message (``classifier.payments``), if there is one."""

    @property
    def is_fraud(self) -> bool:
        """True for the levels that warn (high and medium)."""
        return self.risk in (RiskLevel.HIGH, RiskLevel.MEDIUM)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form (docs/VERDICT.md). Sensitive entities are masked."""
        return {
            "risk": self.risk.value,
            "score": round(self.score, 4),
            "fraud_type": self.fraud_type,
            "fraud_type_name": self.fraud_type_name,
            "evidence": [item.to_json() for item in self.evidence],
            "entities": [entity.to_json() for entity in self.entities],
            "advice": list(self.advice),
            "components": {
                name: (round(value, 4) if value is not None else None)
                for name, value in self.components.items()
            },
            "payment": self.payment.to_json() if self.payment is not None else None,
        }
