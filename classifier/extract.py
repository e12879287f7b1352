"""Indicator extraction: `extract(normalize(text))` → the entities of a message.

Extractors scan the normalised text and two views of it (`fold_digits`,
`deobfuscate_urls`) and report hits in normalised coordinates; `_resolve` drops the
readings that lose an overlap (a "phone" inside a card, a number inside a URL), and every
surviving hit is mapped once to the span of the ORIGINAL text the user sent.

URLs, domains and e-mails live in `classifier.extract_urls`; phones, cards and amounts in
`classifier.extract_numbers`; accounts, codes, meeting ids, "safe accounts" and wallets here.
All patterns use bounded repeats over disjoint classes: no catastrophic backtracking.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Final

from classifier.entities import Entity, EntityKind
from classifier.extract_common import Hit, View, context_before
from classifier.extract_numbers import (
    SERVICE_NUMBER,
    find_amounts,
    find_bank_cards,
    find_phones,
)
from classifier.extract_urls import find_emails, find_urls
from classifier.normalize import (
    NormalizedText,
    clean_preserving_case,
    deobfuscate_urls,
    fold_digits,
)

__all__ = ["extract"]

K = EntityKind

# ---------------------------------------------------------------------------------------
# Accounts: QQ, WeChat, Alipay
# ---------------------------------------------------------------------------------------
# After normalisation 扣扣 / QQ / Q Q are all "qq", V信 / vx / wx are all "微信".
_QQ: Final = re.compile(
    r"(?<![a-z])qq(?P<group>群)?(?:号码|号|:| |是|为){0,3}(?P<id>[1-9][0-9]{4,10})(?![0-9])"
)
# WeChat ids: 6-20 characters, first a letter, then letters, digits, _ or -.
_WECHAT: Final = re.compile(
    r"(?P<add>加)?微信(?P<hao>号|id)?(?:是|为)?(?P<sep> ?: ?| )?"
    r"(?P<id>[a-z][a-z0-9_-]{5,19})(?![a-z0-9_.@-])"
)
_ALIPAY: Final = re.compile(r"支付宝(?:账号|账户|帐号|帐户|号)?(?:是|为)?(?: ?: ?| )?")


def _find_qq(views: tuple[View, ...]) -> Iterator[Hit]:
    for view in views:
        for match in _QQ.finditer(view.text):
            start, end = view.to_norm(*match.span("id"))
            attrs = {"group": "true"} if match["group"] else {}
            yield Hit(K.QQ_ID, match["id"], start, end, attrs)


def _find_wechat(norm: str) -> Iterator[Hit]:
    for match in _WECHAT.finditer(norm):
        wechat_id = match["id"]
        announced = match["add"] or match["hao"] or ":" in (match["sep"] or "")
        # "微信 official" is prose; "微信 kf_8899" or "加微信 abcdef" is an id.
        if not announced and not any(ch.isdigit() or ch in "_-" for ch in wechat_id):
            continue
        yield Hit(K.WECHAT_ID, wechat_id, match.start("id"), match.end("id"))


def _find_alipay(norm: str, hits: Iterable[Hit]) -> Iterator[Hit]:
    accounts = {
        h.start: h
        for h in hits
        if h.kind is K.EMAIL
        or (h.kind is K.PHONE and h.attrs.get("category") in {"mobile", "virtual_operator"})
    }
    for match in _ALIPAY.finditer(norm):
        account = accounts.get(match.end())
        if account is not None:
            account_type = "email" if account.kind is K.EMAIL else "phone"
            attrs = {"account_type": account_type}
            yield Hit(K.ALIPAY_ACCOUNT, account.value, account.start, account.end, attrs)


# ---------------------------------------------------------------------------------------
# Verification codes and meeting / screen-sharing ids
# ---------------------------------------------------------------------------------------
_CODE_WORDS: Final = r"验证码|校验码|动态码|动态密码|确认码|安全码|授权码|短信码"
_CODE_AFTER_WORD: Final = re.compile(
    rf"(?P<word>{_CODE_WORDS}|(?<![a-z])(?:verification code|otp|code))"
    r"(?:是|为|:| |is|\(|\)){0,4}(?P<code>[0-9]{4,8})(?![0-9])"
)
_CODE_BEFORE_WORD: Final = re.compile(
    r"(?<![0-9.])(?P<code>[0-9]{4,8})(?: |,|\))?(?:是|为)?(?:您|你)?的?(?:本次)?"
    rf"(?:登录|注册|支付|交易|身份)?(?P<word>{_CODE_WORDS})"
)
_MEETING_APPS: Final = {
    "腾讯会议": "tencent_meeting",
    "voov": "tencent_meeting",
    "zoom": "zoom",
    "钉钉": "dingtalk",
    "飞书": "feishu",
}
_MEETING: Final = re.compile(
    r"(?P<app>腾讯会议|voov|zoom|钉钉|飞书|会议号|会议id|会议码|会议室号|入会码)"
    r"[^0-9\n]{0,16}?(?P<id>[0-9]{9,10})(?![0-9])"
)
# "会议定于2024-05-06 14:30": a date folded into ten digits is no meeting id.
_DATE_WRITTEN: Final = re.compile(r"(?:19|20)[0-9]{2}[-./年]")
_SCREEN_SHARE: Final = re.compile(
    # Within the keyword's clause: in "开屏幕共享，我直接挂了，打95338一问" the number is a
    # hotline, not a code.
    r"(?:屏幕共享|共享屏幕|共享码|投屏码|远程协助码?)[^0-9\n,。!?;]{0,8}?(?P<id>[0-9]{4,12})(?![0-9])"
)


def _find_codes(views: tuple[View, ...]) -> Iterator[Hit]:
    for view in views:
        for pattern in (_CODE_AFTER_WORD, _CODE_BEFORE_WORD):
            for match in pattern.finditer(view.text):
                start, end = view.to_norm(*match.span("code"))
                attrs = {"keyword": match["word"]}
                yield Hit(K.VERIFICATION_CODE, match["code"], start, end, attrs)


def _find_meetings(views: tuple[View, ...], norm: str) -> Iterator[Hit]:
    for view in views:
        for match in _MEETING.finditer(view.text):
            start, end = view.to_norm(*match.span("id"))
            if _DATE_WRITTEN.match(norm[start:end]):
                continue
            attrs = {"app": _MEETING_APPS.get(match["app"], "unknown")}
            yield Hit(K.MEETING_ID, match["id"], start, end, attrs)
        for match in _SCREEN_SHARE.finditer(view.text):
            start, end = view.to_norm(*match.span("id"))
            yield Hit(K.MEETING_ID, match["id"], start, end, {"app": "screen_share"})


# ---------------------------------------------------------------------------------------
# "Safe account" payee details
# ---------------------------------------------------------------------------------------
_SAFE_KEYWORD: Final = re.compile(
    r"(?:国家|公安|司法|央行)?安全(?:账户|帐户|账号|帐号)"
    r"|(?:资金)?(?:清查|监管|核查|验资)(?:账户|帐户)"
)
_HAN: Final = "\u4e00-\u9fff"
# "姓名和身份证号" lists what a caller knew, it names nobody: a conjunction after the label
# is not a name's first character.
_HOLDER: Final = re.compile(
    r"(?:户名|收款人|开户名|账户名|帐户名|姓名|名字)(?:是|为)?:? ?(?![和与及跟或、])"
    rf"(?P<name>[{_HAN}]{{2,4}}?)(?=[^{_HAN}]|$|[请的转汇并后卡账帐开银身电手联即马立])"
)
_ACCOUNT_DIGITS: Final = re.compile(r"(?<![0-9])[0-9]{10,25}(?![0-9])")
_MOBILE_ONLY: Final = re.compile(r"(?:86)?1[3-9][0-9]{9}")
# Toll-free lines (Taiwan's 0800, the mainland's 400 / 800 service numbers) that the phone
# parser may leave unread: a helpline quoted in a warning, never a payee's account.
_TOLL_FREE: Final = re.compile(rf"0800[0-9]{{6}}|{SERVICE_NUMBER.pattern}")
_SAFE_WINDOW: Final = 60

# (start, end, value, account_type) of one payee detail, normalised coordinates.
_Detail = tuple[int, int, str, str]


class _Payees:
    """Candidate payee details of a message, queried by window in O(log n + k)."""

    def __init__(self, norm: str, digits: View, hits: list[Hit]) -> None:
        self._norm = norm
        accounts: list[_Detail] = [
            (h.start, h.end, h.value, "bank_card") for h in hits if h.kind is K.BANK_CARD
        ]
        card_spans = _Cover(h for h in hits if h.kind is K.BANK_CARD)
        # A number already read as a phone number ("+852 5318 2260", a landline) is the
        # caller's, not a payee's: an anti-fraud alert names it right before "安全账户".
        phone_spans = _Cover(h for h in hits if h.kind is K.PHONE)
        for match in _ACCOUNT_DIGITS.finditer(digits.text):
            start, end = digits.to_norm(*match.span())
            if (
                _MOBILE_ONLY.fullmatch(match.group())
                or _TOLL_FREE.fullmatch(match.group())
                or card_spans.overlaps(start, end)
                or phone_spans.overlaps(start, end)
            ):
                continue
            accounts.append((start, end, match.group(), "account"))
        self._accounts = sorted(accounts)
        self._starts = [a[0] for a in self._accounts]

    def within(self, lo: int, hi: int) -> tuple[list[_Detail], str | None]:
        """Details starting in [lo, hi) and the first account holder's name there."""
        first = bisect.bisect_left(self._starts, lo)
        last = bisect.bisect_left(self._starts, hi)
        details = self._accounts[first:last]
        holder = None
        for match in _HOLDER.finditer(self._norm, lo, hi):
            if holder is None:
                holder = match["name"]
            details.append((match.start("name"), match.end("name"), match["name"], "name"))
        return sorted(details), holder


