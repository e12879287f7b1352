"""Phone numbers, bank card numbers and amounts of money.

Phones and cards are looked for in two views: the normalised text as it is, and the text
with split digits folded (`138 1234 5678`, `一三八…`). Folding joins neighbouring numbers
too (`13812345678 5000` → 15 digits), which is why the plain view is scanned as well; the
caller removes duplicates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Final

import phonenumbers

from classifier.entities import EntityKind
from classifier.extract_common import Hit, View, context_before, luhn_valid

__all__ = [
    "SERVICE_NUMBER",
    "find_amounts",
    "find_bank_cards",
    "find_phones",
    "parse_chinese_number",
]

# ---------------------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------------------
# Candidates: an optional "(0755) " area code, an optional + / 00 international prefix,
# 5-15 digits standing alone. Classified below; phonenumbers validates and formats.
_PHONE_CANDIDATE: Final = re.compile(
    r"(?<![0-9])(?:\((?P<area>0[0-9]{2,3})\) ?)?(?P<plus>\+|00)?(?P<digits>[0-9]{5,15})(?![0-9])"
)
_MOBILE: Final = re.compile(r"1[3-9][0-9]{9}")
# The mainland's 400 / 800 service lines (national digits).
SERVICE_NUMBER: Final = re.compile(r"(?:400|800)[0-9]{7}")
_SHORT_CODE: Final = re.compile(r"9[56][0-9]{3,4}")
_VIRTUAL_OPERATOR_PREFIXES: Final = frozenset({"162", "165", "167", "170", "171"})
# A number right after these is an order / parcel / staff number, not a phone or a card.
_NOT_A_PHONE_OR_CARD_BEFORE: Final = re.compile(
    r"订单|单号|运单|流水|交易号|编号|快递|取件码|提货码|工号|警号|身份证|order"
)
_FIXED_LINE_TYPES: Final = frozenset(
    {phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)

_PhoneInfo = tuple[str, dict[str, str]]


def _is_valid(number: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_valid_number(parsed) else None


def _domestic(national: str) -> _PhoneInfo | None:
    if _MOBILE.fullmatch(national):
        virtual = national[:3] in _VIRTUAL_OPERATOR_PREFIXES
        attrs = {
            "category": "virtual_operator" if virtual else "mobile",
            "region": "CN",
            "valid": "true" if _is_valid(national, "CN") else "false",
        }
        return "+86" + national, attrs
    if SERVICE_NUMBER.fullmatch(national):
        return "+86" + national, {
            "category": "service_400_800",
            "region": "CN",
        }
    if _SHORT_CODE.fullmatch(national):
        # Service short codes are not dialable from abroad: the value stays the digits.
        category = "short_code_95" if national[1] == "5" else "short_code_96"
        return national, {"category": category, "region": "CN"}
    if national.startswith("0") and 10 <= len(national) <= 12:
        parsed = _is_valid(national, "CN")
        if parsed is not None and phonenumbers.number_type(parsed) in _FIXED_LINE_TYPES:
            e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            return e164, {"category": "landline", "region": "CN"}
    return None


def _foreign(digits: str) -> _PhoneInfo | None:
    parsed = _is_valid("+" + digits, None)
    if parsed is None:
        return None
    region = phonenumbers.region_code_for_number(parsed) or "ZZ"
    if region == "CN":
        return _domestic(str(parsed.national_number))
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    attrs = {"category": "foreign", "region": region, "country_code": str(parsed.country_code)}
    return e164, attrs


@lru_cache(maxsize=4096)
def classify_phone(digits: str, international: bool) -> _PhoneInfo | None:
    """(E.164 value, attrs) for a digit string, or None when it is no phone number."""
    if international:
        if digits.startswith("86"):
            national = digits[2:]
            domestic = _MOBILE.fullmatch(national) or SERVICE_NUMBER.fullmatch(national)
            return _domestic(national if domestic or national.startswith("0") else "0" + national)
        return _foreign(digits)
    if len(digits) == 13 and digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        return _domestic(digits[2:])
    return _domestic(digits)


def _phone_in_context(view: View, norm: str, match: re.Match[str], info: _PhoneInfo) -> bool:
    start, end = match.span()
    text = view.text
    category = info[1]["category"]
    before = text[start - 1] if start else ""
    after = text[end : end + 1]
    if before and ("a" <= before <= "z" or before == "_") and category != "mobile":
        return False  # inside an id such as "abc95588"
    if after in {"元", "万", "块", "%"} or before == "¥":
        return False  # an amount
    if category.startswith("short_code") and (
        re.search(r"[0-9][.,:]$", text[max(0, start - 2) : start])
        or re.match(r"[.,:][0-9]", text[end : end + 2])
    ):
        return False  # part of a decimal, time or grouped number
    norm_start, _ = view.to_norm(start, end)
    return not _NOT_A_PHONE_OR_CARD_BEFORE.search(context_before(norm, norm_start, 8))


def find_phones(views: tuple[View, ...], norm: str) -> Iterator[Hit]:
    """Mainland mobiles, landlines, 400/800, 95xxx/96xxx and foreign numbers."""
    for view in views:
        for match in _PHONE_CANDIDATE.finditer(view.text):
            digits = match["digits"]
            if match["area"]:
                digits = match["area"] + digits
            info = classify_phone(digits, match["plus"] is not None)
            if info is None or not _phone_in_context(view, norm, match, info):
                continue
            start, end = view.to_norm(*match.span())
            yield Hit(EntityKind.PHONE, info[0], start, end, dict(info[1]))


# ---------------------------------------------------------------------------------------
# Bank cards
# ---------------------------------------------------------------------------------------
_CARD_CANDIDATE: Final = re.compile(r"(?<![0-9])[0-9]{16,19}(?![0-9])")
_CARD_CONTEXT: Final = re.compile(
    r"卡号|银行卡|储蓄卡|信用卡|借记卡|账号|帐号|账户|帐户|户名|收款|转入|转账|汇款|打款|card"
)
_DATE_PREFIX: Final = re.compile(r"20[0-3][0-9](?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")
# Region code, then a birth date 19xx/20xx MMDD.
_ID_CARD_HEAD: Final = re.compile(r"[1-8][0-9]{5}(?:19|20)[0-9]{2}[01][0-9][0-3][0-9]")
_ID_CARD_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CARD_CHECK: Final = "10X98765432"
_GROUP_SPLIT: Final = re.compile(r"[^0-9]+")


def _is_resident_id(digits: str) -> bool:
    """An 18-digit mainland resident id number (birth date + ISO 7064 check digit)."""
    if len(digits) != 18 or not _ID_CARD_HEAD.fullmatch(digits[:14]):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_CARD_WEIGHTS, strict=True))
    return _ID_CARD_CHECK[total % 11] == digits[17]


def _grouped_like_a_card(written: str) -> bool:
    """`6222 0212 3456 7890 128` or `622202 1234567890128`, not `5000.00 13812345678`."""
    if not re.fullmatch(r"[0-9零〇○一幺壹二贰三叁四肆五伍六陆七柒八捌九玖 \-]+", written):
        return False
    sizes = [len(g) for g in _GROUP_SPLIT.split(written.replace(" ", "-").strip("-")) if g]
    if len(sizes) <= 1:
        return True
    if len(sizes) == 2 and sizes[0] == 6:
        return True
    return all(s == 4 for s in sizes[:-1]) and 1 <= sizes[-1] <= 4


def _bank_for(digits: str, bank_bins: Mapping[str, str] | None) -> str | None:
    if not bank_bins:
        return None
    for length in range(min(len(digits), 12), 0, -1):
        bank = bank_bins.get(digits[:length])
        if bank is not None:
            return bank
    return None


def find_bank_cards(
    views: tuple[View, ...], norm: str, bank_bins: Mapping[str, str] | None
) -> Iterator[Hit]:
    """Luhn-valid 16-19 digit card numbers (never resident ids, order ids or timestamps)."""
    for view in views:
        for match in _CARD_CANDIDATE.finditer(view.text):
            digits = match.group()
            if not luhn_valid(digits) or _is_resident_id(digits):
                continue
            start, end = view.to_norm(*match.span())
            written = norm[start:end]
            if written != digits and not _grouped_like_a_card(written):
                continue
            before = context_before(norm, start, 12)
            if _NOT_A_PHONE_OR_CARD_BEFORE.search(context_before(norm, start, 8)):
                continue
            in_context = _CARD_CONTEXT.search(before) is not None
            if digits[0] not in "3456" and not in_context:
                continue  # 2-series Mastercard, 9558 ICBC...: only when called a card
            if _DATE_PREFIX.match(digits) and not in_context:
                continue  # 20240506...: an order number or a timestamp
            attrs = {"luhn": "valid", "bin": digits[:6]}
            bank = _bank_for(digits, bank_bins)
            if bank is not None:
                attrs["bank"] = bank
            yield Hit(EntityKind.BANK_CARD, digits, start, end, attrs)


# ---------------------------------------------------------------------------------------
# Amounts
# ---------------------------------------------------------------------------------------
_NUMBER: Final = r"[0-9]{1,3}(?:,[0-9]{3}){1,4}(?:\.[0-9]{1,2})?|[0-9]{1,13}(?:\.[0-9]{1,4})?"
_MULTIPLIERS: Final = {
    "百": 100,
    "千": 1_000,
    "k": 1_000,
    "万": 10_000,
    "w": 10_000,
    "亿": 100_000_000,
    "万亿": 1_000_000_000_000,
}
_YUAN_UNIT: Final = r"(?:元|块钱|块|圆|rmb|人民币)"
# Counters after 万 that make it a count, not money: 5万人, 3万次...
_NOT_MONEY_AFTER: Final = r"(?![a-z]|人|次|个|条|份|名|位|字|步|米|粉|公里|多人|余人|年)"
_AMOUNT_PATTERNS: Final = (
    # ¥5,000.00 / ￥500 / rmb 300 / 人民币5万元
    re.compile(
        rf"(?:¥|(?<![a-z])rmb|人民币) ?(?P<num>{_NUMBER})"
        r"(?: ?(?P<mult>万亿|[万千百亿]|[wk](?![a-z])))?(?: ?(?:元|块钱|块|圆))?"
    ),
    # 5000元 / 5千块 / 1.5万元 / 3k元
    re.compile(
        rf"(?<![0-9.,a-z])(?P<num>{_NUMBER}) ?(?:(?P<mult>万亿|[万千百亿wk]) ?)?{_YUAN_UNIT}"
    ),
    # 5万 / 1.5万 / 5w (no unit: only the big multipliers)
    re.compile(
        rf"(?<![0-9.,a-z])(?P<num>{_NUMBER}) ?(?P<mult>万亿|[万亿]|w(?![a-z])){_NOT_MONEY_AFTER}"
    ),
    # 3k
    re.compile(r"(?<![0-9.,a-z¥])(?P<num>[0-9]{1,4}(?:\.[0-9]{1,2})?)(?P<mult>k)(?![a-z0-9])"),
)
_CHINESE_NUMERALS: Final = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
_CHINESE_AMOUNT: Final = re.compile(
    rf"(?P<cn>[{_CHINESE_NUMERALS}]{{1,16}}) ?(?P<unit>元|块钱|块|圆)"
)
_CN_DIGIT_VALUES: Final = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "两": 2,
    "贰": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_CN_SMALL_UNITS: Final = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1_000, "仟": 1_000}
_MAX_YUAN: Final = 10**13


def parse_chinese_number(text: str) -> int | None:
    """`伍万` → 50000, `一亿五千万` → 150000000, `十五` → 15, `一二三` → 123; else None."""
    if not text:
        return None
    if all(ch in _CN_DIGIT_VALUES for ch in text):
        return int("".join(str(_CN_DIGIT_VALUES[ch]) for ch in text))
    total = section = 0
    digit: int | None = None
    for ch in text:
        if ch in _CN_DIGIT_VALUES:
            if digit:  # two digits in a row ("一二千"): not a number
                return None
            digit = _CN_DIGIT_VALUES[ch]
        elif ch in _CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * _CN_SMALL_UNITS[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0) or 1) * 10_000
            section, digit = 0, None
        elif ch == "亿":
            total = (total + section + (digit or 0) or 1) * 100_000_000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def _amount_hit(start: int, end: int, yuan: Decimal, raw_kind: str) -> Hit | None:
    if yuan <= 0 or yuan >= _MAX_YUAN:
        return None
    value = format(yuan.normalize(), "f")
    attrs = {"yuan": str(int(yuan)), "currency": "CNY", "written": raw_kind}
    return Hit(EntityKind.AMOUNT, value, start, end, attrs)


def _candidate_amounts(norm: str) -> Iterator[Hit]:
    for pattern in _AMOUNT_PATTERNS:
        for match in pattern.finditer(norm):
            try:
                number = Decimal(match["num"].replace(",", ""))
            except InvalidOperation:
                continue
            mult = match["mult"]
            yuan = number * _MULTIPLIERS[mult] if mult else number
            hit = _amount_hit(match.start(), match.end(), yuan, "digits")
            if hit is not None:
                yield hit
    for match in _CHINESE_AMOUNT.finditer(norm):
        parsed = parse_chinese_number(match["cn"])
        if parsed is None or (match["unit"].startswith("块") and parsed < 10):
            continue  # "一块去" is "go together", not one yuan
        hit = _amount_hit(match.start(), match.end(), Decimal(parsed), "chinese")
        if hit is not None:
            yield hit


def find_amounts(norm: str) -> list[Hit]:
    """Amounts of money in yuan; overlapping readings keep the longest."""
    candidates = sorted(_candidate_amounts(norm), key=lambda h: (h.start, h.start - h.end))
    kept: list[Hit] = []
    for hit in candidates:
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept
