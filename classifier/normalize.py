"""Evasion-proof normalisation with an exact map back to what the user sent.

`normalize(text)` undoes the tricks scam senders use to slip past keyword filters and
returns a `NormalizedText`: the normalised `text` that rules match on, plus, for every
character of it, the span of the `original` it came from. Each step is one small function
over a `_Buffer` (text + offsets); `_rewrite` applies a regex-driven replacement and keeps
the offsets right, copying untouched stretches in bulk so that the whole thing stays linear:

1. `_map_characters`: per character, drop invisible / format characters (zero-width,
   bidi controls, soft hyphen, variation selectors, combining marks...), turn circled /
   parenthesised digits into digits, NFKC (full-width → half-width, math alphanumerics,
   ligatures), any script's decimal digits → ASCII, Latin-looking homoglyphs → ASCII
   (Unicode confusables data, never for CJK characters), lower-case.
2. `_collapse_whitespace`: whitespace runs → one space (one newline if the run had one).
3. `_join_cjk`: drop the space between two CJK characters (`安 全 账 户` → `安全账户`).
4. `_to_simplified`: Traditional → Simplified with OpenCC `t2s` (phrase-aware).
5. `_substitute`: the `SUBSTITUTIONS` table below (V信 → 微信, 扣扣 → qq, zfb → 支付宝...).

Two more views serve extraction, each a `MappedText` over the normalised text:
`fold_digits` (spaced / dashed / Chinese-numeral digits → one ASCII digit run) and
`deobfuscate_urls` (`www点abc点com`, `abc[.]com`, `abc . com` → `www.abc.com`).

Everything here is pure and total: any `str` (lone surrogates included) is accepted.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final

import opencc
import tldextract
from confusable_homoglyphs import confusables

__all__ = [
    "SUBSTITUTIONS",
    "TLD_EXTRACT",
    "MappedText",
    "NormalizedText",
    "clean_preserving_case",
    "deobfuscate_urls",
    "fold_digits",
    "normalize",
]

# ---------------------------------------------------------------------------------------
# The substitution table: evasive spellings seen in fraud SMS → the word rules look for.
#
# Matched on the normalised text (lower-case, NFKC, Simplified, whitespace collapsed), so
# write patterns in that form: `V信` is written `v信`, `倌網` is written `倌网`. One entry =
# (regex without capturing groups, replacement, why). Earlier entries win at the same
# position, so longer spellings come first. Latin entries carry their own word boundaries
# (`_NO_LATIN_BEFORE` / `_NO_LETTER_AFTER`) so that ids such as `wx_8899` or words such as
# `vxyz` stay untouched; digits may follow (`vx13812345678`). Host names, URLs and e-mail
# addresses are never rewritten (see `_PROTECTED`). Be conservative: a false rewrite
# changes what every rule sees.
# ---------------------------------------------------------------------------------------
_NO_LATIN_BEFORE: Final = r"(?<![a-z0-9_])"
_NO_LETTER_AFTER: Final = r"(?![a-z_])"

SUBSTITUTIONS: Final[tuple[tuple[str, str, str], ...]] = (
    # --- WeChat ---------------------------------------------------------------------
    (r"wei ?信|微 ?xin" + _NO_LETTER_AFTER, "微信", "wei信, 微xin"),
    (r"微 ?x" + _NO_LETTER_AFTER, "微信", "微x, 微X"),
    (_NO_LATIN_BEFORE + r"v ?信", "微信", "V信, v信"),
    (r"[薇威徽]信", "微信", "薇信, 威信, 徽信 (威信 also means prestige: rare in SMS)"),
    (r"[微薇][❤♥]", "微信", "微❤ (the emoji variation selector is already gone)"),
    (_NO_LATIN_BEFORE + r"(?:vx|wx|weixin|wechat)" + _NO_LETTER_AFTER, "微信", "vx, wx"),
    (r"(?<=加)v" + _NO_LETTER_AFTER, "微信", "加V: id"),
    # --- QQ ----------------------------------------------------------------------------
    (r"[扣抠]{2}", "qq", "扣扣, 抠抠"),
    (_NO_LATIN_BEFORE + r"q q" + _NO_LETTER_AFTER, "qq", "Q Q"),
    (r"企鹅号", "qq号", "企鹅号 (QQ's penguin mascot)"),
    # --- Alipay ------------------------------------------------------------------------
    (r"支 ?fu ?宝|支付 ?bao|zhi ?付宝|吱付宝|支f宝", "支付宝", "支fu宝, 支付bao, 吱付宝"),
    (_NO_LATIN_BEFORE + r"(?:zfb|zhifubao)" + _NO_LETTER_AFTER, "支付宝", "zfb"),
    # --- Official site, gifts, gambling ---------------------------------------------------
    (r"倌网", "官网", "倌網 / 倌网 (t2s has already turned 網 into 网)"),
    (r"曽", "赠", "曽送: the Japanese form of 曾 standing in for 赠 (注册曽送)"),
    (r"薪葡京", "新葡京", "casino brand with 新 swapped for 薪"),
    (r"菠菜(?=网|平台|app|担保|导师|群|项目|网站|台子|公司|游戏)", "博彩", "菠菜 = BC = 博彩"),
    (r"博cai|bo彩", "博彩", "half-pinyin 博彩"),
    (r"彩jin" + _NO_LETTER_AFTER, "彩金", "half-pinyin 彩金"),
    # --- Half-pinyin jobs / loans / refunds ---------------------------------------------
    (r"兼zhi" + _NO_LETTER_AFTER, "兼职", "half-pinyin 兼职"),
    (r"刷dan" + _NO_LETTER_AFTER, "刷单", "half-pinyin 刷单"),
    (r"返li" + _NO_LETTER_AFTER, "返利", "half-pinyin 返利"),
    (r"dai款|贷kuan" + _NO_LETTER_AFTER, "贷款", "half-pinyin 贷款"),
    (r"网dai" + _NO_LETTER_AFTER, "网贷", "half-pinyin 网贷"),
    (r"银hang" + _NO_LETTER_AFTER, "银行", "half-pinyin 银行"),
)

# Host names, URLs and e-mail addresses are matched first and left alone, so that
# `wx.qq.com` or `zfb@163.com` are not rewritten by the table.
_PROTECTED: Final = (
    r"(?<![a-z0-9_.@%+-])"
    r"(?:[a-z][a-z0-9+.-]{1,15}://[!-~]{0,2048}"
    r"|[a-z0-9_%+-]{1,64}(?:[.@][a-z0-9_%+-]{1,63}){1,10}(?:[/?#][!-~]{0,2048})?)"
)


# ---------------------------------------------------------------------------------------
# Offset-mapped text
# ---------------------------------------------------------------------------------------
def _map_span(starts: Sequence[int], ends: Sequence[int], start: int, end: int) -> tuple[int, int]:
    n = len(starts)
    if not 0 <= start <= end <= n:
        raise ValueError(f"span [{start}, {end}) is outside a text of length {n}")
    if start < end:
        return starts[start], ends[end - 1]
    if start < n:
        return starts[start], starts[start]
    position = ends[-1] if n else 0
    return position, position


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """The normalised `text` of `original`, with an exact offset map.

    `text[i]` came from `original[starts[i]:ends[i]]`; both tuples are non-decreasing
    and every such slice is non-empty.
    """

    original: str
    text: str
    starts: tuple[int, ...] = field(repr=False)
    ends: tuple[int, ...] = field(repr=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the span `[start, end)` of `text` to the span of `original` it came from."""
        return _map_span(self.starts, self.ends, start, end)

    def from_original(self, start: int, end: int) -> tuple[int, int]:
        """The span of `text` made from the characters `original[start:end]` (the inverse
        of `to_original`, for spans that evidence and entities give in the original)."""
        return bisect_left(self.starts, start), bisect_left(self.starts, end)


