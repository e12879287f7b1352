"""A local HTTP server for the link checks (127.0.0.1 only; nothing reaches the internet)."""

from __future__ import annotations

import asyncio
import gzip
import json
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from classifier.fetch import FetchPolicy, GuardedFetcher

PHISHING_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>中国工商银行 - 账户安全验证</title>
<style>.x { color: red }</style><script>var stolen = "密码";</script></head>
<body><h1>您的账户存在风险</h1><p>请立即完成身份验证，否则账户将被冻结。</p>
<form action="/steal" method="post">
  <label>银行卡号</label><input name="f1" placeholder="请输入银行卡号">
  <label>取款密码</label><input type="password" name="f2">
  <input name="sms" placeholder="短信验证码"><button>提交</button>
</form></body></html>"""

PLAIN_PAGE = """<html><head><title> 每日 新闻 </title></head>
<body><p>今天天气很好。</p><script>document.write("hidden")</script></body></html>"""


@dataclass
class LinkServer:
    """The running server: its port and the requests it saw (path, Host, Cookie)."""

    port: int
    seen: list[dict[str, str]] = field(default_factory=list)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    @property
    def policy(self) -> FetchPolicy:
        """The default guards, plus this server's endpoint (and nothing else)."""
        return FetchPolicy(allowed_endpoints=frozenset({("127.0.0.1", self.port)}))


def _app(server: LinkServer) -> web.Application:
    async def record(request: web.Request) -> None:
        server.seen.append(
            {
                "path": request.path_qs,
                "host": request.headers.get("Host", ""),
                "cookie": request.headers.get("Cookie", ""),
                "user_agent": request.headers.get("User-Agent", ""),
                "authorization": request.headers.get("Authorization", ""),
            }
        )

    async def page(request: web.Request) -> web.Response:
        await record(request)
        response = web.Response(text=PLAIN_PAGE, content_type="text/html")
        response.set_cookie("session", "tracking")
        return response

    async def phish(request: web.Request) -> web.Response:
        await record(request)
        return web.Response(text=PHISHING_PAGE, content_type="text/html")

    async def gbk(request: web.Request) -> web.Response:
        await record(request)
        body = "<title>中奖通知</title><p>恭喜您中奖</p>".encode("gbk")
        return web.Response(body=body, headers={"Content-Type": "text/html; charset=gbk"})

    async def redirect(request: web.Request) -> web.Response:
        await record(request)
        left = int(request.match_info["n"])
        target = "/page" if left <= 1 else f"/redirect/{left - 1}"
        raise web.HTTPFound(target)

    async def to(request: web.Request) -> web.Response:
        await record(request)
        raise web.HTTPFound(request.query["url"])

    async def huge(request: web.Request) -> web.Response:
        await record(request)
        return web.Response(text="<p>" + "骗" * 1_000_000 + "</p>", content_type="text/html")

    async def slow(request: web.Request) -> web.StreamResponse:
        await record(request)
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        for _ in range(50):
            await response.write(b"<p>slow</p>")
            await asyncio.sleep(0.1)
        return response

    async def bomb(request: web.Request) -> web.StreamResponse:
        # An endless gzip stream of zeros (about 1 KB on the wire per MiB decoded): only a
        # client that stops decoding at its cap ever finishes reading it.
        await record(request)
        headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
        response = web.StreamResponse(headers=headers)
        await response.prepare(request)
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: the gzip container
        zeros = b"\0" * (1 << 20)
        try:
            while True:
                await response.write(
                    compressor.compress(zeros) + compressor.flush(zlib.Z_SYNC_FLUSH)
                )
                await asyncio.sleep(0)  # the client shares this event loop
        except ConnectionError:  # the client hung up, as it should
            return response

    async def gzipped(request: web.Request) -> web.Response:
        await record(request)
        body = gzip.compress(PLAIN_PAGE.encode("utf-8"))
        headers = {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}
        return web.Response(body=body, headers=headers)

    async def apk(request: web.Request) -> web.Response:
        await record(request)
        return web.Response(
            body=b"PK\x03\x04" + b"\0" * 1000,
            headers={"Content-Type": "application/vnd.android.package-archive"},
        )

    async def attachment(request: web.Request) -> web.Response:
        await record(request)
        return web.Response(
            body=b"PK\x03\x04",
            headers={
                "Content-Type": "application/octet-stream",
                "Content-Disposition": 'attachment; filename="anquan_jiancha.apk"',
            },
        )

    async def echo(request: web.Request) -> web.Response:
        await record(request)
        return web.Response(text=json.dumps(server.seen[-1]), content_type="application/json")

    app = web.Application()
    app.router.add_get("/page", page)
    app.router.add_get("/phish", phish)
    app.router.add_get("/gbk", gbk)
    app.router.add_get("/redirect/{n}", redirect)
    app.router.add_get("/to", to)
    app.router.add_get("/huge", huge)
    app.router.add_get("/slow", slow)
    app.router.add_get("/bomb", bomb)
    app.router.add_get("/gzipped", gzipped)
    app.router.add_get("/download/app.apk", apk)
    app.router.add_get("/attachment", attachment)
    app.router.add_get("/echo", echo)
    return app


@pytest.fixture
async def link_server() -> AsyncIterator[LinkServer]:
    """An HTTP server on 127.0.0.1 with pages, redirects, bombs and downloads."""
    server = LinkServer(port=0)
    runner = web.AppRunner(_app(server), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server.port = runner.addresses[0][1]
    try:
        yield server
    finally:
        await runner.cleanup()


@pytest.fixture
async def fetcher(link_server: LinkServer) -> AsyncIterator[GuardedFetcher]:
    """The guarded client, allowed to reach the test server and nothing else."""
    async with GuardedFetcher(link_server.policy) as client:
        yield client
