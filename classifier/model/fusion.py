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
TYPE_WEIGHT_GRID = tuple(tenth / 10 for tenth in range(11))
_CLIP = 1e-4


def _logit(p: float) -> float:
    p = min(1 - _CLIP, max(_CLIP, p))
    return math.log(p / (1 - p))


# A floor under the benign damping, so that its log stays finite (ten flags of -0.5 reach it).
_MIN_DAMPING = 1e-3
_BENIGN_INPUTS = 5  # rules, indicators, encoder, n-gram, benign damping


def features(
    rules: float, indicators: float, model: float, ngram: float, damping: float | None = None
) -> list[float]:
    """The fusion's inputs for one message. With ``damping`` (the factor the rules' benign
    flags scaled the rules' score by: a warning, a refusal, an official notice's wording),
    its log as a fifth input, so that counter-evidence can outweigh sure learned components,
    which read a warning about a scam as the scam."""
    values = [rules, indicators, _logit(model), _logit(ngram)]
    if damping is not None:
        values.append(math.log(max(_MIN_DAMPING, damping)))
    return values


@dataclass(frozen=True)
class Fusion:
    """Logistic-regression weights and the calibrated thresholds (low, medium, high)."""

    coef: tuple[float, ...]
    intercept: float
    thresholds: tuple[float, float, float]
    # The weight of the encoder's type probabilities against the n-gram model's
    # (``combine_types``), chosen on validation; 0 means the n-gram model names the type.
    type_encoder_weight: float = 0.0

    @property
    def benign_input(self) -> bool:
        """Whether the rules' benign damping is an input (``features`` with ``damping``)."""
        return len(self.coef) == _BENIGN_INPUTS

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
        type_weight = float(str(data.get("type_encoder_weight", 0.0)))
        return cls(weights, float(str(data["intercept"])), (low, medium, high), type_weight)


TypeDistribution = Mapping[str, float]
"""P(type | fraud) by fraud-type key, as one learned component sees a message."""


def combine_types(
    encoder: TypeDistribution, ngram: TypeDistribution | None, encoder_weight: float
) -> str | None:
    """The most likely fraud type under a weighted average of the two components' type
    distributions (a component without a distribution contributes nothing)."""
    if not ngram:
        encoder_weight = 1.0
    combined: dict[str, float] = {}
    for distribution, weight in ((encoder, encoder_weight), (ngram or {}, 1.0 - encoder_weight)):
        for name, probability in distribution.items():
            combined[name] = combined.get(name, 0.0) + weight * probability
    return max(combined, key=combined.__getitem__) if combined else None


TypedRow = tuple[TypeDistribution, TypeDistribution, str]
"""One labelled fraud row: the encoder's and the n-gram model's distributions, the truth."""


def type_accuracy(rows: Sequence[TypedRow], encoder_weight: float) -> float:
    """The share of ``rows`` that ``combine_types`` names right at this weight."""
    right = sum(combine_types(e, n, encoder_weight) == truth for e, n, truth in rows)
    return right / max(1, len(rows))


def choose_type_weight(
    encoder: Sequence[TypeDistribution],
    ngram: Sequence[TypeDistribution],
    expected: Sequence[str],
    grid: Sequence[float] = TYPE_WEIGHT_GRID,
) -> tuple[float, float]:
    """The encoder weight of ``combine_types`` with the best type accuracy on labelled
    (validation) fraud rows, the smallest one on ties; returns (weight, accuracy)."""
    rows = list(zip(encoder, ngram, expected, strict=True))
    best_weight, best_accuracy = 0.0, -1.0
    for weight in grid:
        accuracy = type_accuracy(rows, weight)
        if accuracy > best_accuracy:
            best_weight, best_accuracy = weight, accuracy
    return best_weight, best_accuracy


def _normal_rows(files: np.ndarray, labels: np.ndarray, names: Sequence[str]) -> list[np.ndarray]:
    """One mask of normal rows per file that has any."""
    masks = [(files == name) & ~labels for name in names]
    return [mask for mask in masks if mask.any()]


def _best_medium(
    p: np.ndarray,
    y: np.ndarray,
    normal_rows: Sequence[np.ndarray],
    forced: np.ndarray,
    candidates: np.ndarray,
    max_fpr: float,
) -> float:
    """The candidate with the best F1 among those keeping every file's FPR ≤ ``max_fpr``
    (the lowest such candidate on ties; 0.5 if none does)."""
    flagged = (p[None, :] >= candidates[:, None]) | forced[None, :]  # candidates × rows
    worst_fpr = np.max([flagged[:, rows].mean(axis=1) for rows in normal_rows], axis=0)
    tp = (flagged & y[None, :]).sum(axis=1)
    f1 = 2 * tp / np.maximum(1, flagged.sum(axis=1) + y.sum())
    f1[worst_fpr > max_fpr] = -1.0
    return float(candidates[int(np.argmax(f1))]) if f1.max() >= 0 else 0.5


