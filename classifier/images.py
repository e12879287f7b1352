"""Screenshots: read the text (RapidOCR) and the QR codes of a picture, safely.

    reading = await read_image(data)                  # ImageError on a bad picture
    submission = submission_from_image(reading, caption)

The picture is checked before it is decoded: byte size, format, and pixel count from the
header (decompression bombs never get decoded). Decoding, QR reading and OCR run in one
worker thread of their own, under a time cap; the OCR engine is loaded once, from the model
files shipped inside the ``rapidocr`` wheel (nothing is downloaded). Nothing is stored:
the bytes and the picture live only for the call.
"""

from __future__ import annotations

import asyncio
import io
import re
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from classifier.qr import QrCode, QrKind, decode_qr
from classifier.verdict import ChatKind, Submission
from knowledge.errors import ScamCheckError

__all__ = [
    "DEFAULT_LIMITS",
    "REASONS",
    "ImageError",
    "ImageLimits",
    "ImageReading",
    "read_image",
    "read_image_sync",
    "submission_from_image",
]

# Why a picture could not be read (``ImageError.reason``); the bot words each for users.
REASONS: Final = (
    "not_an_image",
    "too_large",
    "damaged",
    "timeout",
    "busy",
    "ocr_unavailable",
    "ocr_failed",
)

_FORMATS: Final = ("PNG", "JPEG", "WEBP", "GIF", "BMP")
_MODEL_FILES: Final = {
    "Det.model_path": "PP-OCRv6_det_small.onnx",
    "Rec.model_path": "PP-OCRv6_rec_small.onnx",
    "Cls.model_path": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}
# One OCR at a time: onnxruntime already uses every core for one picture. A few more may
# wait; beyond that the caller is told to come back later instead of queueing forever.
_WORKERS: Final = 1
_MAX_WAITING: Final = 8
_EXECUTOR: Final = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="scamcheck-ocr")


class ImageError(ScamCheckError):
    """A picture that cannot be read; ``reason`` is one of :data:`REASONS`."""

    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(reason, detail)

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}"


@dataclass(frozen=True)
class ImageLimits:
    """Caps on one picture. The defaults suit phone screenshots, long ones included."""

    max_bytes: int = 10 * 1024 * 1024
    max_pixels: int = 40_000_000
    ocr_max_width: int = 1080
    """Upright pictures are scaled down to this width before OCR (phone text stays legible);
    QR codes are read at full size."""
    ocr_max_side: int = 2000
    """Landscape pictures: the longer side is scaled down to this before OCR."""
    ocr_max_height: int = 6000
    """Long screenshots: only the top this many pixels (after scaling) are read."""
    timeout_seconds: float = 20.0


DEFAULT_LIMITS: Final = ImageLimits()


@dataclass(frozen=True)
class ImageReading:
    """What a picture says: OCR lines in reading order, paragraphs, QR codes, size, timing.

    ``lines`` are rows of text (boxes on the same row merged, left to right); ``blocks``
    joins rows that belong to one paragraph or chat bubble, so that words wrapped over two
    rows are whole again. ``width`` and ``height`` are after EXIF rotation.
    """

    lines: tuple[str, ...]
    qr: tuple[QrCode, ...]
    width: int
    height: int
    ocr_seconds: float
    blocks: tuple[str, ...] = ()
    qr_seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """The ``image`` block of ``scamcheck check --image --json`` (payment codes masked)."""
        return {
            "width": self.width,
            "height": self.height,
            "lines": list(self.lines),
            "blocks": list(self.blocks),
            "qr": [code.to_json() for code in self.qr],
            "ocr_seconds": round(self.ocr_seconds, 3),
            "qr_seconds": round(self.qr_seconds, 4),
        }


def submission_from_image(
    reading: ImageReading,
    caption: str = "",
    *,
    chat_kind: ChatKind = ChatKind.PRIVATE,
    forward_origin: str | None = None,
) -> Submission:
    """The submission for a picture: caption as text, paragraphs as image text, QR codes.

    Link and payment-code payloads go into ``urls`` (URL extraction, domain and link checks
    and the payment-code entity see them); plain-text payloads join the image text.
    """
    urls = tuple(code.payload for code in reading.qr if code.kind is not QrKind.TEXT)
    texts = tuple(code.payload for code in reading.qr if code.kind is QrKind.TEXT)
    return Submission(
        text=caption,
        urls=urls,
        image_text=(*(reading.blocks or reading.lines), *texts),
        forward_origin=forward_origin,
        chat_kind=chat_kind,
    )


