"""Domain checks: official allowlist, lookalikes, shorteners, abused hosts.

Everything here is offline and pure: the host names come from the extracted URL entities,
the reference data from ``knowledge/official.yaml`` and ``knowledge/hosts.yaml``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from confusable_homoglyphs import confusables
from rapidfuzz.distance import Levenshtein

from classifier.normalize import TLD_EXTRACT
from knowledge import Knowledge


class DomainFinding(StrEnum):
    """What a host turned out to be."""

    OFFICIAL = "official"
    SHORTENER = "shortener"
    ABUSED_HOST = "abused_host"
    LOOKALIKE = "lookalike"
    BRAND_IN_SUBDOMAIN = "brand_in_subdomain"
    BRAND_IN_DOMAIN = "brand_in_domain"
    PUNYCODE = "punycode"
    IP_HOST = "ip_host"


@dataclass(frozen=True)
class DomainResult:
    """One finding about one host; ``organisation`` names the imitated or matched brand."""

    host: str
    finding: DomainFinding
    organisation: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class _Brand:
    organisation: str
    name: str
    label: str  # the registrable label of an official domain, e.g. "icbc" of icbc.com.cn


class DomainChecker:
    """Classifies host names against the official organisations of the knowledge base."""

    def __init__(self, knowledge: Knowledge) -> None:
        self._official: dict[str, str] = {}
        self._brands: list[_Brand] = []
        self._tokens: dict[str, str] = {}
        for org in knowledge.organisations.values():
            for domain in org.domains:
                self._official[domain] = org.key
                label = TLD_EXTRACT(domain).domain
                if len(label) >= 3:
                    self._brands.append(_Brand(org.key, org.name, label))
            for token in org.brand_tokens:
                # Latin tokens only: host names are ASCII (punycode is decoded separately).
                if token.isascii() and len(token) >= 3:
                    self._tokens[token] = org.key
        self._shorteners = frozenset(knowledge.shorteners)
        self._abused = {item.host: item.reason for item in knowledge.abused_hosts.values()}

    def check(self, host: str) -> list[DomainResult]:
        """Every finding for a host (empty for an unremarkable host)."""
        host = host.strip().lower().rstrip(".")
        if not host:
            return []
        if _is_ip(host):
            return [DomainResult(host, DomainFinding.IP_HOST)]
        results: list[DomainResult] = []
        unicode_host = _decode_punycode(host)
        if unicode_host != host:
            results.append(DomainResult(host, DomainFinding.PUNYCODE, detail=unicode_host))
        parts = TLD_EXTRACT(host)
        registrable = parts.top_domain_under_public_suffix
        official = self._official_for(host)
        if official is not None:
            return [DomainResult(host, DomainFinding.OFFICIAL, organisation=official)]
        if registrable in self._shorteners or host in self._shorteners:
            results.append(DomainResult(host, DomainFinding.SHORTENER))
        abused = self._abused.get(host) or self._abused.get(registrable)
        if abused is not None:
            results.append(DomainResult(host, DomainFinding.ABUSED_HOST, detail=abused))
            return results
        results.extend(self._imitations(host, parts.subdomain, parts.domain, unicode_host))
        return results

    def check_all(self, hosts: Iterable[str]) -> list[DomainResult]:
        """Findings for several hosts, in order, each host once."""
        seen: set[str] = set()
        results: list[DomainResult] = []
        for host in hosts:
            if host not in seen:
                seen.add(host)
                results.extend(self.check(host))
        return results

    def is_official(self, host: str) -> bool:
        """True for an official domain or any subdomain of one."""
        return self._official_for(host.strip().lower().rstrip(".")) is not None

    def _official_for(self, host: str) -> str | None:
        labels = host.split(".")
        for start in range(len(labels) - 1):
            org = self._official.get(".".join(labels[start:]))
            if org is not None:
                return org
        return None

    def _imitations(
        self, host: str, subdomain: str, label: str, unicode_host: str
    ) -> list[DomainResult]:
        results: list[DomainResult] = []
        sub_labels = set(subdomain.replace("-", ".").split(".")) if subdomain else set()
        for token, org in self._tokens.items():
            if token in sub_labels:
                results.append(
                    DomainResult(host, DomainFinding.BRAND_IN_SUBDOMAIN, org, detail=token)
                )
                return results
            if token in label and token != label:
                results.append(DomainResult(host, DomainFinding.BRAND_IN_DOMAIN, org, detail=token))
                return results
        skeleton = _skeleton(unicode_host.split(".")[0] if unicode_host != host else label)
        for brand in self._brands:
            if skeleton == brand.label and label != brand.label:
                return [
                    DomainResult(host, DomainFinding.LOOKALIKE, brand.organisation, "homoglyph")
                ]
            # Short labels (icbc, ccb) are one typo away from many honest names: only
            # homoglyphs count for them.
            limit = 0 if len(brand.label) <= 4 else 1 if len(brand.label) <= 7 else 2
            if limit and label != brand.label and Levenshtein.distance(label, brand.label) <= limit:
                detail = f"{label} ≈ {brand.label}"
                return [DomainResult(host, DomainFinding.LOOKALIKE, brand.organisation, detail)]
        return results


def registrable_domain(host: str) -> str:
    """The registrable domain (eTLD+1) of a host, e.g. ``a.b.icbc.com.cn`` → ``icbc.com.cn``."""
    return TLD_EXTRACT(host).top_domain_under_public_suffix or host


_HOST_LABEL = re.compile(r"[\w-]+")


def is_registrable_name(host: str) -> bool:
    """True when the host is a well-formed name under a public suffix (``icbc-vip.top``),
    false for a bare word or a broken host (``xxx``, itself a suffix; ``www.sf-express``;
    mangled text such as ``www.%e6%bb%a7bank%.com``)."""
    parts = TLD_EXTRACT(host)
    labels = host.split(".")
    return bool(parts.suffix and parts.domain) and all(map(_HOST_LABEL.fullmatch, labels))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _decode_punycode(host: str) -> str:
    if "xn--" not in host:
        return host
    try:
        return host.encode("ascii").decode("idna")
    except (UnicodeError, ValueError):
        return host


def _skeleton(label: str) -> str:
    """Map look-alike characters (Cyrillic а, Greek ο, digit 0 for o...) to Latin letters."""
    out: list[str] = []
    for char in label:
        if char.isascii():
            out.append({"0": "o", "1": "l", "5": "s"}.get(char, char))
            continue
        found = confusables.is_confusable(char, preferred_aliases=["latin"], greedy=True)
        if found:
            homoglyphs = found[0]["homoglyphs"]
            out.append(homoglyphs[0]["c"].lower() if homoglyphs else char)
        else:
            out.append(char)
    return "".join(out)
