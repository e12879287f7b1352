"""The analysis pipeline: normalise → extract → rules + lookups → (model) → fuse → Verdict."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from classifier.domains import DomainChecker
from classifier.entities import Entity, EntityKind
from classifier.extract import extract
from classifier.links import LinkInspector, TextScore, link_evidence
from classifier.lookups import (
    Blocklist,
    blocklist_evidence,
    callback_evidence,
    entity_evidence,
    signed_link_evidence,
)
from classifier.model.fusion import Fusion, features
from classifier.model.type_fusion import TypeEvidence
from classifier.normalize import NormalizedText, normalize
from classifier.payments import payment_request
from classifier.rules import RuleEngine, RuleHit, RuleScore, called_fake, noisy_or, score_hits
from classifier.verdict import Evidence, EvidenceKind, RiskLevel, Submission, Verdict
from knowledge import Knowledge, load_knowledge

if TYPE_CHECKING:  # the model pulls in torch: imported only where it is loaded
    from classifier.model.bundle import ModelBundle, ModelScores

# Longer input is cut before analysis: scams state their business early, and this bounds
# the time one message can take. The cut is reported in the verdict's components.
MAX_ANALYSED_CHARS = 20_000
# High risk says "很可能是诈骗" and should rest on something the resident can see in their
# own message. When the rules and indicators together stay under this score (at most words
# that genuine messages use too), a high fused score comes from the learned components
# alone, and then the verdict is medium: it still warns. Measured (docs/EVALUATION.md, "High
# risk needs a red flag"): such verdicts were scams for 90 of 91 on the data's valid split,
# but for 496 of 755 on the read independent parts and 22 of 52 on four parts scored before
# any change for them; half of the rest are genuine calls written down.
UNCORROBORATED = 0.1


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


class Signals(NamedTuple):
    """What the rules and the indicators say about one message, for fitting the fusions."""

    rules: float
    indicators: float
    rule_types: dict[str, float]
    damping: float = 1.0  # the factor the rules' benign flags scaled ``rules`` by


# What a domain finding still weighs when the message itself calls that link fake: a warning
# that quotes a lookalike ("网址是 yb-gov.cc，是假的") is not a message that sends you there.
# The finding stays in the evidence, so the user still sees which link imitates whom.
_CALLED_FAKE_FACTOR = 0.25


def _weaken_if_called_fake(item: Evidence, norm: NormalizedText) -> Evidence:
    """``item`` with a quarter of its weight when it is a domain finding whose link the
    message calls fake in the same sentence (``classifier.rules.called_fake``)."""
    if not item.source.startswith("domain:") or item.span is None:
        return item
    if not called_fake(norm.text, *norm.from_original(*item.span)):
        return item
    return replace(item, weight=item.weight * _CALLED_FAKE_FACTOR)


class Analyzer:
    """Holds the loaded knowledge and matchers; one per process, safe to share."""

    def __init__(
        self,
        knowledge: Knowledge | None = None,
        *,
        blocklist: Blocklist | None = None,
        thresholds: Thresholds | None = None,
        links: LinkInspector | None = None,
        model: ModelBundle | None = None,
    ) -> None:
        self.knowledge = knowledge if knowledge is not None else load_knowledge()
        self.blocklist = blocklist
        self.links = links
        self.model = model
        self.thresholds = thresholds or Thresholds()
        self._rules = RuleEngine(self.knowledge)
        self._domains = DomainChecker(self.knowledge)

    async def analyze(self, submission: Submission) -> Verdict:
        """Analyse one submission."""
        return (await self.analyze_batch([submission]))[0]

    async def analyze_batch(self, submissions: Sequence[Submission]) -> list[Verdict]:
        """Analyse several submissions (lookups and the model run concurrently).

        The model does not start before the rules: tried on batches of 32 ~100-character
        messages, a third busy thread beside torch's two made them ~5 % slower."""
        prepared = [self._prepare(item) for item in submissions]
        lookups, scores = await asyncio.gather(
            asyncio.gather(
                *(self._lookups(sub, item) for sub, item in zip(submissions, prepared, strict=True))
            ),
            self._model_scores(prepared),
        )
        return [
            self._verdict(item, found, score)
            for item, found, score in zip(prepared, lookups, scores, strict=True)
        ]

    def analyze_offline(self, submission: Submission) -> Verdict:
        """Synchronous analysis without the injected lookups (rules, entities, domains,
        and the model when one is loaded)."""
        prepared = self._prepare(submission)
        scores = self.model.score([prepared.model_input]) if self.model else [None]
        return self._verdict(prepared, [], scores[0])

    def signals(self, submission: Submission) -> Signals:
        """The rules' and the indicators' scores of a submission (no injected lookups) and
        the rules' score for each fraud type: the non-model inputs of the two fusions, for
        fitting them."""
        prepared = self._prepare(submission)
        indicators = self._indicator_evidence(prepared)
        rules = score_hits(prepared.hits)
        return Signals(
            rules.score,
            noisy_or([item.weight for item in indicators]),
            rules.by_type,
            rules.damping,
        )

    def _indicator_evidence(self, prepared: _Prepared) -> list[Evidence]:
        """What the extracted indicators say by themselves (no injected lookups)."""
        organisations = self.knowledge.organisations
        evidence = [
            *entity_evidence(prepared.entities, self._domains, organisations),
            *callback_evidence(prepared.norm, prepared.entities, organisations),
            *signed_link_evidence(
                prepared.norm.text, prepared.entities, self._domains, organisations
            ),
        ]
        return [_weaken_if_called_fake(item, prepared.norm) for item in evidence]

    async def _model_scores(self, prepared: Sequence[_Prepared]) -> Sequence[ModelScores | None]:
        if self.model is None:
            return [None] * len(prepared)
        return await self.model.score_async([item.model_input for item in prepared])

    async def _lookups(self, submission: Submission, prepared: _Prepared) -> list[Evidence]:
        """Blocklist and link evidence, gathered concurrently."""
        if self.links is None:
            return await blocklist_evidence(prepared.entities, self.blocklist)
        urls = [item.value for item in prepared.entities if item.kind is EntityKind.URL]
        found, opened = await asyncio.gather(
            blocklist_evidence(prepared.entities, self.blocklist),
            link_evidence([*urls, *submission.urls], self.links, self._score_page_text),
        )
        return [*found, *opened]

    def _score_page_text(self, text: str) -> TextScore:
        """The rule engine's opinion of a linked page's text (for ``link_evidence``)."""
        hits = self._rules.match(normalize(text[:MAX_ANALYSED_CHARS]).text)
        score = score_hits(hits)
        reasons = tuple(hit.explanation for hit in sorted(hits, key=lambda hit: -hit.weight))
        return TextScore(score.score, score.fraud_type, reasons[:3])

    def _prepare(self, submission: Submission) -> _Prepared:
        original = submission.combined_text()
        truncated = len(original) > MAX_ANALYSED_CHARS
        norm = normalize(original[:MAX_ANALYSED_CHARS])
        entities = extract(norm, bank_bins=self.knowledge.bank_bins)
        hits = self._rules.match(norm.text)
        return _Prepared(
            norm=norm,
            entities=entities,
            hits=hits,
            truncated=truncated,
            model_input=original[:MAX_ANALYSED_CHARS],
        )

    def _verdict(
        self, prepared: _Prepared, lookups: Sequence[Evidence], scores: ModelScores | None
    ) -> Verdict:
        norm = prepared.norm
        rule_score = score_hits(prepared.hits)
        evidence = [_rule_evidence(hit, norm) for hit in prepared.hits]
        indicator_evidence = [*self._indicator_evidence(prepared), *lookups]
        evidence.extend(indicator_evidence)
        # Indicators (a reported account, a fake bank domain) are facts about the message:
        # benign wording does not soften them, so they join after the rules' damping.
        indicators = noisy_or([item.weight for item in indicator_evidence])
        rules = noisy_or([rule_score.score, indicators])
        components: dict[str, float | None] = {"rules": rules, "model": None, "fused": rules}
        score = rules
        fraud_type = _strongest_type(rule_score.fraud_type, rule_score.score, indicator_evidence)
        if scores is not None:
            score = self._fused(rule_score, indicators, scores)
            components |= {"model": scores.model, "ngram": scores.ngram, "fused": score}
            evidence.extend(_model_evidence(scores))
            by_indicator = fraud_type != rule_score.fraud_type
            fraud_type = self._fused_type(fraud_type, rule_score, scores, score, by_indicator)
        risk = self.thresholds.level(score)
        if risk is RiskLevel.HIGH and scores is not None and rules < UNCORROBORATED:
            risk = RiskLevel.MEDIUM
        if (
            risk in (RiskLevel.SAFE, RiskLevel.LOW)
            and max(rule_score.score, scores.model if scores else 0.0) < self.thresholds.low
        ):
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
            components=components | ({"truncated": 1.0} if prepared.truncated else {}),
            payment=payment_request(norm, prepared.entities, self.knowledge),
        )

    def _fused(self, rules: RuleScore, indicators: float, scores: ModelScores) -> float:
        fusion: Fusion | None = self.model.fusion if self.model else None
        floor = noisy_or([rules.score, indicators])
        if fusion is None or scores.ngram is None:
            # A model directory without fitted fusion (a smoke run): trust the stronger.
            return max(floor, scores.model)
        damping = rules.damping if fusion.benign_input else None
        values = features(rules.score, indicators, scores.model, scores.ngram, damping)
        return fusion.score(values, floor)

    def _fused_type(
        self,
        rule_type: str | None,
        rules: RuleScore,
        scores: ModelScores,
        score: float,
        by_indicator: bool,
    ) -> str | None:
        """The type of a verdict with the model loaded.

        Where the rules are at medium risk or above and surer than the learned components
        that the message is fraud at all (a chat the models read as calm), the rules' type:
        a type head says P(type | fraud), and the rules' red flags are the verdict's quotes.
        Otherwise a flagged message's type is named by the learned type fusion when the
        model has one (classifier/model/type_fusion.py), unless a typed indicator (a
        lookalike bank link, a blocklist entry) outweighed the rules and named it. Without
        one, and below medium risk, by hand-written logic: the heads' type distributions
        combined (docs/MODEL_CARD.md, "Naming the type"), and the rules' type where the
        heads never saw it (中奖 scams, which the data files under 其他; chat scams such as
        杀猪盘) and the rules have some evidence for it, and then the rules' evidence for a
        type the heads never saw has the last word (``_unseen_rule_type``). The type fusion
        needs no such step: it learned all the types from outside scams, with the rules'
        evidence for each among its inputs (docs/EVALUATION.md, "The type fusion's answer
        without the unseen-type step")."""
        rule_strength = rules.score
        surer_than_heads = (
            rule_strength > scores.learned_support and rule_strength >= self.thresholds.medium
        )
        if rule_type is not None and surer_than_heads:
            return rule_type
        type_fusion = self.model.type_fusion if self.model else None
        if (
            type_fusion is not None
            and score >= self.thresholds.medium
            and not by_indicator
            and scores.encoder_types is not None
            and scores.ngram_types is not None
        ):
            evidence = TypeEvidence(scores.encoder_types, scores.ngram_types, rules.by_type)
            return type_fusion.predict(evidence)
        known = set(self.model.text_model.type_names) if self.model else set()
        # The heads cannot name a type they never saw, so their answer is a near miss at
        # best (a 杀猪盘 chat called 冒充熟人): low-risk rule evidence for such a type is
        # enough.
        unknown_to_heads = rule_type not in known and rule_strength >= self.thresholds.low
        if rule_type is not None and unknown_to_heads:
            return rule_type
        chosen = rule_type
        if scores.learned_type is not None and score >= self.thresholds.medium:
            chosen = scores.learned_type
        if chosen not in known:
            return chosen
        return self._unseen_rule_type(rules, chosen, known)

    def _unseen_rule_type(self, rules: RuleScore, chosen: str, known: set[str]) -> str:
        """Low-risk rule evidence for a type the heads never saw, at least as strong as the
        rules' evidence for the chosen type, names it: a 杀猪盘 story with a betting site
        that the heads call 冒充熟人 and the rules' best type calls 网络赌博. Otherwise the
        chosen type. Only where the type fusion does not name the type. ``known``: the
        types the heads learned."""
        unseen = {key: value for key, value in rules.by_type.items() if key not in known}
        best = max(unseen, key=lambda key: (unseen[key], key), default=None)
        if (
            best is not None
            and unseen[best] >= self.thresholds.low
            and unseen[best] >= rules.by_type.get(chosen, 0.0)
        ):
            return best
        return chosen

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
    model_input: str


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


def _model_evidence(scores: ModelScores) -> list[Evidence]:
    items = [
        Evidence(
            kind=EvidenceKind.MODEL,
            source="model:encoder",
            explanation=f"文本模型判断为诈骗的概率：{scores.model:.0%}",
            weight=scores.model,
            fraud_type=scores.fraud_type if scores.model >= 0.5 else None,
        )
    ]
    if scores.ngram is not None:
        items.append(
            Evidence(
                kind=EvidenceKind.MODEL,
                source="model:ngram",
                explanation=f"字符模型判断为诈骗的概率：{scores.ngram:.0%}",
                weight=scores.ngram,
            )
        )
    return items


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
