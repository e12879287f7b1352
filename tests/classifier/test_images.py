"""Screenshots: OCR + QR reading, the guards on bad pictures, and the way to a verdict.

OCR costs about a second per screenshot, so the real OCR runs happen in a few module-scoped
fixtures; the guard tests stub the OCR out.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from rapidfuzz import fuzz

import classifier.images as images
from bot.commands.screenshots import (
    SCENARIOS,
    Bubble,
    Scenario,
    Screenshot,
    cjk_font,
    find_cjk_font,
    render_chat,
)
from classifier import RiskLevel, Submission, analyze, default_analyzer
from classifier.entities import EntityKind
from classifier.extract import extract
from classifier.images import (
    ImageError,
    ImageLimits,
    ImageReading,
    read_image,
    read_image_sync,
    submission_from_image,
)
from classifier.normalize import normalize
from classifier.payments import payment_request
from classifier.qr import QrCode, QrKind


def _scenario(title: str) -> Screenshot:
    find_cjk_font()  # fails with a clear message (not a skip) when no CJK font is installed
    return render_chat(next(s for s in SCENARIOS if s.title == title))


@pytest.fixture(scope="module")
def police() -> tuple[Screenshot, ImageReading]:
    """The "safe account" chat, rendered and read once."""
    shot = _scenario("上海市公安局")
    return shot, read_image_sync(shot.png)


@pytest.fixture(scope="module")
def refund_png() -> bytes:
    """The fake customer-service chat with a WeChat payment code."""
    return _scenario("淘宝官方客服").png


@pytest.fixture
def no_ocr(monkeypatch: pytest.MonkeyPatch) -> list[Image.Image]:
    """Stub the OCR out; the pictures it would have read are collected here."""
    seen: list[Image.Image] = []

    def fake(image: Image.Image) -> list[images._Box]:
        seen.append(image)
        return []

    monkeypatch.setattr(images, "_ocr", fake)
    return seen


def _png(size: tuple[int, int] = (60, 40), mode: str = "RGB", color: object = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format="PNG")  # type: ignore[arg-type]
    return buffer.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares a size and holds no real pixels (a decompression bomb shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


# --- the real thing -------------------------------------------------------------------


def test_screenshot_text_is_read_in_order(police: tuple[Screenshot, ImageReading]) -> None:
    shot, reading = police
    assert (reading.width, reading.height) == (1080, 1920)
    assert reading.qr == ()
    read = "".join(reading.lines)
    for line in shot.lines:
        assert fuzz.partial_ratio(line, read) >= 85, (line, reading.lines)
    # Reading order: the title first, the bubbles top to bottom.
    assert reading.lines[0] == "上海市公安局"
    assert read.index("身份证") < read.index("安全账户") < read.index("保密")


def test_wrapped_rows_are_joined_into_paragraphs(
    police: tuple[Screenshot, ImageReading],
) -> None:
    _shot, reading = police
    assert len(reading.blocks) < len(reading.lines)
    paragraph = next(block for block in reading.blocks if "安全账户" in block)
    assert "6222021234567890128" in paragraph  # the card number wrapped over two rows


async def test_scam_screenshot_is_high_risk(police: tuple[Screenshot, ImageReading]) -> None:
    _shot, reading = police
    verdict = await analyze(submission_from_image(reading))
    assert verdict.risk is RiskLevel.HIGH
    assert verdict.fraud_type == "impersonate_police"
    assert any(item.quote and "安全账户" in item.quote for item in verdict.evidence)


def test_screenshot_payment_request(police: tuple[Screenshot, ImageReading]) -> None:
    _shot, reading = police
    knowledge = default_analyzer().knowledge
    norm = normalize(submission_from_image(reading).combined_text())
    payment = payment_request(norm, extract(norm, bank_bins=knowledge.bank_bins), knowledge)
    assert payment is not None
    assert payment.situation == "safe_account"
    assert payment.payee == "张**"
    assert payment.bank == "中国工商银行"
    assert payment.account_masked == "6222 **** **** 0128"


async def test_payment_code_screenshot_reaches_the_verdict(refund_png: bytes) -> None:
    # A generous cap: the first OCR loads the models, and CI machines may be busy.
    reading = await read_image(refund_png, limits=ImageLimits(timeout_seconds=300))
    payload = "wxp://f2f0mXq7b2Lk9PzR4tV8sN1cYwE5hUaJ3dG6"
    assert reading.qr == (QrCode(payload, QrKind.WECHAT_PAY),)
    assert reading.ocr_seconds > 0 and reading.qr_seconds < 1
    submission = submission_from_image(reading, "客服发来的")
    assert submission.urls == (payload,)
    verdict = await analyze(submission)
    assert verdict.risk is not RiskLevel.SAFE
    codes = [e for e in verdict.entities if e.kind is EntityKind.PAYMENT_CODE]
    assert [e.masked() for e in codes] == ["wxp://f2f0****3dG6"]
    assert "entity:payment_code" in {item.source for item in verdict.evidence}
    assert payload not in str(verdict.to_json())  # the payee token never leaves masked


def test_ocr_models_come_from_the_wheel(monkeypatch: pytest.MonkeyPatch) -> None:
    """No model or dictionary is ever downloaded: the engine runs with downloads blocked."""
    from rapidocr.utils import download_file

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("RapidOCR tried to download a file")

    monkeypatch.setattr(download_file.DownloadFile, "run", classmethod(refuse))
    monkeypatch.setattr(download_file.requests, "get", refuse)
    images._engine.cache_clear()
    try:
        page = Image.new("RGB", (480, 120), "white")
        ImageDraw.Draw(page).text((20, 30), "请勿转账", font=cjk_font(48), fill="black")
        rows = images._ocr(page)
    finally:
        images._engine.cache_clear()
    assert [row.text for row in rows] == ["请勿转账"]


def test_long_screenshot_is_read_in_tiles_without_duplicates() -> None:
    find_cjk_font()
    bubbles = tuple(
        Bubble(text=f"第{i}条：今天天气不错，去公园吧。", mine=i % 3 == 0) for i in range(1, 20)
    )
    shot = render_chat(Scenario("长截图", bubbles, scam=False), size=(1080, 2600))
    assert len(images._tiles(2600)) == 2
    reading = read_image_sync(shot.png)
    drawn = [line for line in shot.lines if line.startswith("第")]
    assert len(drawn) >= 12
    for line in drawn:
        number = line.split("：")[0]
        assert sum(row.startswith(number + "：") for row in reading.lines) == 1, number


# --- reading order, without OCR ----------------------------------------------------------


@pytest.mark.parametrize("height", [100, 1920, 1921, 2600, 4000, 6000])
def test_tiles_cover_every_row_once(height: int) -> None:
    tiles = images._tiles(height)
    owned = sorted((own_from, own_to) for _top, _bottom, own_from, own_to in tiles)
    assert owned[0][0] == 0 and owned[-1][1] == height
    assert all(a[1] == b[0] for a, b in itertools.pairwise(owned))
    for top, bottom, own_from, own_to in tiles:
        assert bottom - top <= images._TILE and top >= 0 and bottom <= height
        # A row owned by a tile lies well inside it (unless at the picture's edge).
        assert own_from == 0 or own_from - top >= images._OVERLAP // 2
        assert own_to == height or bottom - own_to >= images._OVERLAP // 2


def _box(text: str, left: float, top: float, width: float = 300, height: float = 44) -> images._Box:
    return images._Box(text, left, top, left + width, top + height)


def test_boxes_on_one_row_are_merged_left_to_right() -> None:
    rows = images._rows(
        [_box("晚上好", 600, 102), _box("张阿姨", 100, 100), _box("第二行", 100, 200)]
    )
    assert [row.text for row in rows] == ["张阿姨 晚上好", "第二行"]


def test_blocks_join_wrapped_rows_but_not_separate_bubbles() -> None:
    rows = [
        _box("请将资金转入安全", 170, 580),
        _box("账户，卡号62", 170, 637),
        _box("22021234567890128", 170, 694),
        _box("好的", 600, 850),  # another bubble
        _box("此事需要保密", 170, 1000),  # same left edge, but far below
        _box("call me", 170, 1200),
        _box("tomorrow", 170, 1257),
    ]
    assert images._blocks(rows) == [
        "请将资金转入安全账户，卡号6222021234567890128",
        "好的",
        "此事需要保密",
        "call me tomorrow",
    ]


def test_submission_from_a_reading() -> None:
    reading = ImageReading(
        lines=("第一行", "第二行"),
        qr=(
            QrCode("https://weixin.qq.com/g/AbC", QrKind.GROUP_INVITE),
            QrCode("加微信 kf_8899", QrKind.TEXT),
        ),
        width=100,
        height=200,
        ocr_seconds=0.1,
        blocks=("第一行第二行",),
    )
    submission = submission_from_image(reading, "看看这个", forward_origin="某人")
    assert submission == Submission(
        text="看看这个",
        urls=("https://weixin.qq.com/g/AbC",),
        image_text=("第一行第二行", "加微信 kf_8899"),
        forward_origin="某人",
    )
    assert reading.to_json()["qr"] == [
        {"kind": "group_invite", "payload": "https://weixin.qq.com/g/AbC"},
        {"kind": "text", "payload": "加微信 kf_8899"},
    ]


# --- guards --------------------------------------------------------------------------------


def _reason(data: bytes, limits: ImageLimits = images.DEFAULT_LIMITS) -> str:
    with pytest.raises(ImageError) as caught:
        read_image_sync(data, limits=limits)
    return caught.value.reason


@pytest.mark.usefixtures("no_ocr")
@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "not_an_image"),
        (b"this is not a picture at all", "not_an_image"),
        (b"%PDF-1.7\n1 0 obj", "not_an_image"),
        (_png_header_only(100_000, 100_000), "too_large"),  # Pillow's bomb guard
        (_png_header_only(7_000, 7_000), "too_large"),  # 49 MP: our pixel cap
    ],
)
def test_bad_pictures_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    assert _reason(data) == reason


@pytest.mark.usefixtures("no_ocr")
def test_truncated_png_is_damaged() -> None:
    buffer = io.BytesIO()
    Image.effect_noise((400, 400), 60).convert("RGB").save(buffer, format="PNG")
    data = buffer.getvalue()
    assert _reason(data[: len(data) // 2]) == "damaged"


@pytest.mark.usefixtures("no_ocr")
def test_byte_and_pixel_caps() -> None:
    data = _png((300, 300))
    assert _reason(data, ImageLimits(max_bytes=len(data) - 1)) == "too_large"
    assert _reason(data, ImageLimits(max_pixels=300 * 299)) == "too_large"
    assert read_image_sync(data, limits=ImageLimits(max_pixels=300 * 300)).width == 300


async def test_oversized_bytes_are_refused_before_any_work() -> None:
    with pytest.raises(ImageError) as caught:
        await read_image(b"\0" * 1001, limits=ImageLimits(max_bytes=1000))
    assert caught.value.reason == "too_large"
    assert "1,001 bytes" in str(caught.value)


async def test_slow_reading_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(data: bytes, *, limits: ImageLimits) -> ImageReading:
        time.sleep(0.3)
        raise AssertionError("the caller has given up by now")

    monkeypatch.setattr(images, "read_image_sync", slow)
    with pytest.raises(ImageError) as caught:
        await read_image(_png(), limits=ImageLimits(timeout_seconds=0.05))
    assert caught.value.reason == "timeout"
    await asyncio.sleep(0.35)  # let the worker finish before the next test uses it


async def test_too_many_waiting_pictures_is_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "_waiting", images._MAX_WAITING)
    with pytest.raises(ImageError) as caught:
        await read_image(_png())
    assert caught.value.reason == "busy"


def test_ocr_library_errors_become_image_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_pixels: object) -> None:
        raise RuntimeError("onnxruntime exploded")

    monkeypatch.setattr(images, "_engine", lambda: broken)
    assert _reason(_png()) == "ocr_failed"


def test_exif_orientation_is_applied(no_ocr: list[Image.Image]) -> None:
    picture = Image.new("RGB", (80, 40), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90°: the phone was held upright
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", exif=exif)
    reading = read_image_sync(buffer.getvalue())
    assert (reading.width, reading.height) == (40, 80)
    assert no_ocr[0].size == (40, 80)


def test_transparent_pixels_become_white(no_ocr: list[Image.Image]) -> None:
    read_image_sync(_png(mode="RGBA", color=(0, 0, 0, 0)))
    assert no_ocr[0].mode == "RGB"
    assert no_ocr[0].getpixel((5, 5)) == (255, 255, 255)


def test_huge_pictures_are_scaled_down_for_ocr(no_ocr: list[Image.Image]) -> None:
    read_image_sync(_png((4000, 3000)))
    assert max(no_ocr[0].size) == images.DEFAULT_LIMITS.ocr_max_side
    read_image_sync(_png((1000, 9000)))  # a long screenshot keeps its width, is cut
    assert no_ocr[1].size == (1000, images.DEFAULT_LIMITS.ocr_max_height)


def test_animated_gif_reads_its_first_frame(no_ocr: list[Image.Image]) -> None:
    frames = [Image.new("RGB", (30, 20), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    assert read_image_sync(buffer.getvalue()).width == 30
    assert no_ocr[0].getpixel((1, 1))[0] > 200  # type: ignore[index]


def test_font_is_found() -> None:
    assert Path(find_cjk_font()).is_file()
