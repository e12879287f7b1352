"""Evasions scammers use to slip past filters, as text transformations.

Used by the robustness tests, by ``scamcheck eval --perturb`` style checks and for training
augmentation. Each function is deterministic for a given ``seed``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import opencc

_S2T = opencc.OpenCC("s2t")
_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
# Latin letters and their Cyrillic / Greek look-alikes.
_HOMOGLYPHS = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і"}
_DIGIT_RUN = re.compile(r"\d{5,}")


def zero_width(text: str, seed: int = 0) -> str:
    """Insert an invisible character after about every third character."""
    rng = random.Random(seed)
    out: list[str] = []
    for char in text:
        out.append(char)
        if not char.isspace() and rng.random() < 0.33:
            out.append(rng.choice(_ZERO_WIDTH))
    return "".join(out)


def full_width(text: str, seed: int = 0) -> str:
    """Turn ASCII letters and digits into their full-width forms (Ａ, １)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def homoglyphs(text: str, seed: int = 0) -> str:
    """Swap Latin letters for Cyrillic look-alikes."""
    return "".join(_HOMOGLYPHS.get(c, c) for c in text)


def traditional(text: str, seed: int = 0) -> str:
    """Write the text in Traditional characters."""
    return str(_S2T.convert(text))


def spaced_digits(text: str, seed: int = 0) -> str:
    """Split long digit runs the way people write them: 138 1234 5678, 6222-0212-3456-7890."""
    rng = random.Random(seed)

    def split(match: re.Match[str]) -> str:
        digits = match.group()
        sizes = [3, 4, 4] if len(digits) == 11 else [4] * (len(digits) // 4 + 1)
        groups, start = [], 0
        for size in sizes:
            if start < len(digits):
                groups.append(digits[start : start + size])
                start += size
        separator = rng.choice([" ", "-", " "])
        return separator.join(groups)

    return _DIGIT_RUN.sub(split, text)


def combined(text: str, seed: int = 0) -> str:
    """All of the above at once."""
    for evade in (traditional, spaced_digits, homoglyphs, full_width, zero_width):
        text = evade(text, seed)
    return text


EVASIONS: dict[str, Callable[[str, int], str]] = {
    "zero_width": zero_width,
    "full_width": full_width,
    "homoglyphs": homoglyphs,
    "traditional": traditional,
    "spaced_digits": spaced_digits,
    "combined": combined,
}
