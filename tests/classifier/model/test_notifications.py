"""Synthetic service notifications: both classes in one voice, labels the type heads know."""

from __future__ import annotations

import random

from classifier.model.config import TrainConfig
from classifier.model.dataset import synthetic_examples
from classifier.model.notifications import PUBLIC_SERVICE_SENDERS, synthetic_notifications
from classifier.model.prepare import URL, model_text
from knowledge import load_knowledge


def test_as_many_genuine_as_fake_notifications_from_known_senders() -> None:
    knowledge = load_knowledge()
    items = synthetic_notifications(50, knowledge, random.Random(3))
    assert sum(item.fraud for item in items) == 50 and len(items) == 100
    names = {org.name.split("（")[0] for org in knowledge.organisations.values()}
    names |= {name for name, _brand, _hotline in PUBLIC_SERVICE_SENDERS}
    for item in items:
        assert "{" not in item.text and "}" not in item.text  # every slot filled
        assert any(f"【{name}】" in item.text for name in names), item.text


def test_fake_ones_carry_data_labels_and_genuine_ones_none() -> None:
    knowledge = load_knowledge()
    for item in synthetic_notifications(40, knowledge, random.Random(5)):
        if item.fraud:
            assert item.type_label is not None
            assert knowledge.type_for_dataset_label(item.type_label)  # a label the data uses
        else:
            assert item.type_label is None


def test_genuine_notifications_never_send_you_to_a_link() -> None:
    items = synthetic_notifications(200, load_knowledge(), random.Random(7))
    genuine = [model_text(item.text) for item in items if not item.fraud]
    fake = [model_text(item.text) for item in items if item.fraud]
    assert not any(URL.strip() in text.split() for text in genuine)
    assert any(URL.strip() in text.split() for text in fake)


def test_same_seed_same_texts_in_the_models_form() -> None:
    config = TrainConfig(notifications=20)
    first = synthetic_examples(config, random.Random(11))
    again = synthetic_examples(config, random.Random(11))
    assert first == again
    assert all(example.text == example.text.lower() for example in first)
    assert {example.file for example in first} == {"synthetic"}
