"""Link inspection: where a link really leads, what the page asks for, and the evidence.

``LinkInspector.inspect(url)`` follows the link through the guarded client
(``classifier.fetch``), checks the host of every hop with the ``DomainChecker``, reads the
final page (title, visible text, form fields) and flags downloads and requests for card
numbers, passwords or 验证码. Reports are cached by normalised URL through the ``LinkCache``
protocol (the bot injects a database or Redis one). ``link_evidence`` turns the reports of
a submission's links into ``Evidence``; page text is scored by a callable the analyzer
passes in (its rule engine), so this module never recurses into the whole analysis.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final, Protocol

import httpx

from classifier.domains import DomainChecker, DomainFinding, DomainResult
from classifier.fetch import FailureCode, FetchResult, GuardedFetcher, Hop
from classifier.lookups import describe_domain
from classifier.page import SensitiveAsk, decode_body, parse_page, sensitive_asks
from classifier.verdict import Evidence, EvidenceKind
from knowledge import Knowledge, Organisation

__all__ = [
    "HopReport",
    "LinkCache",
    "LinkFlag",
    "LinkInspector",
    "LinkReport",
    "MemoryLinkCache",
    "TextScore",
    "TextScorer",
    "cache_key",
    "link_evidence",
    "normalise_url",
]

MAX_URLS: Final = 3  # distinct links opened per submission
REPORT_VERSION: Final = 1
_APK: Final = re.compile(r"\.(apk|xapk|apks)$", re.I)
_EXECUTABLE: Final = re.compile(r"\.(exe|msi|bat|cmd|scr|dmg|pkg|ipa|hap|mobileconfig)$", re.I)
_EXECUTABLE_TYPES: Final = (
    "application/x-msdownload",
    "application/x-msdos-program",
    "application/x-ms-installer",
    "application/x-apple-aspen-config",
    "application/x-ios-app",
    "application/x-itunes-ipa",
)
_FILENAME: Final = re.compile(r"filename\*?\s*=\s*(?:[\w-]+'[\w-]*')?\"?([^\";]+)", re.I)
_IMITATIONS: Final = frozenset(
    {DomainFinding.LOOKALIKE, DomainFinding.BRAND_IN_SUBDOMAIN, DomainFinding.BRAND_IN_DOMAIN}
)


class LinkFlag(StrEnum):
    """Something noteworthy about where a link leads."""

    APK_DOWNLOAD = "apk_download"
    EXECUTABLE_DOWNLOAD = "executable_download"
    ASKS_BANK_CARD = "asks_bank_card"
    ASKS_PASSWORD = "asks_password"
    ASKS_VERIFICATION_CODE = "asks_verification_code"
    ASKS_ID_NUMBER = "asks_id_number"
    PRIVATE_REDIRECT = "private_redirect"


_ASK_FLAGS: Final = {
    SensitiveAsk.BANK_CARD: LinkFlag.ASKS_BANK_CARD,
    SensitiveAsk.PASSWORD: LinkFlag.ASKS_PASSWORD,
    SensitiveAsk.VERIFICATION_CODE: LinkFlag.ASKS_VERIFICATION_CODE,
    SensitiveAsk.ID_NUMBER: LinkFlag.ASKS_ID_NUMBER,
}


@dataclass(frozen=True)
class HopReport:
    """One URL of the chain, its HTTP status (None: not reached) and its domain findings."""

    url: str
    host: str
    status: int | None
    findings: tuple[DomainResult, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """JSON form (also the cached form)."""
        return {
            "url": self.url,
            "host": self.host,
            "status": self.status,
            "findings": [
                {
                    "finding": item.finding.value,
                    "organisation": item.organisation,
                    "detail": item.detail,
                }
                for item in self.findings
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> HopReport:
        """Inverse of ``to_json``."""
        findings = tuple(
            DomainResult(
                data["host"], DomainFinding(item["finding"]), item["organisation"], item["detail"]
            )
            for item in data["findings"]
        )
        return cls(data["url"], data["host"], data["status"], findings)


@dataclass(frozen=True)
class LinkReport:
    """Everything learnt about one link. ``failure_*`` is set when the chain was stopped."""

    url: str
    hops: tuple[HopReport, ...]
    final_url: str
    title: str | None = None
    text: str = ""
    flags: frozenset[LinkFlag] = frozenset()
    failure_code: FailureCode | None = None
    failure_reason: str | None = None
    truncated: bool = False

    @property
    def cacheable(self) -> bool:
        """Timeouts and network errors may pass: only definite answers are cached."""
        return self.failure_code is None or not self.failure_code.transient

    def to_json(self) -> dict[str, Any]:
        """JSON form (also the cached form)."""
        return {
            "version": REPORT_VERSION,
            "url": self.url,
            "hops": [hop.to_json() for hop in self.hops],
            "final_url": self.final_url,
            "title": self.title,
            "text": self.text,
            "flags": sorted(flag.value for flag in self.flags),
            "failure_code": self.failure_code.value if self.failure_code else None,
            "failure_reason": self.failure_reason,
            "truncated": self.truncated,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LinkReport:
        """Inverse of ``to_json``; raises ``ValueError`` on another version or bad data."""
        if data.get("version") != REPORT_VERSION:
            raise ValueError("link report of another version")
        try:
            code = data["failure_code"]
            return cls(
                url=data["url"],
                hops=tuple(HopReport.from_json(hop) for hop in data["hops"]),
                final_url=data["final_url"],
                title=data["title"],
                text=data["text"],
                flags=frozenset(LinkFlag(flag) for flag in data["flags"]),
                failure_code=FailureCode(code) if code else None,
                failure_reason=data["failure_reason"],
                truncated=bool(data["truncated"]),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"bad link report: {exc}") from None


class LinkCache(Protocol):
    """Stores link reports (their JSON form) by key for ``ttl`` seconds."""

    async def get(self, key: str) -> dict[str, Any] | None:
        """The stored report, or None when absent or expired."""
        ...

    async def put(self, key: str, report: dict[str, Any], ttl: float) -> None:
        """Store (or replace) a report."""
        ...

    async def aclose(self) -> None:
        """Release connections (if any)."""
        ...


class MemoryLinkCache:
    """An in-process ``LinkCache`` (command line, tests)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._items: dict[str, tuple[float, dict[str, Any]]] = {}

    async def get(self, key: str) -> dict[str, Any] | None:
        """The stored report, or None when absent or expired."""
        item = self._items.get(key)
        if item is None or item[0] <= self._clock():
            self._items.pop(key, None)
            return None
        return item[1]

    async def put(self, key: str, report: dict[str, Any], ttl: float) -> None:
        """Store a report until ``ttl`` seconds from now."""
        self._items[key] = (self._clock() + ttl, report)

    async def aclose(self) -> None:
        """Nothing to release."""


