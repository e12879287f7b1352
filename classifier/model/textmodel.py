"""The fine-tuned text model at run time: load once, predict in batches, off the event loop.

A model directory holds what training wrote (encoder.safetensors: the fine-tuned top layers,
heads and the kept vocabulary ids, fp16; tokenizer.json: the trimmed tokenizer; model.json:
settings, type names, fusion weights, metrics). The frozen bottom of the network is the base
model rebuilt from its pip package (classifier.model.base), cut to the kept vocabulary and
cached outside the repository.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer
from torch import nn

from classifier.model.base import BaseModelError, default_cache_dir, install_base
from classifier.model.network import (
    BASE_LAYERS,
    InferenceEncoder,
    base_state_for_vocab,
    pad_batch,
    within_layers,
)
from classifier.model.network import quantise as quantise_linear
from classifier.model.prepare import inference_text

BUNDLED_DIR = Path(__file__).resolve().parent / "weights"
WEIGHTS_FILE = "encoder.safetensors"
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "model.json"
KEPT_IDS = "vocab.kept_ids"
# Long messages are read in windows of max_length tokens; scams state their business early,
# and this bounds the cost of one message.
MAX_WINDOWS = 8
# Windows per forward pass. Batches of 8 ran 10-40 % faster on the 2-core VMs, but dynamic
# int8 makes probabilities depend on batch-mates, and the fusion fitted on valid scored in
# batches of 8 did worse there (fbs F1 0.934 vs 0.944): see docs/MODEL_CARD.md.
BATCH_SIZE = 32
_BOS, _EOS = 0, 2


class ModelNotAvailableError(BaseModelError):
    """No trained model in the directory (run `scamcheck train`)."""


@dataclass(frozen=True)
class ModelOutput:
    """The model's view of one text: P(fraud), its best fraud type with probability, and
    the whole type distribution (of the window that looks most like fraud)."""

    fraud: float
    fraud_type: str | None
    type_probability: float
    type_probabilities: Mapping[str, float] = field(default_factory=dict)


def trimmed_base_path(kept: torch.Tensor, cache_dir: Path | None = None) -> Path:
    """Cache file of the base weights cut to this vocabulary."""
    digest = hashlib.sha256(kept.numpy().tobytes()).hexdigest()[:16]
    return (cache_dir or default_cache_dir()) / f"e5-small-trimmed-{digest}.safetensors"


def install_trimmed_base(model_dir: Path = BUNDLED_DIR, cache_dir: Path | None = None) -> Path:
    """Rebuild (if needed) the base and cache it cut to the model's vocabulary."""
    kept = _kept_ids(model_dir)
    target = trimmed_base_path(kept, cache_dir)
    if target.is_file():
        return target
    full = load_file(str(install_base(cache_dir)))
    state = base_state_for_vocab(full, kept.long())
    del full
    partial = target.with_suffix(".partial")
    save_file(state, str(partial))
    partial.replace(target)
    return target


def _depth(meta: Mapping[str, Any]) -> int:
    """Encoder layers of a trained model (models from before the option have all 12)."""
    return int(meta.get("layers", BASE_LAYERS))


def _read_layers(path: Path, layers: int) -> dict[str, torch.Tensor]:
    """The base tensors a network of ``layers`` layers uses; the others are never read."""
    with safe_open(str(path), framework="pt") as handle:
        keys = handle.keys()  # a safe_open handle is not iterable itself
        return {key: handle.get_tensor(key) for key in keys if within_layers(key, layers)}


def _kept_ids(model_dir: Path) -> torch.Tensor:
    weights = model_dir / WEIGHTS_FILE
    if not weights.is_file():
        raise ModelNotAvailableError(f"no trained model in {model_dir} (run: scamcheck train)")
    with safe_open(str(weights), framework="pt") as handle:
        kept: torch.Tensor = handle.get_tensor(KEPT_IDS)
    return kept


class TextModel:
    """The loaded model. Thread-safe: inference is serialised on one worker thread."""

    def __init__(
        self,
        network: nn.Module,
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
        self.layers = _depth(meta)  # encoder layers the network runs
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
        """Load a model directory; the base is rebuilt into the cache on first use."""
        meta_path = model_dir / META_FILE
        if not meta_path.is_file():
            raise ModelNotAvailableError(f"no trained model in {model_dir} (run: scamcheck train)")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        tokenizer = Tokenizer.from_file(str(model_dir / TOKENIZER_FILE))
        kept = _kept_ids(model_dir)
        layers = _depth(meta)
        # Built on the CPU, then assign=True hands the loaded tensors to the network instead
        # of copying them. (Building on the meta device would skip the random init but makes
        # torch import its meta and compiler machinery: +1.3 s and +70 MB, measured.)
        network = InferenceEncoder(len(kept), max(1, len(meta["type_names"])), layers)
        base = _read_layers(install_trimmed_base(model_dir, cache_dir), layers)
        network.load_state_dict(base, strict=False, assign=True)
        trained = load_file(str(model_dir / WEIGHTS_FILE))
        trained.pop(KEPT_IDS)
        network.load_state_dict(
            {k: v.float() for k, v in trained.items()}, strict=False, assign=True
        )
        if unloaded := sorted(set(network.state_dict()) - set(base) - set(trained)):
            raise ModelNotAvailableError(f"model in {model_dir} lacks {unloaded[0]} (retrain it)")
        del base, trained
        network.eval()
        if quantise:
            network = quantise_linear(network)
        return cls(network, tokenizer, meta, quantised=quantise)

    def _windows(self, prepared: str) -> list[list[int]]:
        content = self._tokenizer.encode(prepared, add_special_tokens=False).ids
        width = self._max_length - 2 - len(self._prefix)
        pieces = [content[start : start + width] for start in range(0, len(content), width)]
        return [[_BOS, *self._prefix, *piece, _EOS] for piece in (pieces or [[]])[:MAX_WINDOWS]]

    def predict(self, texts: Sequence[str]) -> list[ModelOutput]:
        """Predict a batch of messages (synchronously)."""
        return self.predict_prepared([inference_text(text) for text in texts])

    @torch.inference_mode()
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
                fraud_p = torch.sigmoid(fraud_logits).tolist()
                type_p = torch.softmax(type_logits, dim=-1).tolist()
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
