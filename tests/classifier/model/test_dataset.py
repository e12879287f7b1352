"""Training rows in the model's form: chat titles as a screenshot's text starts, and rows
from outside the data."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from classifier.model.config import TrainConfig
from classifier.model.dataset import SCREEN_TITLES, titled
from classifier.model.prepare import model_text


def _rows() -> list[dict[str, str]]:
    rows = [
        {"id": f"f{i}", "text": f"您的账户涉嫌洗钱第{i}案", "label": "fraud", "type": "冒充公检法"}
        for i in range(5)
    ]
    rows += [{"id": f"n{i}", "text": f"周末一起吃饭{i}", "label": "normal"} for i in range(5)]
    return [{**row, "file": "telecom_fraud_texts5.jsonl"} for row in rows]


def test_titled_puts_as_many_rows_of_each_class_under_a_chat_title() -> None:
    examples = titled(_rows(), 3, random.Random(1))
    assert sum(e.fraud for e in examples) == 3 and sum(not e.fraud for e in examples) == 3
    titles = {model_text(title) for title in SCREEN_TITLES}
    for example in examples:
        assert any(example.text.startswith(title + " ") for title in titles), example.text
    assert {e.type_label for e in examples if e.fraud} == {"冒充公检法"}


def test_titles_are_shared_by_both_classes() -> None:
    examples = titled(_rows() * 40, 150, random.Random(2))
    first_words = {(e.fraud, e.text.split(" ")[0]) for e in examples}
    fraud_titles = {word for fraud, word in first_words if fraud}
    normal_titles = {word for fraud, word in first_words if not fraud}
    assert fraud_titles == normal_titles


def test_outside_rows_of_the_chosen_splits_join_with_the_types_the_data_has(
    tmp_path: Path,
) -> None:
    from classifier.model.dataset import DataError, outside_examples

    rows = [
        {
            "id": "a1",
            "text": "您好，这里是公安局，请转入安全账户",
            "label": "fraud",
            "type": "impersonate_police",
            "split": "a",
        },
        {
            "id": "a2",
            "text": "宝贝，我舅舅的平台稳赚",
            "label": "fraud",
            "type": "romance_pig_butchering",
            "split": "a",
        },
        {"id": "a3", "text": "妈，我到家了", "label": "normal", "type": "正常", "split": "a"},
        {"id": "b1", "text": "不在所选的部分里", "label": "normal", "type": "正常", "split": "b"},
    ]
    path = tmp_path / "outside.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), "utf-8")
    config = TrainConfig(outside_rows=path, outside_splits=["a"])
    examples = outside_examples(config, "encoder")
    assert [(e.fraud, e.type_label) for e in examples] == [
        (True, "impersonate_police"),
        (True, None),  # 杀猪盘: the data has no such type, so the heads learn none
        (False, None),
    ]
    assert {e.file for e in examples} == {"outside"} and len({e.group for e in examples}) == 3
    assert outside_examples(TrainConfig(), "encoder") == []
    twice = TrainConfig(outside_rows=path, outside_splits=["a"], outside_repeat=2)
    assert outside_examples(twice, "encoder") == examples * 2
    only_encoder = TrainConfig(
        outside_rows=path, outside_splits=["a"], outside_components=["encoder"]
    )
    assert outside_examples(only_encoder, "ngram") == []
    with pytest.raises(DataError, match=r"no rows of the splits \['z'\]"):
        outside_examples(TrainConfig(outside_rows=path, outside_splits=["z"]), "ngram")