def _find_safe_accounts(norm: str, digits: View, hits: list[Hit]) -> Iterator[Hit]:
    keywords = list(_SAFE_KEYWORD.finditer(norm))
    if not keywords:
        return
    payees = _Payees(norm, digits, hits)
    for i, keyword in enumerate(keywords):
        stop = keywords[i + 1].start() if i + 1 < len(keywords) else len(norm)
        details, holder = payees.within(keyword.end(), min(keyword.end() + _SAFE_WINDOW, stop))
        if not details:  # "户名张三 卡号… 为国家安全账户": details before the keyword
            lo = max(keyword.start() - _SAFE_WINDOW, keywords[i - 1].end() if i else 0)
            details, holder = payees.within(lo, keyword.start())
        if not details:
            continue
        accounts = [d for d in details if d[3] != "name"]
        value, account_type = (
            (accounts[0][2], accounts[0][3]) if accounts else (details[0][2], "name")
        )
        attrs = {"keyword": keyword.group(), "account_type": account_type}
        if holder is not None:
            attrs["holder"] = holder[0] + "*" * (len(holder) - 1)
        yield Hit(K.SAFE_ACCOUNT, value, details[0][0], max(d[1] for d in details), attrs)


# ---------------------------------------------------------------------------------------
# Crypto wallets (USDT on TRON / Ethereum)
# ---------------------------------------------------------------------------------------
# Base58 addresses are case-sensitive: matched on the lower-cased text, the value is
# re-read from the original characters with `clean_preserving_case`.
_TRON: Final = re.compile(r"(?<![a-z0-9])t[1-9a-z]{33}(?![a-z0-9])")
_EVM: Final = re.compile(r"(?<![a-z0-9])0x[0-9a-f]{40}(?![a-z0-9])")
_WALLET_CONTEXT: Final = re.compile(r"usdt|trc|trx|tron|erc|钱包|地址|泰达|币|转u|充值")
_BASE58: Final = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _tron_checksum_valid(address: str) -> bool:
    """Base58Check of a TRON address (version byte 0x41)."""
    number = 0
    for ch in address:
        index = _BASE58.find(ch)
        if index < 0:
            return False
        number = number * 58 + index
    if number >= 1 << 200:
        return False
    raw = number.to_bytes(25, "big")
    check = hashlib.sha256(hashlib.sha256(raw[:21]).digest()).digest()[:4]
    return raw[0] == 0x41 and check == raw[21:]


