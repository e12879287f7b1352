"""Domain checks: allowlist, lookalikes, brand in subdomain, punycode, shorteners."""

from __future__ import annotations

import pytest

from classifier.domains import DomainChecker, DomainFinding, registrable_domain
from knowledge import load_knowledge

CHECKER = DomainChecker(load_knowledge())


def findings(host: str) -> set[DomainFinding]:
    return {result.finding for result in CHECKER.check(host)}


@pytest.mark.parametrize(
    "host",
    [
        "icbc.com.cn",
        "www.icbc.com.cn",
        "mybank.icbc.com.cn",
        "12306.cn",
        # Government-only suffixes: "10000" is one typo from China Unicom's 10010.
        "10000.gov.tw",
        "www.immd.gov.hk",
        "my.gov.au",
        "www.ird.govt.nz",
        "www.mofa.go.jp",
        "www.hikorea.go.kr",
    ],
)
def test_official_hosts_are_recognised(host: str) -> None:
    assert findings(host) == {DomainFinding.OFFICIAL}
    assert CHECKER.is_official(host)


@pytest.mark.parametrize(
    ("host", "finding"),
    [
        ("icbc.com.secure-xx.cn", DomainFinding.BRAND_IN_SUBDOMAIN),
        ("icbc-vip.cn", DomainFinding.BRAND_IN_DOMAIN),
        ("1zz306.cn", None),
        ("t.cn", DomainFinding.SHORTENER),
        ("192.168.1.10", DomainFinding.IP_HOST),
        ("xn--80ak6aa92e.com", DomainFinding.PUNYCODE),
    ],
)
def test_suspicious_hosts(host: str, finding: DomainFinding | None) -> None:
    if finding is None:
        assert DomainFinding.OFFICIAL not in findings(host)
    else:
        assert finding in findings(host)


def test_homoglyph_lookalike_of_an_official_label() -> None:
    # Cyrillic "а" in place of the Latin "a" of alipay, as typed and as punycode.
    for host in ("аlipаy.com", "аlipаy.com".encode("idna").decode("ascii")):
        results = CHECKER.check(host)
        lookalikes = [r for r in results if r.finding is DomainFinding.LOOKALIKE]
        assert lookalikes and lookalikes[0].organisation == "alipay", (host, results)


def test_typo_lookalike_names_the_imitated_organisation() -> None:
    [result] = [r for r in CHECKER.check("abchlna.com") if r.finding is DomainFinding.LOOKALIKE]
    assert result.organisation == "abc"


def test_unremarkable_host_has_no_findings() -> None:
    assert CHECKER.check("example-bakery.cn") == []


def test_registrable_domain() -> None:
    assert registrable_domain("a.b.icbc.com.cn") == "icbc.com.cn"