@dataclass(frozen=True, slots=True)
class MappedText:
    """A derived view of `source` (e.g. digits folded), mapped back like `NormalizedText`."""

    source: str
    text: str
    starts: tuple[int, ...] = field(repr=False)
    ends: tuple[int, ...] = field(repr=False)

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map the span `[start, end)` of `text` to the span of `source` it came from."""
        return _map_span(self.starts, self.ends, start, end)


@dataclass(slots=True)
class _Buffer:
    text: str
    starts: list[int]
    ends: list[int]


def _identity(text: str) -> _Buffer:
    return _Buffer(text, list(range(len(text))), list(range(1, len(text) + 1)))


# A replacement: a string (same length → character-wise map, else every output character
# maps to the whole match), or pieces (output, start, end) relative to the match, in order
# and non-overlapping, for exact maps when the length changes; None keeps the match.
_Piece = tuple[str, int, int]
_Replacement = str | Sequence[_Piece] | None


def _rewrite(
    buf: _Buffer, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], _Replacement]
) -> _Buffer:
    text, src_starts, src_ends = buf.text, buf.starts, buf.ends
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0

    def emit(out: str, a: int, b: int) -> None:
        parts.append(out)
        if len(out) == b - a:
            starts.extend(src_starts[a:b])
            ends.extend(src_ends[a:b])
        else:
            starts.extend([src_starts[a]] * len(out))
            ends.extend([src_ends[b - 1]] * len(out))

    for match in pattern.finditer(text):
        a, b = match.span()
        if a == b:
            continue
        replacement = repl(match)
        if replacement is None or replacement == match.group():
            continue
        emit(text[pos:a], pos, a)
        if isinstance(replacement, str):
            if replacement:
                emit(replacement, a, b)
        else:
            for out, pa, pb in replacement:
                if out and pa < pb:
                    emit(out, a + pa, a + pb)
        pos = b
    if pos == 0:
        return buf
    emit(text[pos:], pos, len(text))
    return _Buffer("".join(parts), starts, ends)


def _frozen(buf: _Buffer, source: str) -> MappedText:
    return MappedText(source, buf.text, tuple(buf.starts), tuple(buf.ends))


# ---------------------------------------------------------------------------------------
# Step 1: per-character mapping
# ---------------------------------------------------------------------------------------
# Combining marks stripped (zalgo, keycaps `1️⃣`, variation selectors); other scripts'
# marks (Devanagari, Thai...) are letters' parts and stay.
_STRIPPED_MARKS: Final = (
    (0x0300, 0x036F),  # combining diacritical marks
    (0x180B, 0x180F),  # Mongolian free variation selectors
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),  # combining marks for symbols (keycap, enclosing circle)
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFE20, 0xFE2F),
    (0xE0100, 0xE01EF),  # variation selectors supplement
)
# Invisible although not of category Cf: grapheme joiner, Hangul / Khmer fillers.
_INVISIBLE_EXTRA: Final = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")
_BLANK_AS_SPACE: Final = frozenset("\u2800")  # braille blank renders as a space
# Name prefixes of characters never treated as homoglyphs (CJK stays CJK).
_CJK_NAME_PREFIXES: Final = (
    "CJK",
    "IDEOGRAPHIC",
    "HIRAGANA",
    "KATAKANA",
    "BOPOMOFO",
    "HANGUL",
    "HALFWIDTH",
    "FULLWIDTH",
    "KANGXI",
    "YI ",
)
# Characters that never need step 1: printable ASCII except A-Z, common CJK.
_UNCHANGED: Final = r"\t\n\r\x20-\x40\x5b-\x7e\u3001\u3002\u300a-\u3011\u4e00-\u9fff"
_NEEDS_MAPPING: Final = re.compile(f"[^{_UNCHANGED}]+")


def _is_invisible(ch: str) -> bool:
    if ch in _INVISIBLE_EXTRA:
        return True
    category = unicodedata.category(ch)
    if category in ("Cf", "Cs", "Me"):
        return True
    if category == "Cc":
        return not ch.isspace()
    if category == "Mn":
        code = ord(ch)
        return any(lo <= code <= hi for lo, hi in _STRIPPED_MARKS)
    return False


def _enclosed_digit(ch: str) -> str:
    """`⑴` → `1`, `⒈` → `1`, `❶` → `1` (NFKC would give `(1)`, `1.` or nothing)."""
    if unicodedata.category(ch) != "No":
        return ch
    name = unicodedata.name(ch, "")
    if "IDEOGRAPH" in name or not any(w in name for w in ("CIRCLED", "PARENTHESIZED", "STOP")):
        return ch
    value = unicodedata.numeric(ch, -1.0)
    return str(int(value)) if value >= 0 and value == int(value) else ch


def _ascii_digit(ch: str) -> str:
    """Any script's decimal digit (`٣`, `३`) → the ASCII digit."""
    if ch.isascii():
        return ch
    value = unicodedata.decimal(ch, -1)
    return str(value) if value >= 0 else ch


