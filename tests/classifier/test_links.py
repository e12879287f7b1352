"""Link inspection: hops, page reading, flags, evidence, cache, and the analyzer wiring."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from classifier import Analyzer, EvidenceKind, Submission
from classifier.fetch import FailureCode, FetchPolicy, GuardedFetcher
from classifier.links import (
    LinkFlag,
    LinkInspector,
    LinkReport,
    MemoryLinkCache,
    TextScore,
    cache_key,
    distinct_urls,
    link_evidence,
    normalise_url,
)
from classifier.page import SensitiveAsk, decode_body, parse_page, sensitive_asks
from knowledge import Knowledge, load_knowledge

from .conftest import PHISHING_PAGE, LinkServer

LOOKALIKE = "icbc.com.secure-xx.cn"


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()


async def _loopback(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


@pytest.fixture
async def inspector(link_server: LinkServer, knowledge: Knowledge) -> AsyncIterator[LinkInspector]:
    """Every host name resolves to the test server (only its endpoint is allowed)."""
    fetcher = GuardedFetcher(link_server.policy, resolver=_loopback)
    inspector = LinkInspector(knowledge, fetcher, cache=MemoryLinkCache())
    try:
        yield inspector
    finally:
        await inspector.aclose()


def _no_text(_: str) -> TextScore:
    return TextScore(0.0)


# --- page reading -----------------------------------------------------------------------------


def test_title_text_and_fields_are_extracted() -> None:
    page = parse_page(PHISHING_PAGE)
    assert page.title == "中国工商银行 - 账户安全验证"
    assert "您的账户存在风险" in page.text
    assert "请立即完成身份验证" in page.text
    assert "stolen" not in page.text and "color" not in page.text
    assert page.password_field
    assert sensitive_asks(page) == {
        SensitiveAsk.BANK_CARD,
        SensitiveAsk.PASSWORD,
        SensitiveAsk.VERIFICATION_CODE,
    }


@pytest.mark.parametrize(
    ("html", "asks"),
    [
        ("<p>请输入您的银行卡号和取款密码完成认证</p>", {"bank_card", "password"}),
        ("<p>请勿向任何人提供验证码。</p>", set()),
        ("<p>工作人员不会索要密码，切勿提供验证码</p>", set()),
        ('<form><input name="idcard"></form>', {"id_number"}),
        ('<input type="hidden" name="password">', set()),
        ("<p>今天天气不错</p>", set()),
    ],
)
def test_sensitive_asks(html: str, asks: set[str]) -> None:
    assert {ask.value for ask in sensitive_asks(parse_page(html))} == asks


def test_charsets() -> None:
    gbk = "<title>中奖通知</title>".encode("gbk")
    assert "中奖通知" in decode_body(gbk, "text/html; charset=gbk")
    assert "中奖通知" in decode_body(gbk, None)  # undeclared: GB18030 fallback
    meta = b'<meta charset="gb2312">' + "恭喜".encode("gb2312")
    assert "恭喜" in decode_body(meta, "text/html")


def test_unclosed_markup_keeps_the_body() -> None:
    page = parse_page("<html><head><title>x<body><p>正文<script>bad()")
    assert page.title is not None


# --- URLs and the cache key -------------------------------------------------------------------


def test_normalised_urls() -> None:
    assert normalise_url("HTTP://Example.COM:80/a?b=1#frag") == "http://example.com/a?b=1"
    assert normalise_url("https://example.com:8443/") == "https://example.com:8443/"
    assert normalise_url("ftp://example.com/") is None
    assert cache_key("http://example.com/#x") == cache_key("HTTP://EXAMPLE.com:80/")
    assert distinct_urls(
        [
            "http://a.com/",
            "HTTP://A.COM/#x",
            "ftp://x/",
            "http://b.com/",
            "http://c.com/",
            "http://d.com/",
        ]
    ) == ["http://a.com/", "http://b.com/", "http://c.com/"]


# --- inspection -------------------------------------------------------------------------------


async def test_phishing_page_on_a_lookalike_domain(
    inspector: LinkInspector, link_server: LinkServer
) -> None:
    url = link_server.url("/phish", host=LOOKALIKE)
    report = await inspector.inspect(url)
    assert report.failure_code is None
    assert report.title == "中国工商银行 - 账户安全验证"
    assert {LinkFlag.ASKS_BANK_CARD, LinkFlag.ASKS_PASSWORD, LinkFlag.ASKS_VERIFICATION_CODE} <= (
        report.flags
    )
    assert report.hops[0].findings  # the lookalike was noticed on the hop
    evidence = await link_evidence([url], inspector, _no_text)
    asks = next(item for item in evidence if item.source == "link:asks_sensitive")
    assert asks.kind is EvidenceKind.LINK
    assert asks.weight == 0.95
    assert asks.fraud_type == "phishing_bank"
    assert "银行卡号" in asks.explanation and "验证码" in asks.explanation


async def test_the_same_form_on_an_unremarkable_domain_weighs_less(
    inspector: LinkInspector, link_server: LinkServer
) -> None:
    evidence = await link_evidence([link_server.url("/phish")], inspector, _no_text)
    asks = next(item for item in evidence if item.source == "link:asks_sensitive")
    assert asks.weight == 0.85


@pytest.mark.parametrize("path", ["/download/app.apk", "/attachment"])
async def test_apk_downloads_are_flagged(
    inspector: LinkInspector, link_server: LinkServer, path: str
) -> None:
    report = await inspector.inspect(link_server.url(path))
    assert LinkFlag.APK_DOWNLOAD in report.flags
    evidence = await link_evidence([link_server.url(path)], inspector, _no_text)
    apk = next(item for item in evidence if item.source == "link:apk_download")
    assert apk.weight == 0.8


async def test_apk_on_a_lookalike_weighs_most(
    inspector: LinkInspector, link_server: LinkServer
) -> None:
    url = link_server.url("/download/app.apk", host=LOOKALIKE)
    evidence = await link_evidence([url], inspector, _no_text)
    apk = next(item for item in evidence if item.source == "link:apk_download")
    assert apk.weight == 0.95


async def test_each_hop_is_reported(inspector: LinkInspector, link_server: LinkServer) -> None:
    target = link_server.url("/phish", host=LOOKALIKE)
    url = link_server.url(f"/to?url={target}", host="t.cn")
    report = await inspector.inspect(url)
    assert [hop.status for hop in report.hops] == [302, 200]
    assert [hop.host for hop in report.hops] == ["t.cn", LOOKALIKE]
    evidence = await link_evidence([url], inspector, _no_text)
    hops = [item for item in evidence if item.source == "link:hop"]
    assert len(hops) == 2
    assert hops[0].weight == 0.0 and "跳转 1 次" in hops[0].explanation
    assert hops[1].weight >= 0.85  # the redirect target imitates a bank
    assert hops[1].fraud_type == "phishing_bank"
    assert LOOKALIKE in hops[1].explanation


@pytest.mark.parametrize(
    "target", ["http://127.0.0.1/", "http://10.0.0.1/", "http://169.254.169.254/", "http://[::1]/"]
)
async def test_a_redirect_to_an_internal_address_is_suspicious(
    inspector: LinkInspector, link_server: LinkServer, target: str
) -> None:
    url = link_server.url(f"/to?url={target}", host="promo.example.com")
    evidence = await link_evidence([url], inspector, _no_text)
    blocked = next(item for item in evidence if item.source == "link:blocked_address")
    assert blocked.weight == 0.0
    assert blocked.error is not None and blocked.error.startswith("blocked: ")
    assert "内部网络" in blocked.explanation
    suspicious = next(item for item in evidence if item.source == "link:private_redirect")
    assert suspicious.weight == 0.6


async def test_a_link_to_an_internal_address_is_not_opened_nor_suspicious(
    knowledge: Knowledge,
) -> None:
    async with GuardedFetcher() as fetcher:
        inspector = LinkInspector(knowledge, fetcher)
        evidence = await link_evidence(["http://192.168.1.1/login"], inspector, _no_text)
    assert [item.source for item in evidence] == ["link:hop", "link:blocked_address"]
    assert all(item.weight == 0.0 for item in evidence)
    assert evidence[1].error == "blocked: private address 192.168.1.1"


async def test_a_timeout_is_reported_not_raised(
    link_server: LinkServer, knowledge: Knowledge
) -> None:
    policy = FetchPolicy(
        total_timeout=0.3, allowed_endpoints=frozenset({("127.0.0.1", link_server.port)})
    )
    cache = MemoryLinkCache()
    async with GuardedFetcher(policy) as fetcher:
        inspector = LinkInspector(knowledge, fetcher, cache=cache)
        evidence = await link_evidence([link_server.url("/slow")], inspector, _no_text)
    failed = next(item for item in evidence if item.source == "link:timeout")
    assert failed.weight == 0.0
    assert failed.error == "timeout: no complete answer within 0.3 s"
    assert await cache.get(cache_key(link_server.url("/slow"))) is None  # transient


async def test_page_text_is_scored_by_the_callable(
    inspector: LinkInspector, link_server: LinkServer
) -> None:
    seen: list[str] = []

    def scorer(text: str) -> TextScore:
        seen.append(text)
        return TextScore(0.8, "phishing_bank", ("要求填写银行卡号和密码。",))

    evidence = await link_evidence([link_server.url("/phish")], inspector, scorer)
    page = next(item for item in evidence if item.source == "link:page_text")
    assert page.weight == pytest.approx(0.45)
    assert page.fraud_type == "phishing_bank"
    assert "您的账户存在风险" in seen[0]


async def test_reports_are_cached_until_they_expire(
    link_server: LinkServer, knowledge: Knowledge
) -> None:
    now = [1000.0]
    cache = MemoryLinkCache(clock=lambda: now[0])
    async with GuardedFetcher(link_server.policy) as fetcher:
        inspector = LinkInspector(knowledge, fetcher, cache=cache, ttl=60)
        first = await inspector.inspect(link_server.url("/page"))
        again = await inspector.inspect(link_server.url("/page#top"))
        assert again == first
        assert len(link_server.seen) == 1
        now[0] += 61
        await inspector.inspect(link_server.url("/page"))
        assert len(link_server.seen) == 2


def test_report_json_round_trip() -> None:
    report = LinkReport(
        "http://a.com/",
        (),
        "http://a.com/",
        title="t",
        flags=frozenset({LinkFlag.APK_DOWNLOAD}),
        failure_code=FailureCode.BLOCKED_PORT,
        failure_reason="blocked: port 8080 is not allowed",
    )
    assert LinkReport.from_json(report.to_json()) == report
    with pytest.raises(ValueError, match="another version"):
        LinkReport.from_json({"version": 0})


async def test_at_most_three_links_are_opened(
    inspector: LinkInspector, link_server: LinkServer
) -> None:
    urls = [link_server.url(f"/page?n={n}") for n in range(5)]
    await link_evidence(urls, inspector, _no_text)
    assert sorted(item["path"] for item in link_server.seen) == [
        "/page?n=0",
        "/page?n=1",
        "/page?n=2",
    ]


# --- the analyzer -----------------------------------------------------------------------------


async def test_the_analyzer_opens_visible_and_hidden_links(
    inspector: LinkInspector, link_server: LinkServer, knowledge: Knowledge
) -> None:
    analyzer = Analyzer(knowledge, links=inspector)
    visible = link_server.url("/phish", host=LOOKALIKE)
    hidden = link_server.url("/download/app.apk", host="promo.example.com")
    submission = Submission(text=f"您的账户异常，请登录 {visible} 处理", urls=[hidden])
    verdict = await analyzer.analyze(submission)
    sources = {item.source for item in verdict.evidence if item.kind is EvidenceKind.LINK}
    assert {"link:hop", "link:asks_sensitive", "link:apk_download"} <= sources
    assert verdict.is_fraud
    batch = await analyzer.analyze_batch([submission])
    assert {item.source for item in batch[0].evidence} >= sources
    offline = analyzer.analyze_offline(submission)
    assert not any(item.kind is EvidenceKind.LINK for item in offline.evidence)


async def test_an_official_site_asking_for_a_password_is_normal(
    inspector: LinkInspector, link_server: LinkServer
) -> None:
    url = link_server.url("/phish", host="www.icbc.com.cn")
    evidence = await link_evidence([url], inspector, _no_text)
    assert [item.source for item in evidence] == ["link:hop"]
    assert evidence[0].weight == 0.0
