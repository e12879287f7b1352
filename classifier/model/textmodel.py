"""The fine-tuned text model at run time: load once, predict in batches, off the event loop.

A model directory holds what training wrote (encoder.safetensors: the fine-tuned top layers,
heads and the kept vocabulary ids, fp16; tokenizer.json: the trimmed tokenizer; model.json:
settings, type names, fusion weights, metrics). The encoder runs as an onnxruntime graph
built from those weights and the base model (classifier/model/graph.py), cached outside the
repository; the first load builds it if ``scamcheck model install`` has not.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tokenizers import Tokenizer

from classifier.model.graph import (
    META_FILE,
    TOKENIZER_FILE,
    WEIGHTS_FILE,
    EncoderGraph,
    ModelNotAvailableError,
    graph_path,
    layer_count,
    pad_batch,
    read_meta,
)
from classifier.model.prepare import inference_text

__all__ = [
    "BUNDLED_DIR",
    "MESSAGES_PER_CALL",
    "META_FILE",
    "TOKENIZER_FILE",
    "WEIGHTS_FILE",
    "ModelNotAvailableError",
    "ModelOutput",
    "TextModel",
]

BUNDLED_DIR = Path(__file__).resolve().parent / "weights"
# Long messages are read in windows of max_length tokens; scams state their business early,
# and this bounds the cost of one message.
MAX_WINDOWS = 8
# Windows per forward pass. The int8 graph rounds every token on its own range, so a
# message's scores do not depend on its batch-mates (up to float summation order, ~1e-6):
# the bot, scoring one message at a time, and the batched eval and fusion fit see the same
# probabilities, and the batch size is a matter of speed alone.
BATCH_SIZE = 32
# Messages a batch job hands to the model per call (`scamcheck batch`, `eval`, the fusion fit
# and `bench --model` all use it). Windows are sorted by length over the whole call, so a
# larger call pads less: on VM D the encoder read the valid split at 282-285 texts/s in calls
# of 256 against 194-196 in calls of 64 (docs/MODEL_CARD.md).
MESSAGES_PER_CALL = 256
_BOS, _EOS = 0, 2


@dataclass(frozen=True)
class ModelOutput:
    """The model's view of one text: P(fraud), its best fraud type with probability, and
    the whole type distribution (of the window that looks most like fraud)."""

    fraud: float
    fraud_type: str | None
    type_probability: float
    type_probabilities: Mapping[str, float] = field(default_factory=dict)


def _sigmoid(values: np.ndarray[Any, np.dtype[np.float32]]) -> list[float]:
    return [float(p) for p in 1.0 / (1.0 + np.exp(-values.astype(np.float64)))]


def _softmax(values: np.ndarray[Any, np.dtype[np.float32]]) -> list[list[float]]:
    shifted = np.exp(values.astype(np.float64) - values.max(axis=-1, keepdims=True))
    return [[float(p) for p in row] for row in shifted / shifted.sum(axis=-1, keepdims=True)]


class TextModel:
    """The loaded model. Thread-safe: inference is serialised on one worker thread."""

    def __init__(
        self,
        network: EncoderGraph,
        tokenizer: Tokenizer,
        meta: dict[str, Any],
        *,
        quantised: bool,
    ) -> None:
        self._network = network
        self._tokenizer = tokenizer
        self.meta = meta
        self.quantised = quantised
        self.type_names: list[str] = list(meta["type_names"])
        self._max_length = int(meta["max_length"])
        self.layers = layer_count(meta)  # encoder layers the network runs
        self._prefix = tokenizer.encode(str(meta["prefix"]), add_special_tokens=False).ids
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="text-model")
        self._lock = threading.Lock()

    @classmethod
    def load(
        cls,
        model_dir: Path = BUNDLED_DIR,
        *,
        quantise: bool = True,
        cache_dir: Path | None = None,
    ) -> TextModel:
        """Load a model directory: its int8 graph (fp32 with ``quantise=False``), built into
        the cache on first use."""
        meta = read_meta(model_dir)
        path = graph_path(model_dir, quantised=quantise, cache_dir=cache_dir)
        if not path.is_file():
            try:
                from classifier.model.export import build_graphs  # torch: only to build

                build_graphs(model_dir, cache_dir)
            except (ImportError, OSError, RuntimeError, ValueError) as exc:
                raise ModelNotAvailableError(f"cannot build the encoder graph: {exc}") from exc
        tokenizer = Tokenizer.from_file(str(model_dir / TOKENIZER_FILE))
        return cls(EncoderGraph(path), tokenizer, meta, quantised=quantise)

    def _windows(self, prepared: str) -> list[list[int]]:
        content = self._tokenizer.encode(prepared, add_special_tokens=False).ids
        width = self._max_length - 2 - len(self._prefix)
        pieces = [content[start : start + width] for start in range(0, len(content), width)]
        return [[_BOS, *self._prefix, *piece, _EOS] for piece in (pieces or [[]])[:MAX_WINDOWS]]

    def predict(self, texts: Sequence[str]) -> list[ModelOutput]:
        """Predict a batch of messages (synchronously)."""
        return self.predict_prepared([inference_text(text) for text in texts])

    def predict_prepared(self, texts: Sequence[str]) -> list[ModelOutput]:
        """Predict texts already in the model's form (``inference_text``): windows sorted
        by length, padded per batch."""
        windows = [(index, ids) for index, text in enumerate(texts) for ids in self._windows(text)]
        windows.sort(key=lambda item: len(item[1]))
        fraud: list[float] = [-1.0] * len(texts)
        types: list[list[float]] = [[] for _ in texts]
        with self._lock:
            for start in range(0, len(windows), BATCH_SIZE):
                batch = windows[start : start + BATCH_SIZE]
                ids, mask = pad_batch([item[1] for item in batch])
                fraud_logits, type_logits = self._network(ids, mask)
                fraud_p = _sigmoid(fraud_logits)
                type_p = _softmax(type_logits)
                for row, (index, _ids) in enumerate(batch):
                    if fraud_p[row] > fraud[index]:  # the most fraud-like window speaks
                        fraud[index] = fraud_p[row]
                        types[index] = type_p[row]
        return [self._output(p, distribution) for p, distribution in zip(fraud, types, strict=True)]

    def _output(self, fraud: float, type_p: list[float]) -> ModelOutput:
        if not self.type_names or not type_p:
            return ModelOutput(fraud=fraud, fraud_type=None, type_probability=0.0)
        distribution = dict(zip(self.type_names, type_p, strict=True))
        top = max(distribution, key=distribution.__getitem__)
        return ModelOutput(fraud, top, distribution[top], distribution)

    def close(self) -> None:
        """Stop the worker thread."""
        self.executor.shutdown(wait=False)
