"""Link checks in the bot: the database and Redis caches, settings, services, the CLI."""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import redis.asyncio
import redis.exceptions

import bot.links
from bot.cli import main
from bot.config import SettingsError, load_settings
from bot.links import DatabaseLinkCache, RedisLinkCache, build_link_inspector
from bot.services import Services
from bot.storage import create_engine, queries, session_factory
from bot.storage.models import utcnow
from classifier.fetch import FetchPolicy, GuardedFetcher
from classifier.links import LinkCache, cache_key
from knowledge import load_knowledge

REPORT = {"version": 1, "url": "http://a.example/", "hops": [], "title": "标题"}


async def _round_trip(cache: LinkCache) -> None:
    key = cache_key(f"http://{uuid.uuid4().hex}.example/")
    assert await cache.get(key) is None
    await cache.put(key, REPORT, 60)
    assert await cache.get(key) == REPORT
    await cache.put(key, REPORT | {"title": "新"}, 60)  # replaced, not duplicated
    assert (await cache.get(key) or {})["title"] == "新"
    await cache.put(key, REPORT, 0)  # expires at once
    assert await cache.get(key) is None


async def test_database_cache(migrated_url: str) -> None:
    engine = create_engine(migrated_url)
    try:
        cache = DatabaseLinkCache(session_factory(engine))
        await _round_trip(cache)
        await cache.aclose()
    finally:
        await engine.dispose()


async def test_expired_rows_are_ignored_and_purged(migrated_url: str) -> None:
    engine = create_engine(migrated_url)
    try:
        async with session_factory(engine)() as session, session.begin():
            now = utcnow()
            await queries.put_cached_link(
                session=session, url_hash="a" * 64, report=REPORT, expires_at=now
            )
            await queries.put_cached_link(
                session=session,
                url_hash="b" * 64,
                report=REPORT,
                expires_at=now + timedelta(hours=1),
            )
            assert await queries.get_cached_link(session=session, url_hash="a" * 64) is None
            later = now + timedelta(minutes=30)
            found = await queries.get_cached_link(session=session, url_hash="b" * 64, now=later)
            assert found == REPORT
            assert await queries.purge_link_cache(session=session, now=later) == 1
    finally:
        await engine.dispose()


@pytest.fixture
async def redis_cache() -> AsyncIterator[tuple[RedisLinkCache, redis.asyncio.Redis, str]]:
    """A Redis cache under a key prefix of its own; its keys are removed afterwards."""
    client = redis.asyncio.Redis.from_url("redis://127.0.0.1:6379/0")
    try:
        await client.ping()
    except (redis.exceptions.ConnectionError, OSError):
        await client.aclose()
        pytest.skip("no Redis server at 127.0.0.1:6379")
    prefix = f"scamcheck-test:{uuid.uuid4().hex}:"
    try:
        yield RedisLinkCache(client, prefix=prefix), client, prefix
    finally:
        keys = [key async for key in client.scan_iter(match=prefix + "*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def test_redis_cache(redis_cache: tuple[RedisLinkCache, redis.asyncio.Redis, str]) -> None:
    cache, client, prefix = redis_cache
    await _round_trip(cache)
    await cache.put("k", REPORT, 90)
    assert 0 < await client.ttl(prefix + "k") <= 90
    assert json.loads(await client.get(prefix + "k")) == REPORT
    await client.pexpire(prefix + "k", 1)
    await asyncio.sleep(0.05)
    assert await cache.get("k") is None


def test_link_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCAMCHECK_LINK_FETCHING")
    settings = load_settings()
    assert settings.link_fetching and settings.fetch_links
    assert settings.fetch_ports == frozenset({80, 443})
    assert settings.redis_url is None
    assert not load_settings(offline=True).fetch_links
    monkeypatch.setenv("SCAMCHECK_FETCH_PORTS", "80,443, 8080")
    assert load_settings().fetch_ports == frozenset({80, 443, 8080})
    monkeypatch.setenv("SCAMCHECK_FETCH_PORTS", "http")
    with pytest.raises(SettingsError, match="SCAMCHECK_FETCH_PORTS: must be comma-separated"):
        load_settings()
    monkeypatch.setenv("SCAMCHECK_FETCH_PORTS", "70000")
    with pytest.raises(SettingsError, match="between 1 and 65535"):
        load_settings()


async def test_services_build_the_inspector_the_settings_ask_for(tmp_path: object) -> None:
    url = "sqlite+aiosqlite:///" + str(tmp_path) + "/x.db"
    offline = Services.open(load_settings(database_url=url, offline=True))
    assert offline.analyzer.links is None
    await offline.close()
    with_db = Services.open(load_settings(database_url=url, link_fetching=True))
    assert with_db.analyzer.links is not None
    assert isinstance(with_db.analyzer.links.cache, DatabaseLinkCache)
    assert with_db.analyzer.links.fetcher.policy.allowed_ports == frozenset({80, 443})
    await with_db.close()
    settings = load_settings(
        database_url=url, link_fetching=True, redis_url="redis://127.0.0.1:6379/0"
    )
    inspector = build_link_inspector(settings, load_knowledge())
    assert inspector is not None and isinstance(inspector.cache, RedisLinkCache)
    await inspector.aclose()


# --- scamcheck check --url ----------------------------------------------------------------


class _Phishing(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/go":
            self.send_response(302)
            self.send_header("Location", "/login")
            self.end_headers()
            return
        body = (
            "<title>工商银行安全中心</title><form>银行卡号<input name='card'>"
            "<input type='password' name='p'>短信验证码<input name='code'></form>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def phishing_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A local phishing site the CLI's fetcher (and only it) is allowed to reach."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Phishing)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def fetcher(policy: FetchPolicy) -> GuardedFetcher:
        return GuardedFetcher(
            FetchPolicy(
                allowed_ports=policy.allowed_ports,
                allowed_endpoints=frozenset({("127.0.0.1", port)}),
            )
        )

    monkeypatch.setattr(bot.links, "GuardedFetcher", fetcher)
    monkeypatch.setenv("SCAMCHECK_LINK_FETCHING", "true")
    try:
        yield port
    finally:
        server.shutdown()
        server.server_close()


def test_check_url_prints_each_hop(
    phishing_server: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--url", f"http://127.0.0.1:{phishing_server}/go"]) == 0
    out = capsys.readouterr().out
    assert f"  1. 302 http://127.0.0.1:{phishing_server}/go  [ip_host]" in out
    assert f"  2. 200 http://127.0.0.1:{phishing_server}/login" in out
    assert "title: 工商银行安全中心" in out
    assert "asks_bank_card, asks_password, asks_verification_code" in out


def test_check_url_json(phishing_server: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--url", f"http://127.0.0.1:{phishing_server}/login", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["link"]["title"] == "工商银行安全中心"
    assert result["verdict"]["risk"] in ("high", "medium")
    assert "link:asks_sensitive" in {item["source"] for item in result["verdict"]["evidence"]}


def test_offline_opens_nothing(phishing_server: int, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{phishing_server}/login"
    assert main(["check", "--url", url, "--offline"]) == 0
    assert "not opened (offline)" in capsys.readouterr().out
    assert main(["check", f"请登录 {url}", "--offline", "--json"]) == 0
    evidence = json.loads(capsys.readouterr().out)["evidence"]
    assert not any(item["kind"] == "link" for item in evidence)
