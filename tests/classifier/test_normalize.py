"""Normalisation: each evasion step, the offset map, and properties on arbitrary text."""

from __future__ import annotations

import random
import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier.normalize import (
    SUBSTITUTIONS,
    NormalizedText,
    clean_preserving_case,
    deobfuscate_urls,
    fold_digits,
    normalize,
)

# Every code point, lone surrogates included.
ANY_CHARACTER = st.characters(exclude_categories=())
ANY_TEXT = st.text(ANY_CHARACTER, max_size=400)
# Text made of the pieces the steps react to, so properties exercise every branch.
FRAGMENTS = [
    "安 全 账 户",
    "請將資金轉入國家安全賬戶",
    "加V信",
    "ＡＢＣ１２３",
    "\u200b",
    "\ufe0f",
    "\u202e",
    "\ud800",
    "а",
    "𝐚",
    "①",
    "⑴",
    "138 1234 5678",
    "一三八",
    "www点abc点com",
    "abc[.]cn",
    " ",
    "\n",
    "\t",
    "qq",
    "扣扣",
    "wx",
    "İ",
    "ﬁ",
    "㎞",
    "\x00",
    "乾隆",
    "x",
    "9",
]
FRAGMENT_TEXT = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)


def check_offset_map(norm: NormalizedText) -> None:
    """The map is one pair per character, in bounds, non-empty and non-decreasing."""
    assert len(norm.starts) == len(norm.ends) == len(norm.text)
    previous_start = previous_end = 0
    for start, end in zip(norm.starts, norm.ends, strict=True):
        assert 0 <= start < end <= len(norm.original)
        assert start >= previous_start
        assert end >= previous_end
        previous_start, previous_end = start, end


