"""Helpers shared by the synthetic training-text generators that pit genuine messages
against impersonations from the same slots (workplace.py, family.py)."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from classifier.model.notifications import SyntheticText


def personal_account(rng: random.Random, banks: Sequence[str], surnames: str) -> str:
    """A personal account a scam names: a card number, alone, with its bank or with a
    payee's name."""
    card = "62" + "".join(str(rng.randint(0, 9)) for _ in range(17))
    return rng.choice((card, f"{rng.choice(banks)} {card}", f"户名{rng.choice(surnames)}某 {card}"))


def alternating(
    count: int,
    rng: random.Random,
    genuine: Sequence[str],
    scams: Sequence[str],
    fill: Callable[[str, random.Random], str],
    label: str | Callable[[str], str],
) -> list[SyntheticText]:
    """``count`` genuine texts and ``count`` scams labelled ``label`` (or by ``label`` of
    the scam's template), alternating, each from a template chosen at random and filled
    by ``fill``."""
    label_of = label if callable(label) else lambda _template: label
    result: list[SyntheticText] = []
    for index in range(2 * count):
        if index % 2:
            template = rng.choice(scams)
            result.append(SyntheticText(fill(template, rng), True, label_of(template)))
        else:
            result.append(SyntheticText(fill(rng.choice(genuine), rng), False, None))
    return result
