"""The reference row of ``scamcheck eval``: character 1–3-gram TF-IDF + logistic regression,
trained on the train split of the evaluated files (raw text, as the model issue specifies).

It is a yardstick, not a component: the shipped n-gram component (classifier/model/ngram.py)
sees the model's normalised text instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

SEED = 13


@dataclass
class Baseline:
    """Fitted vectoriser, fraud classifier and type classifier."""

    vectorizer: TfidfVectorizer
    fraud: LogisticRegression
    types: LogisticRegression | None

    @classmethod
    def fit(cls, rows: Sequence[Mapping[str, Any]], type_key: Any) -> Baseline:
        """Fit on labelled rows; ``type_key`` maps a data type label to a fraud-type key."""
        texts = [str(row["text"]) for row in rows]
        vectorizer = TfidfVectorizer(
            analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True, dtype=np.float32
        )
        features = vectorizer.fit_transform(texts)
        labels = np.asarray([row["label"] == "fraud" for row in rows])
        fraud = LogisticRegression(C=20.0, max_iter=3000, random_state=SEED).fit(features, labels)
        typed = [
            (index, key)
            for index, row in enumerate(rows)
            if row["label"] == "fraud" and (key := type_key(row)) is not None
        ]
        types = None
        if len({key for _, key in typed}) > 1:
            types = LogisticRegression(C=20.0, max_iter=3000, random_state=SEED).fit(
                features[[index for index, _ in typed]], [key for _, key in typed]
            )
        return cls(vectorizer, fraud, types)

    def predict(self, texts: Sequence[str]) -> list[tuple[float, str | None]]:
        """(P(fraud), predicted type) per text."""
        features = self.vectorizer.transform(texts)
        probabilities = self.fraud.predict_proba(features)[:, 1]
        types = self.types.predict(features) if self.types is not None else [None] * len(texts)
        return [(float(p), t) for p, t in zip(probabilities, types, strict=True)]
