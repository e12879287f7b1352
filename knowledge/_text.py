"""Checks that phrases and regexes in the knowledge files can match normalised text.

The classifier matches red flags against *normalised* message text: NFKC (half-width),
Simplified Chinese (OpenCC ``t2s``), lower-case, and no whitespace between CJK
characters (a single space may remain between Latin words or digits). A phrase that is
not already in that form can never match, so the loader rejects it with a hint.
"""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata
from typing import Any

__all__ = ["phrase_problem", "regex_problem"]

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0002fa1f"
_BAD_SPACE = re.compile(rf"^\s|\s$|\s\s|[{_CJK}]\s|\s[{_CJK}]|[^\S ]")

# ``re._parser`` is CPython's own regex parser (the public ``sre_parse`` alias is
# deprecated and warns on import). There is no stub for it, hence ``Any``.
_parser: Any = importlib.import_module("re._parser")
_const: Any = importlib.import_module("re._constants")
_REPEATS = frozenset({_const.MAX_REPEAT, _const.MIN_REPEAT, _const.POSSESSIVE_REPEAT})
_UNBOUNDED = _const.MAXREPEAT


@functools.cache
def _t2s() -> Any:
    import opencc  # imported lazily: building the converter costs a few milliseconds

    return opencc.OpenCC("t2s")


def _simplified(text: str) -> str:
    return str(_t2s().convert(text))


def phrase_problem(phrase: str) -> str | None:
    """Return why ``phrase`` is not in normalised form, or ``None`` if it is."""
    if not phrase.strip():
        return "must not be empty"
    if _BAD_SPACE.search(phrase):
        return (
            "must not contain spaces, except one space between two Latin words or numbers "
            "(spaces between Chinese characters are removed before matching)"
        )
    half = unicodedata.normalize("NFKC", phrase)
    fixed = _simplified(half).lower()
    if half != phrase:
        return f"contains full-width or compatibility characters: write {fixed!r}"
    if phrase.lower() != phrase:
        return f"contains upper-case letters (text is lower-cased first): write {fixed!r}"
    if _simplified(phrase) != phrase:
        return f"contains Traditional characters (text is converted to Simplified): write {fixed!r}"
    return None


def regex_problem(pattern: str) -> str | None:
    """Return why ``pattern`` is unusable (syntax, catastrophic backtracking...), or ``None``."""
    try:
        compiled = re.compile(pattern)
        tree = _parser.parse(pattern)
    except re.error as exc:
        return f"does not compile: {exc}"
    problem = _walk(tree.data)
    if problem is not None:
        return problem
    if _opens_with_digit_run(tree.data):
        return (
            "may backtrack quadratically on a long number: it can start with an unanchored "
            r"digit run; write (?<!\d)\d+ so that it starts only where a number starts"
        )
    if compiled.search("") is not None:
        return "matches the empty string, so it would fire on every message"
    half = unicodedata.normalize("NFKC", pattern)
    if half != pattern:
        return "contains full-width or compatibility characters; text is half-width when matched"
    if _simplified(pattern) != pattern:
        return "contains Traditional characters; text is Simplified when matched"
    return None


# Why hand-written: Python's ``re`` backtracks, and a quantified group that itself contains
# an unbounded quantifier (``(a+)+``, ``(\d*)*``, ``(x+y?)+``) can take exponential time on
# a crafted message. No standard-library function detects this, and a third-party engine
# (RE2) would change the regex dialect volunteers write. The rule below is deliberately
# simple and strict: a repeat that can run more than once must not contain an unbounded
# repeat. Rewrite such a pattern without the nesting (``a+`` instead of ``(a+)+``).
def _walk(items: list[tuple[Any, Any]]) -> str | None:
    for op, av in items:
        if op in _REPEATS:
            _low, high, body = av
            if high > 1 and _has_unbounded(body.data):
                return (
                    "may backtrack catastrophically: a repeated group contains an unbounded "
                    "quantifier (like (a+)+); remove the nesting"
                )
            problem = _walk(body.data)
        elif op is _const.LITERAL and chr(av).isupper():
            problem = f"contains upper-case letter {chr(av)!r}; text is lower-cased when matched"
        else:
            problem = None
            for child in _children(op, av):
                problem = problem or _walk(child)
        if problem is not None:
            return problem
    return None


# A pattern that can open with an unbounded digit run (``\d+ ?天``) is retried from every
# digit of a long number and runs through the rest of it each time: quadratic (20,000
# digits took 15 s before 2026-12-04; `scamcheck bench` prints the time now). ``(?<!\d)`` in
# front makes it start only where a number starts.
def _opens_with_digit_run(items: list[tuple[Any, Any]]) -> bool:
    if not items:
        return False
    op, av = items[0]
    if op is _const.BRANCH:
        return any(_opens_with_digit_run(branch.data) for branch in av[1])
    if op is _const.SUBPATTERN:
        return _opens_with_digit_run(av[3].data)
    if op in _REPEATS:
        _low, high, body = av
        return high == _UNBOUNDED and any(
            sub_op is _const.IN and (_const.CATEGORY, _const.CATEGORY_DIGIT) in sub_av
            for sub_op, sub_av in body.data
        )
    return False


def _has_unbounded(items: list[tuple[Any, Any]]) -> bool:
    for op, av in items:
        if op in _REPEATS:
            if av[1] == _UNBOUNDED or _has_unbounded(av[2].data):
                return True
        elif any(_has_unbounded(child) for child in _children(op, av)):
            return True
    return False


def _children(op: Any, av: Any) -> list[list[tuple[Any, Any]]]:
    """Sub-patterns nested inside one parsed regex item."""
    if op is _const.SUBPATTERN:
        return [av[3].data]
    if op is _const.BRANCH:
        return [branch.data for branch in av[1]]
    if op is _const.ATOMIC_GROUP:
        return [av.data]
    if op in (_const.ASSERT, _const.ASSERT_NOT):
        return [av[1].data]
    if op is _const.GROUPREF_EXISTS:
        return [part.data for part in av[1:] if part is not None]
    return []
