"""The encoder as the bot runs it: an onnxruntime graph, built once from the trained weights
(classifier/model/export.py) and cached outside the repository. Nothing here imports torch.

Why onnxruntime rather than torch: on the AVX2-only 2-core VM its int8 MatMuls ran the
6-layer encoder 1.2 to 1.7 times as fast as torch's dynamic int8 Linear, and a bot that does
not import torch starts in a quarter of the time with half the memory (docs/MODEL_CARD.md
has the measurements).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import numpy as np
import onnxruntime

from classifier.model.base import BaseModelError, default_cache_dir

# A trained model directory (what `scamcheck train` writes).
WEIGHTS_FILE = "encoder.safetensors"  # fine-tuned layers and heads (fp16), kept vocabulary ids
TOKENIZER_FILE = "tokenizer.json"  # the tokenizer cut to the kept vocabulary
META_FILE = "model.json"  # settings, type names, fusion weights, metrics
KEPT_IDS = "vocab.kept_ids"  # the tensor in WEIGHTS_FILE holding the kept base ids
PAD_ID = 1
BASE_LAYERS = 12
# Bump when the exported graph or its quantisation changes: cached graphs are then rebuilt.
GRAPH_FORMAT = 3  # 3: activations rounded per token (2: per tensor)
INPUTS = ("ids", "mask")
OUTPUTS = ("fraud", "types")

IntArray = np.ndarray[tuple[int, int], np.dtype[np.int64]]
FloatArray = np.ndarray[tuple[int, ...], np.dtype[np.float32]]


class ModelNotAvailableError(BaseModelError):
    """No trained model in the directory (run `scamcheck train`)."""


def layer_count(meta: dict[str, object]) -> int:
    """Encoder layers of a trained model (models from before the option have all 12)."""
    layers = meta.get("layers", BASE_LAYERS)
    return int(layers) if isinstance(layers, int | str) else BASE_LAYERS


def read_meta(model_dir: Path) -> dict[str, object]:
    """model.json of a trained model directory."""
    path = model_dir / META_FILE
    if not path.is_file() or not (model_dir / WEIGHTS_FILE).is_file():
        raise ModelNotAvailableError(f"no trained model in {model_dir} (run: scamcheck train)")
    meta: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return meta


def graph_path(model_dir: Path, *, quantised: bool, cache_dir: Path | None = None) -> Path:
    """Cache file of the graph for this model directory's weights (int8 or fp32). The name
    changes with the weights, the depth, the exporter's and onnxruntime's versions."""
    meta = read_meta(model_dir)
    digest = hashlib.sha256((model_dir / WEIGHTS_FILE).read_bytes())
    for part in (layer_count(meta), GRAPH_FORMAT, version("torch"), version("onnxruntime")):
        digest.update(f"|{part}".encode())
    kind = "int8" if quantised else "fp32"
    return (cache_dir or default_cache_dir()) / f"encoder-{digest.hexdigest()[:16]}-{kind}.onnx"


def pad_batch(sequences: Sequence[list[int]]) -> tuple[IntArray, IntArray]:
    """Token id lists padded to the longest one, with the attention mask (int64 arrays)."""
    width = max(len(ids) for ids in sequences)
    ids: IntArray = np.full((len(sequences), width), PAD_ID, dtype=np.int64)
    mask: IntArray = np.zeros((len(sequences), width), dtype=np.int64)
    for row, sequence in enumerate(sequences):
        ids[row, : len(sequence)] = sequence
        mask[row, : len(sequence)] = 1
    return ids, mask


class EncoderGraph:
    """An onnxruntime session of the encoder graph: token ids in, both heads' logits out."""

    def __init__(self, path: Path) -> None:
        options = onnxruntime.SessionOptions()
        # All the CPUs this process may use (onnxruntime's default counts physical cores,
        # one on a 2-vCPU VM), as torch did; one graph runs at a time.
        options.intra_op_num_threads = len(os.sched_getaffinity(0))
        options.inter_op_num_threads = 1
        # Worker threads sleep between batches instead of spinning: the bot's event loop
        # shares the two cores.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # errors only
        self._session = onnxruntime.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"]
        )

    def __call__(self, ids: IntArray, mask: IntArray) -> tuple[FloatArray, FloatArray]:
        """(fraud logit per row, type logits per row) for a padded batch."""
        fraud, types = self._session.run(list(OUTPUTS), {"ids": ids, "mask": mask})
        return np.asarray(fraud, dtype=np.float32), np.asarray(types, dtype=np.float32)
