"""What ``scamcheck eval`` evaluates on: the rows, their perturbations, the shortcut checks
and the reference baseline.

Perturbations, beyond the scammers' evasions of classifier.evasions:
- ``no_placeholders`` deletes the data's anonymisation placeholders (NAME, URL, DIGIT, ...);
  ``real_values`` swaps them for realistic values (a phone number, a link, a name), as a
  real forwarded message has them: a model that learned "placeholder ⇒ class" changes here.
- ``in_chat`` puts every text (fraud and normal alike) between everyday chat turns from the
  chat source: a model that learned "chatty ⇒ normal" loses recall here.
- ``screenshot`` draws every text as a chat screenshot and reads it back with the bot's OCR,
  as a resident's forwarded screenshot arrives (about a second a row: use it on
  eval/realistic.jsonl or with --limit).
``length_matched`` keeps, per file, as many fraud as normal rows in every length band, so
that message length alone cannot separate the classes.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from classifier.evasions import EVASIONS

SEED = 20261125
CHAT_FILE_STEM = "lccc_chat_normal"
_PLACEHOLDERS = re.compile(r"CELLPHONE|HOTLINE|PHONE|URL|DIGIT|NAME|PLACE|WECHAT|BANK")
_BAND = 20  # characters per length band


def no_placeholders(text: str, _seed: int = 0) -> str:
    """The text with the data's upper-case anonymisation placeholders removed."""
    return re.sub(r"\s+", " ", _PLACEHOLDERS.sub(" ", text)).strip()


_REAL_VALUES = {
    "CELLPHONE": ("13912345678", "15887654321", "18600001111"),
    "PHONE": ("021-62345678", "0755-8888 6666", "010-12345678"),
    "HOTLINE": ("400-820-8820", "95588", "800-830-1234"),
    "URL": ("http://www.hzlife.com/a", "www.xinmall.cn/item/8", "https://m.example.com/p?id=7"),
    "DIGIT": ("38", "2888", "15"),
    "NAME": ("李明", "王女士", "张建国"),
    "PLACE": ("杭州", "朝阳区", "天河路"),
    "WECHAT": ("wx_abc123", "vip8866", "kf_2024"),
    "BANK": ("工商银行", "招商银行", "农业银行"),
}


def real_values(text: str, seed: int = 0) -> str:
    """The text with each placeholder replaced by a realistic value (deterministic)."""
    count = 0

    def one(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        choices = _REAL_VALUES[match.group(0)]
        return choices[(seed + count) % len(choices)]

    return _PLACEHOLDERS.sub(one, text)


# Chat titles of the screenshots: a contact name, as a chat app shows it.
_SCREENSHOT_TITLES = ("张阿姨", "王经理", "未知联系人", "小李", "95588", "客服")
_SCREENSHOT_MAX_CHARS = 1500  # long screenshots are read down to 6000 px
_SCREENSHOT_CHARS_PER_LINE = 14  # a bubble's width in 42-px characters, with margin


def as_screenshot(text: str, seed: int = 0) -> str:
    """``text`` as incoming bubbles in a chat screenshot (a bubble a line), read back by OCR
    (the title, then the bubbles' paragraphs): what the analysis gets from a forwarded
    screenshot."""
    from bot.commands.screenshots import HEIGHT, WIDTH, Bubble, Scenario, render_chat
    from classifier.images import read_image_sync

    turns = [
        "".join(char for char in line if char.isprintable()).strip()
        for line in text[:_SCREENSHOT_MAX_CHARS].splitlines()
    ]
    bubbles = tuple(Bubble(text=turn) for turn in turns if turn)
    lines = sum(len(turn) // _SCREENSHOT_CHARS_PER_LINE + 3 for turn in turns)
    height = max(HEIGHT, 400 + 56 * lines)  # 56 px a line, gaps between bubbles: all fit
    title = _SCREENSHOT_TITLES[seed % len(_SCREENSHOT_TITLES)]
    shot = render_chat(Scenario(title, bubbles, scam=False), size=(WIDTH, height))
    reading = read_image_sync(shot.png)
    return "\n".join(reading.blocks or reading.lines)


PERTURBATIONS: dict[str, Callable[[str, int], str]] = {
    **EVASIONS,
    "no_placeholders": no_placeholders,
    "real_values": real_values,
    "screenshot": as_screenshot,
}
CHOICES = sorted([*PERTURBATIONS, "in_chat"])


def embed_in_chat(
    rows: Sequence[dict[str, Any]], dialogues: Sequence[Sequence[str]]
) -> list[dict[str, Any]]:
    """Every row's text placed between turns of a (seeded) random everyday conversation."""
    rng = random.Random(SEED)
    result = []
    for row in rows:
        before = rng.choice(dialogues)
        after = rng.choice(dialogues)
        turns = [*before[: rng.randint(1, 3)], str(row["text"]), *after[: rng.randint(0, 2)]]
        result.append(row | {"text": "\n".join(turns)})
    return result


def dialogues_from(datasets: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[list[str]]:
    """Conversations of the chat source among the evaluated files."""
    rows = datasets.get(CHAT_FILE_STEM, ())
    return [
        turns for row in rows if len(turns := [t for t in str(row["text"]).split("\n") if t]) > 1
    ]


def length_matched(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Equal numbers of fraud and normal rows per length band (files with both classes)."""
    if not any(row["label"] == "fraud" for row in rows) or all(
        row["label"] == "fraud" for row in rows
    ):
        return list(rows)
    bands: dict[tuple[int, bool], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        bands[(len(str(row["text"])) // _BAND, row["label"] == "fraud")].append(row)
    rng = random.Random(SEED)
    kept: list[dict[str, Any]] = []
    for band in sorted({band for band, _ in bands}):
        fraud, normal = bands.get((band, True), []), bands.get((band, False), [])
        count = min(len(fraud), len(normal))
        kept += rng.sample(fraud, count) + rng.sample(normal, count)
    return kept


def perturb(
    datasets: dict[str, list[dict[str, Any]]], name: str
) -> dict[str, list[dict[str, Any]]]:
    """Apply a perturbation to every dataset."""
    if name == "in_chat":
        dialogues = dialogues_from(datasets)
        if not dialogues:
            raise ValueError(f"--perturb in_chat needs {CHAT_FILE_STEM}.jsonl among the files")
        return {stem: embed_in_chat(rows, dialogues) for stem, rows in datasets.items()}
    change = PERTURBATIONS[name]
    return {
        stem: [row | {"text": change(str(row["text"]), index)} for index, row in enumerate(rows)]
        for stem, rows in datasets.items()
    }
