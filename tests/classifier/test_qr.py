"""QR codes: every code of a picture is decoded, classified and masked where needed."""

from __future__ import annotations

import io

import pytest
import segno
from PIL import Image

from classifier.qr import MAX_PAYLOAD_CHARS, QrCode, QrKind, decode_qr, qr_kind

WECHAT_PAY = "wxp://f2f0mXq7b2Lk9PzR4tV8sN1cYwE5hUaJ3dG6"
ALIPAY = "https://qr.alipay.com/fkx19384ABCDefgh"
GROUP = "https://weixin.qq.com/g/AQYAAH9xk2Lm8pQz"
APK = "http://dl.example-cash.top/app/jiekuan_v2.apk"


def _qr(payload: str, scale: int = 6) -> Image.Image:
    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=scale, border=4)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def _canvas(*codes: Image.Image, size: tuple[int, int] = (1080, 1920)) -> Image.Image:
    """Codes pasted one below the other on a phone-sized light grey page."""
    page = Image.new("RGB", size, (237, 237, 237))
    y = 120
    for index, code in enumerate(codes):
        page.paste(code, (100 + 300 * (index % 2), y))
        y += code.height + 60
    return page


@pytest.mark.parametrize(
    ("payload", "kind"),
    [
        (WECHAT_PAY, QrKind.WECHAT_PAY),
        ("weixin://wxpay/bizpayurl?pr=AbC123x", QrKind.WECHAT_PAY),
        (ALIPAY, QrKind.ALIPAY),
        ("alipays://platformapi/startapp?appId=20000067", QrKind.ALIPAY),
        (GROUP, QrKind.GROUP_INVITE),
        ("https://qm.qq.com/cgi-bin/qm/qr?k=abcDEF123", QrKind.GROUP_INVITE),
        ("https://jq.qq.com/?_wv=1027&k=5AbCdEf", QrKind.GROUP_INVITE),
        (APK, QrKind.DOWNLOAD),
        ("https://app-xiazai.example.cn/download/index.html", QrKind.DOWNLOAD),
        ("https://www.icbc.com.cn/", QrKind.URL),
        ("www.example.com/page", QrKind.URL),
        ("加微信 kf_8899 领取补贴", QrKind.TEXT),
        ("WIFI:S:home;T:WPA;P:secret;;", QrKind.TEXT),
    ],
)
def test_kind_of_a_payload(payload: str, kind: QrKind) -> None:
    assert qr_kind(payload) is kind


@pytest.mark.parametrize(
    ("payload", "kind"),
    [(WECHAT_PAY, QrKind.WECHAT_PAY), (GROUP, QrKind.GROUP_INVITE), (APK, QrKind.DOWNLOAD)],
)
def test_decodes_one_code_in_a_screenshot(payload: str, kind: QrKind) -> None:
    assert decode_qr(_canvas(_qr(payload))) == (QrCode(payload, kind),)


def test_decodes_several_codes_top_to_bottom() -> None:
    page = _canvas(_qr(GROUP), _qr(WECHAT_PAY), _qr(APK), _qr(ALIPAY))
    codes = decode_qr(page)
    assert [code.payload for code in codes] == [GROUP, WECHAT_PAY, APK, ALIPAY]
    assert [code.kind for code in codes] == [
        QrKind.GROUP_INVITE,
        QrKind.WECHAT_PAY,
        QrKind.DOWNLOAD,
        QrKind.ALIPAY,
    ]


def test_the_same_code_twice_is_reported_once() -> None:
    assert len(decode_qr(_canvas(_qr(GROUP), _qr(GROUP)))) == 1


def test_no_code_no_result() -> None:
    assert decode_qr(_canvas()) == ()


def test_long_payload_is_capped_and_control_characters_dropped() -> None:
    payload = "A\x07" + "b" * (MAX_PAYLOAD_CHARS + 200)
    (code,) = decode_qr(_canvas(_qr(payload, scale=3)))
    assert code.payload.startswith("Ab") and len(code.payload) == MAX_PAYLOAD_CHARS


def test_payment_codes_are_masked_and_links_are_not() -> None:
    assert QrCode(WECHAT_PAY, QrKind.WECHAT_PAY).masked() == "wxp://f2f0****3dG6"
    assert QrCode(WECHAT_PAY, QrKind.WECHAT_PAY).to_json() == {
        "kind": "wechat_pay",
        "payload": "wxp://f2f0****3dG6",
    }
    assert QrCode(GROUP, QrKind.GROUP_INVITE).masked() == GROUP
    assert QrKind.ALIPAY.is_payment and not QrKind.URL.is_payment