# --- the async entry ------------------------------------------------------------------

_waiting = 0
_waiting_lock = threading.Lock()


def _release(_future: Future[ImageReading]) -> None:
    global _waiting
    with _waiting_lock:
        _waiting -= 1


async def read_image(data: bytes, *, limits: ImageLimits = DEFAULT_LIMITS) -> ImageReading:
    """OCR and QR codes of a picture, in the worker thread, within ``limits``.

    Raises :class:`ImageError` (``too_large``, ``not_an_image``, ``damaged``, ``timeout``,
    ``busy``...). On a timeout the work still running is left to finish in the background
    (a native OCR call cannot be interrupted); work still queued is cancelled.
    """
    global _waiting
    _check_bytes(data, limits)
    with _waiting_lock:
        if _waiting >= _MAX_WAITING:
            raise ImageError("busy", f"{_waiting} pictures are already being read")
        _waiting += 1
    try:
        future = _EXECUTOR.submit(read_image_sync, data, limits=limits)
    except BaseException:
        with _waiting_lock:
            _waiting -= 1
        raise
    future.add_done_callback(_release)
    try:
        return await asyncio.wait_for(asyncio.wrap_future(future), limits.timeout_seconds)
    except TimeoutError:
        future.cancel()
        raise ImageError("timeout", f"not read within {limits.timeout_seconds:g} s") from None


# --- the work, in the worker thread ----------------------------------------------------


def read_image_sync(data: bytes, *, limits: ImageLimits = DEFAULT_LIMITS) -> ImageReading:
    """The blocking reading behind :func:`read_image` (no time cap, no thread)."""
    _check_bytes(data, limits)
    image = _decode(data, limits)
    started = time.perf_counter()
    qr = decode_qr(image)
    qr_seconds = time.perf_counter() - started
    started = time.perf_counter()
    rows = _ocr(_for_ocr(image, limits))
    ocr_seconds = time.perf_counter() - started
    return ImageReading(
        lines=tuple(row.text for row in rows),
        qr=qr,
        width=image.width,
        height=image.height,
        ocr_seconds=ocr_seconds,
        blocks=tuple(_blocks(rows)),
        qr_seconds=qr_seconds,
    )


def _check_bytes(data: bytes, limits: ImageLimits) -> None:
    if not data:
        raise ImageError("not_an_image", "the file is empty")
    if len(data) > limits.max_bytes:
        raise ImageError(
            "too_large", f"{len(data):,} bytes is over the cap of {limits.max_bytes:,}"
        )


def _decode(data: bytes, limits: ImageLimits) -> Image.Image:
    """Open (header only), check the pixel count, then decode, rotate and make RGB."""
    try:
        image = Image.open(io.BytesIO(data), formats=_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own bomb guard (pixel count far over any sane picture) fired first.
        raise ImageError("too_large", str(exc)) from None
    except UnidentifiedImageError:
        raise ImageError("not_an_image", "not a PNG, JPEG, WebP, GIF or BMP picture") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError("damaged", f"cannot read the picture header ({exc})") from None
    width, height = image.size
    if width <= 0 or height <= 0:
        raise ImageError("damaged", f"impossible size {width}×{height}")
    if width * height > limits.max_pixels:
        raise ImageError(
            "too_large", f"{width}×{height} pixels is over the cap of {limits.max_pixels:,}"
        )
    try:
        image.seek(0)  # animated GIF / WebP: the first frame
        image.load()
        upright = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageError("damaged", f"the picture is damaged or cut off ({exc})") from None
    return _to_rgb(upright)


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB; transparent areas become white (as a phone shows them), not black."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _for_ocr(image: Image.Image, limits: ImageLimits) -> Image.Image:
    """Scale down for OCR: upright pictures by width, landscape ones by the longer side.

    A long screenshot keeps a legible width; the part below ``ocr_max_height`` is cut.
    """
    width, height = image.size
    side, cap = (width, limits.ocr_max_width) if height >= width else (width, limits.ocr_max_side)
    if side > cap:
        scale = cap / side
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS)
    if image.height > limits.ocr_max_height:
        image = image.crop((0, 0, image.width, limits.ocr_max_height))
    return image


# --- OCR --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Box:
    text: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@cache
def _engine() -> Any:
    """The RapidOCR engine, built once from the models shipped in the wheel."""
    import rapidocr  # heavy (onnxruntime, opencv): imported on first use only

    models = Path(rapidocr.__file__).parent / "models"
    params: dict[str, Any] = {
        "Global.log_level": "error",
        # Screenshots are upright (EXIF rotation is applied): skip the angle classifier.
        "Global.use_cls": False,
    }
    for key, name in _MODEL_FILES.items():
        path = models / name
        if not path.is_file():
            raise ImageError("ocr_unavailable", f"OCR model file missing: {path}")
        params[key] = str(path)
    return rapidocr.RapidOCR(params=params)