def _is_ascii_alnum(text: str) -> bool:
    return text.isascii() and text.isalnum()


def _build_homoglyphs() -> dict[str, str]:
    table: dict[str, str] = {}
    for key, glyphs in confusables.confusables_data.items():
        if len(key) != 1 or key.isascii():
            continue
        if not unicodedata.category(key).startswith(("L", "N")):
            continue
        name = unicodedata.name(key, "")
        if name.startswith(_CJK_NAME_PREFIXES) or unicodedata.normalize("NFKC", key).isascii():
            continue
        targets = [g["c"] for g in glyphs if len(g["c"]) == 1 and _is_ascii_alnum(g["c"])]
        if targets:
            # The data's skeleton for I/l/1 is "l"; a capital (Cyrillic І) reads as I.
            table[key] = "I" if targets[0] == "l" and "CAPITAL" in name else targets[0]
    return table


_HOMOGLYPHS: Final = _build_homoglyphs()
_CHAR_CACHE: dict[tuple[str, bool], str] = {}
_CHAR_CACHE_MAX: Final = 1 << 16


def _map_char(ch: str, lower: bool) -> str:
    """Step 1 for one character (cached)."""
    key = (ch, lower)
    cached = _CHAR_CACHE.get(key)
    if cached is not None:
        return cached
    if _is_invisible(ch):
        out = ""
    elif ch in _BLANK_AS_SPACE:
        out = " "
    elif ch.isspace():
        out = ch
    else:
        pieces: list[str] = []
        for c in unicodedata.normalize("NFKC", _enclosed_digit(ch)):
            c = _HOMOGLYPHS.get(c, c)
            c = _ascii_digit(c)
            for d in c.lower() if lower else c:
                if not _is_invisible(d):
                    pieces.append(d)
        out = "".join(pieces)
    if len(_CHAR_CACHE) >= _CHAR_CACHE_MAX:
        _CHAR_CACHE.clear()
    _CHAR_CACHE[key] = out
    return out


