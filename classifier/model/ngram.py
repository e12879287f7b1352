"""Character n-gram TF-IDF + logistic regression: the reference baseline and a fusion
component. Strong on templated SMS, where the encoder is weaker (docs/MODEL_CARD.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from classifier.model.config import NgramConfig

NGRAM_FILE = "ngram.npz"


def _vectorizer(config: NgramConfig, vocabulary: Sequence[str] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char",
        ngram_range=(1, config.ngram_max),
        min_df=config.min_df,
        max_features=config.max_features,
        sublinear_tf=True,
        lowercase=False,
        vocabulary=vocabulary,
        dtype=np.float32,
    )


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
        vectorizer: TfidfVectorizer,
        coef: np.ndarray,
        intercept: float,
        types: TypeWeights | None = None,
    ) -> None:
        self._vectorizer = vectorizer
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
    ) -> NgramModel:
        """Fit on texts (already in the form the model will see at inference); ``types``
        gives each fraud row's type key (None when unknown)."""
        vectorizer = _vectorizer(config)
        features = vectorizer.fit_transform(texts)
        regression = LogisticRegression(
            C=config.c,
            max_iter=3000,
            random_state=seed,
            class_weight="balanced" if config.balanced else None,
        )
        regression.fit(features, np.asarray(labels, dtype=bool))
        type_weights = None
        typed = [i for i, kind in enumerate(types or ()) if kind is not None and labels[i]]
        if types is not None and len({types[i] for i in typed}) > 1:
            by_type = LogisticRegression(C=config.c, max_iter=3000, random_state=seed)
            by_type.fit(features[typed], [types[i] for i in typed])
            type_weights = TypeWeights(
                names=tuple(str(name) for name in by_type.classes_),
                coef=by_type.coef_.astype(np.float32),
                intercept=by_type.intercept_.astype(np.float32),
            )
        return cls(vectorizer, regression.coef_[0], float(regression.intercept_[0]), type_weights)

    def predict(self, texts: Sequence[str]) -> list[float]:
        """P(fraud) for each text."""
        return [fraud for fraud, _type, _p in self.predict_with_types(texts)]

    def predict_with_types(self, texts: Sequence[str]) -> list[tuple[float, str | None, float]]:
        """(P(fraud), most likely fraud type, its probability) for each text."""
        features = self._vectorizer.transform(texts)
        scores = np.asarray(features @ self._coef + self._intercept)
        fraud = 1.0 / (1.0 + np.exp(-scores))
        if self._types is None:
            return [(float(p), None, 0.0) for p in fraud]
        logits = np.asarray(features @ self._types.coef.T) + self._types.intercept
        logits -= logits.max(axis=1, keepdims=True)
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        best = probabilities.argmax(axis=1)
        return [
            (float(p), self._types.names[int(k)], float(probabilities[row, k]))
            for row, (p, k) in enumerate(zip(fraud, best, strict=True))
        ]

    def save(self, path: Path) -> None:
        """Store vocabulary, idf and weights (compressed numpy arrays, no pickle)."""
        vocabulary = self._vectorizer.vocabulary_
        terms = np.empty(len(vocabulary), dtype=object)
        for term, index in vocabulary.items():
            terms[index] = term
        arrays: dict[str, np.ndarray] = {
            "terms": np.asarray(terms.tolist(), dtype=str),
            "idf": self._vectorizer.idf_.astype(np.float32),
            "coef": self._coef.astype(np.float16),
            "intercept": np.asarray([self._intercept], dtype=np.float32),
            "ngram_max": np.asarray([self._vectorizer.ngram_range[1]]),
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
            terms = [str(term) for term in data["terms"]]
            config = NgramConfig(ngram_max=int(data["ngram_max"][0]), min_df=1, max_features=None)
            vectorizer = _vectorizer(config, vocabulary=terms)
            vectorizer.idf_ = data["idf"].astype(np.float32)
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
                vectorizer,
                data["coef"].astype(np.float32),
                float(data["intercept"][0]),
                types,
            )
