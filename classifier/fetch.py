"""The one guarded HTTP client every outbound request goes through (link expansion).

Guards, checked again at every redirect hop:

- only http/https, only the allowed ports (80 and 443 by default), no ``user:pass@``;
- the host is resolved here, *every* address it resolves to must be public unicast
  (``classifier.addresses``), and the connection then goes to the vetted address itself:
  a custom httpcore network backend substitutes the pinned IP in ``connect_tcp``, while the
  Host header and the TLS SNI / certificate check keep using the host name. There is no
  second DNS lookup an attacker could answer differently (DNS rebinding);
- redirects are followed by hand, at most ``max_redirects`` of them;
- a connect timeout and one overall deadline across all hops;
- the body is streamed and cut at ``max_body_bytes``, counted both before and after
  decompression, so a gzip bomb stops at the cap;
- no cookies, no proxies or credentials from the environment, a plain user agent.

A refusal or failure is a ``FetchResult`` with a ``Failure`` (code + short English reason);
``GuardedFetcher.fetch`` never raises (except on cancellation).
"""

from __future__ import annotations

import asyncio
import re
import socket
import zlib
from collections.abc import Awaitable, Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from http.cookiejar import CookieJar, DefaultCookiePolicy
from types import TracebackType
from typing import Final

import httpcore
import httpx

from classifier.addresses import blocked_reason, parse_address

__all__ = [
    "Failure",
    "FailureCode",
    "FetchPolicy",
    "FetchResult",
    "GuardedFetcher",
    "Hop",
    "Resolver",
    "system_resolver",
]

USER_AGENT: Final = "Mozilla/5.0 (compatible; ScamCheck-LinkCheck/0.1)"
REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
# Bodies of other types are not read: a download is judged by its headers alone.
_HOST_NAME: Final = re.compile(r"[a-z0-9_-]{1,63}(?:\.[a-z0-9_-]{1,63})*\.?", re.IGNORECASE)
_TEXT_TYPES: Final = ("text/", "application/xhtml", "application/xml", "application/json")

Resolver = Callable[[str, int], Awaitable[list[str]]]
"""Resolves (host, port) to IP address strings; raises ``OSError`` when it cannot."""


async def system_resolver(host: str, port: int) -> list[str]:
    """The system resolver (``getaddrinfo``), TCP addresses only, in the order given."""
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class FailureCode(StrEnum):
    """Why a fetch stopped without a final response."""

    INVALID_URL = "invalid_url"
    BLOCKED_SCHEME = "blocked_scheme"
    BLOCKED_PORT = "blocked_port"
    BLOCKED_USERINFO = "blocked_userinfo"
    BLOCKED_ADDRESS = "blocked_address"
    DNS_FAILED = "dns_failed"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    TIMEOUT = "timeout"
    CONNECT_FAILED = "connect_failed"
    HTTP_ERROR = "http_error"
    INTERNAL = "internal"

    @property
    def transient(self) -> bool:
        """True for failures that may go away on retry (not worth caching)."""
        return self in _TRANSIENT


_TRANSIENT: Final = frozenset(
    {
        FailureCode.DNS_FAILED,
        FailureCode.TIMEOUT,
        FailureCode.CONNECT_FAILED,
        FailureCode.HTTP_ERROR,
        FailureCode.INTERNAL,
    }
)


@dataclass(frozen=True)
class FetchPolicy:
    """The guards' limits. ``allowed_endpoints`` lets (IP, port) pairs through despite the
    address and port checks: for tests against a local server only, empty by default."""

    max_redirects: int = 5
    connect_timeout: float = 3.0
    total_timeout: float = 8.0
    max_body_bytes: int = 512 * 1024
    allowed_ports: frozenset[int] = frozenset({80, 443})
    allowed_endpoints: frozenset[tuple[str, int]] = frozenset()
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Hop:
    """One request of a redirect chain and what came back (status None: no answer)."""

    url: str
    host: str
    address: str | None = None
    status: int | None = None
    location: str | None = None
    content_type: str | None = None
    content_disposition: str | None = None


@dataclass(frozen=True)
class Failure:
    """A refusal or failure: a stable code, a short English reason and the URL concerned."""

    code: FailureCode
    reason: str
    url: str


@dataclass(frozen=True)
class FetchResult:
    """What a fetch found: the hops, and the final body or the failure."""

    url: str
    hops: tuple[Hop, ...] = ()
    body: bytes = b""
    truncated: bool = False
    failure: Failure | None = None

    @property
    def final(self) -> Hop | None:
        """The last hop that was requested."""
        return self.hops[-1] if self.hops else None

    @property
    def final_url(self) -> str:
        """Where the chain ended (or was stopped)."""
        if self.failure is not None:
            return self.failure.url
        return self.hops[-1].url if self.hops else self.url


