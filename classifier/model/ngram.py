"""Character n-gram TF-IDF + logistic regression: a fusion component, strong on templated
SMS where the encoder is weaker (docs/MODEL_CARD.md).

Fitting uses scikit-learn; scoring does not. The few lines of TF-IDF arithmetic below
reproduce ``TfidfVectorizer(analyzer="char", sublinear_tf=True)`` exactly (a test checks
it), so the bot process never imports scikit-learn and scipy (≈ 45 MB resident).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from classifier.model.config import NgramConfig

NGRAM_FILE = "ngram.npz"
_WHITE_SPACES = re.compile(r"\s\s+")  # as scikit-learn's char analyzer


def _vectorizer(config: NgramConfig) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="char",
        ngram_range=(1, config.ngram_max),
        min_df=config.min_df,
        max_features=config.max_features,
        sublinear_tf=True,
        lowercase=False,
        dtype=np.float32,
    )


def char_ngrams(text: str, ngram_max: int) -> list[str]:
    """Character 1..ngram_max-grams in scikit-learn's order (runs of whitespace → one)."""
    text = _WHITE_SPACES.sub(" ", text)
    grams = list(text)
    for n in range(2, min(ngram_max, len(text)) + 1):
        grams.extend(text[i : i + n] for i in range(len(text) - n + 1))
    return grams


