"""Fusion: one calibrated probability from the rules, the indicators, the encoder and the
n-gram model, fitted on the validation split; risk thresholds chosen there too.

The fused probability is then mapped piecewise-linearly so that the thresholds chosen on
validation land on the fixed score levels the rest of the code uses (0.25 / 0.5 / 0.75):
a verdict's score means the same thing with or without the model.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np

FEATURES = ("rules", "indicators", "model_logit", "ngram_logit")
LEVELS = (0.25, 0.5, 0.75)
_CLIP = 1e-4


def _logit(p: float) -> float:
    p = min(1 - _CLIP, max(_CLIP, p))
    return math.log(p / (1 - p))


def features(rules: float, indicators: float, model: float, ngram: float) -> list[float]:
    """The fusion's inputs for one message."""
    return [rules, indicators, _logit(model), _logit(ngram)]


@dataclass(frozen=True)
class Fusion:
    """Logistic-regression weights and the calibrated thresholds (low, medium, high)."""

    coef: tuple[float, ...]
    intercept: float
    thresholds: tuple[float, float, float]

    def probability(self, values: Sequence[float]) -> float:
        """The fused P(fraud) before calibration to score levels."""
        z = self.intercept + sum(w * x for w, x in zip(self.coef, values, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def score(self, values: Sequence[float], floor: float) -> float:
        """The verdict score: fused probability mapped onto the fixed levels, never below
        ``floor`` (the rules-and-indicators score: a blocklisted account, a fake bank
        domain or a decisive red flag is not talked down by lukewarm models)."""
        return max(self.calibrate(self.probability(values)), floor)

    def calibrate(self, probability: float) -> float:
        """Piecewise-linear map sending the thresholds to 0.25 / 0.5 / 0.75."""
        xs = (0.0, *self.thresholds, 1.0)
        ys = (0.0, *LEVELS, 1.0)
        return float(np.interp(probability, xs, ys))

    def to_json(self) -> dict[str, object]:
        """Stored in model.json."""
        return {"features": list(FEATURES), **asdict(self)}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Fusion:
        """Read back what ``to_json`` wrote."""
        coef = data["coef"]
        thresholds = data["thresholds"]
        if not isinstance(coef, Sequence) or not isinstance(thresholds, Sequence):
            raise ValueError("fusion weights must be lists")
        low, medium, high = (float(value) for value in thresholds)
        weights = tuple(float(w) for w in coef)
        return cls(weights, float(str(data["intercept"])), (low, medium, high))


def choose_thresholds(
    probabilities: Sequence[float],
    labels: Sequence[bool],
    files: Sequence[str],
    *,
    floors: Sequence[float] | None = None,
    max_fpr: float = 0.005,
    high_precision: float = 0.995,
) -> tuple[float, float, float]:
    """Medium: best F1 with every file's false-positive rate ≤ ``max_fpr``; high: the
    lowest threshold ≥ medium with precision ≥ ``high_precision``; low: half of medium.
    Rows whose floor reaches a level count as flagged at that level whatever the threshold."""
    p = np.asarray(probabilities)
    y = np.asarray(labels, dtype=bool)
    f = np.asarray(files)
    floor = np.asarray(floors if floors is not None else np.zeros(len(p)))
    medium_floor, high_floor = floor >= LEVELS[1], floor >= LEVELS[2]
    candidates = np.unique(np.clip(np.concatenate([p, np.linspace(0.05, 0.95, 91)]), 0.02, 0.98))
    best_f1, medium = -1.0, 0.5
    for threshold in candidates:
        flagged = (p >= threshold) | medium_floor
        normal_rows = [(f == name) & ~y for name in set(files)]
        worst_fpr = max(float(flagged[rows].mean()) for rows in normal_rows if rows.any())
        if worst_fpr > max_fpr:
            continue
        tp = float((flagged & y).sum())
        f1 = 2 * tp / max(1.0, float(flagged.sum() + y.sum()))
        if f1 > best_f1:
            best_f1, medium = f1, float(threshold)
    high = medium
    for threshold in sorted(c for c in candidates if c >= medium):
        flagged = (p >= threshold) | high_floor
        if flagged.sum() and float((flagged & y).sum() / flagged.sum()) >= high_precision:
            high = float(threshold)
            break
    high = max(high, medium + 0.01)
    return (medium / 2, medium, min(high, 0.99))


def fit_fusion(
    rows: Sequence[Sequence[float]],
    labels: Sequence[bool],
    files: Sequence[str],
    seed: int,
    *,
    floors: Sequence[float] | None = None,
    max_fpr: float = 0.005,
    high_precision: float = 0.995,
) -> Fusion:
    """Fit the weights and choose the thresholds on (validation) rows of ``features``."""
    from sklearn.linear_model import LogisticRegression

    regression = LogisticRegression(C=1.0, max_iter=2000, random_state=seed)
    regression.fit(np.asarray(rows), np.asarray(labels, dtype=bool))
    coef = tuple(float(w) for w in regression.coef_[0])
    intercept = float(regression.intercept_[0])
    provisional = Fusion(coef, intercept, (0.25, 0.5, 0.75))
    probabilities = [provisional.probability(row) for row in rows]
    thresholds = choose_thresholds(
        probabilities,
        labels,
        files,
        floors=floors,
        max_fpr=max_fpr,
        high_precision=high_precision,
    )
    return Fusion(coef, intercept, thresholds)
