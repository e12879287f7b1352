"""Simplified or Traditional Chinese: detect what the user writes, convert our replies.

Replies are written in Simplified Chinese (bot/messages.py); a user who writes Traditional
gets the whole rendered reply through OpenCC ``s2t``. HTML tags and entities are ASCII, which
OpenCC leaves alone, so converting finished HTML is safe.
"""

from __future__ import annotations

from functools import lru_cache

import opencc

_TRADITIONAL_LOCALES = ("zh-hant", "zh-tw", "zh-hk", "zh-mo")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def traditional_share(text: str) -> int:
    """How many characters of ``text`` change when converted to Simplified."""
    simplified = _t2s().convert(text)
    if len(simplified) != len(text):
        return abs(len(simplified) - len(text)) + 1
    return sum(1 for a, b in zip(text, simplified, strict=True) if a != b)


def prefers_traditional(text: str, language_code: str | None = None) -> bool | None:
    """True/False when the text shows a clear preference, None when it says nothing.

    Two Traditional-only characters are enough (one in a very short text); without Chinese
    text the Telegram language setting decides.
    """
    changed = traditional_share(text) if text else 0
    if changed >= 2 or (changed == 1 and len(text) < 20):
        return True
    if any("\u4e00" <= char <= "\u9fff" for char in text):
        return False
    if language_code:
        return language_code.lower().startswith(_TRADITIONAL_LOCALES)
    return None


def to_traditional(markup: str) -> str:
    """A Simplified reply (HTML or plain) in Traditional characters."""
    return str(_s2t().convert(markup))


def localise(markup: str, traditional: bool) -> str:
    """``markup`` as it should be sent to a user with this preference."""
    return to_traditional(markup) if traditional else markup
