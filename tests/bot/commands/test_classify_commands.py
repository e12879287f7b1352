"""check / batch / eval / bench / train from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.commands.bench_bot import run_bot_benchmark
from bot.commands.bench_model import hundred_characters
from bot.commands.evaluation import binary_metrics, f1_interval, risk_levels

SCAM = "您好，我是公安局民警，您的账户涉嫌洗钱，请将资金转入安全账户配合调查"


def test_check_prints_a_readable_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", SCAM, "--offline"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("🔴 高风险")
    assert "冒充公检法" in out and "96110" in out


def test_check_json_is_the_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--json", "妈，我今晚回家吃饭"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["risk"] == "safe"
    assert set(data) >= {"risk", "score", "fraud_type", "evidence", "entities", "advice"}


def test_check_reads_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(SCAM))
    assert main(["check", "-"]) == 0
    assert "高风险" in capsys.readouterr().out


def test_check_without_text_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("  "))
    assert main(["check"]) == 2
    assert capsys.readouterr().err.startswith("scamcheck: error: nothing to check")


def test_batch_adds_the_verdict_to_each_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    rows = [{"id": 1, "text": SCAM, "extra": "kept"}, {"id": 2, "text": "明天上午十点开会"}]
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    target = tmp_path / "out.jsonl"
    assert main(["batch", str(source), "-o", str(target), "--offline"]) == 0
    results = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    assert [r["id"] for r in results] == [1, 2]
    assert results[0]["risk"] == "high" and results[0]["extra"] == "kept"
    assert results[1]["risk"] == "safe"
    assert set(results[0]["components"]) >= {"rules", "model", "fused"}
    assert "checked 2 messages: high 1" in capsys.readouterr().err


def test_batch_reports_the_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "text": "ok"}\n{"id": 2, "text": \n', "utf-8")
    assert main(["batch", str(source)]) == 2
    assert f"{source}:2: not valid JSON" in capsys.readouterr().err


def test_eval_prints_components_side_by_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "tiny.jsonl"
    rows = [
        {"text": SCAM, "label": "fraud", "type": "冒充公检法", "split": "test"},
        {
            "text": "兼职刷单日赚300，先垫付后返佣金",
            "label": "fraud",
            "type": "刷单返利",
            "split": "test",
        },
        {"text": "明天上午十点开会", "label": "normal", "type": "正常", "split": "test"},
        {"text": "这行属于训练集", "label": "normal", "type": "正常", "split": "train"},
    ]
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    assert main(["eval", str(data), "--split", "test", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    tiny = report["sources"]["tiny"]
    assert tiny["rows"] == 3 and tiny["fraud_rows"] == 2
    rules = tiny["components"]["rules"]
    assert rules["precision"] == 1.0 and rules["recall"] == 1.0 and rules["fpr"] == 0.0
    assert rules["type_accuracy"] == 1.0
    assert rules["f1_interval"] == [1.0, 1.0]  # every resample is all right
    assert tiny["components"]["model"] is None
    assert tiny["levels"]["high"] == {"rows": 2, "fraud": 2}
    assert tiny["levels"]["capped"] == {"rows": 0, "fraud": 0}
    assert main(["eval", str(data), "--split", "test"]) == 0
    printed = capsys.readouterr()
    assert "rules" in printed.out and "fused" in printed.out and "(not available)" in printed.out
    assert "levels (fused): high 2 (2 fraud), medium 0 (0 fraud)" in printed.out
    assert "1.000–1.000" in printed.out and "95% interval" in printed.out
    # No fraud among the train rows: the baseline cannot be fitted, and stderr says why.
    assert printed.err.startswith("no baseline: these files have no train rows with fraud")


def test_risk_levels_count_the_medium_verdicts_held_back_for_want_of_a_red_flag() -> None:
    from classifier import Analyzer, RiskLevel, Verdict

    rows = [{"label": "fraud"}, {"label": "normal"}, {"label": "fraud"}, {"label": "normal"}]
    verdicts = [
        Verdict(RiskLevel.HIGH, 0.9, None),
        Verdict(RiskLevel.MEDIUM, 0.9, None),  # a high score shown as medium
        Verdict(RiskLevel.MEDIUM, 0.6, None),
        Verdict(RiskLevel.SAFE, 0.1, None),
    ]
    assert risk_levels(rows, verdicts, Analyzer()) == {
        "high": {"rows": 1, "fraud": 1},
        "medium": {"rows": 2, "fraud": 1},
        "capped": {"rows": 1, "fraud": 0},
    }


def test_eval_fits_the_baseline_on_files_without_rows_of_the_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labelled = tmp_path / "labelled.jsonl"
    train = [
        {"text": f"{SCAM}，编号{i}", "label": "fraud", "type": "冒充公检法", "split": "train"}
        for i in range(6)
    ] + [
        {
            "text": f"明天上午{i}点开会，记得带电脑",
            "label": "normal",
            "type": "正常",
            "split": "train",
        }
        for i in range(6)
    ]
    labelled.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in train), "utf-8")
    outside = tmp_path / "outside.jsonl"
    held = [
        {"text": SCAM, "label": "fraud", "type": "impersonate_police", "split": "holdout"},
        {"text": "周末一起吃饭吗", "label": "normal", "type": "正常", "split": "holdout"},
        {"text": "下午三点到会议室", "label": "normal", "type": "正常", "split": "holdout2"},
    ]
    outside.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in held), "utf-8")
    assert main(["eval", str(labelled), str(outside), "--split", "holdout", "--json"]) == 0
    printed = capsys.readouterr()
    report = json.loads(printed.out)
    assert list(report["sources"]) == ["outside"]
    assert report["sources"]["outside"]["components"]["baseline"] is not None
    assert "labelled.jsonl: no rows with split=holdout, train rows only" in printed.err
    assert main(["eval", str(labelled), "--split", "nowhere"]) == 2
    assert "no rows with split=nowhere in any file" in capsys.readouterr().err
    # Several splits at once, comma-separated.
    assert main(["eval", str(outside), "--split", "holdout,holdout2", "--json"]) == 0
    both = json.loads(capsys.readouterr().out)
    assert both["sources"]["outside"]["rows"] == 3


def test_type_accuracy_reports_catch_all_refinements_separately(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "prizes.jsonl"
    prize = (
        "恭喜您被节目组抽选为场外幸运观众，获得奖金十万元及笔记本电脑一台，"
        "请登录网站领取，需先交保证金"
    )
    rows = [{"text": prize, "label": "fraud", "type": "其他诈骗", "split": "test"}]
    data.write_text(json.dumps(rows[0], ensure_ascii=False), "utf-8")
    assert main(["eval", str(data), "--split", "test", "--json"]) == 0
    rules = json.loads(capsys.readouterr().out)["sources"]["prizes"]["components"]["rules"]
    # The rules call it 虚假中奖, a type the data has no label for: wrong strictly, but a
    # finer answer than the data's catch-all 其他诈骗.
    assert rules["recall"] == 1.0
    assert rules["type_accuracy"] == 0.0 and rules["type_accuracy_refined"] == 1.0


def test_binary_metrics() -> None:
    metrics = binary_metrics([True, True, False, False], [True, False, True, False])
    assert metrics["precision"] == 0.5 and metrics["recall"] == 0.5 and metrics["fpr"] == 0.5
    assert binary_metrics([False], [False])["recall"] is None


def test_f1_interval_brackets_f1_and_narrows_with_more_rows() -> None:
    # 8 of 10 fraud rows caught, no false alarm: F1 0.889.
    truth = [True] * 10 + [False] * 10
    predicted = [True] * 8 + [False] * 12
    low, high = f1_interval(truth, predicted) or (0.0, 0.0)
    assert low < 0.889 < high <= 1.0
    wide = high - low
    low, high = f1_interval(truth * 20, predicted * 20) or (0.0, 0.0)
    assert low < 0.889 < high and high - low < wide / 3
    assert f1_interval([False, False], [True, False]) is None


def test_bench_prints_its_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    assert "messages/s" in out and "p95" in out and "start-up" in out and "GFLOP/s" in out
    assert "longest message (20,000 characters): digits" in out


def test_model_bench_prints_load_memory_latency_and_throughput(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["bench", "--model", "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    for expected in ("machine:", "model load", "resident memory", "p95", "messages/s", "int8"):
        assert expected in out


def test_the_model_bench_cuts_distinct_hundred_character_messages() -> None:
    texts = ["您的账户涉嫌洗钱，请将资金转入安全账户配合调查", "妈，我今晚回家吃饭"]
    messages = hundred_characters(texts, cuts=3)
    assert len(messages) == len(set(messages)) == 6  # copies would pad too well in a batch
    assert {len(message) for message in messages} == {100}


def test_bot_bench_prints_throughput_latency_and_memory() -> None:
    summary = run_bot_benchmark(users=2, seconds=1.0, think=0.1, model=False)
    assert "model off (rules only)" in summary
    assert "updates/s" in summary and "p95" in summary
    assert "Bot API errors: 0, failed checks: 0" in summary
    assert "resident memory of this process at the end:" in summary
