"""``scamcheck check --image`` and ``scamcheck bench --ocr``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

import bot.commands.ocr_bench as ocr_bench
from bot.cli import main
from bot.commands.ocr_bench import character_error_rate, run_ocr_benchmark
from bot.commands.screenshots import (
    SCENARIOS,
    FontMissingError,
    find_cjk_font,
    render_chat,
    sample_screenshots,
)
from classifier.images import ImageLimits, ImageReading


def _truncated_png() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((300, 300), 60).convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue()[:3000]


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two rendered chats on disk: a loan scam, and a fake refund with a payment code."""
    folder = tmp_path_factory.mktemp("shots")
    paths = {}
    for title in ("贷款客服", "淘宝官方客服"):
        shot = render_chat(next(s for s in SCENARIOS if s.title == title))
        paths[title] = folder / f"{len(paths)}.png"
        paths[title].write_bytes(shot.png)
    return paths


def test_check_image_prints_text_codes_and_verdict(
    screenshots: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--image", str(screenshots["贷款客服"]), "--offline"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("image: 1080×1920")
    assert "解冻费" in out and "QR codes (0):" in out
    assert "🔴 高风险" in out


def test_check_image_json_has_the_image_block(
    screenshots: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(screenshots["淘宝官方客服"])
    assert main(["check", "--image", path, "--json", "--offline", "客服发来的"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["risk"] != "safe"
    assert data["image"]["qr"] == [{"kind": "wechat_pay", "payload": "wxp://f2f0****3dG6"}]
    assert any("退款" in line for line in data["image"]["lines"])
    assert {"width", "height", "blocks", "ocr_seconds", "qr_seconds"} <= set(data["image"])
    assert "payment_code" in {entity["kind"] for entity in data["entities"]}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"not a picture", "(not_an_image)"),
        (_truncated_png(), "(damaged)"),
    ],
)
def test_bad_image_is_one_clear_line(
    tmp_path: Path, content: bytes, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.png"
    path.write_bytes(content)
    assert main(["check", "--image", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("scamcheck: error: ") and expected in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_missing_image_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--image", str(tmp_path / "nope.png")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("scamcheck: error: cannot read") and err.count("\n") == 1


def test_oversized_image_file_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.commands.image_check import ImageInputError, load_image_file

    path = tmp_path / "big.png"
    path.write_bytes(b"\0" * 2048)
    with pytest.raises(ImageInputError, match="larger than 1,024 bytes"):
        load_image_file(path, max_bytes=1024)


def test_character_error_rate() -> None:
    assert character_error_rate("安全账户", "安全账户") == 0
    assert character_error_rate("安全 账户", "安全账尸") == 0.25
    assert character_error_rate("", "x") == 1


def test_bench_ocr_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary's shape; the reading itself is stubbed (the real run is `make bench`)."""
    shots = {shot.png: shot for shot in sample_screenshots(3)}

    def fake_read(data: bytes, *, limits: ImageLimits | None = None) -> ImageReading:
        shot = shots[data]
        return ImageReading(shot.lines, (), 1080, 1920, 0.5, qr_seconds=0.004)

    monkeypatch.setattr(ocr_bench, "read_image_sync", fake_read)
    out = run_ocr_benchmark(images=3)
    assert "OCR per screenshot: p50 0.50 s, p95 0.50 s (within the 3 s target)" in out
    assert "QR decoding: p50 4.0 ms, p95 4.0 ms (within the 50 ms target)" in out
    assert "character error rate: 0.00%" in out


def test_bench_rejects_zero_images(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--ocr", "--images", "0"]) == 2
    assert "--images must be at least 1" in capsys.readouterr().err


def test_no_cjk_font_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.commands.screenshots as screenshots_module

    monkeypatch.setattr(screenshots_module.shutil, "which", lambda _name: None)
    monkeypatch.setattr(screenshots_module, "_KNOWN_FONTS", ())
    with pytest.raises(FontMissingError, match="apt-get install -y fonts-noto-cjk"):
        find_cjk_font()
