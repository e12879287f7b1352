"""Red-flag matching: every phrase of the knowledge base in one Aho-Corasick automaton, plus
the few regular expressions, plus co-occurrence combos.

Matching runs on the normalised text (Simplified, half-width, lower-case, CJK spacing
removed), so the phrases in the YAML files are written in that form too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from classifier.verdict import EvidenceKind
from knowledge import BenignFlag, Knowledge, RedFlag

# Words that turn a clause into a denial or a warning ("公检法不会让你把现金交给上门人员",
# "谨防骗子上门取现", "如有人以HR名义要求提供银行卡密码，请报告"). A red flag marked
# ``plain_clause`` matches only in a clause (between punctuation marks) without any of them.
# Hand-written: no library tells warnings apart.
_WARNING_WORDS = (
    "不会|不可能|从不|从来不|绝不|决不|并不|没有人|不存在|谨防|警惕|提防|切勿|千万不要|千万别|"
    "不要把|别把|不要将|不要相信|不要轻信|勿将|勿把|是诈骗|都是骗|骗子|诈骗分子|犯罪分子|嫌疑人|"
    "如有人|若有人|如果有人|一旦有人|如对方|若对方"
)
_CLAUSE_BREAK = r"[,.。!?;\n]"
_IN_CLAUSE = r"[^,.。!?;\n]"
_PLAIN_CLAUSE_START = rf"(?:^|{_CLAUSE_BREAK})(?!{_IN_CLAUSE}*(?:{_WARNING_WORDS})){_IN_CLAUSE}*?"


def _plain_clause(flag: RedFlag | BenignFlag) -> bool:
    return isinstance(flag, RedFlag) and flag.plain_clause


def compile_flag(flag: RedFlag | BenignFlag) -> re.Pattern[str] | None:
    """The flag's regex, compiled; confined to a plain clause when the flag asks for it, its
    phrases then joining the regex (the phrase automaton cannot see the clause)."""
    if not _plain_clause(flag):
        return re.compile(flag.regex) if flag.regex is not None else None
    options = [flag.regex] if flag.regex is not None else []
    options += [re.escape(phrase) for phrase in flag.phrases]
    return re.compile(f"{_PLAIN_CLAUSE_START}(?P<flag>{'|'.join(options)})")


@dataclass(frozen=True)
class RuleHit:
    """A red flag, combo or benign flag that matched, with its first span (normalised text)."""

    rule_id: str
    kind: EvidenceKind
    weight: float
    types: tuple[str, ...]
    explanation: str
    span: tuple[int, int] | None


class RuleEngine:
    """Matches all red flags of a knowledge base against normalised text, in linear time."""

    def __init__(self, knowledge: Knowledge) -> None:
        self._knowledge = knowledge
        flags: list[RedFlag | BenignFlag] = [*knowledge.red_flags, *knowledge.benign_flags.values()]
        self._benign = frozenset(knowledge.benign_flags)
        self._automaton = ahocorasick.Automaton()
        by_phrase: dict[str, list[str]] = {}
        self._regexes: list[tuple[str, re.Pattern[str]]] = []
        for flag in flags:
            for phrase in () if _plain_clause(flag) else flag.phrases:
                by_phrase.setdefault(phrase, []).append(flag.id)
            pattern = compile_flag(flag)
            if pattern is not None:
                self._regexes.append((flag.id, pattern))
        for phrase, ids in by_phrase.items():
            self._automaton.add_word(phrase, (len(phrase), tuple(ids)))
        if by_phrase:
            self._automaton.make_automaton()
        self._has_phrases = bool(by_phrase)
        self._combos = list(knowledge.combos)

    def match(self, text: str) -> list[RuleHit]:
        """Every rule that matches ``text``, each once, at its first occurrence."""
        first: dict[str, tuple[int, int]] = {}
        if self._has_phrases:
            for end, (length, ids) in self._automaton.iter(text):
                for flag_id in ids:
                    start = end - length + 1
                    if flag_id not in first or start < first[flag_id][0]:
                        first[flag_id] = (start, end + 1)
        for flag_id, pattern in self._regexes:
            if flag_id in first:
                continue
            found = pattern.search(text)
            if found is not None and found.end() > found.start():
                # A plain-clause match starts at its clause: the flag's own words are the group.
                first[flag_id] = found.span("flag" if "flag" in pattern.groupindex else 0)
        hits = [self._hit(flag_id, span) for flag_id, span in first.items()]
        matched = set(first)
        for combo in self._combos:
            if matched.issuperset(combo.all):
                hits.append(
                    RuleHit(
                        rule_id=combo.id,
                        kind=EvidenceKind.COMBO,
                        weight=combo.weight,
                        types=self._knowledge.flag_types(combo.id),
                        explanation=combo.explain,
                        span=None,
                    )
                )
        hits.sort(key=lambda hit: (hit.span or (len(text), 0), hit.rule_id))
        return hits

    def _hit(self, flag_id: str, span: tuple[int, int]) -> RuleHit:
        flag = self._knowledge.flag(flag_id)
        benign = flag_id in self._benign
        return RuleHit(
            rule_id=flag_id,
            kind=EvidenceKind.BENIGN if benign else EvidenceKind.RULE,
            weight=flag.weight,
            types=() if benign else self._knowledge.flag_types(flag_id),
            explanation=flag.explain,
            span=span,
        )


def noisy_or(weights: Iterable[float]) -> float:
    """Combine independent pieces of evidence: 1 - Π(1 - w)."""
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - min(max(weight, 0.0), 1.0)
    return 1.0 - remaining


@dataclass(frozen=True)
class RuleScore:
    """The rules' score, the type it points to, and each type's own score."""

    score: float
    fraud_type: str | None
    by_type: dict[str, float]


def score_hits(hits: Iterable[RuleHit]) -> RuleScore:
    """Score rule hits: per fraud type, a noisy-OR of the flags supporting it plus the
    untyped common flags; the best type wins; benign counter-evidence scales it down.

    Taking the best type (instead of pooling every flag) keeps weak words of unrelated types
    (客服, 贷款, 中奖 in one long advert) from adding up to a false alarm.
    """
    typed: dict[str, list[float]] = {}
    generic: list[float] = []
    damping = 1.0
    for hit in hits:
        if hit.kind is EvidenceKind.BENIGN:
            damping *= 1.0 + hit.weight
            continue
        if not hit.types:
            generic.append(hit.weight)
        for fraud_type in hit.types:
            typed.setdefault(fraud_type, []).append(hit.weight)
    by_type = {key: noisy_or([*weights, *generic]) for key, weights in typed.items()}
    best_type = max(by_type, key=lambda key: (by_type[key], key), default=None)
    raw = by_type[best_type] if best_type is not None else noisy_or(generic)
    return RuleScore(score=raw * damping, fraud_type=best_type, by_type=by_type)