class Features:
    """The fitted TF-IDF space: vocabulary, idf weights and the n-gram length.

    The vocabulary is kept as a sorted NumPy string array searched with ``searchsorted``:
    300k n-grams take ~4 MB that way, against ~35 MB as a Python dict.
    """

    def __init__(self, terms: Sequence[str], idf: np.ndarray, ngram_max: int) -> None:
        self.terms = np.asarray(terms, dtype=f"<U{ngram_max}")
        self._order = np.argsort(self.terms, kind="stable")
        self._sorted = self.terms[self._order]
        self.idf = idf.astype(np.float32)
        self.ngram_max = ngram_max

    def indices(self, grams: Sequence[str]) -> np.ndarray:
        """Vocabulary index of each gram that is in the vocabulary (others dropped)."""
        if not grams or not len(self._sorted):
            return np.zeros(0, dtype=np.int64)
        wanted = np.asarray(grams, dtype=self._sorted.dtype)
        positions = np.searchsorted(self._sorted, wanted)
        positions[positions == len(self._sorted)] = 0
        found: np.ndarray = self._sorted[positions] == wanted
        result: np.ndarray = self._order[positions[found]].astype(np.int64)
        return result

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Sparse (indices, values) of the L2-normalised sublinear TF-IDF vector."""
        indices, counts = np.unique(
            self.indices(char_ngrams(text, self.ngram_max)), return_counts=True
        )
        if not len(indices):
            return indices, np.zeros(0, dtype=np.float32)
        values = (1.0 + np.log(counts)).astype(np.float32) * self.idf[indices]
        return indices, values / np.float32(np.linalg.norm(values))


@dataclass(frozen=True)
class TypeWeights:
    """A multinomial logistic regression over fraud types (fitted on fraud rows only)."""

    names: tuple[str, ...]
    coef: np.ndarray  # (types, features)
    intercept: np.ndarray  # (types,)


class NgramModel:
    """A fitted vectoriser, a binary fraud regression and an optional fraud-type regression."""

    def __init__(
        self,
        features: Features,
        coef: np.ndarray,
        intercept: float,
        types: TypeWeights | None = None,
    ) -> None:
        self.features = features
        self._coef = coef.astype(np.float32)
        self._intercept = float(intercept)
        self._types = types

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        labels: Sequence[bool],
        config: NgramConfig,
        seed: int,
        types: Sequence[str | None] | None = None,
        weights: Sequence[float] | None = None,
    ) -> NgramModel:
        """Fit on texts (already in the form the model will see at inference); ``types``
        gives each fraud row's type key (None when unknown), ``weights`` each row's weight
        in both regressions (None = every row 1)."""
        from sklearn.linear_model import LogisticRegression

        vectorizer = _vectorizer(config)
        features = vectorizer.fit_transform(texts)
        regression = LogisticRegression(
            C=config.c,
            max_iter=3000,
            random_state=seed,
            class_weight="balanced" if config.balanced else None,
        )
        sample_weight = None if weights is None else np.asarray(weights, dtype=np.float64)
        regression.fit(features, np.asarray(labels, dtype=bool), sample_weight=sample_weight)
        type_weights = None
        typed = [i for i, kind in enumerate(types or ()) if kind is not None and labels[i]]
        if types is not None and len({types[i] for i in typed}) > 1:
            by_type = LogisticRegression(
                C=config.c,
                max_iter=3000,
                random_state=seed,
                class_weight="balanced" if config.balanced_types else None,
            )
            by_type.fit(
                features[typed],
                [types[i] for i in typed],
                sample_weight=None if sample_weight is None else sample_weight[typed],
            )
            coef, intercept = by_type.coef_, by_type.intercept_
            if len(by_type.classes_) == 2:
                # scikit-learn keeps one row for two classes (the second's logit); a zero
                # row for the first gives the same probabilities under the softmax.
                coef = np.vstack([np.zeros_like(coef), coef])
                intercept = np.concatenate([np.zeros_like(intercept), intercept])
            type_weights = TypeWeights(
                names=tuple(str(name) for name in by_type.classes_),
                coef=coef.astype(np.float32),
                intercept=intercept.astype(np.float32),
            )
        vocabulary = vectorizer.vocabulary_
        space = Features(
            terms=sorted(vocabulary, key=vocabulary.__getitem__),
            idf=vectorizer.idf_,
            ngram_max=config.ngram_max,
        )
        return cls(space, regression.coef_[0], float(regression.intercept_[0]), type_weights)

    def predict(self, texts: Sequence[str]) -> list[float]:
        """P(fraud) for each text."""
        return [fraud for fraud, _types in self.predict_with_types(texts)]

    def predict_with_types(self, texts: Sequence[str]) -> list[tuple[float, dict[str, float]]]:
        """(P(fraud), P(type | fraud) by type key) for each text; the distribution is
        empty when the model has no type regression."""
        results: list[tuple[float, dict[str, float]]] = []
        for text in texts:
            indices, values = self.features.vector(text)
            score = float(values @ self._coef[indices]) + self._intercept
            fraud = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, score))))
            if self._types is None:
                results.append((fraud, {}))
                continue
            logits = self._types.coef[:, indices] @ values + self._types.intercept
            probabilities = np.exp(logits - logits.max())
            probabilities /= probabilities.sum()
            distribution = zip(self._types.names, probabilities.tolist(), strict=True)
            results.append((fraud, dict(distribution)))
        return results

    def save(self, path: Path) -> None:
        """Store vocabulary, idf and weights (compressed numpy arrays, no pickle)."""
        arrays: dict[str, np.ndarray] = {
            "terms": self.features.terms,
            "idf": self.features.idf.astype(np.float32),
            "coef": self._coef.astype(np.float16),
            "intercept": np.asarray([self._intercept], dtype=np.float32),
            "ngram_max": np.asarray([self.features.ngram_max]),
        }
        if self._types is not None:
            arrays["type_names"] = np.asarray(self._types.names, dtype=str)
            arrays["type_coef"] = self._types.coef.astype(np.float16)
            arrays["type_intercept"] = self._types.intercept.astype(np.float32)
        np.savez_compressed(path, allow_pickle=False, **arrays)

    @classmethod
    def load(cls, path: Path) -> NgramModel:
        """Rebuild a saved model."""
        with np.load(path, allow_pickle=False) as data:
            space = Features(
                terms=data["terms"], idf=data["idf"], ngram_max=int(data["ngram_max"][0])
            )
            types = (
                TypeWeights(
                    names=tuple(str(name) for name in data["type_names"]),
                    coef=data["type_coef"].astype(np.float32),
                    intercept=data["type_intercept"].astype(np.float32),
                )
                if "type_names" in data
                else None
            )
            return cls(
                space,
                data["coef"].astype(np.float32),
                float(data["intercept"][0]),
                types,
            )