class _Refused(Exception):
    """Internal: a guard refused; carries the failure to report."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.reason)
        self.failure = failure


# The (host, vetted IP) of the request being made in the current task. A context variable
# keeps concurrent fetches on one shared client apart (each asyncio task has its own copy).
_PIN: ContextVar[tuple[str, str] | None] = ContextVar("scamcheck_fetch_pin", default=None)


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects to the IP vetted for this request instead of resolving the host again.

    httpcore passes the URL's host to ``connect_tcp`` and later uses the same host for TLS
    SNI and certificate checks, so substituting the address here is all that pinning needs.
    A connection without a pin (any code path that skipped the guards) is refused.
    """

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's signature)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        pin = _PIN.get()
        if pin is None or pin[0] != host:
            raise httpcore.ConnectError(f"refused: no vetted address for {host}")
        return await self._inner.connect_tcp(
            pin[1], port, timeout=timeout, local_address=None, socket_options=socket_options
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's signature)
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("refused: unix sockets are never used")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def _pinned_transport() -> httpx.AsyncHTTPTransport:
    """httpx's own transport with its connection pool rebuilt on the pinned backend.

    httpx 0.28 has no public way to pass a network backend, so the pool it builds is
    replaced (``_pool``; pyproject pins httpx <0.29 and tests/classifier/test_fetch.py fails
    loudly if the backend is bypassed). Keep-alive is off: every connection is made under
    the pin of the hop that asked for it.
    """
    transport = httpx.AsyncHTTPTransport(trust_env=False, retries=0)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=32,
        max_keepalive_connections=0,
        http1=True,
        http2=False,
        retries=0,
        network_backend=_PinnedBackend(),
    )
    return transport


class _CappedDecoder:
    """Decodes gzip / deflate bodies with a bound on the *output*.

    Hand-written because httpx's decoders inflate each network chunk in full: one 64 KB
    chunk of a gzip bomb can become gigabytes before any cap is checked. ``zlib`` with
    ``max_length`` stops at the cap instead.
    """

    def __init__(self, encoding: str, limit: int) -> None:
        self.remaining = limit
        self.truncated = False
        self.failed = False
        encoding = encoding.strip().lower()
        self._deflate = encoding == "deflate"
        self._zlib: zlib._Decompress | None = None
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self._deflate:
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
        elif encoding not in ("", "identity"):
            self.failed = True  # not advertised by us (br, zstd...): keep no text

    def feed(self, data: bytes) -> bytes:
        """The decoded bytes of ``data``, never more than the remaining allowance."""
        if self.failed or not data:
            return b""
        if self.remaining <= 0:
            self.truncated = True
            return b""
        if self._zlib is None:
            out = data[: self.remaining]
            self.truncated = len(out) < len(data)
        else:
            try:
                out = self._zlib.decompress(data, self.remaining)
            except zlib.error:
                if not self._deflate:
                    self.failed = True
                    return b""
                # Some servers send raw deflate without the zlib header.
                self._deflate = False
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(data)
            self._deflate = False
            self.truncated = bool(self._zlib.unconsumed_tail)
        self.remaining -= len(out)
        return out


def _is_text(content_type: str | None) -> bool:
    if not content_type:
        return True  # unlabelled: read it (capped) and let the page parser decide
    return content_type.split(";", 1)[0].strip().lower().startswith(_TEXT_TYPES)


