"""Build the encoder's onnxruntime graphs (classifier/model/graph.py) from a trained model
directory: the base's bottom layers and the trained top layers in ``InferenceEncoder``,
exported to ONNX (fp32), then dynamically quantised to int8 the way training simulates it
(classifier/model/encoder.py). Needs torch; run by ``scamcheck model install`` and, if the
cache is missing, on first load.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import load_file
from torch import nn

from classifier.model.base import install_base
from classifier.model.graph import (
    INPUTS,
    KEPT_IDS,
    OUTPUTS,
    WEIGHTS_FILE,
    ModelNotAvailableError,
    graph_path,
    layer_count,
    read_meta,
)
from classifier.model.network import InferenceEncoder, base_state_for_vocab, pad_batch

_OPSET = 17


def kept_ids(model_dir: Path) -> torch.Tensor:
    """The base vocabulary ids the trained model keeps (stored with its weights)."""
    with safe_open(str(model_dir / WEIGHTS_FILE), framework="pt") as handle:
        kept: torch.Tensor = handle.get_tensor(KEPT_IDS)
    return kept


def load_network(model_dir: Path, cache_dir: Path | None = None) -> InferenceEncoder:
    """The trained network in fp32: the base (rebuilt into the cache if needed) cut to the
    kept vocabulary and depth, with the trained layers and heads on top."""
    meta = read_meta(model_dir)
    layers = layer_count(meta)
    type_names = meta.get("type_names")
    n_types = len(type_names) if isinstance(type_names, list) else 0
    kept = kept_ids(model_dir).long()
    network = InferenceEncoder(len(kept), max(1, n_types), layers)
    base = base_state_for_vocab(load_file(str(install_base(cache_dir))), kept, layers)
    network.load_state_dict(base, strict=False, assign=True)
    trained = load_file(str(model_dir / WEIGHTS_FILE))
    trained.pop(KEPT_IDS)
    network.load_state_dict({k: v.float() for k, v in trained.items()}, strict=False, assign=True)
    if unloaded := sorted(set(network.state_dict()) - set(base) - set(trained)):
        raise ModelNotAvailableError(f"model in {model_dir} lacks {unloaded[0]} (retrain it)")
    return network.eval()


def export_onnx(
    network: nn.Module, target: Path, sample: tuple[torch.Tensor, torch.Tensor] | None = None
) -> None:
    """Write ``network`` (called with padded ids and mask, like ``sample``) as an ONNX graph
    with dynamic batch and sequence sizes."""
    sample = sample or pad_batch([[0, 5, 6, 7, 2], [0, 8, 2]])  # padded: the mask is traced
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS}
    axes |= {name: {0: "batch"} for name in OUTPUTS}
    with warnings.catch_warnings():
        # torch marks the TorchScript-based exporter deprecated; it is the one that needs no
        # further packages, and its graphs are pinned by tests/classifier/model/test_export.py.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            network.eval(),
            sample,
            str(target),
            input_names=list(INPUTS),
            output_names=list(OUTPUTS),
            dynamic_axes=axes,
            opset_version=_OPSET,
            dynamo=False,
        )


def quantise_onnx(source: Path, target: Path) -> None:
    """Dynamic int8 quantisation of every MatMul: uint8 activations with a scale per
    tensor, symmetric 7-bit weights with a scale per matrix (what training simulates; see
    classifier/model/encoder.py for why 7 bits)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        source, target, weight_type=QuantType.QInt8, per_channel=False, reduce_range=True
    )


def build_graphs(
    model_dir: Path, cache_dir: Path | None = None, *, force: bool = False
) -> tuple[Path, Path]:
    """Build (unless cached, or with ``force``) the fp32 and int8 graphs of a trained model
    directory; returns their paths."""
    fp32 = graph_path(model_dir, quantised=False, cache_dir=cache_dir)
    int8 = graph_path(model_dir, quantised=True, cache_dir=cache_dir)
    if force or not fp32.is_file():
        fp32.parent.mkdir(parents=True, exist_ok=True)
        partial = fp32.with_suffix(".partial")
        export_onnx(load_network(model_dir, cache_dir), partial)
        partial.replace(fp32)
    if force or not int8.is_file():
        partial = int8.with_suffix(".partial")
        quantise_onnx(fp32, partial)
        partial.replace(int8)
    return fp32, int8
