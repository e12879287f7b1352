"""The labelled data in ../shared/data: loading, de-duplication and augmentation.

Rows are dicts with at least ``text``, ``label`` (fraud | normal), ``type``, ``source``,
``dup_group`` and ``split`` (see that folder's README). Nothing here is copied into the
repository; training reads the files where they are.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classifier.model.adverts import synthetic_adverts
from classifier.model.config import Component, TrainConfig
from classifier.model.dissuasion import synthetic_dissuasion
from classifier.model.family import synthetic_family
from classifier.model.notifications import SyntheticText, synthetic_notifications
from classifier.model.prepare import model_text, replace_placeholders
from classifier.model.scam_talk import synthetic_scam_talk
from classifier.model.service_calls import synthetic_service_calls
from classifier.model.workplace import synthetic_workplace
from knowledge import load_knowledge
from knowledge.errors import ScamCheckError

DATA_FILES = (
    "fbs_sms.jsonl",
    "telecom_fraud_texts5.jsonl",
    "sms80w_normal.jsonl",
    "lccc_chat_normal.jsonl",
)
CHAT_FILE = "lccc_chat_normal.jsonl"


class DataError(ScamCheckError):
    """The data folder or a data file is missing or malformed."""


@dataclass(frozen=True)
class Example:
    """One training or evaluation text in the model's form."""

    text: str
    fraud: bool
    type_label: str | None
    file: str
    group: str
    # How much the row counts in the n-gram regression (1.0 = as any training row).
    weight: float = 1.0


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of one JSONL file; a broken line is reported with its number."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}:{number}: not JSON ({exc.msg})") from None
            if not isinstance(row, dict) or "text" not in row or "label" not in row:
                raise DataError(f"{path}:{number}: needs 'text' and 'label'")
            yield row


def load_split(
    data_dir: Path, split: str, files: Sequence[str] = DATA_FILES
) -> list[dict[str, Any]]:
    """All rows of ``split`` from the data files, each tagged with its file name."""
    rows = []
    for name in files:
        for row in read_rows(data_dir / name):
            if row.get("split") == split:
                rows.append({**row, "file": name})
    if not rows:
        raise DataError(f"no '{split}' rows in {data_dir}")
    return rows


def cap_groups(
    rows: Iterable[dict[str, Any]], cap: int, rng: random.Random
) -> list[dict[str, Any]]:
    """At most ``cap`` rows per near-duplicate group, so templates do not dominate."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[str(row.get("dup_group") or row.get("id"))].append(row)
    kept: list[dict[str, Any]] = []
    for members in groups.values():
        kept.extend(members if len(members) <= cap else rng.sample(members, cap))
    kept.sort(key=lambda row: str(row.get("id")))
    return kept


def to_example(row: dict[str, Any], rng: random.Random, text: str | None = None) -> Example:
    """A data row in the model's form (placeholders mapped, as at inference)."""
    raw = replace_placeholders(
        text if text is not None else str(row["text"]),
        qq_is_placeholder=row["file"] == DATA_FILES[0],
        rng=rng,
    )
    fraud = row["label"] == "fraud"
    return Example(
        text=model_text(raw),
        fraud=fraud,
        type_label=str(row["type"]) if fraud and row.get("type") else None,
        file=str(row["file"]),
        group=str(row.get("dup_group") or row.get("id")),
    )


def outside_examples(
    config: TrainConfig, component: Component, limit: int | None = None
) -> list[Example]:
    """The rows of ``config.outside_splits`` in ``config.outside_rows`` for ``component``
    (none unless it is one of ``config.outside_components``), in the model's form (at most
    ``limit // 4`` in a smoke run), each ``config.outside_repeat`` times; the n-gram model
    learns the share of their scams its configuration gives, and also the splits of its
    ``more_splits`` (likewise). Each component also learns the everyday rows of its own
    ``everyday_splits`` and the scams of its own ``scam_splits`` (of its ``everyday_kinds``
    only, when it names some), each of those weighing the n-gram model's ``everyday_weight``
    in its regression. A fraud row keeps its type (a knowledge type key) where the data has
    that type; the heads learn no other."""
    rows, extra = _outside_rows(config, component, limit)
    if not rows:
        return []
    weight = config.ngram.everyday_weight if component == "ngram" else 1.0
    data_types = load_knowledge().dataset_types
    examples: list[Example] = []
    for index, row in enumerate(rows):
        fraud = row["label"] == "fraud"
        key = str(row.get("type"))
        examples.append(
            Example(
                text=model_text(str(row["text"])),
                fraud=fraud,
                type_label=key if fraud and key in data_types else None,
                file="outside",
                group=f"outside-{row.get('id', index)}",
                weight=weight if index >= len(rows) - extra else 1.0,
            )
        )
    return examples * config.outside_repeat


