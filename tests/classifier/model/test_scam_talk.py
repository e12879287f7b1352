"""Synthetic talk about scams: one story told as a warning and as a scam under way."""

from __future__ import annotations

import random

from classifier.model.dataset import synthetic_examples
from classifier.model.scam_talk import synthetic_scam_talk
from knowledge import load_knowledge


def test_as_many_warnings_as_scams_under_way_every_slot_filled() -> None:
    items = synthetic_scam_talk(60, random.Random(3))
    assert len(items) == 120 and sum(item.fraud for item in items) == 60
    for item in items:
        assert "{" not in item.text and "}" not in item.text, item.text


def test_scams_under_way_carry_data_labels_and_warnings_none() -> None:
    knowledge = load_knowledge()
    for item in synthetic_scam_talk(40, random.Random(5)):
        if item.fraud:
            assert item.type_label is not None
            assert knowledge.type_for_dataset_label(item.type_label)  # a label the data uses
        else:
            assert item.type_label is None


def test_the_frame_not_the_topic_separates_the_classes() -> None:
    items = synthetic_scam_talk(300, random.Random(7))
    genuine = [item.text for item in items if not item.fraud]
    fraud = [item.text for item in items if item.fraud]
    # The same scam words occur in both classes ...
    for word in ("安全账户", "屏幕共享", "垫付", "解冻金"):
        assert any(word in text for text in genuine) and any(word in text for text in fraud)
    # ... but only a scam under way asks what to do or has lost money to it.
    asks = ("这是真的吗", "怎么办", "我要不要转", "我照做了")
    assert not any(any(ask in text for ask in asks) for text in genuine)
    assert all(
        any(ask in text for ask in (*asks, "这正常吗", "我该不该", "来不及")) for text in fraud
    )


def test_news_tells_of_the_victim_in_the_third_person() -> None:
    news = [
        item.text
        for item in synthetic_scam_talk(300, random.Random(9))
        if item.text.startswith("据警方通报")
    ]
    assert news and not any("让我" in text or "说我" in text for text in news)


def test_synthetic_examples_are_reproducible_and_capped_by_limit() -> None:
    first = synthetic_examples(10, 15, random.Random(11))
    assert first == synthetic_examples(10, 15, random.Random(11))
    assert len(first) == 2 * 10 + 2 * 15
    assert len(synthetic_examples(10, 15, random.Random(11), limit=8)) == 2 * 2 + 2 * 2
