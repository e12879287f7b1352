"""Apply Alembic migrations programmatically (used by ``scamcheck db`` and the tests)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

import migrations
from knowledge.errors import ScamCheckError

MIGRATIONS_DIR = Path(migrations.__file__).resolve().parent


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at the bundled migrations and the given database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(slug)s")
    config.set_main_option("path_separator", "os")
    config.attributes["database_url"] = database_url
    return config


class StorageError(ScamCheckError):
    """The database could not be reached or migrated; one line, no credentials."""


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database schema up to ``revision``. Call outside a running event loop."""
    with _clear_errors(database_url):
        command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    """Take the database schema down to ``revision``."""
    with _clear_errors(database_url):
        command.downgrade(alembic_config(database_url), revision)


@contextmanager
def _clear_errors(database_url: str) -> Iterator[None]:
    try:
        yield
    except (OSError, SQLAlchemyError, CommandError) as exc:
        where = make_url(database_url).render_as_string(hide_password=True)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StorageError(f"database {where}: {reason}") from exc


def current_revision(database_url: str) -> str | None:
    """The revision the database is at, or None for an empty database."""
    import asyncio

    from alembic.runtime.migration import MigrationContext

    from bot.storage.database import create_engine

    async def _read() -> str | None:
        engine = create_engine(database_url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(
                    lambda sync: MigrationContext.configure(sync).get_current_revision()
                )
        finally:
            await engine.dispose()

    return asyncio.run(_read())
