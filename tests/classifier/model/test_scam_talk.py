"""Synthetic talk about scams: one story told as a warning and as a scam under way."""

from __future__ import annotations

import random
from collections.abc import Sequence

from classifier.model.config import TrainConfig
from classifier.model.dataset import synthetic_examples
from classifier.model.scam_talk import Story, synthetic_scam_talk
from knowledge import load_knowledge

KNOWLEDGE = load_knowledge()


def test_as_many_warnings_as_scams_under_way_every_slot_filled() -> None:
    items = synthetic_scam_talk(60, KNOWLEDGE, random.Random(3))
    assert len(items) == 120 and sum(item.fraud for item in items) == 60
    for item in items:
        assert "{" not in item.text and "}" not in item.text, item.text


def test_scams_under_way_carry_their_type_label_and_warnings_none() -> None:
    keys: set[str] = set()
    for item in synthetic_scam_talk(60, KNOWLEDGE, random.Random(5)):
        if not item.fraud:
            assert item.type_label is None
            continue
        assert item.type_label is not None
        if item.type_label in KNOWLEDGE.fraud_types:  # a type the data has no label for
            assert item.type_label not in KNOWLEDGE.dataset_types
            keys.add(item.type_label)
        else:
            assert KNOWLEDGE.type_for_dataset_label(item.type_label)  # a label the data uses
    assert keys  # gold hand-over, card renting, 杀猪盘, game trades


def test_more_stories_are_told_only_when_asked_for() -> None:
    from classifier.model.scam_talk import _MORE_STORIES

    more = {story.label for story in _MORE_STORIES}
    plain = {item.type_label for item in synthetic_scam_talk(400, KNOWLEDGE, random.Random(21))}
    assert not plain & (more - {"色情服务引流"})
    told = {
        item.type_label
        for item in synthetic_scam_talk(400, KNOWLEDGE, random.Random(21), more_stories=True)
    }
    assert more <= told
    # The same pieces in both classes, every slot filled.
    assert all(story.scripts and len(story.summaries) >= 2 for story in _MORE_STORIES)


def test_the_frame_not_the_topic_separates_the_classes() -> None:
    items = synthetic_scam_talk(300, KNOWLEDGE, random.Random(7))
    genuine = [item.text for item in items if not item.fraud]
    fraud = [item.text for item in items if item.fraud]
    # The same scam words occur in both classes ...
    for word in ("安全账户", "屏幕共享", "垫付", "解冻金"):
        assert any(word in text for text in genuine) and any(word in text for text in fraud)
    # ... but only a scam under way asks what to do or has lost money to it.
    asks = ("这是真的吗", "怎么办", "我要不要转", "我照做了", "追回来", "是不是骗局")
    assert not any(any(ask in text for ask in asks) for text in genuine)
    assert all(
        any(ask in text for ask in (*asks, "这正常吗", "我该不该", "来不及")) for text in fraud
    )


def test_news_tells_of_the_victim_in_the_third_person() -> None:
    news = [
        item.text
        for item in synthetic_scam_talk(300, KNOWLEDGE, random.Random(9))
        if item.text.startswith("据警方通报")
    ]
    assert news and not any("让我" in text or "说我" in text for text in news)


def test_family_stories_tell_of_the_relative_not_of_me() -> None:
    items = synthetic_scam_talk(300, KNOWLEDGE, random.Random(13))
    stories = [item for item in items if item.text.startswith(("我爸", "我妈", "我奶奶", "我姐"))]
    assert {item.fraud for item in stories} == {True, False}
    for item in stories:
        assert "让我" not in item.text and "说我" not in item.text, item.text


def test_a_bank_notice_gives_that_banks_own_hotline() -> None:
    hotlines = {"工商银行": "95588", "建设银行": "95533", "招商银行": "95555"}
    notices = [item.text for item in synthetic_scam_talk(400, KNOWLEDGE, random.Random(17))]
    checked = 0
    for text in notices:
        for bank, hotline in hotlines.items():
            if text.startswith(f"【{bank}】"):
                assert hotline in text, text
                checked += 1
    assert checked


def test_synthetic_examples_are_reproducible_and_capped_by_limit() -> None:
    config = TrainConfig(notifications=10, scam_talk=15, adverts=5, workplace=4, family=3)
    first = synthetic_examples(config, random.Random(11))
    assert first == synthetic_examples(config, random.Random(11))
    assert len(first) == 2 * 10 + 2 * 15 + 2 * 5 + 2 * 4 + 2 * 3
    assert len(synthetic_examples(config, random.Random(11), limit=8)) == 5 * (2 * 2)
    # Each later option leaves the texts before it as they were before it existed.
    before = synthetic_examples(config.model_copy(update={"family": 0}), random.Random(11))
    assert before == first[: 2 * 10 + 2 * 15 + 2 * 5 + 2 * 4]
    older = synthetic_examples(
        config.model_copy(update={"workplace": 0, "family": 0}), random.Random(11)
    )
    assert older == first[: 2 * 10 + 2 * 15 + 2 * 5]


def _openings(stories: Sequence[Story]) -> set[str]:
    """The first words of every script that has six characters before its first slot."""
    words = (script.split("{")[0][:8] for story in stories for script in story.scripts)
    return {opening for opening in words if len(opening) >= 6}


def test_with_quotes_a_scripts_words_reach_both_classes_but_only_scams_comply() -> None:
    from classifier.model.scam_talk import _STORIES

    assert all(story.scripts for story in _STORIES)
    openings = _openings(_STORIES)
    items = synthetic_scam_talk(400, KNOWLEDGE, random.Random(11), quotes=True)
    quoting = [item for item in items if any(opening in item.text for opening in openings)]
    assert {item.fraud for item in quoting} == {True, False}
    complying = ("我已经按说的办了", "我现在怎么操作", "这是真的吗")
    for item in quoting:
        assert "{" not in item.text, item.text
        if not item.fraud:
            assert not any(words in item.text for words in complying), item.text


def test_without_quotes_no_script_is_drawn() -> None:
    from classifier.model.scam_talk import _STORIES

    openings = _openings(_STORIES)
    for item in synthetic_scam_talk(300, KNOWLEDGE, random.Random(19)):
        assert not any(opening in item.text for opening in openings), item.text
