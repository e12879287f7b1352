"""The analysis pipeline: normalise → extract → rules + lookups → (model) → fuse → Verdict."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from classifier.domains import DomainChecker
from classifier.entities import Entity
from classifier.extract import extract
from classifier.lookups import Blocklist, blocklist_evidence, entity_evidence
from classifier.normalize import NormalizedText, normalize
from classifier.rules import RuleEngine, RuleHit, noisy_or, score_hits
from classifier.verdict import Evidence, RiskLevel, Submission, Verdict
from knowledge import Knowledge, load_knowledge

# Longer input is cut before analysis: scams state their business early, and this bounds
# the time one message can take. The cut is reported in the verdict's components.
MAX_ANALYSED_CHARS = 20_000


@dataclass(frozen=True)
class Thresholds:
    """Score thresholds of the risk levels (a score ≥ ``high`` is high risk, and so on)."""

    high: float = 0.75
    medium: float = 0.5
    low: float = 0.25

    def level(self, score: float) -> RiskLevel:
        """The risk level of a score."""
        if score >= self.high:
            return RiskLevel.HIGH
        if score >= self.medium:
            return RiskLevel.MEDIUM
        if score >= self.low:
            return RiskLevel.LOW
        return RiskLevel.SAFE


class Analyzer:
    """Holds the loaded knowledge and matchers; one per process, safe to share."""

    def __init__(
        self,
        knowledge: Knowledge | None = None,
        *,
        blocklist: Blocklist | None = None,
        thresholds: Thresholds | None = None,
    ) -> None:
        self.knowledge = knowledge if knowledge is not None else load_knowledge()
        self.blocklist = blocklist
        self.thresholds = thresholds or Thresholds()
        self._rules = RuleEngine(self.knowledge)
        self._domains = DomainChecker(self.knowledge)

    async def analyze(self, submission: Submission) -> Verdict:
        """Analyse one submission."""
        prepared = self._prepare(submission)
        lookups = await blocklist_evidence(prepared.entities, self.blocklist)
        return self._verdict(prepared, lookups)

    async def analyze_batch(self, submissions: Sequence[Submission]) -> list[Verdict]:
        """Analyse several submissions (lookups run concurrently)."""
        prepared = [self._prepare(item) for item in submissions]
        lookups = await asyncio.gather(
            *(blocklist_evidence(item.entities, self.blocklist) for item in prepared)
        )
        return [self._verdict(item, found) for item, found in zip(prepared, lookups, strict=True)]

    def analyze_offline(self, submission: Submission) -> Verdict:
        """Synchronous analysis without the injected lookups (rules, entities, domains)."""
        return self._verdict(self._prepare(submission), [])

    def _prepare(self, submission: Submission) -> _Prepared:
        original = submission.combined_text()
        truncated = len(original) > MAX_ANALYSED_CHARS
        norm = normalize(original[:MAX_ANALYSED_CHARS])
        entities = extract(norm, bank_bins=self.knowledge.bank_bins)
        hits = self._rules.match(norm.text)
        return _Prepared(norm=norm, entities=entities, hits=hits, truncated=truncated)

    def _verdict(self, prepared: _Prepared, lookups: Sequence[Evidence]) -> Verdict:
        norm = prepared.norm
        rule_score = score_hits(prepared.hits)
        evidence = [_rule_evidence(hit, norm) for hit in prepared.hits]
        indicator_evidence = [
            *entity_evidence(prepared.entities, self._domains, self.knowledge.organisations),
            *lookups,
        ]
        evidence.extend(indicator_evidence)
        # Indicators (a reported account, a fake bank domain) are facts about the message:
        # benign wording does not soften them, so they join after the rules' damping.
        score = noisy_or([rule_score.score, *(item.weight for item in indicator_evidence)])
        risk = self.thresholds.level(score)
        fraud_type = _strongest_type(rule_score.fraud_type, rule_score.score, indicator_evidence)
        if risk in (RiskLevel.SAFE, RiskLevel.LOW) and rule_score.score < self.thresholds.low:
            fraud_type = None  # a stray weak word names no type on a calm verdict
        type_info = self.knowledge.fraud_types.get(fraud_type) if fraud_type else None
        evidence.sort(key=lambda item: (-item.weight, item.span or (1 << 30, 0)))
        return Verdict(
            risk=risk,
            score=score,
            fraud_type=fraud_type,
            fraud_type_name=type_info.name if type_info else None,
            evidence=evidence,
            entities=prepared.entities,
            advice=self._advice(fraud_type, risk),
            components={"rules": score, "model": None, "fused": score}
            | ({"truncated": 1.0} if prepared.truncated else {}),
        )

    def _advice(self, fraud_type: str | None, risk: RiskLevel) -> list[str]:
        keys: list[str] = []
        if fraud_type is not None and fraud_type in self.knowledge.fraud_types:
            keys.extend(self.knowledge.fraud_types[fraud_type].advice)
        if risk in (RiskLevel.HIGH, RiskLevel.MEDIUM):
            keys.extend(key for key in ("stop_no_transfer", "call_96110") if key not in keys)
        return [key for key in keys if key in self.knowledge.advice]


@dataclass(frozen=True)
class _Prepared:
    norm: NormalizedText
    entities: list[Entity]
    hits: list[RuleHit]
    truncated: bool


def _rule_evidence(hit: RuleHit, norm: NormalizedText) -> Evidence:
    span = norm.to_original(*hit.span) if hit.span is not None else None
    return Evidence(
        kind=hit.kind,
        source=f"rule:{hit.rule_id}",
        explanation=hit.explanation,
        weight=hit.weight,
        fraud_type=hit.types[0] if len(hit.types) == 1 else None,
        span=span,
        quote=norm.original[span[0] : span[1]] if span else None,
    )


def _strongest_type(
    rule_type: str | None, rule_score: float, indicators: Sequence[Evidence]
) -> str | None:
    """The rules' type, unless an indicator that names a type is stronger evidence
    (a link imitating a bank, a blocklist entry filed under a type)."""
    typed = [item for item in indicators if item.fraud_type]
    strongest = max(typed, key=lambda item: item.weight, default=None)
    if strongest is not None and (rule_type is None or strongest.weight > rule_score):
        return strongest.fraud_type
    return rule_type


@lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    """The process-wide analyzer with the bundled knowledge and no injected lookups."""
    return Analyzer()


async def analyze(submission: Submission, *, analyzer: Analyzer | None = None) -> Verdict:
    """Analyse one submission with the given (or the default) analyzer."""
    return await (analyzer or default_analyzer()).analyze(submission)


async def analyze_batch(
    submissions: Sequence[Submission], *, analyzer: Analyzer | None = None
) -> list[Verdict]:
    """Analyse several submissions with the given (or the default) analyzer."""
    return await (analyzer or default_analyzer()).analyze_batch(submissions)
