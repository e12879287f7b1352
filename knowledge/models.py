"""Typed, frozen views of the knowledge files (pydantic v2).

One model per YAML shape. Field-level rules live here (ranges, formats, normalised
phrases, safe regexes); rules that need several files at once (unique ids, references
between files) live in :mod:`knowledge.loader`.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from knowledge._text import phrase_problem, regex_problem

__all__ = [
    "AbusedHost",
    "Advice",
    "AdviceFile",
    "BanksBinFile",
    "BenignFlag",
    "Combo",
    "CommonCombo",
    "CommonFile",
    "CommonRedFlag",
    "FraudType",
    "HostsFile",
    "OfficialFile",
    "Organisation",
    "OrganisationKind",
    "PaymentSituation",
    "PaymentsFile",
    "RedFlag",
    "ReportingChannel",
    "ReportingFile",
    "Source",
]

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_RULE_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_]+$")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_PHONE = re.compile(r"^\+?[0-9][0-9-]{1,18}[0-9]$")
_BIN = re.compile(r"^[1-9][0-9]{5,7}$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
_SENTENCE_END = re.compile(r"[。！？!?]")


def _check(pattern: re.Pattern[str], what: str) -> AfterValidator:
    def check(value: str) -> str:
        if not pattern.fullmatch(value):
            raise ValueError(f"{value!r} is not {what}")
        return value

    return AfterValidator(check)


def _phrase(value: str) -> str:
    problem = phrase_problem(value)
    if problem is not None:
        raise ValueError(f"phrase {value!r} {problem}")
    return value


def _regex(value: str) -> str:
    problem = regex_problem(value)
    if problem is not None:
        raise ValueError(f"regex {value!r} {problem}")
    return value


def _positive_weight(value: float) -> float:
    if not 0 < value <= 1:
        raise ValueError("must be in (0, 1]")
    return value


def _negative_weight(value: float) -> float:
    if not -1 <= value < 0:
        raise ValueError("must be in [-1, 0) (benign evidence lowers the risk)")
    return value


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


def _bin(value: object) -> object:
    # Unquoted YAML numbers arrive as int; card prefixes never start with 0.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Key = Annotated[str, _check(_KEY, "an ascii snake_case key")]
RuleId = Annotated[str, _check(_RULE_ID, "an id of the form <group>.<name> in snake_case")]
Host = Annotated[str, _check(_HOST, "a lower-case host name without scheme or path")]
Phone = Annotated[str, _check(_PHONE, "a phone number (digits, optional +, dashes)")]
CardBin = Annotated[str, BeforeValidator(_bin), _check(_BIN, "a 6 to 8 digit card prefix")]
Text = Annotated[str, AfterValidator(_text)]
Phrase = Annotated[str, AfterValidator(_phrase)]
Regex = Annotated[str, AfterValidator(_regex)]
PositiveWeight = Annotated[float, AfterValidator(_positive_weight)]
NegativeWeight = Annotated[float, AfterValidator(_negative_weight)]
Suffix = Annotated[str, _check(re.compile(r"^\.[a-z0-9]{1,16}$"), "a file suffix like .apk")]
OrganisationKind = Literal[
    "bank",
    "payment",
    "government",
    "police",
    "transport",
    "courier",
    "telecom",
    "platform",
    "securities",
    "insurance",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class _Matcher(_Model):
    """Shared shape of everything matched against normalised text."""

    id: RuleId
    phrases: tuple[Phrase, ...] = ()
    regex: Regex | None = None
    explain: Text

    @model_validator(mode="after")
    def _something_to_match(self) -> _Matcher:
        if not self.phrases and self.regex is None:
            raise ValueError("needs at least one of 'phrases' or 'regex'")
        if len(set(self.phrases)) != len(self.phrases):
            raise ValueError("'phrases' lists the same phrase twice")
        return self


class RedFlag(_Matcher):
    """A sign of fraud: literal phrases (Aho-Corasick) and/or one regex, with a weight.

    ``plain_clause``: the flag (its regex and its phrases) matches only inside a clause that
    has no denial or warning word ("不会", "谨防", "骗子", "如有人", ...), so a police warning
    or a company's notice that names the scam in the same words does not count as the scam
    (classifier/rules.py holds the word list). Every flag, plain-clause or not, also skips an
    occurrence that a denied request just before it governs ("我们不会要求您…", "请不要相信
    任何要求…的"; ``classifier.rules.denied``)."""

    weight: PositiveWeight
    plain_clause: bool = False


class CommonRedFlag(RedFlag):
    """A red flag not tied to one fraud type; ``types`` lists the types it supports."""

    types: tuple[Key, ...] = ()


class BenignFlag(_Matcher):
    """Counter-evidence (a legitimate notification or a warning); the weight is negative."""

    weight: NegativeWeight


class Combo(_Model):
    """Red flags that together are stronger than alone (``all`` must all match)."""

    id: RuleId
    all: tuple[RuleId, ...] = Field(min_length=2)
    weight: PositiveWeight
    explain: Text

    @model_validator(mode="after")
    def _distinct(self) -> Combo:
        if len(set(self.all)) != len(self.all):
            raise ValueError("'all' lists the same red flag twice")
        return self


class CommonCombo(Combo):
    """A combo of common red flags; ``types`` lists the fraud types it supports."""

    types: tuple[Key, ...] = ()


class Source(_Model):
    """An official publication backing a fraud type; ``url`` only when it surely exists."""

    title: Text
    url: Annotated[str, _check(_URL, "an http(s) URL")] | None = None


class FraudType(_Model):
    """One fraud type of the taxonomy (one file in ``fraud_types/``)."""

    key: Key
    name: Text
    summary: Text
    description: Text
    dataset_types: tuple[Text, ...] = ()
    is_crime_warning: bool = False
    advice: tuple[Key, ...] = Field(min_length=1)
    what_to_do: tuple[Text, ...] = Field(min_length=2, max_length=5)
    sources: tuple[Source, ...] = ()
    red_flags: tuple[RedFlag, ...] = Field(min_length=1)
    combos: tuple[Combo, ...] = ()

    @model_validator(mode="after")
    def _shape(self) -> FraudType:
        if "\n" in self.summary:
            raise ValueError("'summary' must be one line")
        sentences = len(_SENTENCE_END.findall(self.description))
        if not 2 <= sentences <= 4:
            raise ValueError(f"'description' must have 2 to 4 sentences, found {sentences}")
        return self


class CommonFile(_Model):
    """``common.yaml``: cross-type red flags, benign counter-evidence, cross-type combos."""

    red_flags: tuple[CommonRedFlag, ...] = ()
    benign: tuple[BenignFlag, ...] = ()
    combos: tuple[CommonCombo, ...] = ()


class Organisation(_Model):
    """An official organisation whose name, domains or numbers scammers imitate."""

    key: Key
    name: Text
    kind: OrganisationKind
    domains: tuple[Host, ...] = ()
    brand_tokens: tuple[Phrase, ...] = ()
    phones: tuple[Phone, ...] = ()
    stop_payment_phone: Phone | None = None


class OfficialFile(_Model):
    """``official.yaml``."""

    organisations: tuple[Organisation, ...] = Field(min_length=1)


class AbusedHost(_Model):
    """A legitimate host that scammers use to host pages or files."""

    host: Host
    reason: Text


class HostsFile(_Model):
    """``hosts.yaml``."""

    shorteners: tuple[Host, ...] = ()
    abused_hosts: tuple[AbusedHost, ...] = ()
    download_suffixes: tuple[Suffix, ...] = ()


class ReportingChannel(_Model):
    """Where to report or ask for help, and when."""

    key: Key
    name: Text
    contact: Text
    when: Text


class ReportingFile(_Model):
    """``reporting.yaml``."""

    channels: tuple[ReportingChannel, ...] = Field(min_length=1)


class Advice(_Model):
    """One short instruction shown to the user, with optional detail."""

    text: Text
    detail: Text | None = None


class AdviceFile(_Model):
    """``advice.yaml``: advice by key, and the ordered steps after money was sent."""

    advice: dict[Key, Advice] = Field(min_length=1)
    paid_steps: tuple[Key, ...] = Field(min_length=1)


class PaymentSituation(_Model):
    """One way a message asks for money (safe account, unfreeze fee...) and its warning."""

    key: Key
    name: Text
    phrases: tuple[Phrase, ...] = ()
    regex: Regex | None = None
    entities: tuple[Key, ...] = ()
    warning: Text
    advice: tuple[Key, ...] = ()

    @model_validator(mode="after")
    def _something_to_match(self) -> PaymentSituation:
        if not self.phrases and self.regex is None and not self.entities:
            raise ValueError("needs at least one of 'phrases', 'regex' or 'entities'")
        if len(set(self.phrases)) != len(self.phrases):
            raise ValueError("'phrases' lists the same phrase twice")
        return self


class PaymentsFile(_Model):
    """``payments.yaml``: payment situations (first match wins) and "already paid" phrases."""

    situations: tuple[PaymentSituation, ...] = Field(min_length=1)
    paid_phrases: tuple[Phrase, ...] = ()


class BanksBinFile(_Model):
    """``banks_bin.yaml``: organisation key -> card number prefixes (BINs)."""

    bins: dict[Key, tuple[CardBin, ...]] = Field(min_length=1)
