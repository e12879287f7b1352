"""Shared fixtures: databases (SQLite and PostgreSQL, each test in its own database)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

import classifier.fetch
from bot.storage import create_engine, migrate, session_factory

# The PostgreSQL server every machine of this project has (trust auth). Each test gets a
# fresh database created from it and dropped afterwards, so runs never collide.
# Set SCAMCHECK_TEST_POSTGRES_URL=skip to run without PostgreSQL.
POSTGRES_URL = os.environ.get(
    "SCAMCHECK_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never see the developer's token, database or .env file."""
    for name in list(os.environ):
        if name.startswith("SCAMCHECK_") and name != "SCAMCHECK_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    # Nor the internet: no link is opened unless a test builds its own fetcher (with its own
    # resolver) for the local test server; a stray system lookup fails as "dns_failed".
    monkeypatch.setenv("SCAMCHECK_LINK_FETCHING", "false")
    # Loading the text model takes seconds; tests that need it load it once (tests/model).
    monkeypatch.setenv("SCAMCHECK_USE_MODEL", "false")
    monkeypatch.setattr(classifier.fetch, "system_resolver", _no_resolver)


async def _no_resolver(host: str, port: int) -> list[str]:
    raise OSError(f"tests never resolve real host names ({host})")


async def _admin_execute(statement: str) -> None:
    admin = make_url(POSTGRES_URL)
    connection = await asyncpg.connect(
        host=admin.host, port=admin.port, user=admin.username, database=admin.database
    )
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _create_postgres_database() -> tuple[str, str]:
    name = f"scamcheck_test_{uuid.uuid4().hex[:12]}"
    await _admin_execute(f'CREATE DATABASE "{name}"')
    return name, make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


async def _drop_postgres_database(name: str) -> None:
    await _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database URL, once per backend."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    if POSTGRES_URL == "skip":
        pytest.skip("SCAMCHECK_TEST_POSTGRES_URL=skip")
    name, url = await _create_postgres_database()
    try:
        yield url
    finally:
        await _drop_postgres_database(name)


@pytest.fixture
async def migrated_url(database_url: str) -> str:
    """A database with every migration applied."""
    # Alembic's env.py runs its own event loop, so it gets a thread of its own.
    await asyncio.to_thread(migrate.upgrade, database_url)
    return database_url


@pytest.fixture
async def session(migrated_url: str) -> AsyncIterator[AsyncSession]:
    """A session on a migrated database; the test commits or not as it likes."""
    engine = create_engine(migrated_url)
    try:
        async with session_factory(engine)() as db_session:
            yield db_session
    finally:
        await engine.dispose()
