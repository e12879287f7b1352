"""The encoder graphs the bot runs: exported faithfully, quantised as training simulates,
cached per weights, and run without torch."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from classifier.model.encoder import simulate_int8
from classifier.model.export import build_graphs, export_onnx, quantise_onnx
from classifier.model.graph import EncoderGraph, ModelNotAvailableError, graph_path, pad_batch
from classifier.model.network import InferenceEncoder
from classifier.model.textmodel import BUNDLED_DIR, TextModel


def test_the_fp32_graph_computes_what_the_network_does(tmp_path: Path) -> None:
    torch.manual_seed(3)
    network = InferenceEncoder(vocab_size=40, n_types=3, layers=2).eval()
    export_onnx(network, tmp_path / "encoder.onnx")
    graph = EncoderGraph(tmp_path / "encoder.onnx")
    # Other batch and sequence sizes than the export traced, a single unpadded row too.
    for rows in ([[0, 4, 9, 12, 30, 7, 2], [0, 3, 2], [0, 5, 6, 2]], [[0, 11, 2]]):
        ids, mask = pad_batch(rows)
        with torch.inference_mode():
            expected = network(torch.from_numpy(ids), torch.from_numpy(mask))
        for wanted, got in zip(expected, graph(ids, mask), strict=True):
            np.testing.assert_allclose(got, wanted.numpy(), atol=1e-5, rtol=1e-5)


class _TwoLinears(nn.Module):
    """A Linear on 3-d input (exported as MatMul, like the encoder's layers), then one on
    2-d input (exported as Gemm, like the heads), with the encoder's inputs and outputs."""

    def __init__(self) -> None:
        super().__init__()
        self.inner = nn.Linear(96, 48)
        self.head = nn.Linear(48, 24)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.inner((ids.float() * 0.37 - mask.float() * 11.0).unsqueeze(1))
        values: torch.Tensor = self.head(hidden.squeeze(1))
        return values[:, 0], values


def test_simulated_int8_rounds_like_the_int8_graph(tmp_path: Path) -> None:
    torch.manual_seed(5)
    module = _TwoLinears().eval()
    with torch.no_grad():  # large weights: saturating int16 sums would show
        module.inner.weight.mul_(20.0)
    ids = np.random.default_rng(0).integers(0, 60, size=(5, 96), dtype=np.int64)
    mask = np.ones_like(ids)
    export_onnx(module, tmp_path / "fp32.onnx", (torch.from_numpy(ids), torch.from_numpy(mask)))
    quantise_onnx(tmp_path / "fp32.onnx", tmp_path / "int8.onnx")
    int8 = EncoderGraph(tmp_path / "int8.onnx")(ids, mask)[1]
    simulated = copy.deepcopy(module)
    simulate_int8(simulated)
    with torch.inference_mode():
        exact = module(torch.from_numpy(ids), torch.from_numpy(mask))[1].numpy()
        rounded = simulated(torch.from_numpy(ids), torch.from_numpy(mask))[1].numpy()
    scale = np.abs(exact).max()
    assert np.abs(int8 - exact).max() > 1e-3 * scale  # int8 really rounds here...
    np.testing.assert_allclose(int8, rounded, atol=1e-5 * scale)  # ...as training simulates


def test_the_cached_graph_is_named_by_the_weights(tmp_path: Path) -> None:
    copied = tmp_path / "model"
    shutil.copytree(BUNDLED_DIR, copied)
    before = graph_path(copied, quantised=True, cache_dir=tmp_path)
    assert before != graph_path(copied, quantised=False, cache_dir=tmp_path)
    with (copied / "encoder.safetensors").open("ab") as handle:
        handle.write(b"\0")
    assert graph_path(copied, quantised=True, cache_dir=tmp_path) != before


def test_the_model_runs_without_torch() -> None:
    build_graphs(BUNDLED_DIR)  # cached by `scamcheck model install`; building needs torch
    script = (
        "import json, sys\n"
        "from classifier import Analyzer, Submission\n"
        "from classifier.model.bundle import ModelBundle\n"
        "verdict = Analyzer(model=ModelBundle.load()).analyze_offline(\n"
        "    Submission(text='您的银行卡涉嫌洗钱，请立即将资金转入安全账户配合公安机关调查')\n"
        ")\n"
        "risk, score = verdict.risk.value, verdict.components['model']\n"
        "print(json.dumps([risk, score, sorted(sys.modules)]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    risk, model_score, modules = json.loads(done.stdout)
    assert risk == "high" and 0.0 < model_score < 1.0
    assert not {"torch", "transformers"} & {name.split(".")[0] for name in modules}


def test_a_graph_that_cannot_be_built_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import classifier.model.export as export

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ImportError("No module named 'onnx'")

    monkeypatch.setattr(export, "build_graphs", broken)
    with pytest.raises(ModelNotAvailableError, match="cannot build the encoder graph"):
        TextModel.load(BUNDLED_DIR, cache_dir=tmp_path)  # an empty cache: must build


def test_the_int8_graph_scores_a_row_the_same_in_any_batch(tmp_path: Path) -> None:
    torch.manual_seed(7)
    network = InferenceEncoder(vocab_size=40, n_types=3, layers=2).eval()
    export_onnx(network, tmp_path / "fp32.onnx")
    quantise_onnx(tmp_path / "fp32.onnx", tmp_path / "int8.onnx")
    graph = EncoderGraph(tmp_path / "int8.onnx")
    row = [0, 4, 9, 12, 30, 7, 2]
    alone = graph(*pad_batch([row]))[0][0]
    # Batch-mates with far larger activations (long rows, other tokens) and padding.
    mates = [[0, *range(3, 39), 2], [0, 38, 37, 36, 2], [0, 2]]
    together = graph(*pad_batch([*mates, row]))[0][-1]
    assert abs(alone - together) < 1e-5
