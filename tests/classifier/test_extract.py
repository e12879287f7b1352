"""Indicator extraction on real-looking Chinese messages, evasions and arbitrary text."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier.entities import Entity, EntityKind
from classifier.extract import extract
from classifier.extract_common import luhn_valid
from classifier.normalize import normalize

K = EntityKind
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def tron_address(payload: bytes) -> str:
    """A synthetic, checksum-valid TRON address (version byte 0x41)."""
    raw = b"\x41" + payload
    raw += hashlib.sha256(hashlib.sha256(raw).digest()).digest()[:4]
    number, out = int.from_bytes(raw, "big"), ""
    while number:
        number, digit = divmod(number, 58)
        out = BASE58[digit] + out
    return out


WALLET = tron_address(bytes(range(1, 21)))
CARD = "6222021234567890128"  # Luhn-valid, ICBC-like BIN


def entities(text: str) -> list[Entity]:
    found = extract(normalize(text))
    for entity in found:  # every span points at what the user sent
        assert text[entity.span[0] : entity.span[1]] == entity.raw
    return found


def pairs(text: str) -> set[tuple[EntityKind, str]]:
    return {(e.kind, e.value) for e in entities(text)}


def of_kind(text: str, kind: EntityKind) -> list[Entity]:
    return [e for e in entities(text) if e.kind is kind]


# ---------------------------------------------------------------------------------------
# Golden messages
# ---------------------------------------------------------------------------------------
GOLDEN: list[tuple[str, str, set[tuple[EntityKind, str]]]] = [
    (
        "bank-sms",
        "【工商银行】您尾号1234的卡于05月06日14:32支出人民币5,000.00元，余额12,345.67元。"
        "如非本人操作请致电95588。",
        {(K.AMOUNT, "5000"), (K.AMOUNT, "12345.67"), (K.PHONE, "95588")},
    ),
    (
        "taobao-refund",
        "您好，我是淘宝客服，您的订单异常需退款，请加微信 kf_8899 或拨打 400-123-4567",
        {(K.WECHAT_ID, "kf_8899"), (K.PHONE, "+864001234567")},
    ),
    (
        "safe-account",
        "【公安局】你涉嫌洗钱案，请将资金转入安全账户 6222 0212 3456 7890 128 户名张三，"
        "否则冻结名下所有账户。",
        {(K.BANK_CARD, CARD), (K.SAFE_ACCOUNT, CARD)},
    ),
    (
        "courier-pickup",
        "【菜鸟驿站】您的包裹已到XX小区驿站，取件码 8-2-3015，请于18:00前领取，"
        "咨询0755-1234 5678。",
        {(K.PHONE, "+8675512345678")},
    ),
    (
        "12306",
        "【铁路12306】订单EA12345678，张三您已购1月5日G123次1车1A号，北京南站08:00开。",
        set(),
    ),
    (
        "prize-obfuscated-link",
        "恭喜您获得5万元奖金！请登录www点abc点com领取，验证码是 483920，客服一三八一二三四五六七八",
        {
            (K.DOMAIN, "abc.com"),
            (K.AMOUNT, "50000"),
            (K.VERIFICATION_CODE, "483920"),
            (K.PHONE, "+8613812345678"),
        },
    ),
    (
        "loan-apk",
        "【融易贷】您的贷款已审批，额度伍万元，下载APP激活：https://t.cn/A6xYzQ 或 "
        "abc[.]cn/Download/App.apk，支付宝账号：13912345678，QQ：12345678",
        {
            (K.AMOUNT, "50000"),
            (K.URL, "https://t.cn/A6xYzQ"),
            (K.APP_DOWNLOAD, "https://t.cn/A6xYzQ"),
            (K.URL, "http://abc.cn/Download/App.apk"),
            (K.APP_DOWNLOAD, "http://abc.cn/Download/App.apk"),
            (K.ALIPAY_ACCOUNT, "+8613912345678"),
            (K.PHONE, "+8613912345678"),
            (K.QQ_ID, "12345678"),
        },
    ),
    (
        "meeting-usdt",
        f"请下载腾讯会议，会议号：123 456 789，开启屏幕共享。保证金请转USDT(TRC20)：{WALLET}",
        {(K.MEETING_ID, "123456789"), (K.CRYPTO_WALLET, WALLET)},
    ),
]


@pytest.mark.parametrize(("text", "expected"), [g[1:] for g in GOLDEN], ids=[g[0] for g in GOLDEN])
def test_golden_messages(text: str, expected: set[tuple[EntityKind, str]]) -> None:
    assert pairs(text) == expected


def test_entities_are_sorted_and_unique() -> None:
    found = entities(GOLDEN[6][1])
    keys = [(e.span, e.kind.value, e.value) for e in found]
    assert keys == sorted(keys)
    assert len({(e.kind, e.value, e.span) for e in found}) == len(found)


def test_safe_account_span_covers_the_payee() -> None:
    text = GOLDEN[2][1]
    (safe,) = of_kind(text, K.SAFE_ACCOUNT)
    assert safe.raw == "6222 0212 3456 7890 128 户名张三"
    assert safe.attrs["holder"] == "张*"
    assert safe.attrs["account_type"] == "bank_card"
    assert "张三" not in json.dumps(safe.to_json(), ensure_ascii=False)


def test_safe_account_details_before_the_keyword() -> None:
    (safe,) = of_kind("户名：李四，账号 1234567890123，此为国家安全账户", K.SAFE_ACCOUNT)
    assert safe.value == "1234567890123"
    assert safe.attrs["keyword"] == "国家安全账户"


def test_safe_account_is_not_the_callers_phone_number() -> None:
    alert = (
        "国家反诈中心 预警提示 您刚刚接听的 +852 5318 2260 疑似诈骗电话 "
        "如对方要求转账到“安全账户”请挂断"
    )
    assert of_kind(alert, K.SAFE_ACCOUNT) == []
    assert of_kind(alert, K.PHONE) != []


def test_safe_account_is_not_a_toll_free_helpline() -> None:
    alert = "歹徒要求將存款交付監管帳戶。如有疑問請撥打健保署免付費專線0800-030-598或165查證。"
    assert of_kind(alert, K.SAFE_ACCOUNT) == []
    assert of_kind("请转入安全账户 6228 4800 1884 7735 512", K.SAFE_ACCOUNT) != []


def test_safe_account_needs_a_payee() -> None:
    assert of_kind("公检法没有所谓的安全账户，请勿转账。", K.SAFE_ACCOUNT) == []
    # "姓名和身份证" is what a caller knew, not a payee's name.
    warning = "对方报出我的姓名和身份证后四位，说要转给公安。公安不会让你转钱到“安全账户”。"
    assert of_kind(warning, K.SAFE_ACCOUNT) == []


# ---------------------------------------------------------------------------------------
# Evasions do not change what is found
# ---------------------------------------------------------------------------------------
_S2T = opencc.OpenCC("s2t")
_CYRILLIC = str.maketrans("aceopxyACEOPXT", "асеорхуАСЕОРХТ")


def zero_width(text: str) -> str:
    return "\u200b".join(text)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def homoglyphs(text: str) -> str:
    return text.translate(_CYRILLIC)


def traditional(text: str) -> str:
    converted: str = _S2T.convert(text)
    return converted


EVASIONS: dict[str, Callable[[str], str]] = {
    "zero-width": zero_width,
    "full-width": full_width,
    "homoglyphs": homoglyphs,
    "traditional": traditional,
    "all": lambda t: zero_width(full_width(homoglyphs(traditional(t)))),
}


@pytest.mark.parametrize("evasion", EVASIONS.values(), ids=EVASIONS.keys())
@pytest.mark.parametrize(("text", "expected"), [g[1:] for g in GOLDEN], ids=[g[0] for g in GOLDEN])
def test_evasions_keep_kinds_and_values(
    evasion: Callable[[str], str], text: str, expected: set[tuple[EntityKind, str]]
) -> None:
    evaded = evasion(text)
    assert pairs(evaded) == expected
    for entity in entities(evaded):
        # spans start and end on a character the user can see
        assert entity.raw[0] != "\u200b"
        assert entity.raw[-1] != "\u200b"


@pytest.mark.parametrize(
    "written",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "1 3 8 1 2 3 4 5 6 7 8",
        "一三八一二三四五六七八",
        "幺三八 幺二三四 五六七八",
        "①③⑧①②③④⑤⑥⑦⑧",
        "１３８１２３４５６７８",
        "+86 138 1234 5678",
        "0086-138-1234-5678",
        "86 13812345678",
        "1\u200b3\u200b8\u200b1\u200b2\u200b3\u200b4\u200b5\u200b6\u200b7\u200b8",
    ],
)
def test_phone_written_any_way(written: str) -> None:
    (phone,) = of_kind(f"有问题请联系{written}，谢谢", K.PHONE)
    assert phone.value == "+8613812345678"
    assert phone.raw == written
    assert phone.masked() == "138****5678"


@pytest.mark.parametrize(
    "written", [CARD, "6222 0212 3456 7890 128", "6222-0212-3456-7890-128", "622202 1234567890128"]
)
def test_bank_card_written_any_way(written: str) -> None:
    (card,) = of_kind(f"卡号：{written}", K.BANK_CARD)
    assert card.value == CARD
    assert card.raw == written
    assert card.attrs == {"luhn": "valid", "bin": "622202"}


# ---------------------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value", "category", "region"),
    [
        ("电话13812345678", "+8613812345678", "mobile", "CN"),
        ("电话17012345678", "+8617012345678", "virtual_operator", "CN"),
        ("电话16512345678", "+8616512345678", "virtual_operator", "CN"),
        ("电话010-12345678", "+861012345678", "landline", "CN"),
        ("电话0755 1234 5678", "+8675512345678", "landline", "CN"),
        ("电话(0755) 12345678", "+8675512345678", "landline", "CN"),
        ("电话400-123-4567", "+864001234567", "service_400_800", "CN"),
        ("电话800 123 4567", "+868001234567", "service_400_800", "CN"),
        ("请拨打95588", "95588", "short_code_95", "CN"),
        ("反诈专线96110", "96110", "short_code_96", "CN"),
        ("电话+1 415 555 2671", "+14155552671", "foreign", "US"),
        ("电话+852 9123 4567", "+85291234567", "foreign", "HK"),
        ("电话00852-9123-4567", "+85291234567", "foreign", "HK"),
    ],
)
def test_phone_categories(text: str, value: str, category: str, region: str) -> None:
    (phone,) = of_kind(text, K.PHONE)
    assert phone.value == value
    assert phone.attrs["category"] == category
    assert phone.attrs["region"] == region


@pytest.mark.parametrize(
    "text",
    [
        "订单号13812345678",  # an order number
        "运单号：15012345678",
        "流水号 1955880001234",  # 95588 inside a longer run
        "金额195588元",
        "时间 1.95588",
        "验证码956123",  # a code, not a 95 short code
        "尾号1234",
        "1715000000000",  # a millisecond timestamp
        "https://abc.com/13812345678",
    ],
)
def test_not_phones(text: str) -> None:
    assert of_kind(text, K.PHONE) == []


# ---------------------------------------------------------------------------------------
# Bank cards
# ---------------------------------------------------------------------------------------
def test_card_numbers_used_here_are_luhn_valid() -> None:
    assert luhn_valid(CARD)
    assert not luhn_valid("6222021234567890123")


@pytest.mark.parametrize(
    "text",
    [
        "卡号6222021234567890123",  # Luhn-invalid
        "订单号：6222021234567890128",  # an order number
        "身份证号110101199003074514",  # a resident id, whatever Luhn says
        "转入 440301199001011349",  # a Luhn-valid resident id, no "身份证" before it
        "单据20240506123456785",  # date-prefixed order id
        "1381234567812345678",  # starts with 1: not a card
        "5000.00 13812345678",  # neighbours joined by folding do not make a card
    ],
)
def test_not_bank_cards(text: str) -> None:
    assert of_kind(text, K.BANK_CARD) == []


def test_bank_from_bins_longest_prefix_wins() -> None:
    bins = {"62": "unionpay", "622202": "icbc", "6222": "other"}
    found = extract(normalize(f"转账到 {CARD}"), bank_bins=bins)
    (card,) = [e for e in found if e.kind is K.BANK_CARD]
    assert card.attrs["bank"] == "icbc"


def test_card_with_context_may_start_with_nine() -> None:
    number = "9558801001234567896"
    assert luhn_valid(number)
    assert [e.value for e in of_kind(f"银行卡号{number}", K.BANK_CARD)] == [number]
    assert of_kind(f"编码 {number}", K.BANK_CARD) == []


# ---------------------------------------------------------------------------------------
# URLs and domains
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kind", "value", "attrs"),
    [
        ("访问 https://www.abc.com/login?id=1", K.URL, "https://www.abc.com/login?id=1", {}),
        ("访问abc.cn/x", K.URL, "http://abc.cn/x", {"scheme_added": "true"}),
        ("访问 www.abc.com。", K.DOMAIN, "abc.com", {"host": "www.abc.com"}),
        ("登录 abc.com.cn", K.DOMAIN, "abc.com.cn", {"suffix": "com.cn"}),
        ("www点abc点com", K.DOMAIN, "abc.com", {"obfuscated": "true"}),
        ("abc。com", K.DOMAIN, "abc.com", {"obfuscated": "true"}),
        ("abc．com", K.DOMAIN, "abc.com", {"obfuscated": "true"}),
        ("abc(.)com", K.DOMAIN, "abc.com", {"obfuscated": "true"}),
        ("abc[.]com", K.DOMAIN, "abc.com", {"obfuscated": "true"}),
        ("abc . com", K.DOMAIN, "abc.com", {"obfuscated": "true"}),
        ("hxxps://evil.com/a", K.URL, "https://evil.com/a", {"obfuscated": "true"}),
        ("xn--80ak6aa92e.com", K.DOMAIN, "xn--80ak6aa92e.com", {"punycode": "аррӏе.com"}),
        ("http://192.168.1.1:8080/x", K.URL, "http://192.168.1.1:8080/x", {"ip": "true"}),
        ("打开 45.12.3.4", K.DOMAIN, "45.12.3.4", {"ip": "true"}),
        (
            "http://www.icbc.com.cn@evil.com/login",
            K.URL,
            "http://evil.com/login",
            {"userinfo": "www.icbc.com.cn", "domain": "evil.com"},
        ),
        ("scam.github.io", K.DOMAIN, "scam.github.io", {"host": "scam.github.io"}),
        ("https://abc.com/x请点击", K.URL, "https://abc.com/x", {}),
        ("https://abc.com请点击", K.URL, "https://abc.com", {}),
        ("http://工商银行.中国/登录", K.URL, "http://工商银行.中国/", {"idn": "true"}),
    ],
)
def test_urls_and_domains(text: str, kind: EntityKind, value: str, attrs: dict[str, str]) -> None:
    found = [e for e in entities(text) if e.kind in (K.URL, K.DOMAIN)]
    assert [(e.kind, e.value) for e in found] == [(kind, value)]
    assert attrs.items() <= found[0].attrs.items()
    assert "domain" in found[0].attrs


def test_url_path_keeps_its_case() -> None:
    (url,) = of_kind("点击ｈｔｔｐｓ：／／ｔ．ｃｎ／Ａ６ｘＹｚＱ", K.URL)
    assert url.value == "https://t.cn/A6xYzQ"


@pytest.mark.parametrize(
    "text",
    ["版本1.5", "v2.0更新", "图片a.jpg", "运行setup.py", "阅读readme.md", "价格5.00元", "1.5万"],
)
def test_not_domains(text: str) -> None:
    assert [e for e in entities(text) if e.kind in (K.URL, K.DOMAIN)] == []


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("安装 https://abc.com/app/v2.apk", "package"),
        ("描述文件 https://abc.com/x.mobileconfig", "package"),
        ("https://download.abc.com/x", "download_page"),
        ("app下载地址：abc.cn/x", "download_context"),
        ("itms-services://?action=download-manifest&url=https://abc.com/a.plist", "ios_enterprise"),
    ],
)
def test_app_downloads(text: str, reason: str) -> None:
    (download,) = of_kind(text, K.APP_DOWNLOAD)
    assert download.attrs["reason"] == reason


def test_no_app_download_for_plain_links() -> None:
    assert of_kind("详情见 https://abc.com/news/1.html", K.APP_DOWNLOAD) == []


# ---------------------------------------------------------------------------------------
# Accounts, e-mail
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("加微信 kf_8899", "kf_8899"),
        ("微信号：abc123", "abc123"),
        ("V信：Lucky-2024", "lucky-2024"),
        ("vx: kefu_001", "kefu_001"),
        ("加薇信abcdef", "abcdef"),
        ("加V wangxiaoming", "wangxiaoming"),
    ],
)
def test_wechat_ids(text: str, value: str) -> None:
    assert [e.value for e in of_kind(text, K.WECHAT_ID)] == [value]


@pytest.mark.parametrize(
    "text",
    ["微信 official", "微信 12345678", "微信号:ab", "微信 a" + "b" * 25, "微信:abc@qq.com"],
)
def test_not_wechat_ids(text: str) -> None:
    assert of_kind(text, K.WECHAT_ID) == []


@pytest.mark.parametrize(
    ("text", "value", "group"),
    [
        ("QQ:12345678", "12345678", False),
        ("qq号 123456789", "123456789", False),
        ("扣扣：12345", "12345", False),
        ("Q Q群 1 2 3 4 5 6 7", "1234567", True),
        ("企鹅号 88886666", "88886666", False),
    ],
)
def test_qq_ids(text: str, value: str, group: bool) -> None:
    (qq,) = of_kind(text, K.QQ_ID)
    assert qq.value == value
    assert (qq.attrs.get("group") == "true") is group


def test_qq_mail_gives_email_and_qq() -> None:
    found = pairs("发到 12345678@qq.com")
    assert found == {(K.EMAIL, "12345678@qq.com"), (K.QQ_ID, "12345678")}


@pytest.mark.parametrize(
    ("text", "value", "account_type"),
    [
        ("支付宝账号：13912345678", "+8613912345678", "phone"),
        ("支付宝 139 1234 5678", "+8613912345678", "phone"),
        ("支fu宝：pay@abc.com", "pay@abc.com", "email"),
    ],
)
def test_alipay_accounts(text: str, value: str, account_type: str) -> None:
    (account,) = of_kind(text, K.ALIPAY_ACCOUNT)
    assert account.value == value
    assert account.attrs["account_type"] == account_type


def test_emails() -> None:
    assert pairs("邮箱 Service@ICBC-Help.com 或 a.b+c@x.cn") == {
        (K.EMAIL, "service@icbc-help.com"),
        (K.EMAIL, "a.b+c@x.cn"),
    }


# ---------------------------------------------------------------------------------------
# Amounts, codes, meetings, wallets
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("¥500", "500"),
        ("￥5,000.00", "5000"),
        ("5000元", "5000"),
        ("5万", "50000"),
        ("5万元", "50000"),
        ("1.5万", "15000"),
        ("伍万元", "50000"),
        ("五千块", "5000"),
        ("3k", "3000"),
        ("日赚5w", "50000"),
        ("人民币 2000", "2000"),
        ("一万五千元", "15000"),
        ("壹拾贰万元", "120000"),
        ("3千元", "3000"),
        ("成交额1.2万亿元", "1200000000000"),
    ],
)
def test_amounts(text: str, yuan: str) -> None:
    (amount,) = of_kind(text, K.AMOUNT)
    assert amount.attrs["yuan"] == yuan
    assert amount.raw == text[text.index(amount.raw[0]) :]


@pytest.mark.parametrize("text", ["十万火急", "一块去吃饭", "5万人参加", "第3次", "1.5"])
def test_not_amounts(text: str) -> None:
    assert of_kind(text, K.AMOUNT) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("您的验证码是 483920，5分钟内有效", "483920"),
        ("验证码：4839", "4839"),
        ("校验码为 12345678", "12345678"),
        ("动态码 6 8 1 2 3 5", "681235"),
        ("Your code is 123456.", "123456"),
        ("483920是您的登录验证码", "483920"),
    ],
)
def test_verification_codes(text: str, code: str) -> None:
    assert [e.value for e in of_kind(text, K.VERIFICATION_CODE)] == [code]


def test_code_sent_to_tail_number_is_not_a_code() -> None:
    assert of_kind("验证码已发送至尾号1234的手机", K.VERIFICATION_CODE) == []


@pytest.mark.parametrize(
    ("text", "value", "app"),
    [
        ("腾讯会议号：123 456 789", "123456789", "tencent_meeting"),
        ("Zoom meeting ID: 1234567890", "1234567890", "zoom"),
        ("会议号 123-456-7890", "1234567890", "unknown"),
        ("钉钉会议 987654321", "987654321", "dingtalk"),
        ("打开屏幕共享，共享码 6688", "6688", "screen_share"),
    ],
)
def test_meeting_ids(text: str, value: str, app: str) -> None:
    (meeting,) = of_kind(text, K.MEETING_ID)
    assert (meeting.value, meeting.attrs["app"]) == (value, app)


def test_a_number_after_the_clause_of_screen_sharing_is_no_code() -> None:
    # "让我开屏幕共享，我直接挂了，打95338一问": the hotline called back is not a sharing code.
    assert not of_kind("让我开屏幕共享，我直接挂了，打95338一问。", K.MEETING_ID)


def test_dates_are_not_meeting_ids() -> None:
    assert of_kind("腾讯会议定于2024-05-06 14:30召开", K.MEETING_ID) == []


def test_crypto_wallets() -> None:
    erc = "0x52908400098527886E0F7030069857D2E4169EE7"
    found = {e.value: e for e in entities(f"转USDT到 {WALLET} 或 {erc}")}
    assert found[WALLET].attrs == {"network": "TRC20", "checksum": "valid"}
    assert found[erc.lower()].attrs == {"network": "ERC20"}
    assert found[WALLET].masked() == f"{WALLET[:4]}…{WALLET[-4:]}"
    assert not [e for e in found.values() if e.kind is not K.CRYPTO_WALLET]


def test_unannounced_tron_lookalike_needs_a_valid_checksum() -> None:
    fake = "T" + "x" * 33
    assert of_kind(f"看这里 {fake}", K.CRYPTO_WALLET) == []
    assert [e.value for e in of_kind(f"USDT地址 {fake}", K.CRYPTO_WALLET)] == [fake]


# ---------------------------------------------------------------------------------------
# Masking and JSON
# ---------------------------------------------------------------------------------------
def test_json_never_holds_full_numbers() -> None:
    text = (
        f"卡号 {CARD}，电话 13812345678，支付宝 13912345678，QQ 12345678，"
        f"加微信 kf_8899，验证码 483920，邮箱 someone@abc.com，{WALLET}，安全账户 {CARD}"
    )
    found = entities(text)
    dumped = json.dumps([e.to_json() for e in found], ensure_ascii=False)
    for secret in (CARD, "13812345678", "13912345678", "12345678", "kf_8899", "483920", WALLET):
        assert secret not in dumped
    assert "someone@" not in dumped
    masks = {e.kind: e.masked() for e in found}
    assert masks[K.BANK_CARD] == "6222 **** **** 0128"
    assert masks[K.VERIFICATION_CODE] == "******"
    assert masks[K.EMAIL] == "so***@abc.com"
    assert set(found[0].to_json()) == {"kind", "value", "span", "attrs"}


def test_public_values_are_not_masked() -> None:
    found = {e.kind: e for e in entities("拨打95588，访问 https://abc.com/x，金额5000元")}
    assert found[K.PHONE].masked() == "95588"
    assert found[K.URL].masked() == "https://abc.com/x"
    assert found[K.AMOUNT].masked() == "5000"


def test_entity_is_immutable_and_hashable() -> None:
    (phone,) = of_kind("13812345678", K.PHONE)
    assert hash(phone) == hash(of_kind("13812345678", K.PHONE)[0])
    with pytest.raises(TypeError):
        phone.attrs["category"] = "x"  # type: ignore[index]


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------
FRAGMENTS = [
    "13812345678",
    "138 1234 5678",
    "一三八",
    "6222 0212 3456 7890 128",
    "安全账户",
    "户名张三",
    "www点abc点com",
    "https://",
    "abc.cn/x.apk",
    "@qq.com",
    "微信",
    "qq",
    "支付宝",
    "验证码",
    "腾讯会议",
    "¥",
    "万元",
    "0x",
    "T",
    "(",
    ")",
    ".",
    " ",
    "\u200b",
    "\ud800",
    "ｗ",
    "下载",
    "+86",
    "95588",
    "9",
    "a",
]
TEXTS = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=300),
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join),
)


def check_entities(text: str, found: list[Entity]) -> None:
    previous = (-1, -1)
    for entity in found:
        start, end = entity.span
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == entity.raw
        assert entity.span >= previous
        previous = entity.span
        entity.masked()
        json.dumps(entity.to_json())
    assert len({(e.kind, e.value, e.span) for e in found}) == len(found)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_extract_is_total(text: str) -> None:
    check_entities(text, extract(normalize(text), bank_bins={"6222": "icbc"}))


@pytest.mark.parametrize(
    "text",
    [
        "".join(random.Random(1).choice(FRAGMENTS) for _ in range(8_000)),
        "".join(chr(random.Random(2).randrange(0, 0x110000)) for _ in range(100_000)),
        "13812345678 " * 8_000,
        "1" * 100_000,
        "a." * 50_000,
        "a@" * 50_000,
        "微信 abcdef1 " * 8_000,
        "安全账户 " * 20_000,
        "1 2 3 4 5 " * 10_000,
    ],
    ids=["fragments", "random", "phones", "digits", "dots", "ats", "wechat", "safe", "spaced"],
)
def test_extract_big_inputs(text: str) -> None:
    check_entities(text, extract(normalize(text)))
