"""Migrations: one head, up/down/up round trip, and no drift between models and DDL."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bot.storage import create_engine, migrate
from bot.storage.models import Base

EXPECTED_TABLES = {
    "user_account",
    "chat",
    "content_check",
    "feedback",
    "community_report",
    "blocklist_entry",
    "guardian_link",
    "subscription",
    "broadcast",
    "delivery",
    "audit_event",
}


def test_single_head() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite+aiosqlite://"))
    assert len(script.get_heads()) == 1


async def _tables_and_drift(url: str) -> tuple[set[str], list[object]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:

            def inspect_sync(sync_connection: object) -> tuple[set[str], list[object]]:
                tables = set(inspect(sync_connection).get_table_names())
                context = MigrationContext.configure(sync_connection, opts={"compare_type": True})
                return tables, list(compare_metadata(context, Base.metadata))

            return await connection.run_sync(inspect_sync)
    finally:
        await engine.dispose()


async def test_upgrade_creates_every_table_without_drift(migrated_url: str) -> None:
    tables, drift = await _tables_and_drift(migrated_url)
    assert tables >= EXPECTED_TABLES
    assert drift == []


async def test_downgrade_and_upgrade_again(migrated_url: str) -> None:
    await asyncio.to_thread(migrate.downgrade, migrated_url, "base")
    tables, _ = await _tables_and_drift(migrated_url)
    assert tables <= {"alembic_version"}
    await asyncio.to_thread(migrate.upgrade, migrated_url)
    tables, drift = await _tables_and_drift(migrated_url)
    assert tables >= EXPECTED_TABLES
    assert drift == []
    head = ScriptDirectory.from_config(migrate.alembic_config(migrated_url)).get_current_head()
    assert await asyncio.to_thread(migrate.current_revision, migrated_url) == head