class GuardedFetcher:
    """The guarded client. One per process; safe for concurrent use; close it when done."""

    def __init__(self, policy: FetchPolicy | None = None, *, resolver: Resolver | None = None):
        self.policy = policy or FetchPolicy()
        self._resolve = resolver or system_resolver
        self._client = httpx.AsyncClient(
            transport=_pinned_transport(),
            follow_redirects=False,
            trust_env=False,
            # A jar whose policy accepts no domain: cookies are neither stored nor sent.
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
            timeout=httpx.Timeout(
                self.policy.total_timeout,
                connect=self.policy.connect_timeout,
                pool=self.policy.connect_timeout,
            ),
            headers={
                "User-Agent": self.policy.user_agent,
                "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                "Accept-Encoding": "gzip, deflate",
                "Accept-Language": "zh-CN,zh;q=0.9",
            },
        )

    async def __aenter__(self) -> GuardedFetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def fetch(self, url: str) -> FetchResult:
        """GET ``url`` through the guards, following redirects; never raises."""
        hops: list[Hop] = []
        try:
            async with asyncio.timeout(self.policy.total_timeout):
                return await self._follow(url, hops)
        except _Refused as refused:
            return FetchResult(url, tuple(hops), failure=refused.failure)
        except (TimeoutError, httpx.TimeoutException):
            where = hops[-1].url if hops else url
            reason = f"timeout: no complete answer within {self.policy.total_timeout:g} s"
            failure = Failure(FailureCode.TIMEOUT, reason, where)
            return FetchResult(url, tuple(hops), failure=failure)
        except Exception as exc:
            # Last line of defence: the caller gets a result, never a traceback.
            where = hops[-1].url if hops else url
            failure = Failure(FailureCode.INTERNAL, f"error: {type(exc).__name__}", where)
            return FetchResult(url, tuple(hops), failure=failure)

    async def _follow(self, url: str, hops: list[Hop]) -> FetchResult:
        current = url
        for redirects in range(self.policy.max_redirects + 1):
            parsed, host, port = self._check_url(current)
            address = await self._vet(current, host, port)
            hop, body, truncated = await self._request(parsed, host, address)
            hops.append(hop)
            if hop.status not in REDIRECT_STATUSES or not hop.location:
                return FetchResult(url, tuple(hops), body=body, truncated=truncated)
            try:
                current = str(parsed.join(hop.location))
            except (httpx.InvalidURL, ValueError):
                raise _Refused(
                    Failure(FailureCode.INVALID_URL, "invalid redirect location", current)
                ) from None
            if redirects == self.policy.max_redirects:
                reason = f"refused: more than {self.policy.max_redirects} redirects"
                raise _Refused(Failure(FailureCode.TOO_MANY_REDIRECTS, reason, current))
        raise AssertionError("unreachable")  # pragma: no cover

    def _check_url(self, url: str) -> tuple[httpx.URL, str, int]:
        try:
            parsed = httpx.URL(url)
            host = parsed.raw_host.decode("ascii")
        except (httpx.InvalidURL, UnicodeError, ValueError, TypeError):
            raise _Refused(Failure(FailureCode.INVALID_URL, "invalid URL", url)) from None
        if parsed.scheme not in ("http", "https"):
            reason = f"blocked: scheme {parsed.scheme or '(none)'} is not http or https"
            raise _Refused(Failure(FailureCode.BLOCKED_SCHEME, reason, url))
        if not host:
            raise _Refused(Failure(FailureCode.INVALID_URL, "invalid URL: no host", url))
        if parse_address(host) is None and not _HOST_NAME.fullmatch(host):
            raise _Refused(Failure(FailureCode.INVALID_URL, "invalid URL: bad host name", url))
        if parsed.userinfo:
            reason = "blocked: credentials (user@) in the URL"
            raise _Refused(Failure(FailureCode.BLOCKED_USERINFO, reason, url))
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        if not 0 < port < 65536:
            raise _Refused(Failure(FailureCode.INVALID_URL, "invalid URL: bad port", url))
        return parsed, host, port

    async def _vet(self, url: str, host: str, port: int) -> str:
        """Resolve ``host`` and check every address; return the one to connect to."""
        literal = parse_address(host)
        if literal is not None:
            addresses = [str(literal)]
        else:
            try:
                addresses = await self._resolve(host, port)
            except OSError:
                addresses = []
            if not addresses:
                reason = f"dns: cannot resolve {host}"
                raise _Refused(Failure(FailureCode.DNS_FAILED, reason, url))
        for address in addresses:
            ip = parse_address(address)
            normal = str(ip) if ip is not None else address
            if (normal, port) in self.policy.allowed_endpoints:
                continue
            why = blocked_reason(ip) if ip is not None else "not an IP address"
            if why is not None:
                reason = f"blocked: {host} resolves to {why} address {normal}"
                if literal is not None:
                    reason = f"blocked: {why} address {normal}"
                raise _Refused(Failure(FailureCode.BLOCKED_ADDRESS, reason, url))
            if port not in self.policy.allowed_ports:
                reason = f"blocked: port {port} is not allowed"
                raise _Refused(Failure(FailureCode.BLOCKED_PORT, reason, url))
        first = parse_address(addresses[0])
        return str(first) if first is not None else addresses[0]

    async def _request(self, url: httpx.URL, host: str, address: str) -> tuple[Hop, bytes, bool]:
        token = _PIN.set((host, address))
        try:
            request = self._client.build_request("GET", url)
            try:
                response = await self._client.send(request, stream=True)
            except httpx.TimeoutException:
                raise
            except httpx.HTTPError as exc:
                code = (
                    FailureCode.CONNECT_FAILED
                    if isinstance(exc, httpx.ConnectError)
                    else FailureCode.HTTP_ERROR
                )
                detail = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
                reason = f"{code.value.replace('_', ' ')}: {detail or type(exc).__name__}"
                raise _Refused(Failure(code, reason, str(url))) from None
            try:
                hop = Hop(
                    url=str(url),
                    host=host,
                    address=address,
                    status=response.status_code,
                    location=response.headers.get("location"),
                    content_type=response.headers.get("content-type"),
                    content_disposition=response.headers.get("content-disposition"),
                )
                if response.status_code in REDIRECT_STATUSES or not _is_text(hop.content_type):
                    return hop, b"", False
                body, truncated = await self._read_body(response)
                return hop, body, truncated
            finally:
                await response.aclose()
        finally:
            _PIN.reset(token)

    async def _read_body(self, response: httpx.Response) -> tuple[bytes, bool]:
        """The body, read until the cap on received or on decoded bytes."""
        limit = self.policy.max_body_bytes
        decoder = _CappedDecoder(response.headers.get("content-encoding", ""), limit)
        parts: list[bytes] = []
        received = 0
        truncated = False
        async for chunk in response.aiter_raw():
            if received + len(chunk) > limit:
                chunk = chunk[: limit - received]
                truncated = True
            received += len(chunk)
            parts.append(decoder.feed(chunk))
            if truncated or decoder.truncated or decoder.failed:
                break
        return b"".join(parts), truncated or decoder.truncated