def _find_wallets(norm: NormalizedText) -> Iterator[Hit]:
    for match in _TRON.finditer(norm.text):
        a, b = norm.to_original(*match.span())
        address = clean_preserving_case(norm.original[a:b])
        if len(address) != 34 or address[0] != "T" or any(ch not in _BASE58 for ch in address):
            continue
        valid = _tron_checksum_valid(address)
        if not valid and not _WALLET_CONTEXT.search(context_before(norm.text, match.start(), 20)):
            continue
        attrs = {"network": "TRC20", "checksum": "valid" if valid else "invalid"}
        yield Hit(K.CRYPTO_WALLET, address, match.start(), match.end(), attrs)
    for match in _EVM.finditer(norm.text):
        yield Hit(K.CRYPTO_WALLET, match.group(), match.start(), match.end(), {"network": "ERC20"})


# ---------------------------------------------------------------------------------------
# Payment codes (收款码 links, usually read from a QR code)
# ---------------------------------------------------------------------------------------
_PAYMENT_CODE: Final = re.compile(
    r"(?<![a-z0-9])(?:(?P<wechat>wxp://|weixin://wxpay/|https?://wx\.tenpay\.com/)"
    r"|(?P<alipay>alipays?://|https?://qr\.alipay\.com/))[!#-;=?-~]{4,500}"
)


