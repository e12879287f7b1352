"""Load and validate the knowledge base; every error names the file and the line.

Each file is parsed once into a YAML node tree (``yaml.compose``), checked for duplicate
keys, turned into plain data and validated by the pydantic models in
:mod:`knowledge.models`. The node tree maps the location of a validation error
(``red_flags[3].weight``) back to a line. Checks that span files (unique ids, references
between files) run last, on the validated models.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from knowledge.errors import KnowledgeError
from knowledge.models import (
    AbusedHost,
    Advice,
    AdviceFile,
    BanksBinFile,
    BenignFlag,
    Combo,
    CommonCombo,
    CommonFile,
    CommonRedFlag,
    FraudType,
    HostsFile,
    OfficialFile,
    Organisation,
    PaymentsFile,
    PaymentSituation,
    RedFlag,
    ReportingChannel,
    ReportingFile,
)

__all__ = ["Knowledge", "load_knowledge"]

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_M = TypeVar("_M", bound=BaseModel)
_Loc = Sequence[str | int]

COMMON_PREFIX = "common"
BENIGN_PREFIX = "benign"


@dataclass(frozen=True, slots=True)
class Knowledge:
    """The validated, read-only knowledge base. No classification logic lives here."""

    fraud_types: Mapping[str, FraudType]
    common_flags: Mapping[str, CommonRedFlag]
    common_combos: Mapping[str, CommonCombo]
    benign_flags: Mapping[str, BenignFlag]
    organisations: Mapping[str, Organisation]
    shorteners: frozenset[str]
    abused_hosts: Mapping[str, AbusedHost]
    download_suffixes: tuple[str, ...]
    reporting_channels: Mapping[str, ReportingChannel]
    advice: Mapping[str, Advice]
    paid_steps: tuple[str, ...]
    """Advice keys to show, in this order, to someone who has already paid."""
    bank_bins: Mapping[str, str]
    """Card number prefix (BIN) -> organisation key."""
    payment_situations: tuple[PaymentSituation, ...]
    """How messages ask for money, in matching order (the first that matches wins)."""
    paid_phrases: tuple[str, ...]
    """Phrases saying the money has already been sent."""
    _by_label: Mapping[str, str] = field(repr=False)
    _flags: Mapping[str, RedFlag | BenignFlag] = field(repr=False)
    _flag_types: Mapping[str, tuple[str, ...]] = field(repr=False)

    def type_for_dataset_label(self, label: str) -> str:
        """Fraud type key for a training-data ``type`` label; ``KeyError`` if unmapped."""
        return self._by_label[label]

    @property
    def dataset_types(self) -> frozenset[str]:
        """Fraud type keys that some training-data ``type`` label maps to (the others, such
        as 杀猪盘, exist only in the knowledge base)."""
        return frozenset(self._by_label.values())

    def flag(self, flag_id: str) -> RedFlag | BenignFlag:
        """The red flag (type or common) or benign flag with this id; ``KeyError`` if none."""
        return self._flags[flag_id]

    def flag_types(self, rule_id: str) -> tuple[str, ...]:
        """Fraud types a red flag or combo supports (its own type, or its ``types`` list)."""
        return self._flag_types[rule_id]

    @property
    def red_flags(self) -> tuple[RedFlag, ...]:
        """Every positive red flag: those of each fraud type, then the common ones."""
        own = (flag for fraud_type in self.fraud_types.values() for flag in fraud_type.red_flags)
        return (*own, *self.common_flags.values())

    @property
    def combos(self) -> tuple[Combo, ...]:
        """Every combo: those of each fraud type, then the common ones."""
        own = (combo for fraud_type in self.fraud_types.values() for combo in fraud_type.combos)
        return (*own, *self.common_combos.values())


def load_knowledge(root: Path | None = None) -> Knowledge:
    """Load every knowledge file under ``root`` (default: this package) and validate it.

    Raises :class:`KnowledgeError` naming the file and line of the first problem.
    """
    root = Path(__file__).parent if root is None else Path(root)
    common_doc, common = _load(root, "common.yaml", CommonFile)
    official_doc, official = _load(root, "official.yaml", OfficialFile)
    hosts_doc, hosts = _load(root, "hosts.yaml", HostsFile)
    reporting_doc, reporting = _load(root, "reporting.yaml", ReportingFile)
    advice_doc, advice = _load(root, "advice.yaml", AdviceFile)
    bins_doc, bins = _load(root, "banks_bin.yaml", BanksBinFile)
    payments_doc, payments = _load(root, "payments.yaml", PaymentsFile)
    type_files = sorted((root / "fraud_types").glob("*.yaml"))
    if not type_files:
        raise KnowledgeError("no fraud type files (*.yaml)", file=_display(root, "fraud_types"))
    types = [_load(root, f"fraud_types/{path.name}", FraudType) for path in type_files]

    checker = _CrossChecker()
    for doc, fraud_type in types:
        checker.fraud_type(doc, fraud_type, advice.advice)
    type_keys = {fraud_type.key for _doc, fraud_type in types}
    checker.common(common_doc, common, type_keys)
    for doc, fraud_type in types:
        checker.type_combos(doc, fraud_type)
    _check_advice(advice_doc, advice)
    _check_payments(payments_doc, payments, advice)
    orgs = _check_official(official_doc, official)
    bank_bins = _check_bins(bins_doc, bins, orgs)
    _check_unique(hosts_doc, [("shorteners", i, h) for i, h in enumerate(hosts.shorteners)])
    _check_unique(
        hosts_doc, [("abused_hosts", i, h.host) for i, h in enumerate(hosts.abused_hosts)]
    )
    _check_unique(reporting_doc, [("channels", i, c.key) for i, c in enumerate(reporting.channels)])

    ro = MappingProxyType
    return Knowledge(
        fraud_types=ro({fraud_type.key: fraud_type for _doc, fraud_type in types}),
        common_flags=ro({flag.id: flag for flag in common.red_flags}),
        common_combos=ro({combo.id: combo for combo in common.combos}),
        benign_flags=ro({flag.id: flag for flag in common.benign}),
        organisations=ro(orgs),
        shorteners=frozenset(hosts.shorteners),
        abused_hosts=ro({host.host: host for host in hosts.abused_hosts}),
        download_suffixes=hosts.download_suffixes,
        reporting_channels=ro({channel.key: channel for channel in reporting.channels}),
        advice=ro(dict(advice.advice)),
        paid_steps=advice.paid_steps,
        bank_bins=ro(bank_bins),
        payment_situations=payments.situations,
        paid_phrases=payments.paid_phrases,
        _by_label=ro(checker.labels),
        _flags=ro(checker.flags),
        _flag_types=ro(checker.flag_types),
    )


# --- one file ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Doc:
    """A parsed file: its display name and node tree, to turn paths into lines."""

    display: str
    node: yaml.Node

    def line(self, path: _Loc) -> int:
        """1-based line of the deepest node on ``path`` that exists."""
        node = self.node
        for part in path:
            child = _child(node, part)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1

    def error(self, path: _Loc, reason: str) -> KnowledgeError:
        where = _format_path(path)
        return KnowledgeError(
            f"{where}: {reason}" if where else reason, file=self.display, line=self.line(path)
        )


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                return value  # type: ignore[no-any-return]
    if (
        isinstance(node, yaml.SequenceNode)
        and isinstance(part, int)
        and 0 <= part < len(node.value)
    ):
        return node.value[part]  # type: ignore[no-any-return]
    return None


def _format_path(path: _Loc) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "[key]":
            out += " (key)"
        else:
            out += f".{part}" if out else part
    return out


def _display(root: Path, rel: str) -> str:
    return f"{root.name}/{rel}"


def _load(root: Path, rel: str, model: type[_M]) -> tuple[_Doc, _M]:
    display = _display(root, rel)
    try:
        text = (root / rel).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError("file is missing", file=display) from None
    except UnicodeDecodeError as exc:
        raise KnowledgeError(f"file is not UTF-8 ({exc.reason})", file=display) from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        reason = f"YAML syntax error: {exc.problem or exc.context}"
        raise KnowledgeError(reason, file=display, line=line) from None
    if node is None:
        raise KnowledgeError("file is empty", file=display)
    doc = _Doc(display, node)
    _check_duplicate_keys(doc, node, [])
    data = _construct(node)
    try:
        return doc, model.model_validate(data)
    except ValidationError as exc:
        raise _first_error(doc, exc) from None


def _construct(node: yaml.Node) -> Any:
    loader = _Loader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_duplicate_keys(doc: _Doc, node: yaml.Node, path: list[str | int]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                raise KnowledgeError(
                    f"{_format_path([*path, name])}: key {name!r} appears twice in one mapping",
                    file=doc.display,
                    line=key.start_mark.line + 1,
                )
            seen.add(name)
            _check_duplicate_keys(doc, value, [*path, name])
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _check_duplicate_keys(doc, item, [*path, index])


def _first_error(doc: _Doc, exc: ValidationError) -> KnowledgeError:
    errors = exc.errors(include_url=False)
    # A misspelt key shows up twice (unknown + missing); the unknown one is the cause.
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    loc = list(first["loc"])
    kind = first["type"]
    if kind == "extra_forbidden":
        reason = "unknown field (check the spelling against the comment at the top of the file)"
    elif kind == "missing":
        reason = "required field is missing"
    else:
        reason = str(first["msg"]).removeprefix("Value error, ")
    more = len(errors) - 1
    if more:
        reason += f" (and {more} more problem{'s' if more > 1 else ''} in this file)"
    return doc.error(loc, reason)


# --- across files -----------------------------------------------------------------------


class _CrossChecker:
    """Collects ids, labels and owners while checking rules that span files."""

    def __init__(self) -> None:
        self.flags: dict[str, RedFlag | BenignFlag] = {}
        self.flag_types: dict[str, tuple[str, ...]] = {}
        self.labels: dict[str, str] = {}
        self._where: dict[str, str] = {}
        self._common_ids: set[str] = set()

    def _claim(self, doc: _Doc, path: _Loc, rule_id: str, prefix: str) -> None:
        if not rule_id.startswith(prefix + "."):
            raise doc.error(path, f"id {rule_id!r} must start with {prefix + '.'!r}")
        if rule_id in self._where:
            raise doc.error(
                path, f"duplicate id {rule_id!r} (first used at {self._where[rule_id]})"
            )
        self._where[rule_id] = f"{doc.display}:{doc.line(path)}"

    def fraud_type(self, doc: _Doc, fraud_type: FraudType, advice: Mapping[str, Advice]) -> None:
        stem = doc.display.rsplit("/", 1)[-1].removesuffix(".yaml")
        if fraud_type.key != stem:
            raise doc.error(["key"], f"key {fraud_type.key!r} must equal the file name {stem!r}")
        for i, label in enumerate(fraud_type.dataset_types):
            if label in self.labels:
                raise doc.error(
                    ["dataset_types", i],
                    f"dataset label {label!r} is already mapped by type {self.labels[label]!r}",
                )
            self.labels[label] = fraud_type.key
        for i, key in enumerate(fraud_type.advice):
            if key not in advice:
                raise doc.error(["advice", i], f"unknown advice key {key!r} (see advice.yaml)")
        for i, flag in enumerate(fraud_type.red_flags):
            self._claim(doc, ["red_flags", i, "id"], flag.id, fraud_type.key)
            self.flags[flag.id] = flag
            self.flag_types[flag.id] = (fraud_type.key,)
        for i, combo in enumerate(fraud_type.combos):
            self._claim(doc, ["combos", i, "id"], combo.id, fraud_type.key)
            self.flag_types[combo.id] = (fraud_type.key,)

    def common(self, doc: _Doc, common: CommonFile, type_keys: set[str]) -> None:
        groups: list[tuple[str, str, Sequence[RedFlag | BenignFlag]]] = [
            ("red_flags", COMMON_PREFIX, common.red_flags),
            ("benign", BENIGN_PREFIX, common.benign),
        ]
        for section, prefix, flags in groups:
            for i, flag in enumerate(flags):
                self._claim(doc, [section, i, "id"], flag.id, prefix)
                self.flags[flag.id] = flag
                self._common_ids.add(flag.id)
        for i, cflag in enumerate(common.red_flags):
            self._types(doc, ["red_flags", i, "types"], cflag.types, type_keys)
            self.flag_types[cflag.id] = cflag.types
        for i, combo in enumerate(common.combos):
            self._claim(doc, ["combos", i, "id"], combo.id, COMMON_PREFIX)
            self._types(doc, ["combos", i, "types"], combo.types, type_keys)
            self._refs(doc, ["combos", i], combo, allowed=self._common_ids - _benign(self))
            self.flag_types[combo.id] = combo.types

    def type_combos(self, doc: _Doc, fraud_type: FraudType) -> None:
        own = {flag.id for flag in fraud_type.red_flags}
        allowed = own | (self._common_ids - _benign(self))
        for i, combo in enumerate(fraud_type.combos):
            self._refs(doc, ["combos", i], combo, allowed=allowed)

    @staticmethod
    def _types(doc: _Doc, path: list[str | int], types: Sequence[str], keys: set[str]) -> None:
        for j, key in enumerate(types):
            if key not in keys:
                raise doc.error([*path, j], f"unknown fraud type {key!r}")

    @staticmethod
    def _refs(doc: _Doc, path: list[str | int], combo: Combo, allowed: set[str]) -> None:
        for j, ref in enumerate(combo.all):
            if ref not in allowed:
                raise doc.error(
                    [*path, "all", j],
                    f"unknown red flag {ref!r} (a combo may use the red flags of its own "
                    "type and those of common.yaml)",
                )


def _benign(checker: _CrossChecker) -> set[str]:
    return {key for key, flag in checker.flags.items() if isinstance(flag, BenignFlag)}


def _check_advice(doc: _Doc, advice: AdviceFile) -> None:
    for i, key in enumerate(advice.paid_steps):
        if key not in advice.advice:
            raise doc.error(["paid_steps", i], f"unknown advice key {key!r}")
    _check_unique(doc, [("paid_steps", i, key) for i, key in enumerate(advice.paid_steps)])


def _check_payments(doc: _Doc, payments: PaymentsFile, advice: AdviceFile) -> None:
    _check_unique(doc, [("situations", i, s.key) for i, s in enumerate(payments.situations)])
    for i, situation in enumerate(payments.situations):
        for j, key in enumerate(situation.advice):
            if key not in advice.advice:
                raise doc.error(
                    ["situations", i, "advice", j], f"unknown advice key {key!r} (see advice.yaml)"
                )


def _check_official(doc: _Doc, official: OfficialFile) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    domains: dict[str, str] = {}
    for i, org in enumerate(official.organisations):
        if org.key in orgs:
            raise doc.error(["organisations", i, "key"], f"duplicate organisation {org.key!r}")
        orgs[org.key] = org
        for j, domain in enumerate(org.domains):
            if domain in domains:
                raise doc.error(
                    ["organisations", i, "domains", j],
                    f"domain {domain!r} already belongs to {domains[domain]!r}",
                )
            domains[domain] = org.key
        if org.stop_payment_phone is not None and org.kind != "bank":
            raise doc.error(
                ["organisations", i, "stop_payment_phone"], "only banks have a stop-payment phone"
            )
    return orgs


def _check_bins(doc: _Doc, bins: BanksBinFile, orgs: Mapping[str, Organisation]) -> dict[str, str]:
    out: dict[str, str] = {}
    for org_key, prefixes in bins.bins.items():
        org = orgs.get(org_key)
        if org is None or org.kind != "bank":
            raise doc.error(["bins", org_key], f"{org_key!r} is not a bank in official.yaml")
        for j, prefix in enumerate(prefixes):
            if prefix in out:
                raise doc.error(
                    ["bins", org_key, j], f"prefix {prefix} is also listed for {out[prefix]!r}"
                )
            out[prefix] = org_key
    return out


def _check_unique(doc: _Doc, items: Sequence[tuple[str, int, str]]) -> None:
    seen: set[str] = set()
    for section, index, value in items:
        if value in seen:
            raise doc.error([section, index], f"{value!r} is listed twice")
        seen.add(value)
