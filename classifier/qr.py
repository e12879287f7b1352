"""QR codes in a picture: decode them all (zxing-cpp) and say what each one is.

A QR code is often the whole point of a scam screenshot: a personal payment code
("扫码退款"), an invitation into a "task" group, an APK download. :func:`decode_qr` reads
every QR code of an RGB image; :func:`qr_kind` classifies a payload without decoding.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final
from urllib.parse import urlsplit

import zxingcpp
from PIL import Image

from classifier.entities import mask_middle

__all__ = ["MAX_PAYLOAD_CHARS", "MAX_QR_CODES", "QrCode", "QrKind", "decode_qr", "qr_kind"]

# A QR code holds at most ~7,000 characters; a message needs far fewer. Longer payloads
# are cut, and a picture with dozens of codes is reported by its first few.
MAX_PAYLOAD_CHARS: Final = 1000
MAX_QR_CODES: Final = 10


class QrKind(StrEnum):
    """What a QR code leads to."""

    WECHAT_PAY = "wechat_pay"
    ALIPAY = "alipay"
    GROUP_INVITE = "group_invite"
    DOWNLOAD = "download"
    URL = "url"
    TEXT = "text"

    @property
    def is_payment(self) -> bool:
        """True for personal / merchant payment codes (收款码)."""
        return self in (QrKind.WECHAT_PAY, QrKind.ALIPAY)


@dataclass(frozen=True)
class QrCode:
    """One decoded QR code: its payload (cleaned, at most ``MAX_PAYLOAD_CHARS``) and kind."""

    payload: str
    kind: QrKind

    def masked(self) -> str:
        """The display form: payment codes identify a payee, so their middle is hidden."""
        if not self.kind.is_payment:
            return self.payload
        # The same form as the payment_code entity: "wxp://f2f0****3dG6".
        head, sep, token = self.payload.rpartition("/")
        return head + sep + mask_middle(token, 4, 4, stars=4)

    def to_json(self) -> dict[str, Any]:
        """The JSON form (masked payload)."""
        return {"kind": self.kind.value, "payload": self.masked()}


_WECHAT_PAY: Final = re.compile(r"^(?:wxp://|weixin://wxpay/|https?://wx\.tenpay\.com/)", re.I)
_ALIPAY: Final = re.compile(
    r"^(?:alipays?://|https?://(?:qr\.alipay\.com|render\.alipay\.com/p/s/i|ds\.alipay\.com)/)",
    re.I,
)
# WeChat group QR codes, QQ "add group / add friend" links, WeChat Work (企业微信) invites.
_GROUP_HOSTS: Final = frozenset(
    {"qm.qq.com", "jq.qq.com", "qun.qq.com", "work.weixin.qq.com", "u.wechat.com"}
)
_GROUP_PATHS: Final = (("weixin.qq.com", "/g/"),)
_DOWNLOAD_SUFFIXES: Final = (".apk", ".ipa", ".xapk", ".apks", ".mobileconfig")
_DOWNLOAD_WORDS: Final = re.compile(r"(?:^|[/._-])(?:download|xiazai|apk|app)(?:$|[/._-])", re.I)
_URL: Final = re.compile(r"^(?:https?://|www\.)\S+$", re.I)


def _clean(text: str) -> str:
    """Drop control characters and surrounding whitespace; cap the length."""
    kept = "".join(
        ch for ch in text if ch in "\n\t" or not unicodedata.category(ch).startswith("C")
    )
    return kept.strip()[:MAX_PAYLOAD_CHARS]


def qr_kind(payload: str) -> QrKind:
    """Classify a QR payload: payment code, group invite, download, other link, or text."""
    text = payload.strip()
    if _WECHAT_PAY.match(text):
        return QrKind.WECHAT_PAY
    if _ALIPAY.match(text):
        return QrKind.ALIPAY
    if not _URL.match(text):
        return QrKind.TEXT
    parts = urlsplit(text if "://" in text else f"http://{text}")
    host = (parts.hostname or "").lower()
    path = parts.path.lower()
    if host in _GROUP_HOSTS or any(host == h and path.startswith(p) for h, p in _GROUP_PATHS):
        return QrKind.GROUP_INVITE
    if path.endswith(_DOWNLOAD_SUFFIXES) or _DOWNLOAD_WORDS.search(path):
        return QrKind.DOWNLOAD
    return QrKind.URL


def decode_qr(image: Image.Image) -> tuple[QrCode, ...]:
    """Every QR code in ``image`` (top-to-bottom, left-to-right), duplicates dropped."""
    found = zxingcpp.read_barcodes(
        image,
        formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
        try_rotate=True,
        try_downscale=True,
        try_invert=False,
        text_mode=zxingcpp.TextMode.Plain,
    )

    def position(barcode: zxingcpp.Barcode) -> tuple[int, int]:
        corner = barcode.position.top_left
        return (corner.y, corner.x)

    codes: list[QrCode] = []
    seen: set[str] = set()
    for barcode in sorted(found, key=position):
        payload = _clean(barcode.text)
        if not payload or payload in seen:
            continue
        seen.add(payload)
        codes.append(QrCode(payload, qr_kind(payload)))
        if len(codes) == MAX_QR_CODES:
            break
    return tuple(codes)
