"""A smoke run of `scamcheck train` on a tiny synthetic data folder (CI never trains fully)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from safetensors.torch import load_file

from bot.cli import main
from classifier.model.bundle import ModelBundle
from classifier.model.type_fusion import TYPE_FUSION_FILE

FRAUD = [
    ("您的账户涉嫌洗钱，请将资金转入安全账户配合调查", "冒充公检法"),
    ("我是京东客服，您的订单异常，需要退款请提供验证码", "冒充客服退款"),
    ("无抵押贷款秒到账，先交保证金 DIGIT 元即可放款", "虚假贷款"),
    ("领导让你先转 DIGIT 元到这个账户，急用，别打电话", "冒充领导熟人"),
]
NORMAL = [
    "妈，我今晚回家吃饭",
    "明天上午九点开会，请准时参加",
    "您的快递已到小区驿站，请凭取件码领取",
    "周末一起去爬山吗？",
]


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))


def _data(folder: Path) -> Path:
    folder.mkdir()
    files = {
        "fbs_sms.jsonl": True,
        "telecom_fraud_texts5.jsonl": True,
        "sms80w_normal.jsonl": False,
        "lccc_chat_normal.jsonl": False,
    }
    for name, has_fraud in files.items():
        rows = []
        for split in ("train", "valid", "test"):
            for index, text in enumerate(NORMAL):
                if name.startswith("lccc"):
                    text = f"{text}\n好的呀\n那就这么定了"
                rows.append(
                    {
                        "id": f"{name}-{split}-n{index}",
                        "text": text,
                        "label": "normal",
                        "type": "正常",
                        "dup_group": f"{name}{split}n{index}",
                        "split": split,
                    }
                )
            if has_fraud:
                for index, (text, kind) in enumerate(FRAUD):
                    rows.append(
                        {
                            "id": f"{name}-{split}-f{index}",
                            "text": text,
                            "label": "fraud",
                            "type": kind,
                            "dup_group": f"{name}{split}f{index}",
                            "split": split,
                        }
                    )
        _write(folder / name, rows)
    return folder


def test_a_smoke_run_writes_a_loadable_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _data(tmp_path / "data")
    output = tmp_path / "model"
    status = main(
        [
            "train",
            "--data-dir",
            str(data),
            "--output",
            str(output),
            "--limit",
            "8",
            "--max-steps",
            "2",
        ]
    )
    assert status == 0
    summary = capsys.readouterr().out
    assert "ngram" in summary and "encoder" in summary and "fusion" in summary
    meta = json.loads((output / "model.json").read_text())
    assert meta["fusion"]["features"] == ["rules", "indicators", "model_logit", "ngram_logit"]
    assert meta["type_names"]  # the fraud types of the synthetic rows, as knowledge keys
    bundle = ModelBundle.load(output)
    scores = bundle.score(["请转账到安全账户", "晚上吃什么"])
    bundle.close()
    assert all(0.0 <= score.model <= 1.0 for score in scores)
    assert all(score.ngram is not None for score in scores)


def test_a_missing_data_folder_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        [
            "train",
            "--data-dir",
            str(tmp_path / "nowhere"),
            "--output",
            str(tmp_path / "out"),
            "--stage",
            "ngram",
        ]
    )
    assert status == 2
    error = capsys.readouterr().err
    assert error.startswith("scamcheck: error: cannot read") and "Traceback" not in error


def test_a_shallow_encoder_trains_ships_only_its_top_layers_and_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _data(tmp_path / "data")
    output = tmp_path / "model"
    config = tmp_path / "shallow.toml"
    config.write_text("seed = 1\n[encoder]\nlayers = 3\nsplit_layer = 1\n", encoding="utf-8")
    arguments = ["train", "--config", str(config), "--data-dir", str(data)]
    arguments += ["--output", str(output), "--limit", "8", "--max-steps", "2"]
    assert main(arguments) == 0
    meta = json.loads((output / "model.json").read_text())
    assert (meta["layers"], meta["split_layer"]) == (3, 1)
    trained = load_file(str(output / "encoder.safetensors"))
    shipped = {key.split(".")[3] for key in trained if key.startswith("bert.")}
    assert shipped == {"1", "2"}  # the fine-tuned layers only, none above the cut
    bundle = ModelBundle.load(output)
    try:
        assert bundle.text_model.layers == 3
        assert 0.0 <= bundle.score(["请转账到安全账户"])[0].model <= 1.0
    finally:
        bundle.close()


def test_a_split_at_or_above_the_layer_count_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[encoder]\nlayers = 4\nsplit_layer = 4\n", encoding="utf-8")
    status = main(["train", "--config", str(config), "--output", str(tmp_path / "out")])
    assert status == 2
    error = capsys.readouterr().err
    assert "split_layer must be 0..3" in error and "Traceback" not in error


def test_typed_scams_from_outside_join_the_choice_of_the_type_weight(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _data(tmp_path / "data")
    outside = tmp_path / "outside.jsonl"
    scams = [
        ("公安局通知你涉嫌洗钱", "fraud", "impersonate_police", "a"),
        ("先交保证金才能放款", "fraud", "fake_loan", "b"),
        ("宝贝我们一起投资", "fraud", "romance_pig_butchering", "a"),
        ("客服说要退款", "fraud", "fake_customer_service", "c"),
        ("妈我到家了", "normal", "正常", "a"),
    ]
    keys = ("text", "label", "type", "split")
    _write(outside, [dict(zip(keys, row, strict=True)) for row in scams])

    def config(
        splits: str, weight: float = 0.0, type_fusion_c: float = 0.0, types_only: str = ""
    ) -> Path:
        path = tmp_path / f"train-{len(splits)}-{weight}-{type_fusion_c}-{len(types_only)}.toml"
        path.write_text(
            f'data_dir = "{data}"\n\n[fusion]\nheld_out_rows = "{outside}"\n'
            f"held_out_splits = [{splits}]\nheld_out_weight = {weight}\n"
            f"type_fusion_c = {type_fusion_c}\ntypes_only_splits = [{types_only}]\n",
            encoding="utf-8",
        )
        return path

    output = tmp_path / "model"
    args = ["train", "--output", str(output), "--limit", "8", "--max-steps", "2"]
    assert main([*args, "--config", str(config('"a", "b"'))]) == 0
    summary = capsys.readouterr().out
    assert "typed scams from outside" in summary
    meta = json.loads((output / "model.json").read_text())
    # Split "c" is not chosen, the heads know no 杀猪盘, and normal rows carry no type.
    assert meta["type_weight_rows"] == {"valid": 8, "outside": 2, "outside_splits": ["a", "b"]}
    # Weighted 0, the held-out messages stay out of the regression.
    assert meta["fusion_rows"]["held_out"] == 0 and "held-out" not in summary

    assert main([*args, "--config", str(config('"a", "b"', 0.5)), "--stage", "fusion"]) == 0
    summary = capsys.readouterr().out
    assert "24 valid rows + 4 held-out messages weighted 0.5" in summary
    meta = json.loads((output / "model.json").read_text())
    assert meta["fusion_rows"] == {
        "valid": 24,
        "held_out": 4,
        "held_out_weight": 0.5,
        "held_out_splits": ["a", "b"],
    }

    assert not (output / TYPE_FUSION_FILE).exists()  # type_fusion_c 0: not fitted

    # The type fusion takes every knowledge type, 杀猪盘 too, and the bundle loads it.
    assert main([*args, "--config", str(config('"a", "b"', 0.5, 1.0)), "--stage", "fusion"]) == 0
    summary = capsys.readouterr().out
    assert "type fusion over" in summary and "cross-validated" in summary
    meta = json.loads((output / "model.json").read_text())
    assert meta["type_fusion_rows"]["held_out"] == 3
    assert meta["type_fusion_rows"]["held_out_weight"] == 0.5
    bundle = ModelBundle.load(output)
    assert bundle.type_fusion is not None
    assert "romance_pig_butchering" in bundle.type_fusion.classes
    bundle.close()

    # Splits for the types only: their scams name types, the regression never sees them.
    only_b = config('"a"', 0.5, 1.0, types_only='"b"')
    assert main([*args, "--config", str(only_b), "--stage", "fusion"]) == 0
    summary = capsys.readouterr().out
    assert "24 valid rows + 3 held-out messages weighted 0.5" in summary
    meta = json.loads((output / "model.json").read_text())
    assert meta["fusion_rows"]["held_out"] == 3
    assert meta["fusion_rows"]["held_out_splits"] == ["a"]
    assert meta["type_weight_rows"] == {"valid": 8, "outside": 2, "outside_splits": ["a", "b"]}
    assert meta["type_fusion_rows"]["held_out"] == 3

    assert main([*args, "--config", str(config('"z"')), "--stage", "fusion"]) == 2
    error = capsys.readouterr().err
    assert "no typed scams of the splits ['z']" in error and "Traceback" not in error


def test_knowledge_type_keys_are_learned_only_with_unseen_types() -> None:
    from classifier.model.train import _type_keys

    plain, unseen = _type_keys(), _type_keys(unseen_types=True)
    for key in (plain, unseen):
        assert key("冒充公检法") == "impersonate_police"  # a data label
        assert key("impersonate_police") == "impersonate_police"  # a key the data has
        assert key("no such label") is None
    assert plain("romance_pig_butchering") is None
    assert unseen("romance_pig_butchering") == "romance_pig_butchering"