def _map_run(run: str, lower: bool) -> list[_Piece]:
    return [(_map_char(ch, lower), i, i + 1) for i, ch in enumerate(run)]


def _map_characters(buf: _Buffer) -> _Buffer:
    return _rewrite(buf, _NEEDS_MAPPING, lambda m: _map_run(m.group(), True))


def clean_preserving_case(text: str) -> str:
    """Step 1 without lower-casing: for case-sensitive values (URL paths, wallets)."""
    return "".join(_map_char(ch, False) for ch in text)


# ---------------------------------------------------------------------------------------
# Steps 2-3: whitespace
# ---------------------------------------------------------------------------------------
_WHITESPACE: Final = re.compile(r"\s+")
_LINE_BREAKS: Final = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_CJK: Final = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f"
)
_SPACE_BETWEEN_CJK: Final = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")


def _collapse_one(match: re.Match[str]) -> str:
    run = match.group()
    return "\n" if any(ch in _LINE_BREAKS for ch in run) else " "


def _collapse_whitespace(buf: _Buffer) -> _Buffer:
    return _rewrite(buf, _WHITESPACE, _collapse_one)


def _join_cjk(buf: _Buffer) -> _Buffer:
    return _rewrite(buf, _SPACE_BETWEEN_CJK, lambda m: "")


