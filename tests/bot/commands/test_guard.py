"""scamcheck rules-diff: the knowledge guard, on knowledge folders edited for the test."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

import knowledge
from bot.cli import main

SCAM = "您好，我是公安局民警，您的账户涉嫌洗钱，请将资金转入安全账户配合调查"
EVERYDAY = "妈，周末大扫除，记得把旧报纸留着"
UNCHANGED = "明天下午三点开会，请准时参加"


def _knowledge_copy(folder: Path, *, benign: str = "", red_flag: str = "") -> Path:
    """The bundled knowledge copied to ``folder``, with one more benign phrase (a warning's
    wording) and one more phrase for the secrecy red flag."""
    shutil.copytree(Path(knowledge.__file__).parent, folder)
    path = folder / "common.yaml"
    common = yaml.safe_load(path.read_text(encoding="utf-8"))
    for section, key, phrase in (
        ("benign", "benign.police_warning", benign),
        ("red_flags", "common.secrecy", red_flag),
    ):
        if phrase:
            entry = next(item for item in common[section] if item["id"] == key)
            entry["phrases"].append(phrase)
    path.write_text(yaml.safe_dump(common, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def _data(path: Path) -> Path:
    rows = [
        {"id": "s1", "text": SCAM, "label": "fraud", "split": "a"},
        {"id": "n1", "text": EVERYDAY, "label": "normal", "split": "a"},
        {"id": "n2", "text": UNCHANGED, "label": "normal", "split": "b"},
    ]
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), "utf-8")
    return path


def test_lists_everyday_rows_that_rose_and_scams_that_fell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _knowledge_copy(tmp_path / "before")
    after = _knowledge_copy(tmp_path / "after", benign="配合调查", red_flag="旧报纸留着")
    data = _data(tmp_path / "rows.jsonl")
    args = ["rules-diff", str(data), "--before", str(before), "--after", str(after)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 rows scored; 2 moved; 1 everyday rows rose")
    assert "1 scams fell" in out
    rose, fell = out.split("everyday rows that rose:")[1].split("scams that fell:")
    assert "n1" in rose and "s1" in fell and "n2" not in out

    assert main([*args, "--json"]) == 0
    moved = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {row["id"]: row["after"] > row["before"] for row in moved} == {"n1": True, "s1": False}

    # The parts kept unread stay out; --show 0 prints the counts only.
    assert main([*args, "--exclude-split", "a", "--show", "0"]) == 0
    counts = "1 rows scored; 0 moved; 0 everyday rows rose; 0 scams fell"
    assert capsys.readouterr().out.strip() == counts


def test_a_git_revision_is_the_committed_knowledge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if shutil.which("git") is None or not (Path(knowledge.__file__).parents[1] / ".git").exists():
        pytest.skip("needs the git checkout")
    data = _data(tmp_path / "rows.jsonl")
    before = _knowledge_copy(tmp_path / "before")
    # HEAD's knowledge against a copy of the working tree's: in a clean checkout, the same.
    assert main(["rules-diff", str(data), "--split", "b", "--after", str(before)]) == 0
    assert capsys.readouterr().out.startswith("1 rows scored; 0 moved")


def test_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _data(tmp_path / "rows.jsonl")
    assert main(["rules-diff", str(data), "--before", "no-such-revision-xyz"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("scamcheck: error: --before no-such-revision-xyz")
    assert "\n" not in error.strip()
    assert main(["rules-diff", str(data), "--split", "zzz"]) == 2
    assert "no rows to score with split=zzz" in capsys.readouterr().err
