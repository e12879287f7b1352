"""Training rows in the model's form: chat titles as a screenshot's text starts."""

from __future__ import annotations

import random

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
