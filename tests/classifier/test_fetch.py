"""The guarded client: address checks, pinning, redirects, caps, timeouts, refusals."""

from __future__ import annotations

import json

import httpx
import pytest

from classifier.addresses import blocked_reason
from classifier.fetch import FailureCode, FetchPolicy, GuardedFetcher

from .conftest import LinkServer


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("ff02::1", "multicast"),
        ("100.64.0.1", "shared address space"),
        ("100.127.255.254", "shared address space"),
        ("192.0.0.8", "special-purpose"),
        ("192.0.0.9", "special-purpose"),
        ("192.0.2.1", "special-purpose"),
        ("198.18.0.1", "special-purpose"),
        ("203.0.113.7", "special-purpose"),
        ("240.0.0.1", "special-purpose"),
        ("255.255.255.255", "special-purpose"),
        ("2001:db8::1", "special-purpose"),
        ("::ffff:127.0.0.1", "loopback (IPv4-mapped 127.0.0.1)"),
        ("::ffff:10.1.2.3", "private (IPv4-mapped 10.1.2.3)"),
        ("::ffff:169.254.169.254", "link-local (IPv4-mapped 169.254.169.254)"),
        ("64:ff9b::a00:1", "private (NAT64 10.0.0.1)"),
        ("64:ff9b::7f00:1", "loopback (NAT64 127.0.0.1)"),
        ("64:ff9b:1::1", "local-use NAT64"),
        ("2002:a00:1::1", "private (6to4 10.0.0.1)"),
        ("2002:7f00:1::", "loopback (6to4 127.0.0.1)"),
        ("::7f00:1", "loopback (IPv4-compatible 127.0.0.1)"),
        ("not-an-ip", "not an IP address"),
    ],
)
def test_blocked_addresses(address: str, reason: str) -> None:
    assert blocked_reason(address) == reason


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "1.1.1.1", "223.5.5.5", "2400:3200::1", "::ffff:8.8.8.8", "64:ff9b::808:808"],
)
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(address) is None


def test_teredo_client_is_judged() -> None:
    # Teredo: server 65.54.227.120, client 10.0.0.1 (stored inverted in the last 32 bits).
    assert blocked_reason("2001:0:4136:e378:8000:63bf:f5ff:fffe") == "private (Teredo 10.0.0.1)"


async def test_page_is_fetched_without_cookies_and_with_a_plain_agent(
    fetcher: GuardedFetcher, link_server: LinkServer
) -> None:
    result = await fetcher.fetch(link_server.url("/page"))
    assert result.failure is None
    assert result.final is not None and result.final.status == 200
    assert result.final.address == "127.0.0.1"
    assert "今天天气很好" in result.body.decode("utf-8")
    echo = await fetcher.fetch(link_server.url("/echo"))
    seen = json.loads(echo.body)
    assert seen["cookie"] == ""  # the cookie /page set was not kept
    assert seen["user_agent"].startswith("Mozilla/5.0 (compatible; ScamCheck")


async def test_five_redirects_are_followed(
    fetcher: GuardedFetcher, link_server: LinkServer
) -> None:
    result = await fetcher.fetch(link_server.url("/redirect/5"))
    assert result.failure is None
    assert [hop.status for hop in result.hops] == [302] * 5 + [200]
    assert result.final_url == link_server.url("/page")


async def test_a_sixth_redirect_is_refused(
    fetcher: GuardedFetcher, link_server: LinkServer
) -> None:
    result = await fetcher.fetch(link_server.url("/redirect/6"))
    assert result.failure is not None
    assert result.failure.code is FailureCode.TOO_MANY_REDIRECTS
    assert result.failure.reason == "refused: more than 5 redirects"
    assert len(result.hops) == 6


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://127.0.0.1/admin", "blocked: loopback address 127.0.0.1"),
        ("http://10.0.0.1/", "blocked: private address 10.0.0.1"),
        (
            "http://169.254.169.254/latest/meta-data/",
            "blocked: link-local address 169.254.169.254",
        ),
        ("http://[::1]:80/", "blocked: loopback address ::1"),
        ("http://[::ffff:7f00:1]/", "blocked: loopback (IPv4-mapped 127.0.0.1) address"),
    ],
)
async def test_redirect_to_an_internal_address_is_blocked(
    fetcher: GuardedFetcher, link_server: LinkServer, target: str, reason: str
) -> None:
    result = await fetcher.fetch(link_server.url(f"/to?url={target}"))
    assert result.failure is not None
    assert result.failure.code is FailureCode.BLOCKED_ADDRESS
    assert result.failure.reason.startswith(reason)
    assert result.failure.url == str(httpx.URL(target))
    assert [hop.status for hop in result.hops] == [302]
    # Only the first request reached the server.
    assert [item["path"] for item in link_server.seen] == [f"/to?url={target}"]


async def test_the_same_server_on_another_port_is_not_allowed(
    fetcher: GuardedFetcher, link_server: LinkServer
) -> None:
    result = await fetcher.fetch(link_server.url("/page").replace(str(link_server.port), "8080"))
    assert result.failure is not None
    assert result.failure.code is FailureCode.BLOCKED_ADDRESS


