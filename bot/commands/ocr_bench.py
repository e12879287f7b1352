"""``scamcheck bench --ocr``: screenshot reading speed and accuracy on generated chats.

Renders chat screenshots (:mod:`bot.commands.screenshots`), reads each one with
:func:`classifier.images.read_image_sync` and reports OCR seconds (p50 / p95), QR decoding
milliseconds (p95), the character error rate of the OCR against the drawn text, and how
many QR codes were found.
"""

from __future__ import annotations

import os
import re
import time

from rapidfuzz.distance import Levenshtein

from bot.commands.benchmark import _percentile
from bot.commands.progress import Progress
from bot.commands.screenshots import sample_screenshots
from classifier.images import read_image_sync

# Targets from the issue: on 2 cores, OCR p95 ≤ 3 s and QR p95 ≤ 50 ms per screenshot.
OCR_P95_TARGET_S = 3.0
QR_P95_TARGET_MS = 50.0
_SPACE = re.compile(r"\s+")


def character_error_rate(reference: str, recognised: str) -> float:
    """Edit distance over the reference length, whitespace ignored (0 = perfect)."""
    ref = _SPACE.sub("", reference)
    hyp = _SPACE.sub("", recognised)
    return Levenshtein.distance(ref, hyp) / max(1, len(ref))


def run_ocr_benchmark(*, images: int, seed: int = 0) -> str:
    """Generate ``images`` screenshots, read them all and return the printed summary."""
    shots = []
    with Progress(images, "rendering") as progress:
        for shot in sample_screenshots(images, seed=seed):
            shots.append(shot)
            progress.advance()
    read_image_sync(shots[0].png)  # warm-up: loads the OCR models once
    ocr: list[float] = []
    cpu: list[float] = []
    qr: list[float] = []
    errors = edits = chars = 0
    qr_expected = qr_found = 0
    began = time.perf_counter()
    with Progress(images, "reading") as progress:
        for shot in shots:
            cpu_started = time.process_time()
            reading = read_image_sync(shot.png)
            cpu.append(time.process_time() - cpu_started)
            ocr.append(reading.ocr_seconds)
            qr.append(reading.qr_seconds * 1000)
            reference = "".join(shot.lines)
            cer = character_error_rate(reference, "".join(reading.lines))
            edits += round(cer * len(_SPACE.sub("", reference)))
            chars += len(_SPACE.sub("", reference))
            errors += cer > 0.05
            qr_expected += len(shot.qr)
            qr_found += len({code.payload for code in reading.qr} & set(shot.qr))
            progress.advance()
    elapsed = time.perf_counter() - began
    ocr.sort()
    cpu.sort()
    qr.sort()
    ocr_p95 = _percentile(ocr, 0.95)
    qr_p95 = _percentile(qr, 0.95)
    return "\n".join(
        [
            f"screenshots: {images} generated chats, 1080×1920, "
            f"{sum(1 for s in shots if s.scam)} scam / {sum(1 for s in shots if not s.scam)} "
            f"everyday, {qr_expected} QR codes; {os.cpu_count()} CPU cores",
            f"OCR per screenshot: p50 {_percentile(ocr, 0.5):.2f} s, p95 {ocr_p95:.2f} s "
            f"({'within' if ocr_p95 <= OCR_P95_TARGET_S else 'OVER'} the "
            f"{OCR_P95_TARGET_S:g} s target)",
            f"CPU time per screenshot (all threads; independent of other load): "
            f"p50 {_percentile(cpu, 0.5):.2f} s, p95 {_percentile(cpu, 0.95):.2f} s",
            f"QR decoding: p50 {_percentile(qr, 0.5):.1f} ms, p95 {qr_p95:.1f} ms "
            f"({'within' if qr_p95 <= QR_P95_TARGET_MS else 'OVER'} the "
            f"{QR_P95_TARGET_MS:g} ms target); found {qr_found} of {qr_expected}",
            f"character error rate: {edits / max(1, chars):.2%} over {chars} characters "
            f"({errors} screenshots above 5%)",
            f"total: {elapsed:.1f} s for {images} screenshots",
        ]
    )