def _outside_rows(
    config: TrainConfig, component: Component, limit: int | None
) -> tuple[list[dict[str, Any]], int]:
    """The outside rows ``component`` learns, and how many of them, at the end of the
    list, come from its ``everyday_splits`` and ``scam_splits``."""
    path = config.resolved_outside_rows()
    if path is None or component not in config.outside_components:
        return [], 0
    ngram = component == "ngram"
    wanted = set(config.outside_splits) | (set(config.ngram.more_splits) if ngram else set())
    all_rows = list(read_rows(path))
    rows = _rows_of_splits(all_rows, wanted, path)
    left_out = set(config.outside_scam_kinds_left_out)
    rows = [row for row in rows if not (row["label"] == "fraud" and row.get("kind") in left_out)]
    if ngram:
        rows = [row for row in rows if row["label"] != "fraud" or _ngram_learns(config, row)]
    settings = config.ngram if ngram else config.encoder
    kinds = set(settings.everyday_kinds)
    extra: list[dict[str, Any]] = []
    for splits, label in ((settings.everyday_splits, "normal"), (settings.scam_splits, "fraud")):
        more = set(splits) - wanted
        if more:
            extra += [
                row
                for row in _rows_of_splits(all_rows, more, path)
                if row["label"] == label and (not kinds or row.get("kind") in kinds)
            ]
    kept = rows + extra if limit is None else (rows + extra)[: limit // 4]
    return kept, max(0, len(kept) - len(rows))


def _rows_of_splits(
    rows: Sequence[dict[str, Any]], splits: set[str], path: Path
) -> list[dict[str, Any]]:
    """The rows of these splits; a split name that matches nothing is a configuration error."""
    kept = [row for row in rows if row.get("split") in splits]
    if not kept:
        raise DataError(f"no rows of the splits {sorted(splits)} in {path}")
    return kept


def _ngram_learns(config: TrainConfig, scam: dict[str, Any]) -> bool:
    """Whether the n-gram model learns this outside scam: not of a kind it leaves out, and
    within its share, drawn by a hash of the row's id (the same rows on every run)."""
    if scam.get("kind") in config.ngram.outside_scam_kinds_left_out:
        return False
    digest = hashlib.sha256(str(scam.get("id", scam["text"])).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") < config.ngram.outside_scam_share * 2**64


# The kinds of outside scam that look like the FBS source's genuine texts (adverts and
# notices sent by SMS), and so are paired with them (``genuine_advert_pairs``).
ADVERT_KINDS = frozenset({"ad", "sms"})


def genuine_advert_pairs(
    config: TrainConfig, rows: Sequence[dict[str, Any]], rng: random.Random, limit: int | None
) -> list[Example]:
    """FBS's genuine train texts (nearly all adverts) once more, ``config.encoder.
    advert_pairs`` of them for each outside scam the encoder trains on that arrives as an
    advert or an SMS, drawn without repeats from ``rows`` (the capped train rows).

    The outside parts bring hundreds of scam adverts and only a few dozen genuine ones, and
    the encoders trained on them flagged more of FBS's genuine adverts on the test split
    (docs/EVALUATION.md); each such scam comes with a genuine advert to weigh against it."""
    ratio = config.encoder.advert_pairs
    if not ratio:
        return []
    scams = sum(
        1
        for row in _outside_rows(config, "encoder", limit)[0]
        if row["label"] == "fraud" and row.get("kind") in ADVERT_KINDS
    )
    genuine = [row for row in rows if row["file"] == DATA_FILES[0] and row["label"] == "normal"]
    picked = rng.sample(genuine, min(round(ratio * scams), len(genuine)))
    return [to_example(row, rng) for row in picked]


def chat_turns(rows: Iterable[dict[str, Any]]) -> list[list[str]]:
    """The chat source's conversations as lists of turns."""
    return [
        [turn for turn in str(row["text"]).split("\n") if turn.strip()]
        for row in rows
        if row["file"] == CHAT_FILE
    ]


def embed_in_chat(text: str, dialogues: Sequence[Sequence[str]], rng: random.Random) -> str:
    """``text`` placed between everyday chat turns, as a forwarded conversation looks."""
    dialogue = rng.choice(dialogues)
    before = list(dialogue[: rng.randint(1, min(3, len(dialogue)))])
    after_pool = list(rng.choice(dialogues))
    after = after_pool[: rng.randint(0, min(2, len(after_pool)))]
    return "\n".join([*before, text, *after])


def chat_mixed(
    rows: Sequence[dict[str, Any]],
    dialogues: Sequence[Sequence[str]],
    count: int,
    rng: random.Random,
) -> list[Example]:
    """``count`` fraud rows and ``count`` non-chat normal rows embedded in chat turns.

    Both classes get the same treatment, so chattiness and length say nothing about fraud.
    """
    fraud = [row for row in rows if row["label"] == "fraud"]
    normal = [row for row in rows if row["label"] == "normal" and row["file"] != CHAT_FILE]
    picked = rng.sample(fraud, min(count, len(fraud))) + rng.sample(normal, min(count, len(normal)))
    return [to_example(row, rng, embed_in_chat(str(row["text"]), dialogues, rng)) for row in picked]


# Chat titles above a forwarded screenshot's text (the bot's OCR reads the title first):
# people, family groups, services and numbers, in both classes alike.
SCREEN_TITLES = (
    "妈妈",
    "老爸",
    "姐",
    "张伟",
    "李娜",
    "王经理",
    "小刘",
    "相亲相爱一家人",
    "302宿舍",
    "阳光小区业主群",
    "客服",
    "在线客服",
    "未知联系人",
    "95588",
    "10086",
    "+86 138 2750 1146",
    "微信支付",
    "系统通知",
)


def titled(rows: Sequence[dict[str, Any]], count: int, rng: random.Random) -> list[Example]:
    """``count`` fraud and ``count`` normal rows under a chat title line, the way text read
    from a screenshot starts. Both classes get the same titles, so a title says nothing:
    without them the encoder read "客服" or "95588" above a family message as fraud."""
    fraud = [row for row in rows if row["label"] == "fraud"]
    normal = [row for row in rows if row["label"] == "normal"]
    picked = rng.sample(fraud, min(count, len(fraud))) + rng.sample(normal, min(count, len(normal)))
    return [to_example(row, rng, f"{rng.choice(SCREEN_TITLES)}\n{row['text']}") for row in picked]


def synthetic_examples(
    config: TrainConfig, rng: random.Random, *, limit: int | None = None
) -> list[Example]:
    """Synthetic training texts in the model's form, as many genuine as fraud of each kind
    (each module says why training needs them): ``config.notifications`` service
    notifications (classifier/model/notifications.py), ``config.scam_talk`` warnings and
    reports about scams against victims' accounts of scams under way (scam_talk.py),
    ``config.adverts`` genuine adverts against scam lures (adverts.py),
    ``config.workplace`` workplace money talk against boss impersonations (workplace.py),
    ``config.family`` family and friends' money talk against impersonations of them
    (family.py), ``config.dissuasion`` a bank's or the police's calls that stop a scam
    against scams in the same voices (dissuasion.py), and ``config.service_calls`` everyday
    service calls written down against scams that open the same calls (service_calls.py).
    With ``limit`` (a smoke run's rows per file) at most ``limit // 4`` of each."""
    cap = limit // 4 if limit is not None else None
    notifications, scam_talk, adverts, workplace, family, dissuasion, service_calls = (
        count if cap is None else min(count, cap)
        for count in (
            config.notifications,
            config.scam_talk,
            config.adverts,
            config.workplace,
            config.family,
            config.dissuasion,
            config.service_calls,
        )
    )
    knowledge = load_knowledge()
    items: list[SyntheticText] = [
        *synthetic_notifications(notifications, knowledge, rng),
        *synthetic_scam_talk(
            scam_talk,
            knowledge,
            rng,
            quotes=config.scam_talk_quotes,
            more_stories=config.unseen_types,
        ),
        *synthetic_adverts(adverts, knowledge, rng),
        *synthetic_workplace(workplace, rng),
        *synthetic_family(family, rng),
        *synthetic_dissuasion(dissuasion, rng),
        *synthetic_service_calls(service_calls, rng),
    ]
    return [
        Example(
            text=model_text(item.text),
            fraud=item.fraud,
            type_label=item.type_label,
            file="synthetic",
            group=f"synthetic-{index}",
        )
        for index, item in enumerate(items)
    ]