def normalise_url(url: str) -> str | None:
    """The URL as cached: lower-case scheme and host, no default port, no fragment."""
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, ValueError, TypeError):
        return None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        return None
    default = {"http": 80, "https": 443}[parsed.scheme]
    port = parsed.port if parsed.port not in (None, default) else None
    return str(parsed.copy_with(fragment=None, port=port))


def cache_key(url: str) -> str:
    """SHA-256 (hex) of the normalised URL."""
    return hashlib.sha256((normalise_url(url) or url).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TextScore:
    """What the rule engine thinks of a page's text."""

    score: float
    fraud_type: str | None = None
    reasons: tuple[str, ...] = ()


TextScorer = Callable[[str], TextScore]


@dataclass
class LinkInspector:
    """Opens links through the guarded client and reports on them (cached)."""

    knowledge: Knowledge
    fetcher: GuardedFetcher = field(default_factory=GuardedFetcher)
    cache: LinkCache | None = None
    ttl: float = 3600.0
    max_concurrent: int = 8
    _domains: DomainChecker = field(init=False, repr=False)
    _slots: asyncio.Semaphore = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._domains = DomainChecker(self.knowledge)
        self._slots = asyncio.Semaphore(self.max_concurrent)

    @property
    def organisations(self) -> Mapping[str, Organisation]:
        """The organisations domain findings refer to."""
        return self.knowledge.organisations

    async def aclose(self) -> None:
        """Close the HTTP client and the cache."""
        try:
            await self.fetcher.aclose()
        finally:
            if self.cache is not None:
                await self.cache.aclose()

    async def inspect(self, url: str) -> LinkReport:
        """The report on ``url``: from the cache, or by opening it. Never raises."""
        normal = normalise_url(url)
        if normal is None:
            reason = "invalid URL or not http(s)"
            return LinkReport(
                url, (), url, failure_code=FailureCode.INVALID_URL, failure_reason=reason
            )
        key = cache_key(normal)
        cached = await self._cached(key)
        if cached is not None:
            return cached
        async with self._slots:
            result = await self.fetcher.fetch(normal)
        report = self._report(normal, result)
        if self.cache is not None and report.cacheable:
            with contextlib.suppress(Exception):  # a cache outage must not fail the check
                await self.cache.put(key, report.to_json(), self.ttl)
        return report

    async def _cached(self, key: str) -> LinkReport | None:
        if self.cache is None:
            return None
        try:
            data = await self.cache.get(key)
            return LinkReport.from_json(data) if data is not None else None
        except Exception:  # unreachable cache or stale format: fetch again
            return None

    def _hop(self, url: str, host: str, status: int | None) -> HopReport:
        return HopReport(url, host, status, tuple(self._domains.check(host)))

    def _report(self, url: str, result: FetchResult) -> LinkReport:
        hops = [self._hop(hop.url, hop.host, hop.status) for hop in result.hops]
        failure = result.failure
        if failure is not None and (not hops or hops[-1].url != failure.url):
            hops.append(self._hop(failure.url, _host_of(failure.url), None))
        flags = set(_download_flags(result.hops))
        title: str | None = None
        text = ""
        final = result.final
        if failure is None and final is not None and result.body:
            page = parse_page(decode_body(result.body, final.content_type))
            title, text = page.title, page.text
            flags.update(_ASK_FLAGS[ask] for ask in sensitive_asks(page))
        if failure is not None and failure.code is FailureCode.BLOCKED_ADDRESS and result.hops:
            flags.add(LinkFlag.PRIVATE_REDIRECT)  # a public page sent us somewhere internal
        return LinkReport(
            url=url,
            hops=tuple(hops),
            final_url=result.final_url,
            title=title,
            text=text,
            flags=frozenset(flags),
            failure_code=failure.code if failure else None,
            failure_reason=failure.reason if failure else None,
            truncated=result.truncated,
        )


def _host_of(url: str) -> str:
    """The host as the fetcher sees it (IDN in punycode, so the domain checks notice it)."""
    try:
        return httpx.URL(url).raw_host.decode("ascii")
    except (httpx.InvalidURL, ValueError, TypeError):
        return ""


def _download_flags(hops: Sequence[Hop]) -> set[LinkFlag]:
    """APK / executable downloads, from the answers' type, file name or path."""
    flags: set[LinkFlag] = set()
    for hop in hops:
        if hop.status is None or hop.status >= 400:
            continue
        content_type = (hop.content_type or "").split(";", 1)[0].strip().lower()
        filename = _FILENAME.search(hop.content_disposition or "")
        names = [_host_path(hop.url), filename.group(1).strip() if filename else ""]
        if content_type == "application/vnd.android.package-archive" or any(
            _APK.search(name) for name in names
        ):
            flags.add(LinkFlag.APK_DOWNLOAD)
        elif content_type in _EXECUTABLE_TYPES or any(_EXECUTABLE.search(name) for name in names):
            flags.add(LinkFlag.EXECUTABLE_DOWNLOAD)
    return flags


def _host_path(url: str) -> str:
    try:
        return httpx.URL(url).path
    except (httpx.InvalidURL, ValueError, TypeError):
        return ""


# --- evidence ---------------------------------------------------------------------------------

_FAILURE_TEXT: Final = {
    FailureCode.BLOCKED_ADDRESS: "链接指向内部网络地址，出于安全没有打开",
    FailureCode.BLOCKED_PORT: "链接使用了不常见的端口，出于安全没有打开",
    FailureCode.BLOCKED_SCHEME: "这不是普通网页链接，没有打开",
    FailureCode.BLOCKED_USERINFO: "链接里夹带了账号信息（@前面的部分），出于安全没有打开",
    FailureCode.TOO_MANY_REDIRECTS: "链接跳转次数太多，没有继续打开",
    FailureCode.DNS_FAILED: "找不到这个网站（域名无法解析），可能已被关停",
    FailureCode.TIMEOUT: "网站长时间没有响应",
    FailureCode.CONNECT_FAILED: "无法连接到这个网站",
    FailureCode.HTTP_ERROR: "网站的回应无法读取",
    FailureCode.INVALID_URL: "链接格式无效",
    FailureCode.INTERNAL: "检查链接时出错",
}


def _evidence(
    source: str, text: str, weight: float, quote: str, fraud_type: str | None = None
) -> Evidence:
    return Evidence(
        kind=EvidenceKind.LINK,
        source=source,
        explanation=text,
        weight=weight,
        fraud_type=fraud_type,
        quote=quote[:300],
    )


def _imitation_type(
    report: LinkReport, organisations: Mapping[str, Organisation]
) -> tuple[bool, str | None]:
    """Whether any hop imitates an organisation, and the phishing type it points to."""
    for hop in report.hops:
        for finding in hop.findings:
            if finding.finding in _IMITATIONS:
                return True, describe_domain(finding, organisations)[2]
    return False, None


def _hop_evidence(report: LinkReport, organisations: Mapping[str, Organisation]) -> list[Evidence]:
    """One item per hop. The first hop's domain is already judged from the message itself
    (``entity_evidence``), so only the hosts a redirect leads to carry weight here."""
    evidence: list[Evidence] = []
    seen = {report.hops[0].host} if report.hops else set()
    for index, hop in enumerate(report.hops):
        status = f"（状态码 {hop.status}）" if hop.status is not None else "（未打开）"
        if index == 0:
            text = f"打开链接{status}"
            if len(report.hops) > 1:
                text += f"，它会跳转 {len(report.hops) - 1} 次，最终到达 {report.hops[-1].host}。"
            else:
                text += "。"
            evidence.append(_evidence("link:hop", text, 0.0, hop.url))
            continue
        weight, fraud_type, notes = 0.0, None, []
        if hop.host not in seen:
            for finding in hop.findings:
                found_weight, note, found_type = describe_domain(finding, organisations)
                notes.append(note)
                if found_weight > weight:
                    weight, fraud_type = found_weight, found_type or fraud_type
        seen.add(hop.host)
        text = f"第 {index} 次跳转到 {hop.host}{status}。" + "".join(notes)
        evidence.append(_evidence("link:hop", text, weight, hop.url, fraud_type))
    return evidence


def _page_evidence(
    report: LinkReport, organisations: Mapping[str, Organisation], analyse_text: TextScorer
) -> list[Evidence]:
    imitation, phishing_type = _imitation_type(report, organisations)
    flags = report.flags
    evidence: list[Evidence] = []
    where = report.final_url
    final = report.hops[-1] if report.hops else None
    if final is not None and any(item.finding is DomainFinding.OFFICIAL for item in final.findings):
        # An official site asking for a password or offering its own app is normal.
        return evidence
    if LinkFlag.APK_DOWNLOAD in flags:
        text = "链接会下载安卓安装包（APK）：来路不明的App会盗取信息、远程控制手机，千万不要安装。"
        evidence.append(_evidence("link:apk_download", text, 0.95 if imitation else 0.8, where))
    if LinkFlag.EXECUTABLE_DOWNLOAD in flags:
        text = "链接会下载安装程序或描述文件：来路不明的程序可能控制你的设备，不要安装。"
        weight = 0.9 if imitation else 0.7
        evidence.append(_evidence("link:executable_download", text, weight, where))
    asks = [flag for flag in _ASK_FLAGS.values() if flag in flags]
    if asks:
        names = {
            LinkFlag.ASKS_BANK_CARD: "银行卡号",
            LinkFlag.ASKS_PASSWORD: "密码",
            LinkFlag.ASKS_VERIFICATION_CODE: "验证码",
            LinkFlag.ASKS_ID_NUMBER: "身份证号",
        }
        card = LinkFlag.ASKS_BANK_CARD in flags
        secret = flags & {LinkFlag.ASKS_PASSWORD, LinkFlag.ASKS_VERIFICATION_CODE}
        if imitation:
            weight = 0.95
        elif card and secret:
            weight = 0.85
        elif card or LinkFlag.ASKS_VERIFICATION_CODE in flags:
            weight = 0.45
        else:
            weight = 0.2  # an ordinary login form or an ID field alone
        fraud_type = phishing_type or ("phishing_bank" if card and secret else None)
        text = "打开的网页要你填写" + "、".join(names[flag] for flag in asks)
        text += "：正规机构不会通过短信或聊天里的链接让你填这些，填了钱会被盗刷。"
        evidence.append(_evidence("link:asks_sensitive", text, weight, where, fraud_type))
    if report.text or report.title:
        page_score = analyse_text("\n".join(part for part in (report.title, report.text) if part))
        if page_score.score >= 0.25:
            reason = page_score.reasons[0] if page_score.reasons else ""
            text = "打开的网页内容也有诈骗话术。" + reason
            # Capped below a warning on its own: news about scams quotes scam wording.
            weight = round(min(0.45, page_score.score * 0.6), 4)
            evidence.append(_evidence("link:page_text", text, weight, where, page_score.fraud_type))
    if LinkFlag.PRIVATE_REDIRECT in flags:
        text = "链接把人引向内部网络地址，正规网站不会这样跳转，可能是在试探或攻击。"
        evidence.append(_evidence("link:private_redirect", text, 0.6, where))
    return evidence


def _report_evidence(
    report: LinkReport, organisations: Mapping[str, Organisation], analyse_text: TextScorer
) -> list[Evidence]:
    evidence = _hop_evidence(report, organisations)
    if report.failure_code is not None:
        stopped = _FAILURE_TEXT[report.failure_code]
        text = f"{stopped}，结论未包含网页内容。"
        evidence.append(
            Evidence(
                kind=EvidenceKind.LINK,
                source=f"link:{report.failure_code.value}",
                explanation=text,
                weight=0.0,
                quote=report.final_url[:300],
                error=report.failure_reason,
            )
        )
    evidence.extend(_page_evidence(report, organisations, analyse_text))
    return evidence


def distinct_urls(urls: Sequence[str], limit: int = MAX_URLS) -> list[str]:
    """The first ``limit`` distinct http(s) URLs (by normalised form)."""
    found: dict[str, str] = {}
    for url in urls:
        normal = normalise_url(url)
        if normal is not None and normal not in found:
            found[normal] = url
            if len(found) == limit:
                break
    return list(found)


async def link_evidence(
    urls: Sequence[str], inspector: LinkInspector, analyse_text: TextScorer
) -> list[Evidence]:
    """Evidence from opening up to three distinct links (concurrently). Never raises."""
    targets = distinct_urls(urls)
    if not targets:
        return []
    reports = await asyncio.gather(*(inspector.inspect(url) for url in targets))
    evidence: list[Evidence] = []
    for report in reports:
        evidence.extend(_report_evidence(report, inspector.organisations, analyse_text))
    return evidence
