"""Vocabulary trimming keeps the segmentation of every text whose pieces are kept."""

from __future__ import annotations

import json

from tokenizers import Tokenizer

from classifier.model import vocab

TEXTS = [
    "您的账户涉嫌洗钱 请将资金转入安全账户配合调查",
    "妈 我今晚回家吃饭",
    "兼职刷单 日赚 num 元 加 account",
]


def test_trimmed_tokenizer_segments_the_corpus_exactly_as_the_full_one() -> None:
    spec = vocab.load_spec(vocab.full_tokenizer_path())
    full = Tokenizer.from_str(json.dumps(spec))
    used = {i for text in TEXTS for i in full.encode(vocab.PREFIX + text).ids}
    keep = vocab.kept_ids(spec, used)
    trimmed = Tokenizer.from_str(json.dumps(vocab.trim(spec, keep)))
    assert len(keep) < 30_000
    for text in TEXTS:
        before = full.encode(vocab.PREFIX + text)
        after = trimmed.encode(vocab.PREFIX + text)
        assert after.tokens == before.tokens
        assert [keep[i] for i in after.ids] == before.ids


def test_unseen_chinese_still_splits_into_known_characters() -> None:
    spec = vocab.load_spec(vocab.full_tokenizer_path())
    keep = vocab.kept_ids(spec, [])
    trimmed = Tokenizer.from_str(json.dumps(vocab.trim(spec, keep)))
    encoding = trimmed.encode("饕餮盛宴骗局")
    assert 3 not in encoding.ids  # no <unk>
    assert trimmed.token_to_id("<s>") == 0 and trimmed.token_to_id("</s>") == 2