def choose_thresholds(
    probabilities: Sequence[float],
    labels: Sequence[bool],
    files: Sequence[str],
    *,
    floors: Sequence[float] | None = None,
    max_fpr: float = 0.005,
    high_precision: float = 0.995,
    resamples: int = 0,
    seed: int = 0,
) -> tuple[float, float, float]:
    """Medium: best F1 with every file's false-positive rate ≤ ``max_fpr``; high: the
    lowest threshold ≥ medium with precision ≥ ``high_precision``; low: half of medium.
    Rows whose floor reaches a level count as flagged at that level whatever the threshold.

    On a few hundred normal rows per file the budget allows two or three false alarms, so
    the best threshold can jump with a single row. With ``resamples`` the medium threshold
    is instead the median of the best thresholds over that many bootstrap resamples of the
    rows (drawn within each file): the threshold the data supports, not one row's.
    """
    p = np.asarray(probabilities, dtype=float)
    y = np.asarray(labels, dtype=bool)
    f = np.asarray(files)
    floor = np.asarray(floors if floors is not None else np.zeros(len(p)))
    medium_floor, high_floor = floor >= LEVELS[1], floor >= LEVELS[2]
    names = sorted(set(files))
    candidates = np.unique(np.clip(np.concatenate([p, np.linspace(0.05, 0.95, 91)]), 0.02, 0.98))
    if resamples:
        rng = np.random.default_rng(seed)
        members = [np.flatnonzero(f == name) for name in names]
        grid = np.linspace(0.02, 0.98, 193)
        best = []
        for _ in range(resamples):
            rows = np.concatenate([rng.choice(indices, len(indices)) for indices in members])
            normal = _normal_rows(f[rows], y[rows], names)
            best.append(_best_medium(p[rows], y[rows], normal, medium_floor[rows], grid, max_fpr))
        medium = float(np.median(best))
    else:
        medium = _best_medium(p, y, _normal_rows(f, y, names), medium_floor, candidates, max_fpr)
    high = medium
    for threshold in sorted(c for c in candidates if c >= medium):
        flagged = (p >= threshold) | high_floor
        if flagged.sum() and float((flagged & y).sum() / flagged.sum()) >= high_precision:
            high = float(threshold)
            break
    high = max(high, medium + 0.01)
    return (medium / 2, medium, min(high, 0.99))


@dataclass(frozen=True)
class ExtraRows:
    """Labelled rows from outside the validation split that join the fusion's regression
    (not the choice of thresholds), each with ``weight`` against 1 for a validation row."""

    rows: Sequence[Sequence[float]] = ()
    labels: Sequence[bool] = ()
    weight: float = 0.0


def fit_fusion(
    rows: Sequence[Sequence[float]],
    labels: Sequence[bool],
    files: Sequence[str],
    seed: int,
    *,
    floors: Sequence[float] | None = None,
    extra: ExtraRows = ExtraRows(),
    max_fpr: float = 0.005,
    high_precision: float = 0.995,
    resamples: int = 0,
) -> Fusion:
    """Fit the weights on (validation) rows of ``features`` and on ``extra``; choose the
    thresholds on the validation rows alone (``resamples``: see ``choose_thresholds``)."""
    from sklearn.linear_model import LogisticRegression

    extra_rows, extra_labels = (extra.rows, extra.labels) if extra.weight > 0 else ((), ())
    x = np.asarray([*rows, *extra_rows], dtype=float)
    y = np.asarray([*labels, *extra_labels], dtype=bool)
    weights = np.concatenate([np.ones(len(rows)), np.full(len(extra_rows), extra.weight)])
    regression = LogisticRegression(C=1.0, max_iter=2000, random_state=seed)
    regression.fit(x, y, sample_weight=weights)
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
        resamples=resamples,
        seed=seed,
    )
    return Fusion(coef, intercept, thresholds)


def cross_validated_f1(
    rows: Sequence[Sequence[float]],
    labels: Sequence[bool],
    files: Sequence[str],
    seed: int,
    *,
    floors: Sequence[float],
    repeats: int,
    extra: ExtraRows = ExtraRows(),
    max_fpr: float = 0.005,
    high_precision: float = 0.995,
    resamples: int = 0,
) -> dict[str, float]:
    """Mean fused F1 at the medium level, per file with fraud rows and pooled, when the
    fusion (weights and thresholds) is fitted on one half of the rows and scored on the
    other: ``repeats`` random halvings within each file and class, both halves scored
    (``extra`` always joins the regression).

    Fitted and scored on the same rows, the F1 moves by several rows with the threshold
    alone (on valid, 0.952-0.966 on fbs_sms for n-gram models this estimate cannot tell
    apart), so candidate models are compared on this instead. Empty when a file and class
    has fewer than four rows: too few to halve."""
    x = np.asarray(rows, dtype=float)
    y = np.asarray(labels, dtype=bool)
    f = np.asarray(files)
    floor = np.asarray(floors, dtype=float)
    strata = [
        np.flatnonzero((f == name) & (y == label))
        for name in sorted(set(files))
        for label in (True, False)
    ]
    strata = [members for members in strata if len(members)]
    if repeats <= 0 or min((len(members) for members in strata), default=0) < 4:
        return {}
    rng = np.random.default_rng(seed)
    scores: dict[str, list[float]] = {}
    for _ in range(repeats):
        first = np.zeros(len(y), dtype=bool)
        for members in strata:
            first[rng.permutation(members)[: len(members) // 2]] = True
        for fit_rows, test_rows in ((first, ~first), (~first, first)):
            fusion = fit_fusion(
                x[fit_rows].tolist(),
                y[fit_rows].tolist(),
                f[fit_rows].tolist(),
                seed,
                floors=floor[fit_rows].tolist(),
                extra=extra,
                max_fpr=max_fpr,
                high_precision=high_precision,
                resamples=resamples,
            )
            flagged = np.array(
                [
                    fusion.score(values, low) >= LEVELS[1]
                    for values, low in zip(x[test_rows], floor[test_rows], strict=True)
                ]
            )
            truth, names = y[test_rows], f[test_rows]
            for name in [*sorted(set(names[truth])), "pooled"]:
                mask = np.ones(len(truth), dtype=bool) if name == "pooled" else names == name
                hits = int((flagged & truth & mask).sum())
                denominator = int((flagged & mask).sum() + (truth & mask).sum())
                scores.setdefault(name, []).append(2 * hits / max(1, denominator))
    return {name: float(np.mean(values)) for name, values in scores.items()}
