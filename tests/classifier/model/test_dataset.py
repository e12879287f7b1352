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


def _outside_by_kind(tmp_path: Path) -> Path:
    """Outside rows of every kind: a scam advert, a scam SMS, a scam chat, a genuine advert."""
    outside = [
        {"id": "o1", "text": "日赚300，点赞即返", "label": "fraud", "kind": "ad", "split": "a"},
        {"id": "o2", "text": "您的积分即将清零", "label": "fraud", "kind": "sms", "split": "a"},
        {"id": "o3", "text": "妈，我手机坏了", "label": "fraud", "kind": "chat", "split": "a"},
        {"id": "o4", "text": "会员日全场八折", "label": "normal", "kind": "ad", "split": "a"},
    ]
    path = tmp_path / "outside.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in outside), "utf-8")
    return path


def test_each_outside_scam_advert_or_sms_is_paired_with_a_genuine_fbs_text(
    tmp_path: Path,
) -> None:
    from classifier.model.config import EncoderConfig
    from classifier.model.dataset import genuine_advert_pairs

    path = _outside_by_kind(tmp_path)
    fbs = "fbs_sms.jsonl"
    rows = [
        {"id": f"g{i}", "text": f"新品上市第{i}款", "label": "normal", "file": fbs}
        for i in range(10)
    ]
    rows += [{"id": "s1", "text": "您中奖了", "label": "fraud", "type": "中奖", "file": fbs}]
    rows += [{"id": "t1", "text": "吃了吗", "label": "normal", "file": "lccc_chat_normal.jsonl"}]

    def config(ratio: float) -> TrainConfig:
        return TrainConfig(
            outside_rows=path,
            outside_splits=["a"],
            encoder=EncoderConfig(layers=6, split_layer=2, advert_pairs=ratio),
        )

    pairs = genuine_advert_pairs(config(1.0), rows, random.Random(3), None)
    assert len(pairs) == 2  # two outside scams arrive as an advert or an SMS
    assert all(not e.fraud and e.file == fbs and e.text.startswith("新品上市") for e in pairs)
    assert len({e.group for e in pairs}) == 2  # drawn without repeats
    assert len(genuine_advert_pairs(config(2.5), rows, random.Random(3), None)) == 5
    assert len(genuine_advert_pairs(config(100.0), rows, random.Random(3), None)) == 10
    assert genuine_advert_pairs(config(0.0), rows, random.Random(3), None) == []
    assert genuine_advert_pairs(TrainConfig(), rows, random.Random(3), None) == []


def test_outside_scams_of_the_kinds_left_out_are_not_trained_on(tmp_path: Path) -> None:
    from classifier.model.dataset import outside_examples

    path = _outside_by_kind(tmp_path)
    config = TrainConfig(
        outside_rows=path, outside_splits=["a"], outside_scam_kinds_left_out=["ad", "sms"]
    )
    kept = outside_examples(config, "encoder")
    # The scam chat and the genuine advert stay; the scam advert and the scam SMS do not.
    assert [(e.text, e.fraud) for e in kept] == [
        (model_text("妈，我手机坏了"), True),
        (model_text("会员日全场八折"), False),
    ]
    everything = outside_examples(TrainConfig(outside_rows=path, outside_splits=["a"]), "encoder")
    assert len(everything) == 4


def test_the_ngram_model_learns_every_outside_everyday_row_and_a_share_of_the_scams(
    tmp_path: Path,
) -> None:
    from classifier.model.config import NgramConfig
    from classifier.model.dataset import outside_examples

    rows = [
        {"id": f"s{i}", "text": f"加我微信{i}号，日赚三百", "label": "fraud", "kind": "chat"}
        for i in range(200)
    ]
    rows += [{"id": "ad1", "text": "点赞即返，日赚300", "label": "fraud", "kind": "ad"}]
    rows += [{"id": f"n{i}", "text": f"妈，我{i}点到家", "label": "normal"} for i in range(50)]
    path = tmp_path / "outside.jsonl"
    lines = (json.dumps(row | {"split": "a"}, ensure_ascii=False) + "\n" for row in rows)
    path.write_text("".join(lines), "utf-8")

    def config(share: float) -> TrainConfig:
        ngram = NgramConfig(outside_scam_share=share, outside_scam_kinds_left_out=["ad"])
        return TrainConfig(outside_rows=path, outside_splits=["a"], ngram=ngram)

    quarter = outside_examples(config(0.25), "ngram")
    scams = [e.text for e in quarter if e.fraud]
    assert sum(not e.fraud for e in quarter) == 50  # every everyday row
    assert 30 <= len(scams) <= 70 and model_text("点赞即返，日赚300") not in scams
    assert scams == [e.text for e in outside_examples(config(0.25), "ngram") if e.fraud]
    half = {e.text for e in outside_examples(config(0.5), "ngram") if e.fraud}
    assert set(scams) <= half  # a larger share keeps the smaller one's scams
    assert not any(e.fraud for e in outside_examples(config(0.0), "ngram"))
    assert len(outside_examples(config(1.0), "ngram")) == 250
    assert len(outside_examples(config(0.0), "encoder")) == 251  # the encoder learns them all


