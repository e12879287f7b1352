"""The network as training builds it: transformers' BertModel (the e5-small encoder,
trimmed vocabulary) with two heads, and the int8 rounding training can simulate. The bot
runs the same weights as an onnxruntime graph exported from a plain-torch copy of the
network (classifier/model/network.py, export.py).

The network may keep only the bottom ``layers`` of the base's 12 (a shallower encoder is
faster; see docs/MODEL_CARD.md). Layers below ``split`` stay exactly as in the base model
(frozen during training, so their outputs can be cached); layers from ``split`` up and the
two heads are fine-tuned and are all the repository ships (fp16, see
classifier/model/weights/).
"""

from __future__ import annotations

import torch
from torch import nn
from transformers import BertConfig, BertModel

from classifier.model.graph import BASE_LAYERS, PAD_ID
from classifier.model.network import (
    HEADS,
    HIDDEN,
    INT8_ACTIVATION_MAX,
    INT8_MIN_SCALE,
    INT8_WEIGHT_DIVISOR,
    INTERMEDIATE,
    LAYER_NORM_EPS,
    MAX_POSITIONS,
    attention_bias,
    mean_pool,
)


def bert_config(vocab_size: int, layers: int = BASE_LAYERS) -> BertConfig:
    """The base model's configuration (BertModel: positions start at 0), keeping the
    bottom ``layers`` layers."""
    if not 1 <= layers <= BASE_LAYERS:
        raise ValueError(f"layers must be 1..{BASE_LAYERS}, not {layers}")
    return BertConfig(
        vocab_size=vocab_size,
        hidden_size=HIDDEN,
        num_hidden_layers=layers,
        num_attention_heads=HEADS,
        intermediate_size=INTERMEDIATE,
        hidden_act="gelu",
        max_position_embeddings=MAX_POSITIONS,
        type_vocab_size=2,
        layer_norm_eps=LAYER_NORM_EPS,
        pad_token_id=PAD_ID,
    )


class ScamEncoder(nn.Module):
    """BertModel + fraud head (one logit) + fraud-type head (one logit per type)."""

    def __init__(
        self, vocab_size: int, n_types: int, split: int, layers: int = BASE_LAYERS
    ) -> None:
        super().__init__()
        if not 0 <= split < layers:
            raise ValueError(f"split layer {split} must be below the layer count {layers}")
        self.bert = BertModel(bert_config(vocab_size, layers), add_pooling_layer=False)
        self.split = split
        self.fraud_head = nn.Linear(HIDDEN, 1)
        self.type_head = nn.Linear(HIDDEN, n_types)

    def bottom(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Hidden states after the frozen layers (what training caches)."""
        hidden: torch.Tensor = self.bert.embeddings(input_ids=ids)
        extended = attention_bias(mask, hidden.dtype)
        for layer in self.bert.encoder.layer[: self.split]:
            hidden = layer(hidden, attention_mask=extended)
        return hidden

    def top(self, hidden: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Fine-tuned layers, mean pooling and both heads: (fraud logit, type logits)."""
        extended = attention_bias(mask, hidden.dtype)
        for layer in self.bert.encoder.layer[self.split :]:
            hidden = layer(hidden, attention_mask=extended)
        pooled = mean_pool(hidden, mask)
        return self.fraud_head(pooled).squeeze(-1), self.type_head(pooled)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Both heads' logits for a padded batch."""
        return self.top(self.bottom(ids, mask), mask)

    def trained_state(self) -> dict[str, torch.Tensor]:
        """The parameters training changes: layers from ``split`` up and the heads."""
        layers = range(self.split, len(self.bert.encoder.layer))
        prefixes = (
            *(f"bert.encoder.layer.{index}." for index in layers),
            "fraud_head.",
            "type_head.",
        )
        return {
            key: value.detach().clone()
            for key, value in self.state_dict().items()
            if key.startswith(prefixes)
        }


# The rounding of the bot's int8 graph (INT8_* in classifier/model/network.py). No torch
# module simulates exactly that for training (torch's QAT modules model static
# quantisation), hence these few lines.
_ACTIVATION_MAX = INT8_ACTIVATION_MAX


def _fake_int8_input(x: torch.Tensor) -> torch.Tensor:
    """``x`` rounded with a scale and zero point per token (each vector along the last
    axis) to 0..INT8_ACTIVATION_MAX, as the graph's QuantizeLinear does (x / scale rounded
    half to even, plus the zero point), gradients straight through."""
    rows = x.reshape(-1, x.shape[-1])
    low = rows.detach().amin(dim=1, keepdim=True).clamp(max=0.0)
    high = rows.detach().amax(dim=1, keepdim=True).clamp(min=0.0)
    scale = ((high - low) / _ACTIVATION_MAX).clamp(min=INT8_MIN_SCALE)
    zero_point = torch.round(-low / scale).clamp(0, _ACTIVATION_MAX)
    # 0..255 as QuantizeLinear saturates uint8: the values reach 127.5 at most, so above
    # INT8_ACTIVATION_MAX only on an exact tie.
    steps = (torch.round(rows.detach() / scale) + zero_point).clamp(0, 255)
    rounded = (steps - zero_point) * scale
    return (rows + (rounded - rows).detach()).reshape(x.shape)


def _fake_int8_weight(weight: torch.Tensor) -> torch.Tensor:
    scale = float(weight.detach().abs().max()) / INT8_WEIGHT_DIVISOR or 1.0
    return torch.fake_quantize_per_tensor_affine(weight, scale, 0, -128, 127)


class Int8SimulatedLinear(nn.Linear):
    """A Linear whose forward rounds like the dynamic int8 Linear used at inference, so
    training sees the model as it will run (gradients pass straight through the rounding).
    Same parameters and state-dict keys as nn.Linear."""

    def forward(self, input: torch.Tensor) -> torch.Tensor:
        weight = _fake_int8_weight(self.weight)
        return nn.functional.linear(_fake_int8_input(input), weight, self.bias)


def simulate_int8(network: nn.Module) -> None:
    """Make every Linear in ``network`` round like dynamic int8 inference, in place."""
    for module in network.modules():
        if type(module) is nn.Linear:
            module.__class__ = Int8SimulatedLinear
