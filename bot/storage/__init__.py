"""Persistence: SQLAlchemy models, the engine, migrations and the one data-access module."""

from bot.storage.database import create_engine, session_factory

__all__ = ["create_engine", "session_factory"]
