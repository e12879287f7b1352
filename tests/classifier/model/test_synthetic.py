"""The generators that pit genuine messages against impersonations from the same slots
(classifier/model/synthetic.py): what every one of them promises."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from classifier.model.family import synthetic_family
from classifier.model.notifications import SyntheticText
from classifier.model.workplace import synthetic_workplace

Generator = Callable[[int, random.Random], list[SyntheticText]]
GENERATORS = pytest.mark.parametrize("generate", [synthetic_workplace, synthetic_family])


@GENERATORS
def test_alternates_classes_fills_every_slot_and_labels_the_scams(generate: Generator) -> None:
    items = generate(60, random.Random(3))
    assert len(items) == 120
    assert [item.fraud for item in items] == [False, True] * 60
    for item in items:
        assert "{" not in item.text and "}" not in item.text, item.text
        assert item.type_label == ("冒充领导熟人" if item.fraud else None)


@GENERATORS
def test_the_same_seed_gives_the_same_texts(generate: Generator) -> None:
    assert generate(20, random.Random(11)) == generate(20, random.Random(11))
