"""The learned type fusion: fitting, naming, saving, cross-validation."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from classifier.model.type_fusion import (
    TypeEvidence,
    TypeFusion,
    cross_validated_types,
    fit_type_fusion,
    type_features,
)

HEAD_TYPES = ("fake_loan", "impersonate_police")
RULE_TYPES = ["fake_loan", "impersonate_police", "romance_pig_butchering"]


def _distribution(top: str, sure: float) -> dict[str, float]:
    other = next(name for name in HEAD_TYPES if name != top)
    return {top: sure, other: 1.0 - sure}


def _rows(count: int, seed: int) -> tuple[list[TypeEvidence], list[str]]:
    """Templated texts, where a sure n-gram is right and the encoder is not; and chat
    stories of a type the heads never saw, which only the rules name."""
    rng = random.Random(seed)
    evidence, truth = [], []
    for index in range(count):
        kind = index % 3
        if kind == 2:
            evidence.append(
                TypeEvidence(
                    _distribution("impersonate_police", 0.6),
                    _distribution("fake_loan", 0.5 + rng.random() * 0.1),
                    {"romance_pig_butchering": 0.3 + rng.random() * 0.4},
                )
            )
            truth.append("romance_pig_butchering")
            continue
        label = HEAD_TYPES[kind]
        wrong = HEAD_TYPES[1 - kind]
        evidence.append(
            TypeEvidence(
                _distribution(wrong, 0.7),
                _distribution(label, 0.9 + rng.random() * 0.09),
                {label: rng.random() * 0.2},
            )
        )
        truth.append(label)
    return evidence, truth


def test_it_learns_which_component_to_trust_and_names_types_the_heads_never_saw() -> None:
    evidence, truth = _rows(90, seed=1)
    fitted = fit_type_fusion(evidence, truth, [1.0] * len(truth), RULE_TYPES, c=1.0)
    assert fitted is not None
    assert set(fitted.classes) == {*HEAD_TYPES, "romance_pig_butchering"}
    fresh, expected = _rows(30, seed=2)
    assert fitted.predict_many(fresh) == expected
    # The encoder is sure of the wrong type on templates: the regression follows the n-gram.
    assert fitted.predict(fresh[0]) == expected[0]


def test_features_scale_the_ngram_by_its_top_probability() -> None:
    evidence = TypeEvidence({"a": 1.0}, {"a": 0.8, "b": 0.2}, {"c": 0.5})
    values = type_features(evidence, ["a"], ["a", "b"], ["c", "d"])
    assert values[0] == pytest.approx(np.log(1.0 + 1e-4))
    assert values[1:3] == pytest.approx([np.log(0.8 + 1e-4), np.log(0.2 + 1e-4)])
    assert values[3:5] == pytest.approx([0.8 * np.log(0.8 + 1e-4), 0.8 * np.log(0.2 + 1e-4)])
    assert values[5:] == [0.5, 0.0]


def test_two_types_name_like_the_regression_and_one_type_fits_nothing() -> None:
    evidence, truth = _rows(60, seed=3)
    pairs = [(e, t) for e, t in zip(evidence, truth, strict=True) if t in HEAD_TYPES]
    fitted = fit_type_fusion(
        [e for e, _ in pairs], [t for _, t in pairs], [1.0] * len(pairs), RULE_TYPES, 1.0
    )
    assert fitted is not None and len(fitted.coef) == 2
    assert fitted.predict_many([e for e, _ in pairs]) == [t for _, t in pairs]
    assert fit_type_fusion(evidence[:1], truth[:1], [1.0], RULE_TYPES, 1.0) is None


def test_row_weights_move_the_fit() -> None:
    # The same evidence labelled two ways: the heavier rows win.
    evidence = [TypeEvidence({"a": 0.5, "b": 0.5}, {"a": 0.5, "b": 0.5}, {})] * 10
    truth = ["a"] * 5 + ["b"] * 5
    heavy_b = [1.0] * 5 + [3.0] * 5
    fitted = fit_type_fusion(evidence, truth, heavy_b, [], 1.0)
    assert fitted is not None and fitted.predict(evidence[0]) == "b"


def test_saved_weights_load_back_and_mismatched_ones_are_refused(tmp_path: Path) -> None:
    evidence, truth = _rows(45, seed=4)
    fitted = fit_type_fusion(evidence, truth, [1.0] * len(truth), RULE_TYPES, 1.0)
    assert fitted is not None
    path = tmp_path / "type_fusion.npz"
    fitted.save(path)
    loaded = TypeFusion.load(path)
    assert loaded.classes == fitted.classes and loaded.rule_types == fitted.rule_types
    assert loaded.predict_many(evidence) == fitted.predict_many(evidence)
    broken = TypeFusion(
        fitted.encoder_types,
        fitted.ngram_types,
        fitted.rule_types[:-1],
        fitted.classes,
        fitted.coef,
        fitted.intercept,
    )
    broken.save(path)
    with pytest.raises(ValueError, match="do not match"):
        TypeFusion.load(path)


def test_cross_validation_names_every_row_from_fits_that_never_saw_it() -> None:
    evidence, truth = _rows(60, seed=5)
    named = cross_validated_types(evidence, truth, [1.0] * len(truth), RULE_TYPES, 1.0, seed=0)
    assert len(named) == len(truth) and None not in named
    assert sum(n == t for n, t in zip(named, truth, strict=True)) >= 55
    # A row unlike its fold-mates' labels: only a fit that saw it could name it.
    odd = TypeEvidence(_distribution("fake_loan", 0.99), _distribution("fake_loan", 0.99), {})
    named = cross_validated_types(
        [*evidence, odd], [*truth, "impersonate_police"], [1.0] * 61, RULE_TYPES, 1.0, seed=0
    )
    assert named[-1] == "fake_loan"
