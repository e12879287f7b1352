"""Synthetic chat screenshots (Pillow + a CJK font) for ``scamcheck bench --ocr`` and tests.

Each screenshot is a 1080×1920 phone chat: a title bar, then speech bubbles (left: the
other person, right: the user), optionally an image bubble holding a QR code. The text
drawn is returned with the picture, in reading order, so OCR can be scored against it.
"""

from __future__ import annotations

import io
import itertools
import random
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

import zxingcpp
from PIL import Image, ImageDraw, ImageFont

from knowledge.errors import ScamCheckError

__all__ = [
    "SCENARIOS",
    "Bubble",
    "FontMissingError",
    "Scenario",
    "Screenshot",
    "cjk_font",
    "find_cjk_font",
    "qr_image",
    "render_chat",
    "sample_screenshots",
]

WIDTH: Final = 1080
HEIGHT: Final = 1920
_FONT_SIZE: Final = 42
_TITLE_SIZE: Final = 46
_LINE_GAP: Final = 14
_BUBBLE_PAD: Final = 30
_BUBBLE_MAX_TEXT: Final = 680
_MARGIN: Final = 150  # room for the avatar beside a bubble
_BACKGROUND: Final = (237, 237, 237)
_MINE: Final = (149, 236, 105)
_THEIRS: Final = (255, 255, 255)
_INK: Final = (25, 25, 25)

# Debian / Ubuntu locations of the usual CJK fonts, tried when fontconfig finds none.
_KNOWN_FONTS: Final = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


class FontMissingError(ScamCheckError):
    """No font that can draw Chinese is installed."""

    def __init__(self) -> None:
        super().__init__(
            "no CJK font found (fc-list :lang=zh-cn is empty); install one with "
            "'apt-get install -y fonts-noto-cjk'"
        )


@dataclass(frozen=True)
class Bubble:
    """One chat message: its text, who sent it, and optionally a QR code instead of text."""

    text: str = ""
    mine: bool = False
    qr: str | None = None


@dataclass(frozen=True)
class Scenario:
    """A conversation to draw: the chat title, the bubbles, and whether it is a scam."""

    title: str
    bubbles: tuple[Bubble, ...]
    scam: bool


@dataclass(frozen=True)
class Screenshot:
    """A rendered screenshot (PNG bytes) with the text and QR payloads drawn on it."""

    png: bytes
    lines: tuple[str, ...]
    qr: tuple[str, ...]
    scam: bool
    title: str


def find_cjk_font() -> Path:
    """A font file that can draw Simplified Chinese; raises :class:`FontMissingError`."""
    candidates: list[str] = []
    if shutil.which("fc-list"):
        listed = subprocess.run(
            ["fc-list", ":lang=zh-cn", "file"], capture_output=True, text=True, check=False
        ).stdout
        files = sorted({line.split(":")[0].strip() for line in listed.splitlines() if line})
        # Prefer a regular sans-serif face: closest to what phones draw chats with.
        files.sort(key=lambda f: ("Sans" not in f, "Regular" not in f and "hei" not in f, f))
        candidates.extend(files)
    candidates.extend(_KNOWN_FONTS)
    for candidate in candidates:
        if Path(candidate).is_file():
            return Path(candidate)
    raise FontMissingError()


@cache
def cjk_font(size: int) -> ImageFont.FreeTypeFont:
    """The CJK font at ``size`` pixels; the Simplified Chinese face of a collection."""
    path = find_cjk_font()
    first = ImageFont.truetype(str(path), size)
    if path.suffix.lower() != ".ttc":
        return first
    for index in range(16):
        try:
            face = ImageFont.truetype(str(path), size, index=index)
        except OSError:
            break
        if " SC" in (face.getname()[0] or ""):
            return face
    return first


