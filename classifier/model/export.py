"""Build the encoder's onnxruntime graphs (classifier/model/graph.py) from a trained model
directory: the base's bottom layers and the trained top layers in ``InferenceEncoder``,
exported to ONNX (fp32), then given dynamic int8 MatMuls that round the way training
simulates (classifier/model/network.py). Needs torch; run by ``scamcheck model install``
and, if the cache is missing, on first load.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper
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
from classifier.model.network import (
    INT8_ACTIVATION_MAX,
    INT8_MIN_SCALE,
    INT8_WEIGHT_DIVISOR,
    InferenceEncoder,
    base_state_for_vocab,
    pad_batch,
)

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
    """Dynamic int8 for every MatMul with constant weights, rounding as training simulates
    (``INT8_*`` in classifier/model/network.py): inputs per token, weights per matrix.

    Written by hand because onnxruntime's ``quantize_dynamic`` rounds each input with one
    scale for the whole tensor, to the full 8 bits (DynamicQuantizeLinear has no 7-bit or
    per-token mode): a message's scores would depend on its batch-mates, and with
    full-range weights the int16 sums of AVX2 kernels saturate. Each MatMul becomes: the
    input as rows of tokens -> each token's range -> scale and zero point ->
    QuantizeLinear along the rows -> MatMulIntegerToFloat with the row scales (it takes no
    per-row zero point) -> minus zero point x scales x the weight's column sums -> the
    input's shape again.
    """
    model = onnx.load(str(source))
    weights = {item.name: item for item in model.graph.initializer}
    widths: set[int] = set()
    nodes: list[onnx.NodeProto] = []
    added: list[onnx.TensorProto] = []
    for index, node in enumerate(model.graph.node):
        weight = _constant_weight(node, weights)
        if weight is None:
            nodes.append(node)
            continue
        weight_scale = float(np.abs(weight).max()) / INT8_WEIGHT_DIVISOR or 1.0
        rounded = np.clip(np.rint(weight / weight_scale), -128, 127).astype(np.int8)
        column_sums = rounded.sum(axis=0, dtype=np.int64) * weight_scale
        name = f"int8.{index}"
        widths |= {rounded.shape[0], rounded.shape[1]}
        added += [
            numpy_helper.from_array(rounded, f"{name}.weight"),
            numpy_helper.from_array(np.array([weight_scale], dtype=np.float32), f"{name}.wscale"),
            numpy_helper.from_array(column_sums.astype(np.float32), f"{name}.colsums"),
        ]
        # A Gemm (a Linear on 2-d input, such as the heads) brings its bias; a MatMul's
        # bias is the Add after it, which stays.
        bias = node.input[2] if node.op_type == "Gemm" else None
        nodes += _dynamic_int8_matmul(name, node.input[0], node.output[0], bias, rounded.shape)
    shared = [
        numpy_helper.from_array(np.array(value, dtype=np.float32), name)
        for name, value in (
            ("int8.zero", 0.0),
            ("int8.top", float(INT8_ACTIVATION_MAX)),
            ("int8.tiny", INT8_MIN_SCALE),
        )
    ] + [
        numpy_helper.from_array(np.array(value, dtype=np.int64), name)
        for name, value in (("int8.axis1", [1]), ("int8.start", [0]), ("int8.last", [-1]))
    ]
    shared += [
        numpy_helper.from_array(np.array([-1, width], dtype=np.int64), f"int8.rows.{width}")
        for width in sorted(widths)
    ] + [
        numpy_helper.from_array(np.array([width], dtype=np.int64), f"int8.width.{width}")
        for width in sorted(widths)
    ]
    used = _inputs(nodes)
    kept = [item for item in model.graph.initializer if item.name in used]
    model.graph.ClearField("node")
    model.graph.node.extend(nodes)
    model.graph.ClearField("initializer")
    model.graph.initializer.extend(kept + [item for item in shared + added if item.name in used])
    model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.checker.check_model(model)
    onnx.save(model, str(target))


def _dynamic_int8_matmul(
    name: str, x: str, output: str, bias: str | None, shape: tuple[int, ...]
) -> list[onnx.NodeProto]:
    """Nodes computing ``x @ weight (+ bias)`` with every token of ``x`` (a vector along the
    last axis) rounded to 0..INT8_ACTIVATION_MAX, as ``Int8SimulatedLinear`` does; the
    weight is the int8 initializer ``{name}.weight`` of ``shape`` (in, out) with scale
    ``{name}.wscale`` and scaled column sums ``{name}.colsums``."""
    width_in, width_out = shape

    def node(op: str, inputs: list[str], out: str, **attributes: Any) -> onnx.NodeProto:
        return helper.make_node(op, inputs, [f"{name}.{out}"], **attributes)

    rounded = [
        node("Reshape", [x, f"int8.rows.{width_in}"], "rows"),
        node("ReduceMin", [f"{name}.rows"], "min", axes=[1], keepdims=0),
        node("ReduceMax", [f"{name}.rows"], "max", axes=[1], keepdims=0),
        node("Min", [f"{name}.min", "int8.zero"], "low"),  # the range always includes 0
        node("Max", [f"{name}.max", "int8.zero"], "high"),
        node("Sub", [f"{name}.high", f"{name}.low"], "range"),
        node("Div", [f"{name}.range", "int8.top"], "raw_scale"),
        node("Max", [f"{name}.raw_scale", "int8.tiny"], "scale"),  # an all-zero token
        node("Neg", [f"{name}.low"], "minus_low"),
        node("Div", [f"{name}.minus_low", f"{name}.scale"], "zero_float"),
        node("Round", [f"{name}.zero_float"], "zero_rounded"),
        node("Clip", [f"{name}.zero_rounded", "int8.zero", "int8.top"], "zero_clipped"),
        node("Cast", [f"{name}.zero_clipped"], "zero", to=onnx.TensorProto.UINT8),
        node("QuantizeLinear", [f"{name}.rows", f"{name}.scale", f"{name}.zero"], "x", axis=0),
        node("Unsqueeze", [f"{name}.scale", "int8.axis1"], "row_scales"),
        helper.make_node(
            "MatMulIntegerToFloat",
            [f"{name}.x", f"{name}.weight", f"{name}.row_scales", f"{name}.wscale"],
            [f"{name}.scaled"],
            domain="com.microsoft",
        ),
        node("Mul", [f"{name}.zero_clipped", f"{name}.scale"], "zero_scaled"),
        node("Unsqueeze", [f"{name}.zero_scaled", "int8.axis1"], "row_offsets"),
        node("Mul", [f"{name}.row_offsets", f"{name}.colsums"], "offset"),
        node("Sub", [f"{name}.scaled", f"{name}.offset"], "flat"),
    ]
    flat = f"{name}.flat"
    if bias:
        # Added here, not by MatMulIntegerToFloat: onnxruntime 1.32 adds a bias wrongly
        # when A has one scale per row (seen: off by 0.17 x bias).
        rounded.append(node("Add", [flat, bias], "biased"))
        flat = f"{name}.biased"
    return [
        *rounded,
        node("Shape", [x], "shape"),
        node("Slice", [f"{name}.shape", "int8.start", "int8.last"], "lead"),
        node("Concat", [f"{name}.lead", f"int8.width.{width_out}"], "out_shape", axis=0),
        helper.make_node("Reshape", [flat, f"{name}.out_shape"], [output]),
    ]


def _constant_weight(
    node: onnx.NodeProto, weights: dict[str, onnx.TensorProto]
) -> np.ndarray[Any, np.dtype[np.float32]] | None:
    """The (in, out) weight matrix of a MatMul or plain Gemm (x @ W.T + b, as the exporter
    writes a Linear on 2-d input) with a constant weight; None for any other node."""
    if node.op_type not in ("MatMul", "Gemm") or node.input[1] not in weights:
        return None
    weight = numpy_helper.to_array(weights[node.input[1]]).astype(np.float32)
    if node.op_type == "MatMul":
        return weight
    attributes = {item.name: helper.get_attribute_value(item) for item in node.attribute}
    plain = attributes.get("alpha", 1.0) == 1.0 and attributes.get("beta", 1.0) == 1.0
    if plain and not attributes.get("transA") and len(node.input) == 3:
        return weight.T if attributes.get("transB") else weight
    return None


def _inputs(nodes: list[onnx.NodeProto]) -> set[str]:
    return {name for node in nodes for name in node.input}


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