def test_the_ngram_model_learns_its_own_splits_and_only_the_everyday_rows_of_others(
    tmp_path: Path,
) -> None:
    from classifier.model.config import NgramConfig
    from classifier.model.dataset import DataError, outside_examples

    rows = [
        {"id": "a1", "text": "刷单日赚三百", "label": "fraud", "kind": "chat", "split": "a"},
        {"id": "a2", "text": "妈，我到家了", "label": "normal", "split": "a"},
        {"id": "b1", "text": "冻结资金需缴保证金", "label": "fraud", "kind": "chat", "split": "b"},
        {"id": "b2", "text": "您的快递已放驿站", "label": "normal", "split": "b"},
        {"id": "c1", "text": "周末一起吃饭", "label": "normal", "split": "c"},
    ]
    path = tmp_path / "outside.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    config = TrainConfig(
        outside_rows=path, outside_splits=["a"], ngram=NgramConfig(everyday_splits=["a", "b"])
    )

    learned = {(e.text, e.fraud) for e in outside_examples(config, "ngram")}
    assert learned == {
        (model_text("刷单日赚三百"), True),
        (model_text("妈，我到家了"), False),  # once, though "a" is named twice
        (model_text("您的快递已放驿站"), False),
    }
    assert len(outside_examples(config, "ngram")) == 3
    assert len(outside_examples(config, "encoder")) == 2  # the encoder: outside_splits only
    # everyday_weight weighs the rows of everyday_splits alone.
    lighter = config.model_copy(
        update={"ngram": NgramConfig(everyday_splits=["b"], everyday_weight=0.5)}
    )
    weights = {e.text: e.weight for e in outside_examples(lighter, "ngram")}
    assert weights == {
        model_text("刷单日赚三百"): 1.0,
        model_text("妈，我到家了"): 1.0,
        model_text("您的快递已放驿站"): 0.5,
    }
    assert {e.weight for e in outside_examples(lighter, "encoder")} == {1.0}
    both = TrainConfig(
        outside_rows=path,
        outside_splits=["a"],
        ngram=NgramConfig(more_splits=["b"], everyday_splits=["c"]),
    )
    learned = [(e.text, e.fraud) for e in outside_examples(both, "ngram")]
    assert len(learned) == 5 and (model_text("冻结资金需缴保证金"), True) in learned
    assert len(outside_examples(both, "encoder")) == 2
    missing = TrainConfig(
        outside_rows=path, outside_splits=["a"], ngram=NgramConfig(everyday_splits=["z"])
    )
    with pytest.raises(DataError, match="'z'"):
        outside_examples(missing, "ngram")


def test_the_everyday_rows_of_other_splits_can_be_limited_to_some_kinds(tmp_path: Path) -> None:
    from classifier.model.config import EncoderConfig, NgramConfig
    from classifier.model.dataset import outside_examples

    rows = [
        {"id": "a1", "text": "妈，我到家了", "label": "normal", "kind": "family", "split": "a"},
        {
            "id": "b1",
            "text": "对方：您的快递到了\n我：好的",
            "label": "normal",
            "kind": "transcript",
            "split": "b",
        },
        {
            "id": "b2",
            "text": "周末一起吃饭",
            "label": "normal",
            "kind": "friend_chat",
            "split": "b",
        },
        {
            "id": "b3",
            "text": "对方：我是公安局的\n我：哦",
            "label": "fraud",
            "kind": "transcript",
            "split": "b",
        },
        {
            "id": "c1",
            "text": "对方：您好，体检报告出来了\n我：谢谢",
            "label": "normal",
            "kind": "transcript",
            "split": "c",
        },
    ]
    path = tmp_path / "outside.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    ngram = NgramConfig(everyday_splits=["b"], everyday_kinds=["transcript"])
    config = TrainConfig(outside_rows=path, outside_splits=["a"], ngram=ngram)

    learned = {(e.text, e.fraud) for e in outside_examples(config, "ngram")}
    assert learned == {
        (model_text("妈，我到家了"), False),  # the outside_splits keep every kind
        (model_text("对方：您的快递到了\n我：好的"), False),
    }
    assert len(outside_examples(config, "encoder")) == 1  # not the n-gram model's everyday_splits

    # Each component learns the everyday rows of its own everyday_splits.
    encoder = EncoderConfig(
        layers=6, split_layer=2, everyday_splits=["c"], everyday_kinds=["transcript"]
    )
    both = TrainConfig(outside_rows=path, outside_splits=["a"], encoder=encoder, ngram=ngram)
    assert {(e.text, e.fraud) for e in outside_examples(both, "encoder")} == {
        (model_text("妈，我到家了"), False),
        (model_text("对方：您好，体检报告出来了\n我：谢谢"), False),
    }
    assert {(e.text, e.fraud) for e in outside_examples(both, "ngram")} == learned

    # scam_splits adds their scams of the same kinds beside the everyday rows.
    paired = TrainConfig(
        outside_rows=path,
        outside_splits=["a"],
        encoder=encoder.model_copy(update={"scam_splits": ["b"]}),
    )
    assert {(e.text, e.fraud) for e in outside_examples(paired, "encoder")} == {
        (model_text("妈，我到家了"), False),
        (model_text("对方：您好，体检报告出来了\n我：谢谢"), False),
        (model_text("对方：我是公安局的\n我：哦"), True),
    }