async def test_a_host_resolving_to_a_private_address_is_blocked() -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return {"intranet.example": ["10.0.0.1"], "mixed.example": ["8.8.8.8", "192.168.0.3"]}[host]

    async with GuardedFetcher(resolver=resolver) as client:
        private = await client.fetch("http://intranet.example/")
        mixed = await client.fetch("https://mixed.example/login")
    assert private.failure is not None
    assert private.failure.reason == (
        "blocked: intranet.example resolves to private address 10.0.0.1"
    )
    assert mixed.failure is not None
    assert mixed.failure.reason == (
        "blocked: mixed.example resolves to private address 192.168.0.3"
    )
    assert private.hops == () and mixed.hops == ()


async def test_the_connection_goes_to_the_vetted_address(link_server: LinkServer) -> None:
    calls: list[str] = []

    async def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"]

    async with GuardedFetcher(link_server.policy, resolver=resolver) as client:
        # The name exists nowhere: only the pinned backend can reach the server with it.
        result = await client.fetch(f"http://shop.invalid:{link_server.port}/echo")
    assert result.failure is None, result.failure
    assert json.loads(result.body)["host"] == f"shop.invalid:{link_server.port}"
    assert calls == ["shop.invalid"]


async def test_a_connection_without_a_vetted_address_is_refused(
    fetcher: GuardedFetcher, link_server: LinkServer
) -> None:
    with pytest.raises(httpx.ConnectError, match="no vetted address"):
        await fetcher._client.get(link_server.url("/page"))
    assert link_server.seen == []


async def test_a_huge_body_is_capped(fetcher: GuardedFetcher, link_server: LinkServer) -> None:
    result = await fetcher.fetch(link_server.url("/huge"))
    assert result.failure is None
    assert len(result.body) == 512 * 1024
    assert result.truncated


async def test_a_gzip_bomb_stops_at_the_cap(
    fetcher: GuardedFetcher, link_server: LinkServer
) -> None:
    # The stream never ends: had the client not stopped at its cap, the fetch would end
    # in the overall deadline's TIMEOUT failure instead.
    result = await fetcher.fetch(link_server.url("/bomb"))
    assert result.failure is None
    assert len(result.body) == 512 * 1024
    assert result.truncated


async def test_a_gzipped_page_is_decoded(fetcher: GuardedFetcher, link_server: LinkServer) -> None:
    result = await fetcher.fetch(link_server.url("/gzipped"))
    assert "今天天气很好" in result.body.decode("utf-8")
    assert not result.truncated


async def test_a_slow_body_hits_the_overall_deadline(link_server: LinkServer) -> None:
    policy = FetchPolicy(
        total_timeout=0.5, allowed_endpoints=frozenset({("127.0.0.1", link_server.port)})
    )
    # The page trickles in for 5 s, each piece well within any read timeout: only the
    # overall deadline can end the fetch with TIMEOUT.
    async with GuardedFetcher(policy) as client:
        result = await client.fetch(link_server.url("/slow"))
    assert result.failure is not None
    assert result.failure.code is FailureCode.TIMEOUT
    assert result.failure.reason == "timeout: no complete answer within 0.5 s"
    assert [hop.status for hop in result.hops] == []


async def test_a_download_is_judged_by_its_headers(
    fetcher: GuardedFetcher, link_server: LinkServer
) -> None:
    result = await fetcher.fetch(link_server.url("/download/app.apk"))
    assert result.final is not None
    assert result.final.content_type == "application/vnd.android.package-archive"
    assert result.body == b""


@pytest.mark.parametrize(
    ("url", "code", "reason"),
    [
        ("http://8.8.8.8:8080/", FailureCode.BLOCKED_PORT, "blocked: port 8080 is not allowed"),
        (
            "http://www.icbc.com.cn@8.8.8.8/",
            FailureCode.BLOCKED_USERINFO,
            "blocked: credentials (user@) in the URL",
        ),
        (
            "ftp://8.8.8.8/file",
            FailureCode.BLOCKED_SCHEME,
            "blocked: scheme ftp is not http or https",
        ),
        (
            "file:///etc/passwd",
            FailureCode.BLOCKED_SCHEME,
            "blocked: scheme file is not http or https",
        ),
        ("http://exa mple.com/", FailureCode.INVALID_URL, "invalid URL: bad host name"),
        ("http://[zz::1]/", FailureCode.INVALID_URL, "invalid URL"),
        ("http://8.8.8.8:99999/", FailureCode.INVALID_URL, "invalid URL: bad port"),
    ],
)
async def test_refusals_before_any_connection(url: str, code: FailureCode, reason: str) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        raise AssertionError("must not resolve")

    async with GuardedFetcher(resolver=resolver) as client:
        result = await client.fetch(url)
    assert result.failure is not None
    assert (result.failure.code, result.failure.reason) == (code, reason)


async def test_dns_failure_is_a_result() -> None:
    async def resolver(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    async with GuardedFetcher(resolver=resolver) as client:
        result = await client.fetch("https://no-such-host.invalid/")
    assert result.failure is not None
    assert result.failure.code is FailureCode.DNS_FAILED
    assert result.failure.reason == "dns: cannot resolve no-such-host.invalid"
    assert result.failure.code.transient
