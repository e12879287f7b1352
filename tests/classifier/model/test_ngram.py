"""The n-gram component scores exactly as scikit-learn would, without importing it."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from classifier.model.ngram import NGRAM_FILE, NgramModel, char_ngrams
from classifier.model.prepare import inference_text
from classifier.model.textmodel import BUNDLED_DIR

TEXTS = [
    "您的账户涉嫌洗钱 请将资金转入安全账户配合调查",
    "妈 我今晚回家吃饭",
    "兼职刷单 日赚 num 元 加 account",
    "",
    "a  b   c",
    "请拨打 phone 领取 url 奖品",
]


def _sklearn_scores(model: NgramModel, texts: list[str]) -> np.ndarray:
    terms = [str(term) for term in model.features.terms]
    reference = TfidfVectorizer(
        analyzer="char",
        ngram_range=(1, model.features.ngram_max),
        sublinear_tf=True,
        lowercase=False,
        vocabulary=terms,
        dtype=np.float32,
    )
    reference.idf_ = model.features.idf
    scores = reference.transform(texts) @ model._coef + model._intercept
    return np.asarray(1.0 / (1.0 + np.exp(-scores)))


def test_char_ngrams_follow_scikit_learn() -> None:
    analyzer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), lowercase=False)
    for text in TEXTS:
        assert char_ngrams(text, 3) == analyzer.build_analyzer()(text)


def test_the_shipped_model_scores_as_scikit_learn_does() -> None:
    model = NgramModel.load(BUNDLED_DIR / NGRAM_FILE)
    texts = [inference_text(text) for text in TEXTS]
    ours = [fraud for fraud, _types in model.predict_with_types(texts)]
    assert ours == pytest.approx(list(_sklearn_scores(model, texts)), abs=1e-4)


def test_fit_save_load_round_trip(tmp_path: object) -> None:
    from pathlib import Path

    from classifier.model.config import NgramConfig

    texts = [
        "转账到安全账户",
        "今晚回家吃饭",
        "刷单返利日结",
        "明天开会",
        "解冻费保证金",
        "周末爬山",
    ]
    labels = [True, False, True, False, True, False]
    types = ["impersonate_police", None, "task_rebate", None, "fake_loan", None]
    model = NgramModel.fit(texts, labels, NgramConfig(min_df=1), seed=1, types=types)
    path = Path(str(tmp_path)) / "ngram.npz"
    model.save(path)
    loaded = NgramModel.load(path)
    before = model.predict_with_types(texts)
    after = loaded.predict_with_types(texts)
    for (p1, types1), (p2, types2) in zip(before, after, strict=True):
        assert p1 == pytest.approx(p2, abs=2e-3)  # weights are stored as fp16
        assert set(types1) == {"impersonate_police", "task_rebate", "fake_loan"}
        assert max(types1, key=types1.__getitem__) == max(types2, key=types2.__getitem__)
        assert sum(types2.values()) == pytest.approx(1.0)
    assert _sklearn_scores(model, texts) == pytest.approx([p for p, _ in before], abs=1e-4)


def test_balanced_types_give_a_rare_type_its_share() -> None:
    from classifier.model.config import NgramConfig

    common = [f"银行卡异常请点击链接{index}处理" for index in range(8)]
    texts = [*common, "刷单返利日结垫付", "今晚回家吃饭", "明天开会"]
    labels = [True] * 9 + [False, False]
    types = ["phishing_bank"] * 8 + ["task_rebate", None, None]

    def rare_share(balanced: bool) -> float:
        config = NgramConfig(min_df=1, balanced_types=balanced)
        model = NgramModel.fit(texts, labels, config, seed=1, types=types)
        [(_fraud, distribution)] = model.predict_with_types(["垫付返利请点击链接"])
        return distribution["task_rebate"]

    assert rare_share(True) > rare_share(False)


def test_a_row_that_weighs_less_pulls_the_regression_less() -> None:
    from classifier.model.config import NgramConfig

    # The same text as a scam and as an everyday row: their weights decide between them.
    texts = ["验证码请发给我", "验证码请发给我", "今晚回家吃饭", "兼职刷单日结"]
    labels = [True, False, False, True]
    config = NgramConfig(min_df=1, balanced=False)

    def score(everyday_weight: float) -> float:
        weights = [1.0, everyday_weight, 1.0, 1.0]
        model = NgramModel.fit(texts, labels, config, seed=1, weights=weights)
        return model.predict(["验证码请发给我"])[0]

    assert score(0.2) > score(1.0) > score(5.0)