_engine_lock = threading.Lock()


# RapidOCR shrinks any picture whose longer side exceeds 2000 px, which would make a long
# screenshot unreadable; taller pictures are read in overlapping tiles instead. A text row
# belongs to the tile that holds its centre away from the overlap's middle.
_TILE: Final = 1920
_OVERLAP: Final = 240


def _tiles(height: int) -> list[tuple[int, int, int, int]]:
    """(top, bottom, own_from, own_to) of each tile, in picture coordinates."""
    if height <= _TILE:
        return [(0, height, 0, height)]
    tops = [*range(0, height - _TILE, _TILE - _OVERLAP), height - _TILE]
    tiles = []
    for index, top in enumerate(tops):
        own_from = 0 if index == 0 else top + _OVERLAP // 2
        own_to = height if index == len(tops) - 1 else tops[index + 1] + _OVERLAP // 2
        tiles.append((top, top + _TILE, own_from, own_to))
    return tiles


def _ocr(image: Image.Image) -> list[_Box]:
    """OCR text rows of an RGB picture, in reading order."""
    pixels = np.asarray(image)[:, :, ::-1]  # RapidOCR takes an array as BGR, like OpenCV
    boxes: list[_Box] = []
    for top, bottom, own_from, own_to in _tiles(image.height):
        tile = np.ascontiguousarray(pixels[top:bottom])
        for box in _ocr_tile(tile):
            moved = _Box(box.text, box.left, box.top + top, box.right, box.bottom + top)
            if own_from <= (moved.top + moved.bottom) / 2 < own_to:
                boxes.append(moved)
    return _rows(boxes)


def _ocr_tile(pixels: np.ndarray[Any, Any]) -> list[_Box]:
    with _engine_lock:
        engine = _engine()
        try:
            result = engine(pixels)
        except Exception as exc:  # the OCR library's own errors: report, never crash
            raise ImageError("ocr_failed", f"{type(exc).__name__}: {exc}"[:200]) from exc
    boxes_array = getattr(result, "boxes", None)
    texts: Sequence[str] | None = getattr(result, "txts", None)
    if boxes_array is None or texts is None:
        return []
    boxes = []
    for points, text in zip(boxes_array, texts, strict=True):
        xs = [float(p[0]) for p in points]
        ys = [float(p[1]) for p in points]
        if text.strip():
            boxes.append(_Box(text.strip(), min(xs), min(ys), max(xs), max(ys)))
    return boxes


def _rows(boxes: list[_Box]) -> list[_Box]:
    """Merge boxes on the same row (vertical overlap over half the lower box), top to bottom."""
    rows: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        if rows:
            row = rows[-1]
            top = min(b.top for b in row)
            bottom = max(b.bottom for b in row)
            overlap = min(bottom, box.bottom) - max(top, box.top)
            if overlap > 0.5 * min(box.height, bottom - top):
                row.append(box)
                continue
        rows.append([box])
    merged = []
    for row in rows:
        row.sort(key=lambda b: b.left)
        merged.append(
            _Box(
                " ".join(b.text for b in row),
                min(b.left for b in row),
                min(b.top for b in row),
                max(b.right for b in row),
                max(b.bottom for b in row),
            )
        )
    return merged


_LATIN_END: Final = re.compile(r"[A-Za-z]$")
_LATIN_START: Final = re.compile(r"^[A-Za-z]")


def _join(first: str, second: str) -> str:
    """Join two rows of one paragraph; a space only between two Latin words."""
    if _LATIN_END.search(first) and _LATIN_START.match(second):
        return f"{first} {second}"
    return first + second


def _blocks(rows: list[_Box]) -> list[str]:
    """Join rows that continue each other: same left edge, similar size, small gap."""
    blocks: list[str] = []
    previous: _Box | None = None
    for row in rows:
        if previous is not None:
            height = max(previous.height, row.height)
            continues = (
                abs(row.left - previous.left) < 0.6 * height
                and 0.7 < row.height / max(previous.height, 1.0) < 1.4
                and row.top - previous.bottom < 0.6 * height
            )
            if continues:
                blocks[-1] = _join(blocks[-1], row.text)
            else:
                blocks.append(row.text)
        else:
            blocks.append(row.text)
        previous = row
    return blocks