# ---------------------------------------------------------------------------------------
# Step 4: Traditional → Simplified
# ---------------------------------------------------------------------------------------
_T2S: Final = opencc.OpenCC("t2s")
_HAN_RUN: Final = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def _t2s_run(match: re.Match[str]) -> _Replacement:
    run = match.group()
    converted: str = _T2S.convert(run)
    if len(converted) == len(run):
        return converted
    # A phrase changed length: fall back to characters (always one to one in t2s).
    return [(_T2S.convert(ch) or ch, i, i + 1) for i, ch in enumerate(run)]


def _to_simplified(buf: _Buffer) -> _Buffer:
    # t2s is character-aligned (checked for every CJK character; phrases map to phrases
    # of the same length), so a same-length result maps one to one. Anything else is
    # redone run by run.
    converted: str = _T2S.convert(buf.text)
    if converted == buf.text:
        return buf
    if len(converted) == len(buf.text):
        return _Buffer(converted, buf.starts, buf.ends)
    return _rewrite(buf, _HAN_RUN, _t2s_run)


# ---------------------------------------------------------------------------------------
# Step 5: the substitution table
# ---------------------------------------------------------------------------------------
def _compile_substitutions() -> re.Pattern[str]:
    alternatives = [f"(?:{_PROTECTED})"]
    for pattern, _replacement, _why in SUBSTITUTIONS:
        if re.compile(pattern).groups:
            raise ValueError(f"substitution pattern {pattern!r} must not capture")
        alternatives.append(f"({pattern})")
    return re.compile("|".join(alternatives))


_SUBSTITUTION_RE: Final = _compile_substitutions()


def _substitute_one(match: re.Match[str]) -> _Replacement:
    index = match.lastindex
    return None if index is None else SUBSTITUTIONS[index - 1][1]


def _substitute(buf: _Buffer) -> _Buffer:
    return _rewrite(buf, _SUBSTITUTION_RE, _substitute_one)


_STEPS: Final[tuple[Callable[[_Buffer], _Buffer], ...]] = (
    _map_characters,
    _collapse_whitespace,
    _join_cjk,
    _to_simplified,
    _substitute,
)


def normalize(text: str) -> NormalizedText:
    """Normalise `text` for rule matching, keeping an exact map to the original."""
    buf = _identity(text)
    for step in _STEPS:
        buf = step(buf)
    return NormalizedText(text, buf.text, tuple(buf.starts), tuple(buf.ends))


# ---------------------------------------------------------------------------------------
# Extraction views
# ---------------------------------------------------------------------------------------
# Chinese digits as read out in phone numbers and codes (幺 = 1; 两 and 参 are left
# alone: they are not used digit by digit and are common words).
_CHINESE_DIGITS: Final = {
    "零": "0",
    "〇": "0",
    "○": "0",
    "一": "1",
    "幺": "1",
    "壹": "1",
    "二": "2",
    "贰": "2",
    "三": "3",
    "叁": "3",
    "四": "4",
    "肆": "4",
    "五": "5",
    "伍": "5",
    "六": "6",
    "陆": "6",
    "七": "7",
    "柒": "7",
    "八": "8",
    "捌": "8",
    "九": "9",
    "玖": "9",
}
_DIGIT_CLASS: Final = "0-9" + "".join(_CHINESE_DIGITS)
_DIGIT_SEPARATORS: Final = r" .·_\-‐–—−"
# Hand-written because no library folds spaced / spelled-out digits. Separators and digits
# are disjoint classes and the separator run is bounded, so matching is linear.
_DIGIT_RUN: Final = re.compile(f"[{_DIGIT_CLASS}](?:[{_DIGIT_SEPARATORS}]{{0,3}}[{_DIGIT_CLASS}])*")
_MIN_FOLDED_DIGITS: Final = 4