# ---------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # whitespace between CJK characters goes, elsewhere it collapses
        ("安 全 账 户", "安全账户"),
        ("安\u3000全\u3000账\u3000户", "安全账户"),
        ("尾号 1234 的卡", "尾号 1234 的卡"),
        ("a  \t b", "a b"),
        ("a \n\n b", "a\nb"),
        # zero-width and other invisible characters
        *[(f"微{ch}信", "微信") for ch in "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062"],
        *[(f"微{ch}信", "微信") for ch in "\u2063\u2064\ufeff\u00ad\ufe0f\u202e\u180e\u034f"],
        ("微\U000e0100信\U000e0041", "微信"),
        ("微\x00信\x07", "微信"),
        ("安\u0336全\u0301", "安全"),  # zalgo-style combining marks
        # full-width letters, digits and punctuation
        ("ＡＢＣ１２３：，", "abc123:,"),
        # homoglyphs (Cyrillic, Greek, mathematical, Cherokee) → ASCII; CJK untouched
        ("раураl", "paypal"),
        ("ІСВС", "icbc"),
        ("gοοgle", "google"),
        ("𝐢𝐜𝐛𝐜 𝕒𝕓𝕔", "icbc abc"),
        ("ᎪᏴ", "ab"),
        ("〇口丨", "〇口丨"),
        # digits of any form
        ("①②③", "123"),
        ("⑴⑵⒈", "121"),
        ("❶❷➌", "123"),
        ("1️⃣2️⃣3️⃣", "123"),
        ("١٢٣", "123"),
        ("²", "2"),
        # Traditional → Simplified, phrase-aware
        ("請將資金轉入國家安全賬戶", "请将资金转入国家安全账户"),
        ("頭髮乾燥", "头发干燥"),
        ("乾隆", "乾隆"),
        # Latin lower-cased, odd lower-casings handled
        ("ICBC İstanbul", "icbc istanbul"),
        # lone surrogates are dropped, not an error
        ("a\ud800b\udfffc", "abc"),
    ],
)
def test_normalize_steps(raw: str, expected: str) -> None:
    norm = normalize(raw)
    assert norm.text == expected
    check_offset_map(norm)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("加V信：kf_8899", "加微信:kf_8899"),
        ("V 信", "微信"),
        ("薇信", "微信"),
        ("威信", "微信"),
        ("微x", "微信"),
        ("微Ｘ号", "微信号"),
        ("wei信", "微信"),
        ("加VX 123", "加微信 123"),
        ("加wx13812345678", "加微信13812345678"),
        ("加V: abc", "加微信: abc"),
        ("扣扣 123456", "qq 123456"),
        ("Q Q群", "qq群"),
        ("企鹅号", "qq号"),
        ("支fu宝", "支付宝"),
        ("支付bao", "支付宝"),
        ("ZFB转账", "支付宝转账"),
        ("支 付 宝", "支付宝"),
        ("倌網", "官网"),
        ("倌网", "官网"),
        ("薪葡京", "新葡京"),
        ("注册曽送", "注册赠送"),
        ("菠菜平台", "博彩平台"),
        ("兼zhi刷dan", "兼职刷单"),
        # left alone: ids, words, host names, e-mail addresses, spinach
        ("wx_8899", "wx_8899"),
        ("vxyz", "vxyz"),
        ("wx.qq.com", "wx.qq.com"),
        ("https://abc.com/vx", "https://abc.com/vx"),
        ("zfb@163.com", "zfb@163.com"),
        ("我爱吃菠菜", "我爱吃菠菜"),
    ],
)
def test_substitutions(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


def test_substitution_table_is_data() -> None:
    for pattern, replacement, why in SUBSTITUTIONS:
        assert re.compile(pattern).groups == 0
        assert replacement
        assert why


def test_to_original_points_at_what_the_user_sent() -> None:
    original = "请加Ｖ\u200b信：ＫＦ＿８８９９"
    norm = normalize(original)
    assert norm.text == "请加微信:kf_8899"
    start = norm.text.index("kf_8899")
    a, b = norm.to_original(start, start + len("kf_8899"))
    assert original[a:b] == "ＫＦ＿８８９９"
    a, b = norm.to_original(2, 4)  # 微信
    assert original[a:b] == "Ｖ\u200b信"


def test_from_original_inverts_to_original() -> None:
    original = "请加Ｖ\u200b信：ＫＦ＿８８９９"
    norm = normalize(original)
    start = original.index("ＫＦ")
    a, b = norm.from_original(start, len(original))
    assert norm.text[a:b] == "kf_8899"
    assert norm.to_original(a, b) == (start, len(original))
    a, b = norm.from_original(2, 5)  # Ｖ, the zero-width space and 信
    assert norm.text[a:b] == "微信"


def test_to_original_of_collapsed_and_expanded_characters() -> None:
    norm = normalize("a   b ㎞")
    assert norm.text == "a b km"
    assert norm.to_original(1, 2) == (1, 4)  # the space came from three
    assert norm.to_original(4, 5) == (6, 7)  # "k" and "m" both came from ㎞
    assert norm.to_original(5, 6) == (6, 7)


def test_to_original_empty_spans_and_bounds() -> None:
    norm = normalize("ab\u200b")
    assert norm.to_original(0, 0) == (0, 0)
    assert norm.to_original(2, 2) == (2, 2)
    assert normalize("\u200b").to_original(0, 0) == (0, 0)
    with pytest.raises(ValueError, match="outside"):
        norm.to_original(0, 3)
    with pytest.raises(ValueError, match="outside"):
        norm.to_original(2, 1)


def test_clean_preserving_case() -> None:
    assert clean_preserving_case("ＡｂＣ\u200b/Ｘｙ") == "AbC/Xy"
    assert clean_preserving_case("ТКzх") == "TKzx"  # Cyrillic capitals stay capitals


# ---------------------------------------------------------------------------------------
# Extraction views
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("138.1234.5678", "13812345678"),
        ("1 3 8 1 2 3 4 5 6 7 8", "13812345678"),
        ("一三八一二三四五六七八", "13812345678"),
        ("幺三八 零零幺三 八零零零", "13800138000"),
        ("壹贰叁肆伍陆", "123456"),
        ("138一二三四5678", "13812345678"),
        ("电话 400 - 123 - 4567 谢谢", "电话 4001234567 谢谢"),
        # fewer than four digits, or nothing to join: unchanged
        ("1.5万", "1.5万"),
        ("一二", "一二"),
        ("第一个", "第一个"),
        ("13812345678", "13812345678"),
    ],
)
def test_fold_digits(raw: str, expected: str) -> None:
    folded = fold_digits(raw)
    assert folded.text == expected


