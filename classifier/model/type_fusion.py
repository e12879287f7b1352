"""The learned type fusion: which fraud type a flagged message is, from both learned
components' type distributions and the rules' score for every type.

A multinomial logistic regression, fitted by the fusion stage on validation's typed fraud
rows and the typed scams of the held-out independent parts. It replaces a hand-tuned mix:
the n-gram model names the types of the data's templated texts best, the encoder those of
chats and stories, and the rules the types the heads never learned (中奖, 杀猪盘, 两卡, …).
The regression learns when to trust which from the evidence itself; the n-gram's log
probabilities also enter scaled by its top probability, so a sure n-gram can count for
more than an unsure one (a product no linear model forms by itself).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from classifier.model.fusion import TypeDistribution

TYPE_FUSION_FILE = "type_fusion.npz"
_FLOOR = 1e-4  # added to every probability before the log (a zero stays finite)


@dataclass(frozen=True)
class TypeEvidence:
    """What names the type of one message: the encoder's and the n-gram model's
    P(type | fraud) and the rules' score for each type they have evidence for."""

    encoder: TypeDistribution
    ngram: TypeDistribution
    rules: Mapping[str, float]


@dataclass(frozen=True)
class TypeFusion:
    """The fitted regression: one weight row and intercept per fraud type it can name."""

    encoder_types: tuple[str, ...]
    ngram_types: tuple[str, ...]
    rule_types: tuple[str, ...]
    classes: tuple[str, ...]
    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]

    def features(self, evidence: TypeEvidence) -> list[float]:
        """The regression's inputs for one message."""
        return type_features(evidence, self.encoder_types, self.ngram_types, self.rule_types)

    def predict(self, evidence: TypeEvidence) -> str:
        """The most likely fraud type."""
        return self.predict_many([evidence])[0]

    def predict_many(self, evidence: Sequence[TypeEvidence]) -> list[str]:
        """The most likely fraud type of each message."""
        coef, intercept = self._arrays
        x = np.array([self.features(item) for item in evidence], dtype=np.float64)
        z = x @ coef.T + intercept
        return [self.classes[int(index)] for index in z.argmax(axis=1)]

    @cached_property
    def _arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The weights as arrays, built once (``predict`` runs on every flagged message)."""
        return np.array(self.coef, dtype=np.float64), np.array(self.intercept, dtype=np.float64)

    def save(self, path: Path) -> None:
        """Write the names and weights (numpy arrays, no pickle)."""
        np.savez_compressed(
            path,
            encoder_types=np.array(self.encoder_types),
            ngram_types=np.array(self.ngram_types),
            rule_types=np.array(self.rule_types),
            classes=np.array(self.classes),
            coef=np.array(self.coef, dtype=np.float32),
            intercept=np.array(self.intercept, dtype=np.float32),
        )

    @classmethod
    def load(cls, path: Path) -> TypeFusion:
        """Read back what ``save`` wrote."""
        with np.load(path, allow_pickle=False) as data:

            def names(key: str) -> tuple[str, ...]:
                return tuple(str(name) for name in data[key])

            fusion = cls(
                names("encoder_types"),
                names("ngram_types"),
                names("rule_types"),
                names("classes"),
                tuple(tuple(float(w) for w in row) for row in data["coef"]),
                tuple(float(b) for b in data["intercept"]),
            )
        width = len(fusion.encoder_types) + 2 * len(fusion.ngram_types) + len(fusion.rule_types)
        if len(fusion.coef) != len(fusion.classes) or any(len(r) != width for r in fusion.coef):
            raise ValueError(f"{path}: the weights do not match the type names")
        return fusion


def type_features(
    evidence: TypeEvidence,
    encoder_types: Sequence[str],
    ngram_types: Sequence[str],
    rule_types: Sequence[str],
) -> list[float]:
    """Log type probabilities of both components, the n-gram's again scaled by its top
    probability, and the rules' per-type scores (0 where they have none)."""
    encoder = [math.log(evidence.encoder.get(name, 0.0) + _FLOOR) for name in encoder_types]
    ngram = [math.log(evidence.ngram.get(name, 0.0) + _FLOOR) for name in ngram_types]
    sure = max(evidence.ngram.values(), default=0.0)
    rules = [evidence.rules.get(name, 0.0) for name in rule_types]
    return [*encoder, *ngram, *(sure * value for value in ngram), *rules]


def fit_type_fusion(
    evidence: Sequence[TypeEvidence],
    truth: Sequence[str],
    weights: Sequence[float],
    rule_types: Sequence[str],
    c: float,
) -> TypeFusion | None:
    """Fit the regression on typed fraud rows (``truth`` their fraud-type keys), each row
    weighted; None when the rows hold fewer than two types (a smoke run)."""
    from sklearn.linear_model import LogisticRegression

    if len(set(truth)) < 2:
        return None
    encoder_types = tuple(sorted({name for item in evidence for name in item.encoder}))
    ngram_types = tuple(sorted({name for item in evidence for name in item.ngram}))
    x = np.array(
        [type_features(item, encoder_types, ngram_types, rule_types) for item in evidence],
        dtype=np.float64,
    )
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit(x, np.array(truth), sample_weight=np.array(weights, dtype=np.float64))
    coef, intercept = model.coef_, model.intercept_
    if coef.shape[0] == 1:  # two types: sklearn keeps one row; argmax needs both
        coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
    return TypeFusion(
        encoder_types,
        ngram_types,
        tuple(rule_types),
        tuple(str(name) for name in model.classes_),
        tuple(tuple(float(w) for w in row) for row in coef),
        tuple(float(b) for b in intercept),
    )


def cross_validated_types(
    evidence: Sequence[TypeEvidence],
    truth: Sequence[str],
    weights: Sequence[float],
    rule_types: Sequence[str],
    c: float,
    seed: int,
    strata: Sequence[str] | None = None,
    folds: int = 5,
) -> list[str | None]:
    """Every row's type as named by a regression fitted on the other folds. Folds are
    stratified by ``strata`` (default: the type; the fusion stage passes source and type,
    so every fold keeps valid's mix with the held-out scams), strata with fewer rows than
    folds pooled into one; None where a fold's fit had too few types."""
    from sklearn.model_selection import StratifiedKFold

    labels = list(strata) if strata is not None else list(truth)
    sizes = Counter(labels)
    common = sizes.most_common(1)[0][0] if sizes else ""
    rare = sum(size for size in sizes.values() if size < folds)
    spare = "" if rare >= folds else common  # too few rare rows for a stratum of their own
    pooled = np.array([label if sizes[label] >= folds else spare for label in labels])
    named: list[str | None] = [None] * len(truth)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train, held in splitter.split(np.zeros(len(pooled)), pooled):
        fitted = fit_type_fusion(
            [evidence[i] for i in train],
            [truth[i] for i in train],
            [weights[i] for i in train],
            rule_types,
            c,
        )
        if fitted is not None:
            for i, name in zip(held, fitted.predict_many([evidence[i] for i in held]), strict=True):
                named[i] = name
    return named
