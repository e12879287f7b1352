"""The training network: layer bookkeeping (what a shallower encoder keeps of the base) and
the simulated int8 rounding (checked against onnxruntime in test_export.py)."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from classifier.model.encoder import ScamEncoder, simulate_int8
from classifier.model.network import base_state_for_vocab, within_layers


def test_within_layers_keeps_embeddings_heads_and_the_lower_layers() -> None:
    assert within_layers("embeddings.word_embeddings.weight", 2)
    assert within_layers("fraud_head.weight", 1)
    assert within_layers("bert.encoder.layer.1.output.dense.weight", 2)
    assert not within_layers("bert.encoder.layer.2.output.dense.weight", 2)
    assert not within_layers("encoder.layer.11.attention.self.query.bias", 6)


def test_a_cut_base_fits_a_shallow_network_exactly() -> None:
    full = ScamEncoder(vocab_size=20, n_types=2, split=1, layers=4)
    base = {key.removeprefix("bert."): value for key, value in full.bert.state_dict().items()}
    shallow = ScamEncoder(vocab_size=5, n_types=2, split=1, layers=2)
    state = base_state_for_vocab(base, torch.tensor([0, 1, 2, 3, 4]), layers=2)
    missing, unexpected = shallow.load_state_dict(state, strict=False)
    assert not unexpected
    assert all(key.startswith(("fraud_head", "type_head")) for key in missing)


def test_the_split_must_lie_below_the_top() -> None:
    with pytest.raises(ValueError, match="split layer 3"):
        ScamEncoder(vocab_size=5, n_types=1, split=3, layers=3)


def test_gradients_pass_through_the_simulated_rounding() -> None:
    layer = nn.Linear(8, 2)
    simulate_int8(layer)
    layer(torch.randn(3, 8)).sum().backward()  # type: ignore[no-untyped-call]
    assert layer.weight.grad is not None and layer.weight.grad.abs().sum() > 0