def _find_payment_codes(norm: NormalizedText) -> Iterator[Hit]:
    for match in _PAYMENT_CODE.finditer(norm.text):
        a, b = norm.to_original(*match.span())
        code = clean_preserving_case(norm.original[a:b])  # payee tokens are case-sensitive
        attrs = {"app": "wechat" if match["wechat"] else "alipay"}
        yield Hit(K.PAYMENT_CODE, code, match.start(), match.end(), attrs)


# ---------------------------------------------------------------------------------------
# Overlaps and the public entry
# ---------------------------------------------------------------------------------------
# Numbers inside these are part of them (a URL path, an e-mail, a wallet).
_CONTAINERS: Final = frozenset(
    {K.URL, K.DOMAIN, K.EMAIL, K.APP_DOWNLOAD, K.CRYPTO_WALLET, K.PAYMENT_CODE}
)
_CONTAINED: Final = frozenset(
    {K.PHONE, K.BANK_CARD, K.QQ_ID, K.VERIFICATION_CODE, K.MEETING_ID, K.AMOUNT, K.WECHAT_ID}
)
# A number with a more specific reading is not (also) a phone number.
_BEATS_PHONE: Final = frozenset({K.BANK_CARD, K.VERIFICATION_CODE, K.MEETING_ID, K.QQ_ID, K.AMOUNT})


class _Cover:
    """The union of some hits' spans, queried for overlap in O(log n)."""

    def __init__(self, hits: Iterable[Hit]) -> None:
        starts: list[int] = []
        ends: list[int] = []
        for hit in sorted(hits, key=lambda h: h.start):
            if ends and hit.start < ends[-1]:
                ends[-1] = max(ends[-1], hit.end)
            else:
                starts.append(hit.start)
                ends.append(hit.end)
        self._starts, self._ends = starts, ends

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._ends, start)
        return i < len(self._starts) and self._starts[i] < end


def _resolve(hits: list[Hit]) -> list[Hit]:
    containers = _Cover(h for h in hits if h.kind in _CONTAINERS)
    phone_beaters = _Cover(h for h in hits if h.kind in _BEATS_PHONE)
    urls = _Cover(h for h in hits if h.kind is K.URL)
    kept: list[Hit] = []
    seen_end: dict[tuple[EntityKind, str], int] = {}
    for hit in sorted(hits, key=lambda h: (h.start, h.end - h.start, h.kind.value)):
        contained = hit.kind in _CONTAINED and hit.attrs.get("source") != "email"
        if contained and containers.overlaps(hit.start, hit.end):
            continue
        if hit.kind is K.PHONE and phone_beaters.overlaps(hit.start, hit.end):
            continue
        if hit.kind is K.EMAIL and urls.overlaps(hit.start, hit.end):
            continue  # the "user@" part of http://www.icbc.com.cn@evil.com/
        key = (hit.kind, hit.value)
        if hit.start < seen_end.get(key, -1):
            continue  # the same reading found in two views
        seen_end[key] = hit.end
        kept.append(hit)
    return kept


def _to_entity(norm: NormalizedText, hit: Hit) -> Entity:
    start, end = norm.to_original(hit.start, hit.end)
    return Entity(hit.kind, hit.value, (start, end), norm.original[start:end], hit.attrs)


def extract(norm: NormalizedText, *, bank_bins: Mapping[str, str] | None = None) -> list[Entity]:
    """All indicators in a normalised message, sorted by span, without duplicates.

    `bank_bins` maps card number prefixes to a bank key (longest prefix wins) and fills
    the `bank` attribute of bank cards.
    """
    text = norm.text
    plain = View(text)
    digits = View.of(fold_digits(text))
    digit_views = (plain,) if digits.mapped is None else (plain, digits)
    links = View.of(deobfuscate_urls(text))

    hits: list[Hit] = [*find_urls(norm, links), *find_emails(links), *_find_wallets(norm)]
    hits += _find_payment_codes(norm)
    hits += find_phones(digit_views, text)
    hits += find_bank_cards(digit_views, text, bank_bins)
    hits += find_amounts(text)
    hits += _find_qq(digit_views)
    hits += _find_wechat(text)
    hits += _find_codes(digit_views)
    hits += _find_meetings(digit_views, text)
    hits = _resolve(hits)
    hits += _find_alipay(text, hits)
    hits += _find_safe_accounts(text, digits, hits)

    entities: dict[tuple[EntityKind, str, int, int], Entity] = {}
    for hit in sorted(hits, key=lambda h: (h.start, h.end, h.kind.value, h.value)):
        entity = _to_entity(norm, hit)
        entities.setdefault((entity.kind, entity.value, *entity.span), entity)
    return list(entities.values())
