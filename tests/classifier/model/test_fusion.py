"""Fusion: calibration onto the fixed levels, thresholds chosen on validation."""

from __future__ import annotations

import pytest

from classifier.model.fusion import Fusion, choose_thresholds, features, fit_fusion


def test_calibration_sends_the_thresholds_to_the_fixed_levels() -> None:
    fusion = Fusion(coef=(1.0, 1.0, 1.0, 1.0), intercept=0.0, thresholds=(0.2, 0.4, 0.9))
    assert fusion.calibrate(0.2) == pytest.approx(0.25)
    assert fusion.calibrate(0.4) == pytest.approx(0.5)
    assert fusion.calibrate(0.9) == pytest.approx(0.75)
    assert fusion.calibrate(0.0) == 0.0 and fusion.calibrate(1.0) == 1.0


def test_a_strong_indicator_is_a_floor_no_wording_can_lower() -> None:
    fusion = Fusion(coef=(0.0, 0.0, 1.0, 1.0), intercept=-5.0, thresholds=(0.25, 0.5, 0.75))
    calm = features(rules=0.0, indicators=0.9, model=0.01, ngram=0.01)
    assert fusion.score(calm, floor=0.9) == pytest.approx(0.9)


def test_round_trip_through_json() -> None:
    fusion = Fusion(coef=(0.5, 1.5, 2.0, 1.0), intercept=-1.0, thresholds=(0.1, 0.3, 0.8))
    assert Fusion.from_json(fusion.to_json()) == fusion


def test_thresholds_respect_the_false_positive_budget_of_every_file() -> None:
    probabilities = [0.9, 0.8, 0.7, 0.6, 0.55, 0.1, 0.2, 0.3, 0.65, 0.05]
    labels = [True, True, True, True, True, False, False, False, False, False]
    files = ["a"] * 5 + ["a", "a", "b", "b", "b"]
    low, medium, high = choose_thresholds(probabilities, labels, files, max_fpr=0.0)
    assert medium > 0.65  # the normal row of file b at 0.65 must not be flagged
    assert low == pytest.approx(medium / 2) and high > medium


def test_fitted_fusion_prefers_the_informative_feature() -> None:
    rows, labels, files = [], [], []
    for index in range(200):
        fraud = index % 2 == 0
        model = 0.95 if fraud else 0.05
        rows.append(features(rules=0.3, indicators=0.0, model=model, ngram=0.5))
        labels.append(fraud)
        files.append("x")
    fusion = fit_fusion(rows, labels, files, seed=1)
    assert fusion.coef[2] > 0.5
    assert fusion.probability(rows[0]) > 0.9 > 0.1 > fusion.probability(rows[1])
