"""Encoder, n-gram model and fusion weights loaded together (docs/MODEL_CARD.md).

``ModelBundle.load()`` loads what ``scamcheck train`` wrote to classifier/model/weights/;
the analyzer calls ``score_async`` and fuses with ``fusion``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classifier.model.fusion import Fusion, TypeDistribution, combine_types
from classifier.model.ngram import NGRAM_FILE, NgramModel
from classifier.model.prepare import inference_text
from classifier.model.textmodel import (
    BUNDLED_DIR,
    META_FILE,
    ModelNotAvailableError,
    ModelOutput,
    TextModel,
)
from classifier.model.type_fusion import TYPE_FUSION_FILE, TypeFusion

__all__ = ["BUNDLED_DIR", "ModelBundle", "ModelNotAvailableError", "ModelScores"]


@dataclass(frozen=True)
class ModelScores:
    """What the learned components say about one text."""

    model: float
    ngram: float | None
    fraud_type: str | None  # the encoder's own type (shown in the details)
    type_probability: float
    learned_type: str | None = None  # both components' type distributions combined
    learned_support: float = 0.0  # their P(fraud), mixed with the same weights
    encoder_types: TypeDistribution | None = None  # the encoder's P(type | fraud)
    ngram_types: TypeDistribution | None = None  # the n-gram model's


class ModelBundle:
    """Encoder, n-gram model and fusion weights from one model directory."""

    def __init__(
        self,
        text_model: TextModel,
        ngram: NgramModel | None,
        fusion: Fusion | None,
        type_fusion: TypeFusion | None = None,
    ) -> None:
        self.text_model = text_model
        self.ngram = ngram
        self.fusion = fusion
        self.type_fusion = type_fusion

    @property
    def meta(self) -> dict[str, Any]:
        """model.json of the loaded directory."""
        return self.text_model.meta

    @classmethod
    def load(
        cls, model_dir: Path = BUNDLED_DIR, *, quantise: bool = True, type_fusion: bool = True
    ) -> ModelBundle:
        """Load a trained model directory (``ModelNotAvailableError`` if there is none or
        its type fusion does not fit this code). ``type_fusion=False`` leaves the type
        fusion out: the fusion stage, which refits it, does not need the old one."""
        text_model = TextModel.load(model_dir, quantise=quantise)
        ngram_path = model_dir / NGRAM_FILE
        ngram = NgramModel.load(ngram_path) if ngram_path.is_file() else None
        meta = json.loads((model_dir / META_FILE).read_text(encoding="utf-8"))
        fusion = Fusion.from_json(meta["fusion"]) if "fusion" in meta else None
        types_path = model_dir / TYPE_FUSION_FILE
        types = None
        if type_fusion and types_path.is_file() and ngram is not None:
            try:
                types = TypeFusion.load(types_path)
            except ValueError as exc:
                refit = "refit it: scamcheck train --stage fusion"
                raise ModelNotAvailableError(f"{exc} ({refit})") from exc
        return cls(text_model, ngram, fusion, types)

    def components(
        self, texts: Sequence[str]
    ) -> list[tuple[ModelOutput, tuple[float, dict[str, float]] | None]]:
        """Each component's raw view of each text: the encoder's output and the n-gram
        model's (P(fraud), type distribution), None without an n-gram model."""
        prepared = [inference_text(text) for text in texts]  # normalised once, read by both
        outputs = self.text_model.predict_prepared(prepared)
        if self.ngram is None:
            return [(output, None) for output in outputs]
        return list(zip(outputs, self.ngram.predict_with_types(prepared), strict=True))

    def score(self, texts: Sequence[str]) -> list[ModelScores]:
        """Score a batch synchronously."""
        weight = self.fusion.type_encoder_weight if self.fusion else 1.0
        return [
            ModelScores(
                model=output.fraud,
                ngram=ngram[0] if ngram is not None else None,
                fraud_type=output.fraud_type,
                type_probability=output.type_probability,
                learned_type=combine_types(
                    output.type_probabilities, ngram[1] if ngram is not None else None, weight
                ),
                learned_support=(
                    weight * output.fraud + (1 - weight) * ngram[0]
                    if ngram is not None
                    else output.fraud
                ),
                encoder_types=output.type_probabilities,
                ngram_types=ngram[1] if ngram is not None else None,
            )
            for output, ngram in self.components(texts)
        ]

    def score_async(self, texts: Sequence[str]) -> asyncio.Future[list[ModelScores]]:
        """``score`` on the model's worker thread (the event loop never blocks)."""
        loop = asyncio.get_running_loop()
        return loop.run_in_executor(self.text_model.executor, self.score, list(texts))

    def close(self) -> None:
        """Stop the worker thread."""
        self.text_model.close()
