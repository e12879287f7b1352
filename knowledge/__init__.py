"""The knowledge base: fraud types, red flags, official organisations, advice, reporting.

Data lives in YAML files next to this module (a volunteer can edit them without Python);
:func:`load_knowledge` validates them and returns a read-only :class:`Knowledge`.
"""

from knowledge.errors import KnowledgeError, ScamCheckError
from knowledge.loader import Knowledge, load_knowledge
from knowledge.models import (
    AbusedHost,
    Advice,
    BenignFlag,
    Combo,
    CommonCombo,
    CommonRedFlag,
    FraudType,
    Organisation,
    OrganisationKind,
    RedFlag,
    ReportingChannel,
    Source,
)

__all__ = [
    "AbusedHost",
    "Advice",
    "BenignFlag",
    "Combo",
    "CommonCombo",
    "CommonRedFlag",
    "FraudType",
    "Knowledge",
    "KnowledgeError",
    "Organisation",
    "OrganisationKind",
    "RedFlag",
    "ReportingChannel",
    "ScamCheckError",
    "Source",
    "load_knowledge",
]
