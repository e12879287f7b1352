"""The plain-torch network that the bot's graph is exported from computes what training's
transformers BertModel does."""

from __future__ import annotations

import pytest
import torch

from classifier.model.encoder import ScamEncoder
from classifier.model.network import InferenceEncoder, pad_batch


@pytest.mark.parametrize("layers", [1, 3])
def test_the_inference_network_matches_the_training_network(layers: int) -> None:
    torch.manual_seed(7)
    training = ScamEncoder(vocab_size=50, n_types=4, split=0, layers=layers).eval()
    inference = InferenceEncoder(vocab_size=50, n_types=4, layers=layers).eval()
    state = training.state_dict()
    assert set(inference.state_dict()) == set(state)  # the shipped files fit both
    inference.load_state_dict(state)
    ids, mask = pad_batch([[0, 5, 9, 2], [0, 7, 2], [0, 3, 4, 8, 11, 2]])  # padded rows too
    with torch.inference_mode():
        expected = training(ids, mask)
        actual = inference(ids, mask)
    for wanted, got in zip(expected, actual, strict=True):
        torch.testing.assert_close(got, wanted, atol=1e-5, rtol=1e-5)
