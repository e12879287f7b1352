"""Broken knowledge files fail with the right file, line and reason."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

import knowledge
from knowledge import KnowledgeError, load_knowledge
from knowledge._text import phrase_problem, regex_problem

SHIPPED = Path(knowledge.__file__).parent

# A valid fraud type; tests break one line of it. Line numbers matter: keep the layout.
VALID_TYPE = """\
key: zz_test
name: 测试类型
summary: 测试用的诈骗类型。
description: 这是第一句。这是第二句。
advice: [stop_no_transfer]
what_to_do:
  - 不要转账。
  - 先核实。
red_flags:
  - id: zz_test.first
    phrases: [测试短语]
    weight: 0.5
    explain: 第一条。
  - id: zz_test.second
    phrases: [另一个短语]
    regex: 日赚\\d+
    weight: 0.3
    explain: 第二条。
combos:
  - id: zz_test.both
    all: [zz_test.first, zz_test.second]
    weight: 0.4
    explain: 两条一起出现。
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the shipped knowledge files, plus one valid extra fraud type."""
    dest = tmp_path / "knowledge"
    shutil.copytree(SHIPPED, dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (dest / "fraud_types" / "zz_test.yaml").write_text(VALID_TYPE, encoding="utf-8")
    return dest


def _write_type(root: Path, old: str, new: str) -> None:
    assert old in VALID_TYPE
    (root / "fraud_types" / "zz_test.yaml").write_text(
        VALID_TYPE.replace(old, new, 1), encoding="utf-8"
    )


def _error(root: Path) -> KnowledgeError:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(root)
    return info.value


def test_copy_with_extra_type_loads(root: Path) -> None:
    kb = load_knowledge(root)
    assert kb.flag("zz_test.second").regex == r"日赚\d+"
    assert kb.flag_types("zz_test.both") == ("zz_test",)


def test_bad_weight(root: Path) -> None:
    _write_type(root, "    weight: 0.3\n", "    weight: 1.5\n")
    err = _error(root)
    assert (err.file, err.line) == ("knowledge/fraud_types/zz_test.yaml", 17)
    assert err.reason == "red_flags[1].weight: must be in (0, 1]"
    assert str(err) == (
        "knowledge/fraud_types/zz_test.yaml:17: red_flags[1].weight: must be in (0, 1]"
    )


def test_zero_weight(root: Path) -> None:
    _write_type(root, "    weight: 0.5\n", "    weight: 0\n")
    err = _error(root)
    assert err.line == 12
    assert "must be in (0, 1]" in err.reason


def test_unknown_combo_reference(root: Path) -> None:
    _write_type(root, "all: [zz_test.first, zz_test.second]", "all: [zz_test.first, zz_test.third]")
    err = _error(root)
    assert err.line == 21
    assert err.reason.startswith("combos[0].all[1]: unknown red flag 'zz_test.third'")


def test_combo_cannot_use_another_types_flag(root: Path) -> None:
    _write_type(
        root, "all: [zz_test.first, zz_test.second]", "all: [zz_test.first, gambling.rebate]"
    )
    err = _error(root)
    assert err.line == 21
    assert "unknown red flag 'gambling.rebate'" in err.reason


def test_duplicate_id_within_file(root: Path) -> None:
    _write_type(root, "  - id: zz_test.second\n", "  - id: zz_test.first\n")
    err = _error(root)
    assert err.line == 14
    assert "duplicate id 'zz_test.first'" in err.reason
    assert "zz_test.yaml:10" in err.reason


def test_duplicate_id_across_files(root: Path) -> None:
    path = root / "fraud_types" / "gambling.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("id: gambling.rebate\n", "id: gambling.bonus\n"), "utf-8")
    err = _error(root)
    assert err.file == "knowledge/fraud_types/gambling.yaml"
    assert "duplicate id 'gambling.bonus'" in err.reason


def test_id_must_start_with_type_key(root: Path) -> None:
    _write_type(root, "  - id: zz_test.second\n", "  - id: other_type.second\n")
    err = _error(root)
    assert err.line == 14
    assert "must start with 'zz_test.'" in err.reason


def test_unsafe_regex(root: Path) -> None:
    _write_type(root, "    regex: 日赚\\d+\n", "    regex: (a+)+$\n")
    err = _error(root)
    assert err.line == 16
    assert err.reason.startswith("red_flags[1].regex: regex '(a+)+$' may backtrack")


def test_regex_that_does_not_compile(root: Path) -> None:
    _write_type(root, "    regex: 日赚\\d+\n", "    regex: 日赚(\\d+\n")
    err = _error(root)
    assert err.line == 16
    assert "does not compile" in err.reason


def test_yaml_syntax_error(root: Path) -> None:
    _write_type(root, "    phrases: [另一个短语]\n", "    phrases: [另一个短语\n")
    err = _error(root)
    assert err.file == "knowledge/fraud_types/zz_test.yaml"
    assert err.reason.startswith("YAML syntax error")
    assert err.line is not None and 15 <= err.line <= 17


def test_unknown_field(root: Path) -> None:
    _write_type(root, "    weight: 0.3\n", "    wieght: 0.3\n")
    err = _error(root)
    # The misspelt key is reported (not the then-missing `weight`), on its own line.
    assert err.line == 17
    assert err.reason.startswith("red_flags[1].wieght: unknown field")
    assert err.reason.endswith("(and 1 more problem in this file)")


def test_unknown_top_level_field(root: Path) -> None:
    _write_type(root, "summary: 测试用的诈骗类型。\n", "summary: 测试用的诈骗类型。\ncolour: red\n")
    err = _error(root)
    assert err.line == 4
    assert err.reason.startswith("colour: unknown field")


def test_missing_field(root: Path) -> None:
    _write_type(root, "    explain: 第一条。\n", "")
    err = _error(root)
    assert err.line == 10
    assert err.reason == "red_flags[0].explain: required field is missing"


def test_traditional_phrase(root: Path) -> None:
    _write_type(root, "phrases: [测试短语]", "phrases: [銀行帳戶]")
    err = _error(root)
    assert err.line == 11
    assert "Traditional" in err.reason
    assert "银行" in err.reason


def test_upper_case_phrase(root: Path) -> None:
    _write_type(root, "phrases: [测试短语]", "phrases: [测试, APK]")
    err = _error(root)
    assert err.line == 11
    assert err.reason.startswith("red_flags[0].phrases[1]: phrase 'APK' contains upper-case")


def test_full_width_phrase(root: Path) -> None:
    _write_type(root, "phrases: [测试短语]", "phrases: [ａｐｋ]")
    err = _error(root)
    assert "full-width" in err.reason


def test_phrase_with_space(root: Path) -> None:
    _write_type(root, "phrases: [测试短语]", "phrases: [测试 短语]")
    err = _error(root)
    assert "spaces" in err.reason


def test_key_must_equal_file_name(root: Path) -> None:
    _write_type(root, "key: zz_test\n", "key: zz_other\n")
    err = _error(root)
    assert err.line == 1
    assert "must equal the file name 'zz_test'" in err.reason


def test_dataset_label_mapped_twice(root: Path) -> None:
    _write_type(
        root,
        "advice: [stop_no_transfer]\n",
        "dataset_types: [网络赌博]\nadvice: [stop_no_transfer]\n",
    )
    err = _error(root)
    assert "already mapped by type 'gambling'" in err.reason


def test_unknown_advice_key(root: Path) -> None:
    _write_type(root, "advice: [stop_no_transfer]", "advice: [stop_no_transfer, no_such_advice]")
    err = _error(root)
    assert err.line == 5
    assert err.reason == "advice[1]: unknown advice key 'no_such_advice' (see advice.yaml)"


def test_duplicate_yaml_key(root: Path) -> None:
    _write_type(root, "    weight: 0.5\n", "    weight: 0.5\n    weight: 0.6\n")
    err = _error(root)
    assert err.line == 13
    assert "appears twice" in err.reason


def test_description_sentence_count(root: Path) -> None:
    _write_type(root, "description: 这是第一句。这是第二句。", "description: 只有一句。")
    err = _error(root)
    assert err.line == 1
    assert "2 to 4 sentences" in err.reason


def test_benign_weight_must_be_negative(root: Path) -> None:
    path = root / "common.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    weight: -0.5\n", "    weight: 0.5\n", 1), "utf-8")
    err = _error(root)
    assert err.file == "knowledge/common.yaml"
    assert "must be in [-1, 0)" in err.reason


def test_bin_of_unknown_bank(root: Path) -> None:
    path = root / "banks_bin.yaml"
    path.write_text('bins:\n  icbc: ["622202"]\n  alipay: ["622999"]\n', "utf-8")
    err = _error(root)
    assert (err.file, err.line) == ("knowledge/banks_bin.yaml", 3)
    assert "'alipay' is not a bank" in err.reason


def test_missing_file(root: Path) -> None:
    (root / "hosts.yaml").unlink()
    err = _error(root)
    assert str(err) == "knowledge/hosts.yaml: file is missing"


def test_error_pickles() -> None:
    err = KnowledgeError("x: bad", "knowledge/a.yaml", 3)
    again = pickle.loads(pickle.dumps(err))
    assert (again.reason, again.file, again.line) == ("x: bad", "knowledge/a.yaml", 3)


@pytest.mark.parametrize(
    "pattern",
    [r"(a+)+$", r"(\d*)*", r"(x+y?)+", r"(?:a|b+){2}", r"((ab)*c)+", r"(a(?>b+))+"],
)
def test_unsafe_regexes_are_rejected(pattern: str) -> None:
    problem = regex_problem(pattern)
    assert problem is not None and "backtrack" in problem


@pytest.mark.parametrize(
    "pattern",
    [r"日赚\d+", r"(ab|cd)+", r"(a{1,3})+", r"客服.{0,10}退款", r"\d{16,19}", r"(?:x|y)z+"],
)
def test_safe_regexes_are_accepted(pattern: str) -> None:
    assert regex_problem(pattern) is None


@pytest.mark.parametrize(
    "pattern",
    [r"\d+ ?天(内)?出证", r"(每笔|\d+ ?个点)", r"(?:x|\d*)y", r"[\d一二]+ ?元"],
)
def test_regexes_opening_with_a_digit_run_are_rejected(pattern: str) -> None:
    problem = regex_problem(pattern)
    assert problem is not None and "quadratically" in problem


@pytest.mark.parametrize("pattern", [r"(?<!\d)\d+ ?天", r"a(b|\d+ ?期)", r"x(\d+)", r"\d{1,4}次"])
def test_anchored_or_bounded_digit_runs_are_accepted(pattern: str) -> None:
    assert regex_problem(pattern) is None


def test_regex_matching_empty_string_is_rejected() -> None:
    problem = regex_problem("a*")
    assert problem is not None and "empty string" in problem


@pytest.mark.parametrize(
    ("phrase", "ok"),
    [("安全账户", True), ("apple id", True), ("帐户", True), ("銀行", False), ("Apple", False)],
)
def test_phrase_normal_form(phrase: str, ok: bool) -> None:
    assert (phrase_problem(phrase) is None) is ok
