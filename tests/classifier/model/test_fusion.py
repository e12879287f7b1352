"""Fusion: calibration onto the fixed levels, thresholds chosen on validation."""

from __future__ import annotations

import math

import pytest

from classifier.model.fusion import (
    ExtraRows,
    Fusion,
    choose_thresholds,
    choose_type_weight,
    combine_types,
    cross_validated_f1,
    features,
    fit_fusion,
)


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


def test_the_benign_damping_is_a_fifth_input_only_when_asked() -> None:
    plain = features(rules=0.2, indicators=0.0, model=0.9, ngram=0.5)
    warned = features(rules=0.2, indicators=0.0, model=0.9, ngram=0.5, damping=0.4)
    assert len(plain) == 4 and warned[:4] == plain
    assert warned[4] == pytest.approx(math.log(0.4)) and features(0, 0, 0.5, 0.5, 0.0)[4] < 0
    assert not Fusion(coef=(1.0,) * 4, intercept=0.0, thresholds=(0.2, 0.4, 0.8)).benign_input
    assert Fusion(coef=(1.0,) * 5, intercept=0.0, thresholds=(0.2, 0.4, 0.8)).benign_input


def test_counter_evidence_outweighs_a_sure_encoder_once_learned() -> None:
    # Warnings about a scam read as the scam to the encoder; only the rules' benign flags
    # (damping < 1) tell them apart.
    rows, labels, files = [], [], []
    for index in range(300):
        fraud = index % 3 != 0
        damping = 1.0 if fraud else 0.4
        rows.append(features(rules=0.2, indicators=0.0, model=0.97, ngram=0.6, damping=damping))
        labels.append(fraud)
        files.append("x")
    fusion = fit_fusion(rows, labels, files, seed=1)
    assert fusion.benign_input and fusion.coef[4] > 0.5
    assert fusion.probability(rows[0]) < 0.5 < fusion.probability(rows[1])


def test_extra_rows_teach_the_regression_but_not_the_thresholds() -> None:
    # Valid: only the n-gram separates the classes. Outside: only the encoder does, and
    # the n-gram says nothing (scams as chats, which templates did not prepare it for).
    rows, labels, files = [], [], []
    for index in range(200):
        fraud = index % 2 == 0
        rows.append(features(0.0, 0.0, model=0.5, ngram=0.95 if fraud else 0.05))
        labels.append(fraud)
        files.append("x")
    outside = [
        features(0.0, 0.0, model=0.95 if index % 2 == 0 else 0.05, ngram=0.2)
        for index in range(100)
    ]
    outside_labels = [index % 2 == 0 for index in range(100)]
    alone = fit_fusion(rows, labels, files, seed=1)
    ignored = fit_fusion(rows, labels, files, seed=1, extra=ExtraRows(outside, outside_labels, 0.0))
    assert ignored == alone
    fused = fit_fusion(rows, labels, files, seed=1, extra=ExtraRows(outside, outside_labels, 1.0))
    assert fused.coef[2] > alone.coef[2] + 0.5  # the encoder now counts
    assert fused.probability(outside[0]) > 0.5 > fused.probability(outside[1])
    # The thresholds come from valid's rows scored by the new weights, outside rows unseen.
    provisional = [fused.probability(row) for row in rows]
    assert fused.thresholds == choose_thresholds(provisional, labels, files)


def test_combined_types_weigh_both_distributions() -> None:
    encoder = {"fake_loan": 0.9, "impersonate_police": 0.1}
    ngram = {"fake_loan": 0.3, "impersonate_police": 0.7}
    assert combine_types(encoder, ngram, encoder_weight=0.2) == "impersonate_police"
    assert combine_types(encoder, ngram, encoder_weight=0.8) == "fake_loan"
    # Without an n-gram distribution the encoder alone names the type.
    assert combine_types(encoder, None, encoder_weight=0.0) == "fake_loan"
    assert combine_types({}, None, encoder_weight=0.5) is None


