"""The scam classifier: a pure library (no Telegram, no database, no environment).

    verdict = await classifier.analyze(classifier.Submission(text="..."))

Only the names in ``__all__`` are public; the modules behind them may change.
"""

from classifier.analyzer import Analyzer, Thresholds, analyze, analyze_batch, default_analyzer
from classifier.entities import Entity, EntityKind
from classifier.lookups import Blocklist, BlocklistMatch, Indicator, StaticBlocklist
from classifier.payments import PaymentRequest
from classifier.verdict import (
    ChatKind,
    Evidence,
    EvidenceKind,
    RiskLevel,
    Submission,
    Verdict,
)
from knowledge.errors import KnowledgeError, ScamCheckError

__all__ = [
    "Analyzer",
    "Blocklist",
    "BlocklistMatch",
    "ChatKind",
    "Entity",
    "EntityKind",
    "Evidence",
    "EvidenceKind",
    "Indicator",
    "KnowledgeError",
    "PaymentRequest",
    "RiskLevel",
    "ScamCheckError",
    "StaticBlocklist",
    "Submission",
    "Thresholds",
    "Verdict",
    "analyze",
    "analyze_batch",
    "default_analyzer",
]
