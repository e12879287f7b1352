"""``scamcheck check --image PATH``: read a screenshot as the bot would, then classify it."""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from classifier.images import DEFAULT_LIMITS, ImageError, ImageLimits, ImageReading, read_image
from knowledge.errors import ScamCheckError

# The bot's caps, but a patient clock: someone at a terminal can wait for a slow machine.
CLI_LIMITS = ImageLimits(timeout_seconds=300.0)


class ImageInputError(ScamCheckError):
    """The picture given on the command line cannot be used."""


def load_image_file(path: Path, *, max_bytes: int = DEFAULT_LIMITS.max_bytes) -> bytes:
    """The file's bytes; never reads more than one byte past the cap."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ImageInputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise ImageInputError(f"{path}: the file is larger than {max_bytes:,} bytes")
    return data


def check_image(args: argparse.Namespace, make_analyzer: Callable[[], Any]) -> int:
    """Read the picture, classify it with its caption, print lines, QR codes and verdict."""
    from bot.render import render_verdict
    from classifier import ChatKind
    from classifier.images import submission_from_image

    data = load_image_file(args.image)
    caption = args.text if args.text not in (None, "-") else ""
    try:
        reading = asyncio.run(read_image(data, limits=CLI_LIMITS))
    except ImageError as exc:
        raise ImageInputError(f"{args.image}: {exc.detail} ({exc.reason})") from None
    analyzer = make_analyzer()
    submission = submission_from_image(reading, caption, chat_kind=ChatKind.CLI)
    verdict = asyncio.run(analyzer.analyze(submission))
    if args.json:
        result = verdict.to_json() | {"image": reading.to_json()}
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(describe_reading(reading))
    print()
    print(render_verdict(verdict, analyzer.knowledge, as_html=False))
    if verdict.payment is not None:
        print()
        print(f"payment request ({verdict.payment.situation}): {verdict.payment.warning}")
    return 0


def describe_reading(reading: ImageReading) -> str:
    """The plain-text report of what was read from a picture."""
    out = [
        f"image: {reading.width}×{reading.height}, OCR {reading.ocr_seconds:.2f} s, "
        f"QR {reading.qr_seconds * 1000:.0f} ms",
        f"text read ({len(reading.lines)} lines):",
        *(f"  {line}" for line in reading.lines),
    ]
    if not reading.lines:
        out.append("  (none)")
    out.append(f"QR codes ({len(reading.qr)}):")
    out.extend(f"  [{code.kind.value}] {code.masked()}" for code in reading.qr)
    if not reading.qr:
        out.append("  (none)")
    return "\n".join(out)
