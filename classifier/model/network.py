"""The encoder network in plain torch, as exported for the bot, and the helpers both
training and export use.

Training builds the network with ``transformers.BertModel`` (classifier/model/encoder.py).
The graph the bot runs (classifier/model/graph.py) is exported from ``InferenceEncoder``
below, which writes the BERT forward pass (embeddings, self-attention, feed-forward,
post-LayerNorm) in about forty lines of torch: a small, plain graph, and no transformers
import when the graph is built at install time. tests/classifier/model/test_network.py pins
both networks to the same outputs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import torch
from torch import nn

from classifier.model import graph
from classifier.model.graph import BASE_LAYERS, PAD_ID

# The base model's shape (multilingual-e5-small, a BertModel).
HIDDEN = 384
HEADS = 12
INTERMEDIATE = 1536
LAYER_NORM_EPS = 1e-12
MAX_POSITIONS = 512

# Dynamic int8 as the bot runs it (classifier/model/export.py) and training simulates it
# (classifier/model/encoder.py): the input of every Linear is rounded to 7-bit unsigned
# integers with a scale and zero point per token (each vector along the last axis), its
# weights to symmetric 8-bit integers with one scale per matrix (max |w| maps to 127.5,
# clipped to -128..127). Per token, a message's scores do not depend on the other messages
# of its batch (with one range per tensor they moved by up to 0.69 in probability), and a
# token's range is its own, not the widest of the batch. 7-bit inputs keep the uint8 x int8
# kernels of CPUs without VNNI from saturating their int16 sums (127 * 128 * 2 < 32767).
INT8_ACTIVATION_MAX = 127
INT8_MIN_SCALE = 1e-8  # the scale of an all-zero vector
INT8_WEIGHT_DIVISOR = 127.5


def pad_batch(sequences: Sequence[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Token id lists padded to the longest one, with the attention mask."""
    ids, mask = graph.pad_batch(sequences)
    return torch.from_numpy(ids), torch.from_numpy(mask)


def attention_bias(mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """The additive attention mask: 0 where ``mask`` is 1, the dtype's minimum at padding."""
    return (1.0 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of the token vectors where ``mask`` is 1."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)


_LAYER_KEY = re.compile(r"(?:^|\.)encoder\.layer\.(\d+)\.")


def within_layers(key: str, layers: int) -> bool:
    """Whether a state-dict key belongs to a network of ``layers`` layers (keys outside
    the encoder layers, such as embeddings and heads, always do)."""
    match = _LAYER_KEY.search(key)
    return match is None or int(match.group(1)) < layers


def base_state_for_vocab(
    base: Mapping[str, torch.Tensor], kept_ids: torch.Tensor, layers: int = BASE_LAYERS
) -> dict[str, torch.Tensor]:
    """The base state dict for a network of ``layers`` layers, with the word embeddings cut
    down to the kept vocabulary rows."""
    state = {f"bert.{key}": value for key, value in base.items() if within_layers(key, layers)}
    word = "bert.embeddings.word_embeddings.weight"
    state[word] = base["embeddings.word_embeddings.weight"].index_select(0, kept_ids).clone()
    return state


# The modules below are named as in transformers' BertModel, so that both networks share
# state dicts.
class _Embeddings(nn.Module):
    def __init__(self, vocab_size: int) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab_size, HIDDEN, padding_idx=PAD_ID)
        self.position_embeddings = nn.Embedding(MAX_POSITIONS, HIDDEN)
        self.token_type_embeddings = nn.Embedding(2, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=LAYER_NORM_EPS)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(ids.shape[1], device=ids.device)
        words: torch.Tensor = self.word_embeddings(ids)
        summed = words + self.token_type_embeddings.weight[0] + self.position_embeddings(positions)
        normed: torch.Tensor = self.LayerNorm(summed)
        return normed


class _Projections(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.query = nn.Linear(HIDDEN, HIDDEN)
        self.key = nn.Linear(HIDDEN, HIDDEN)
        self.value = nn.Linear(HIDDEN, HIDDEN)


class _DenseNorm(nn.Module):
    """A dense layer, then LayerNorm over its output plus the residual."""

    def __init__(self, width: int) -> None:
        super().__init__()
        self.dense = nn.Linear(width, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=LAYER_NORM_EPS)

    def forward(self, inner: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        result: torch.Tensor = self.LayerNorm(self.dense(inner) + residual)
        return result


class _Attention(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.self = _Projections()
        self.output = _DenseNorm(HIDDEN)

    def forward(self, hidden: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        batch, width, _ = hidden.shape

        def heads(projection: nn.Module) -> torch.Tensor:
            projected: torch.Tensor = projection(hidden)
            return projected.view(batch, width, HEADS, HIDDEN // HEADS).transpose(1, 2)

        context = nn.functional.scaled_dot_product_attention(
            heads(self.self.query), heads(self.self.key), heads(self.self.value), attn_mask=bias
        )
        merged = context.transpose(1, 2).reshape(batch, width, HIDDEN)
        result: torch.Tensor = self.output(merged, hidden)
        return result


class _Intermediate(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.dense = nn.Linear(HIDDEN, INTERMEDIATE)


class _Layer(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.attention = _Attention()
        self.intermediate = _Intermediate()
        self.output = _DenseNorm(INTERMEDIATE)

    def forward(self, hidden: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        hidden = self.attention(hidden, bias)
        inner = nn.functional.gelu(self.intermediate.dense(hidden))
        result: torch.Tensor = self.output(inner, hidden)
        return result


class _Encoder(nn.Module):
    def __init__(self, layers: int) -> None:
        super().__init__()
        self.layer = nn.ModuleList(_Layer() for _ in range(layers))


class _Bert(nn.Module):
    def __init__(self, vocab_size: int, layers: int) -> None:
        super().__init__()
        self.embeddings = _Embeddings(vocab_size)
        self.encoder = _Encoder(layers)


class InferenceEncoder(nn.Module):
    """The trained network for inference: the bottom ``layers`` BERT layers, mean pooling,
    the fraud head and the type head. Same state-dict keys as ``ScamEncoder``."""

    def __init__(self, vocab_size: int, n_types: int, layers: int = BASE_LAYERS) -> None:
        super().__init__()
        self.bert = _Bert(vocab_size, layers)
        self.fraud_head = nn.Linear(HIDDEN, 1)
        self.type_head = nn.Linear(HIDDEN, n_types)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Both heads' logits for a padded batch (ids and mask as ``pad_batch`` makes them)."""
        hidden = self.bert.embeddings(ids)
        bias = attention_bias(mask, hidden.dtype)
        for layer in self.bert.encoder.layer:
            hidden = layer(hidden, bias)
        pooled = mean_pool(hidden, mask)
        return self.fraud_head(pooled).squeeze(-1), self.type_head(pooled)