def test_fold_digits_maps_back_exactly() -> None:
    source = "电话：138 1234 5678。"
    folded = fold_digits(source)
    start = folded.text.index("138")
    a, b = folded.to_source(start, start + 11)
    assert source[a:b] == "138 1234 5678"
    a, b = folded.to_source(start + 3, start + 7)  # "1234"
    assert source[a:b] == "1234"


def test_circled_digits_fold_through_normalize() -> None:
    norm = normalize("①③⑧①②③④⑤⑥⑦⑧")
    folded = fold_digits(norm.text)
    assert folded.text == "13812345678"
    assert norm.to_original(*folded.to_source(0, 11)) == (0, 11)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("www点abc点com", "www.abc.com"),
        ("abc。com", "abc.com"),
        ("abc(.)com", "abc.com"),
        ("abc[.]com/x", "abc.com/x"),
        ("abc . com", "abc.com"),
        ("abc【点】cn", "abc.cn"),
        ("abc dot com", "abc.com"),
        ("abc.com", "abc.com"),
        # not a top-level domain after the "dot": unchanged
        ("下午3点钟", "下午3点钟"),
        ("1.5", "1.5"),
        ("abc点xyz123", "abc点xyz123"),
    ],
)
def test_deobfuscate_urls(raw: str, expected: str) -> None:
    assert deobfuscate_urls(raw).text == expected


def test_full_width_dot_is_undone_by_normalize() -> None:
    norm = normalize("ａｂｃ．ｃｏｍ")
    assert norm.text == "abc.com"
    assert deobfuscate_urls(norm.text).text == "abc.com"


def test_deobfuscate_urls_maps_back() -> None:
    source = "登录www点abc点com"
    view = deobfuscate_urls(source)
    a, b = view.to_source(2, 2 + len("www.abc.com"))
    assert source[a:b] == "www点abc点com"


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(ANY_TEXT, FRAGMENT_TEXT))
def test_normalize_is_total_and_its_map_is_sound(text: str) -> None:
    norm = normalize(text)
    assert norm.original == text
    check_offset_map(norm)
    if norm.text:
        a, b = norm.to_original(0, len(norm.text))
        assert 0 <= a <= b <= len(text)
    for view in (fold_digits(norm.text), deobfuscate_urls(norm.text)):
        assert len(view.starts) == len(view.text)
        for start, end in zip(view.starts, view.ends, strict=True):
            assert 0 <= start < end <= len(norm.text)


PRINTABLE_ASCII = st.text(st.sampled_from(string.printable), max_size=300)


@settings(max_examples=300, deadline=None)
@given(PRINTABLE_ASCII)
def test_ascii_round_trip(text: str) -> None:
    """For ASCII input every ASCII output character maps back to itself (lower-cased)."""
    norm = normalize(text)
    check_offset_map(norm)
    for i, ch in enumerate(norm.text):
        a, b = norm.to_original(i, i + 1)
        source = text[a:b].lower()
        if ch.isspace():
            assert source.isspace()
        elif ch.isascii() and len(source) == 1:
            assert source == ch
        elif ch.isascii():  # a table entry that changed length ("Q Q" → "qq")
            assert ch in source


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(string.ascii_letters + string.digits + "./:-_@"), max_size=300))
def test_ascii_without_spaces_maps_one_to_one(text: str) -> None:
    norm = normalize(text)
    if len(norm.text) == len(text):
        assert norm.starts == tuple(range(len(text)))
        assert all(norm.to_original(i, j) == (i, j) for i in range(len(text)) for j in (i + 1,))


def _random_text(rng: random.Random, size: int) -> str:
    return "".join(chr(rng.randrange(0, 0x110000)) for _ in range(size))


@pytest.mark.parametrize(
    "text",
    [
        _random_text(random.Random(7), 100_000),
        "".join(random.Random(8).choice(FRAGMENTS) for _ in range(20_000)),
        "1" * 100_000,
        "1 " * 50_000,
        "a." * 50_000,
        "一" * 100_000,
        "\u200b" * 100_000,
        "安 " * 50_000,
        "a" * 100_000,
    ],
    ids=["random", "fragments", "digits", "spaced", "dots", "cn-digits", "zw", "cjk", "letters"],
)
def test_normalize_big_inputs(text: str) -> None:
    norm = normalize(text)
    check_offset_map(norm)
    fold_digits(norm.text)
    deobfuscate_urls(norm.text)
