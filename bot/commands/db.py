"""``scamcheck db``: apply or inspect database migrations."""

from __future__ import annotations

import argparse
from typing import Any

from bot.config import load_settings
from bot.storage import migrate


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``db upgrade|downgrade|current``."""
    parser = commands.add_parser(
        "db",
        help="database migrations",
        description="Apply or inspect the database schema (SCAMCHECK_DATABASE_URL).",
    )
    actions = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = actions.add_parser("upgrade", help="apply migrations up to a revision")
    upgrade.add_argument("revision", nargs="?", default="head", help="target (default: head)")
    upgrade.set_defaults(handler=_upgrade)
    downgrade = actions.add_parser("downgrade", help="revert migrations down to a revision")
    downgrade.add_argument("revision", help="target revision, e.g. -1 or base")
    downgrade.set_defaults(handler=_downgrade)
    current = actions.add_parser("current", help="print the revision the database is at")
    current.set_defaults(handler=_current)


def _url() -> str:
    return load_settings().database_url.get_secret_value()


def _upgrade(args: argparse.Namespace) -> int:
    migrate.upgrade(_url(), args.revision)
    print(f"database at {migrate.current_revision(_url()) or 'base'}")
    return 0


def _downgrade(args: argparse.Namespace) -> int:
    migrate.downgrade(_url(), args.revision)
    print(f"database at {migrate.current_revision(_url()) or 'base'}")
    return 0


def _current(_args: argparse.Namespace) -> int:
    print(migrate.current_revision(_url()) or "base (empty database)")
    return 0