def qr_image(payload: str, *, module_px: int = 8) -> Image.Image:
    """A QR code for ``payload`` as a black-on-white image (with its quiet zone)."""
    barcode = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode)
    return Image.fromarray(barcode.to_image(scale=module_px)).convert("RGB")


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy character wrap (Chinese has no spaces to break at)."""
    lines: list[str] = []
    current = ""
    for ch in text:
        if current and font.getlength(current + ch) > width:
            lines.append(current)
            current = ch.lstrip()
        else:
            current += ch
    if current:
        lines.append(current)
    return lines


def render_chat(scenario: Scenario, *, size: tuple[int, int] = (WIDTH, HEIGHT)) -> Screenshot:
    """Draw one conversation; bubbles that do not fit below the title bar are left out."""
    width, height = size
    font = cjk_font(_FONT_SIZE)
    image = Image.new("RGB", size, _BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 150), fill=(247, 247, 247))
    title_font = cjk_font(_TITLE_SIZE)
    title_width = draw.textlength(scenario.title, font=title_font)
    draw.text(((width - title_width) / 2, 60), scenario.title, font=title_font, fill=_INK)
    drawn: list[str] = [scenario.title]
    qr_payloads: list[str] = []
    line_height = _FONT_SIZE + _LINE_GAP
    y = 200
    for bubble in scenario.bubbles:
        if bubble.qr is not None:
            code = qr_image(bubble.qr)
            box_w, box_h = code.width + 2 * _BUBBLE_PAD, code.height + 2 * _BUBBLE_PAD
            wrapped: list[str] = []
        else:
            wrapped = _wrap(bubble.text, font, _BUBBLE_MAX_TEXT)
            text_w = max(int(font.getlength(line)) for line in wrapped)
            box_w = text_w + 2 * _BUBBLE_PAD
            box_h = len(wrapped) * line_height - _LINE_GAP + 2 * _BUBBLE_PAD
        if y + box_h > height - 40:
            break
        left = width - _MARGIN - box_w if bubble.mine else _MARGIN
        _avatar(draw, width - 130 if bubble.mine else 30, y, bubble.mine)
        fill = _MINE if bubble.mine else _THEIRS
        draw.rounded_rectangle((left, y, left + box_w, y + box_h), radius=14, fill=fill)
        if bubble.qr is not None:
            image.paste(code, (left + _BUBBLE_PAD, y + _BUBBLE_PAD))
            qr_payloads.append(bubble.qr)
        for row, line in enumerate(wrapped):
            top = y + _BUBBLE_PAD + row * line_height
            draw.text((left + _BUBBLE_PAD, top), line, font=font, fill=_INK)
            drawn.append(line)
        y += box_h + 44
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return Screenshot(
        buffer.getvalue(), tuple(drawn), tuple(qr_payloads), scenario.scam, scenario.title
    )


def _avatar(draw: ImageDraw.ImageDraw, x: int, y: int, mine: bool) -> None:
    colour = (90, 140, 200) if mine else (220, 160, 80)
    draw.rounded_rectangle((x, y, x + 100, y + 100), radius=10, fill=colour)


def _b(text: str, mine: bool = False) -> Bubble:
    return Bubble(text=text, mine=mine)


SCENARIOS: Final[tuple[Scenario, ...]] = (
    Scenario(
        "上海市公安局",
        (
            _b("您好，我是上海市公安局民警，您的身份证涉嫌一起洗钱案件。"),
            _b("啊？我不知道啊", mine=True),
            _b(
                "为证明清白，请将资金转入国家安全账户配合调查，户名张建国，"
                "卡号6222021234567890128，中国工商银行。"
            ),
            _b("此事需要保密，不要告诉家人。"),
        ),
        scam=True,
    ),
    Scenario(
        "贷款客服",
        (
            _b("您申请的贷款20万已审批通过，但银行卡号填写错误，资金已被冻结。"),
            _b("那怎么办", mine=True),
            _b("需要先缴纳解冻费3000元，转到以下账户后马上放款。"),
        ),
        scam=True,
    ),
    Scenario(
        "淘宝官方客服",
        (
            _b("您好，您购买的商品质量有问题，我们将为您办理双倍退款。"),
            _b("好的，怎么退？", mine=True),
            _b("请扫描下方二维码，按提示操作即可领取退款。"),
            Bubble(qr="wxp://f2f0mXq7b2Lk9PzR4tV8sN1cYwE5hUaJ3dG6"),
        ),
        scam=True,
    ),
    Scenario(
        "兼职刷单群",
        (
            _b("招聘兼职，手机点赞做任务，日赚300元，佣金当天结算。"),
            _b("扫码进群领取任务，先垫付后返利。"),
            Bubble(qr="https://weixin.qq.com/g/AQYAAH9xk2Lm8pQz"),
        ),
        scam=True,
    ),
    Scenario(
        "妈妈",
        (
            _b("妈，我到了，晚上一起吃饭", mine=True),
            _b("好的，路上注意安全，我做了你爱吃的红烧肉。"),
            _b("爸爸几点下班？", mine=True),
            _b("六点左右，你先休息一下。"),
        ),
        scam=False,
    ),
    Scenario(
        "95588",
        (
            _b("【工商银行】您尾号1234的卡于11月25日14:02在美团支付消费128.50元，余额3,200.00元。"),
            _b("【工商银行】您的信用卡本期账单已出，请按时还款。"),
        ),
        scam=False,
    ),
)


def sample_screenshots(count: int, *, seed: int = 0) -> Iterator[Screenshot]:
    """``count`` screenshots cycling through :data:`SCENARIOS` (deterministic per seed)."""
    rng = random.Random(seed)
    scenarios: Sequence[Scenario] = SCENARIOS
    for scenario in itertools.islice(itertools.cycle(scenarios), count):
        shuffled = scenario
        if rng.random() < 0.3 and not any(b.qr for b in scenario.bubbles):
            # Some variety: the user answers once more at the end.
            extra = _b(rng.choice(["好的", "知道了", "稍等一下"]), mine=True)
            shuffled = Scenario(scenario.title, (*scenario.bubbles, extra), scenario.scam)
        yield render_chat(shuffled)