def _fold_run(match: re.Match[str]) -> _Replacement:
    run = match.group()
    pieces: list[_Piece] = []
    for i, ch in enumerate(run):
        digit = ch if "0" <= ch <= "9" else _CHINESE_DIGITS.get(ch)
        if digit is not None:
            pieces.append((digit, i, i + 1))
    if len(pieces) < _MIN_FOLDED_DIGITS or (len(pieces) == len(run) and run.isdigit()):
        return None
    return pieces


def fold_digits(text: str) -> MappedText:
    """Join digits split by spaces / dashes / dots or spelled in Chinese into ASCII runs.

    `138 1234 5678`, `138-1234-5678` and `一三八一二三四五六七八` all become `13812345678`
    (runs with fewer than four digits are left alone). Meant for the normalised text.
    """
    return _frozen(_rewrite(_identity(text), _DIGIT_RUN, _fold_run), text)


# The one public-suffix splitter, shared with extraction: bundled snapshot only, no
# download, no disk cache (`suffix_list_urls=()`, `cache_dir=None`).
TLD_EXTRACT: Final = tldextract.TLDExtract(
    suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
)


def _top_level_labels() -> frozenset[str]:
    labels: set[str] = set()
    for suffix in TLD_EXTRACT.tlds:
        label = suffix.rsplit(".", 1)[-1]
        if label.isascii():
            labels.add(label)
        else:
            try:
                labels.add(label.encode("idna").decode("ascii"))
            except UnicodeError:
                continue
    return frozenset(labels)


_TOP_LEVEL_LABELS: Final = _top_level_labels()
_LABEL: Final = r"[a-z0-9][a-z0-9-]{0,62}"
# Dot substitutes seen in scam texts: 点, 。, ·, (.), [.], 【点】, " dot ", optional spaces.
_DOT_SUBSTITUTE: Final = (
    r"(?: ?(?:点|。|\.|·|\(\.\)|\[\.\]|\(点\)|\[点\]|【点】|【\.】|\{\.\}|\(dot\)|\[dot\]) ?| dot )"
)
_OBFUSCATED_HOST: Final = re.compile(
    f"(?<![a-z0-9-]){_LABEL}(?:{_DOT_SUBSTITUTE}{_LABEL}){{1,10}}(?![a-z0-9-])"
)
# Separators first, so that " dot " is not read as a label.
_HOST_PARTS: Final = re.compile(f"(?P<sep>{_DOT_SUBSTITUTE})|{_LABEL}")


def _deobfuscate_host(match: re.Match[str]) -> _Replacement:
    host = match.group()
    parts = list(_HOST_PARTS.finditer(host))
    if parts[-1].group() not in _TOP_LEVEL_LABELS:
        return None
    pieces: list[_Piece] = []
    plain = True
    for part in parts:
        if part["sep"] is not None:
            plain = plain and part.group() == "."
            pieces.append((".", part.start(), part.end()))
        else:
            pieces.append((part.group(), part.start(), part.end()))
    return None if plain else pieces


def deobfuscate_urls(text: str) -> MappedText:
    """Turn `www点abc点com`, `abc。com`, `abc[.]com`, `abc . com` into normal host names.

    Only when the last label is a real top-level domain. Meant for the normalised text.
    """
    return _frozen(_rewrite(_identity(text), _OBFUSCATED_HOST, _deobfuscate_host), text)