def test_the_type_weight_is_the_one_that_names_most_rows_right() -> None:
    # The encoder is right on three rows, the n-gram model on the fourth: from weight 0.5
    # on, the encoder wins the three and the n-gram model's confidence still wins the last.
    encoder = [{"a": 0.9, "b": 0.1}] * 3 + [{"a": 0.6, "b": 0.4}]
    ngram = [{"a": 0.2, "b": 0.8}] * 3 + [{"a": 0.1, "b": 0.9}]
    assert choose_type_weight(encoder, ngram, ["a", "a", "a", "b"]) == (0.5, 1.0)
    assert choose_type_weight(encoder, ngram, ["b"] * 4) == (0.0, 1.0)


def test_older_model_files_without_a_type_weight_still_load() -> None:
    stored = Fusion((1.0, 1.0, 1.0, 1.0), 0.0, (0.2, 0.4, 0.8), 0.3).to_json()
    assert Fusion.from_json(stored).type_encoder_weight == 0.3
    del stored["type_encoder_weight"]
    assert Fusion.from_json(stored).type_encoder_weight == 0.0


def test_resampled_thresholds_are_reproducible_and_agree_on_clear_data() -> None:
    probabilities = [0.9, 0.85, 0.8, 0.75] * 10 + [0.1, 0.2, 0.3, 0.15] * 30
    labels = [True] * 40 + [False] * 120
    files = ["a"] * 100 + ["b"] * 60
    point = choose_thresholds(probabilities, labels, files, max_fpr=0.0)
    resampled = choose_thresholds(probabilities, labels, files, max_fpr=0.0, resamples=50, seed=3)
    assert 0.3 < resampled[1] <= 0.75 and 0.3 < point[1] <= 0.75
    again = choose_thresholds(probabilities, labels, files, max_fpr=0.0, resamples=50, seed=3)
    assert again == resampled


def _two_files(noise_every: int) -> tuple[list[list[float]], list[bool], list[str], list[float]]:
    """Rows of two files where the encoder separates the classes except every
    ``noise_every``-th fraud row, which looks normal."""
    rows, labels, files = [], [], []
    for index in range(240):
        fraud = index % 3 == 0
        hidden = fraud and index % noise_every == 0
        model = 0.9 if fraud and not hidden else 0.1
        rows.append(features(rules=0.0, indicators=0.0, model=model, ngram=0.5))
        labels.append(fraud)
        files.append("a" if index % 2 else "b")
    return rows, labels, files, [0.0] * len(rows)


def test_cross_validated_f1_scores_rows_the_fusion_was_not_fitted_on() -> None:
    rows, labels, files, floors = _two_files(noise_every=9)
    scores = cross_validated_f1(rows, labels, files, seed=3, floors=floors, repeats=3)
    assert set(scores) == {"a", "b", "pooled"}
    # A third of the fraud rows look normal: recall 2/3, precision 1, F1 0.8 everywhere.
    assert scores["pooled"] == pytest.approx(0.8, abs=0.01)
    clean = cross_validated_f1(*_two_files(noise_every=10**6)[:3], seed=3, floors=floors, repeats=3)
    assert clean["pooled"] > 0.99  # a threshold can sit exactly on a fraud row's probability


def test_cross_validated_f1_is_reproducible_and_skipped_on_too_few_rows() -> None:
    rows, labels, files, floors = _two_files(noise_every=9)
    first = cross_validated_f1(rows, labels, files, seed=5, floors=floors, repeats=2)
    assert first == cross_validated_f1(rows, labels, files, seed=5, floors=floors, repeats=2)
    assert cross_validated_f1(rows, labels, files, seed=5, floors=floors, repeats=0) == {}
    few = cross_validated_f1(rows[:9], labels[:9], files[:9], seed=5, floors=floors[:9], repeats=2)
    assert few == {}


def test_cross_validated_f1_always_fits_on_the_extra_rows() -> None:
    rows, labels, files, floors = _two_files(noise_every=9)
    extra = ExtraRows(rows[:20], [not label for label in labels[:20]], 50.0)
    plain = cross_validated_f1(rows, labels, files, seed=5, floors=floors, repeats=2)
    misled = cross_validated_f1(rows, labels, files, seed=5, floors=floors, repeats=2, extra=extra)
    assert misled["pooled"] < plain["pooled"]  # heavy rows with the labels reversed
