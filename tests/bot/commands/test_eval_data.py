"""The shortcut checks of `scamcheck eval`: placeholders, chat embedding, length matching,
and the reference baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.commands.eval_data import (
    as_screenshot,
    embed_in_chat,
    length_matched,
    no_placeholders,
    perturb,
    real_values,
)


def test_placeholders_are_removed_but_real_words_stay() -> None:
    assert (
        no_placeholders("尊敬的 NAME 客户 请点 URLdj 领取 DIGIT 元")
        == "尊敬的 客户 请点 dj 领取 元"
    )
    assert no_placeholders("加QQ群") == "加QQ群"


def test_placeholders_can_be_swapped_for_realistic_values() -> None:
    swapped = real_values("请致电 CELLPHONE 或登录 URL 领取 DIGIT 元", 0)
    assert "CELLPHONE" not in swapped and "URL" not in swapped and "DIGIT" not in swapped
    assert any(char.isdigit() for char in swapped)
    assert swapped == real_values("请致电 CELLPHONE 或登录 URL 领取 DIGIT 元", 0)


def test_every_text_lands_between_chat_turns_deterministically() -> None:
    rows = [{"text": "请转账到安全账户", "label": "fraud"}, {"text": "开会", "label": "normal"}]
    dialogues = [["你好呀", "在干嘛", "吃了吗"], ["周末去哪", "爬山吧"]]
    first = embed_in_chat(rows, dialogues)
    assert first == embed_in_chat(rows, dialogues)
    for original, mixed in zip(rows, first, strict=True):
        turns = mixed["text"].split("\n")
        assert original["text"] in turns and len(turns) >= 2
        assert mixed["label"] == original["label"]


def test_a_screenshot_reads_back_as_title_and_one_paragraph_per_turn() -> None:
    text = "妈，我手机坏了\n这是同学的号码，急需交三千块培训费"
    read = as_screenshot(text, 2).splitlines()
    assert read[0] == "未知联系人"  # the chat title, as OCR reads a real screenshot
    # A bubble a paragraph; OCR may add stray marks (an avatar read as a letter).
    assert len(read) == 3
    assert "妈，我手机坏了" in read[1] and "这是同学的号码，急需交三千块培训费" in read[2]


def test_in_chat_needs_the_chat_source() -> None:
    with pytest.raises(ValueError, match="lccc_chat_normal"):
        perturb({"fbs_sms": [{"text": "x", "label": "fraud"}]}, "in_chat")


def test_length_matching_balances_classes_per_band() -> None:
    rows = [{"text": "短" * 10, "label": "fraud"}] * 5 + [
        {"text": "短" * 12, "label": "normal"}
    ] * 2
    rows += [{"text": "长" * 90, "label": "normal"}] * 4
    kept = length_matched(rows)
    assert (
        sum(r["label"] == "fraud" for r in kept) == sum(r["label"] == "normal" for r in kept) == 2
    )
    only_normal = [{"text": "x", "label": "normal"}] * 3
    assert length_matched(only_normal) == only_normal


def test_eval_prints_the_baseline_row_fitted_on_the_train_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fraud = ["兼职刷单日赚五百加微信", "您的账户涉嫌洗钱请转入安全账户", "贷款需先交保证金解冻费"]
    normal = ["妈我今晚回家吃饭", "明天上午开会", "快递到驿站了记得取"]
    rows = [
        {"text": f"{text}{index}", "label": label, "split": split}
        for split in ("train", "test")
        for index in range(4)
        for label, texts in (("fraud", fraud), ("normal", normal))
        for text in texts
    ]
    data = tmp_path / "mini.jsonl"
    data.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    assert main(["eval", str(data), "--split", "test", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    baseline = report["sources"]["mini"]["components"]["baseline"]
    assert baseline is not None and baseline["f1"] == pytest.approx(1.0)
    assert main(["eval", str(data), "--split", "test", "--no-baseline", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sources"]["mini"]["components"]["baseline"] is None
