"""Database tables (SQLAlchemy 2 declarative models).

Privacy by design: a check stores a salted hash of the content, the verdict and the extracted
indicators; the raw text only when the user opted in (``UserAccount.consent_store_text``).
Deleting a user cascades to everything that belongs to them.

Conventions: singular snake_case table names, ``*_at`` timestamps in UTC, enumerations stored
as short strings (validated in Python by the StrEnums below), named constraints.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Current time, timezone-aware UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with the constraint naming convention Alembic relies on."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Role(StrEnum):
    """What a user may do."""

    USER = "user"
    VOLUNTEER = "volunteer"
    ADMIN = "admin"


class ChatKind(StrEnum):
    """Telegram chat types we store."""

    PRIVATE = "private"
    GROUP = "group"
    SUPERGROUP = "supergroup"
    CHANNEL = "channel"


class FeedbackKind(StrEnum):
    """A user's opinion of a verdict."""

    ACCURATE = "accurate"
    FALSE_POSITIVE = "false_positive"
    MISSED = "missed"


class IndicatorKind(StrEnum):
    """Kinds of blocklist entries and community reports."""

    PHONE = "phone"
    BANK_CARD = "bank_card"
    PAYMENT_ACCOUNT = "payment_account"
    DOMAIN = "domain"
    URL = "url"
    MESSAGE = "message"


class ReviewStatus(StrEnum):
    """Review state of community reports and blocklist entries."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    RETIRED = "retired"


class GuardianStatus(StrEnum):
    """State of a guardian link: both sides must agree."""

    PENDING = "pending"
    ACTIVE = "active"
    REVOKED = "revoked"


class Audience(StrEnum):
    """Who a broadcast tip is for."""

    EVERYONE = "everyone"
    STUDENTS = "students"
    ELDERLY = "elderly"
    PARENTS = "parents"


class BroadcastStatus(StrEnum):
    """Life cycle of a broadcast."""

    DRAFT = "draft"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


class DeliveryStatus(StrEnum):
    """Outcome of one broadcast message to one subscriber."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    BLOCKED = "blocked"


def _created() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)


def _user_fk(*, nullable: bool = False, on_delete: str = "CASCADE") -> Mapped[Any]:
    return mapped_column(
        BigInteger,
        ForeignKey("user_account.id", ondelete=on_delete),
        nullable=nullable,
        index=True,
    )


class UserAccount(Base):
    """A Telegram user who talked to the bot (private chat or group)."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str] = mapped_column(String(16), default="zh-hans")
    role: Mapped[str] = mapped_column(String(16), default=Role.USER.value)
    consent_store_text: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_guardian_alerts: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = _created()
    last_seen_at: Mapped[datetime] = _created()


class Chat(Base):
    """A chat the bot is in; groups carry their protection settings."""

    __tablename__ = "chat"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(String(255))
    is_family_group: Mapped[bool] = mapped_column(Boolean, default=False)
    min_risk_to_warn: Mapped[str] = mapped_column(String(8), default="high")
    large_print: Mapped[bool] = mapped_column(Boolean, default=False)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = _created()


class ContentCheck(Base):
    """One verdict the bot gave. Raw text is kept only with the user's consent."""

    __tablename__ = "content_check"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = _user_fk(nullable=True)
    chat_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("chat.id", ondelete="SET NULL"), index=True
    )
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    input_kind: Mapped[str] = mapped_column(String(16), default="text")
    risk: Mapped[str] = mapped_column(String(8))
    score: Mapped[float] = mapped_column(Float)
    fraud_type: Mapped[str | None] = mapped_column(String(48))
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    indicators: Mapped[list[Any]] = mapped_column(default=list)
    components: Mapped[dict[str, Any]] = mapped_column(default=dict)
    raw_text: Mapped[str | None] = mapped_column(Text)
    paid_outcome: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = _created()


class Feedback(Base):
    """A user's feedback on a verdict; one per user and check, which they may change."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("check_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    check_id: Mapped[int] = mapped_column(
        ForeignKey("content_check.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = _user_fk()
    kind: Mapped[str] = mapped_column(String(16))
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _created()


class CommunityReport(Base):
    """An indicator (or message) a user reported as fraud, waiting for volunteer review."""

    __tablename__ = "community_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reporter_id: Mapped[int | None] = _user_fk(nullable=True, on_delete="SET NULL")
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(512))
    fraud_type: Mapped[str | None] = mapped_column(String(48))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=ReviewStatus.PENDING.value, index=True)
    reviewer_id: Mapped[int | None] = _user_fk(nullable=True, on_delete="SET NULL")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _created()


class BlocklistEntry(Base):
    """A known fraud indicator (normalised value), fed by reviewed reports or imports."""

    __tablename__ = "blocklist_entry"
    __table_args__ = (UniqueConstraint("kind", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(512))
    fraud_type: Mapped[str | None] = mapped_column(String(48))
    status: Mapped[str] = mapped_column(String(16), default=ReviewStatus.ACCEPTED.value)
    source: Mapped[str] = mapped_column(String(32), default="community")
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_report.id", ondelete="SET NULL")
    )
    reviewer_id: Mapped[int | None] = _user_fk(nullable=True, on_delete="SET NULL")
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _created()


class GuardianLink(Base):
    """A family member who agreed to be alerted when the protected user meets a scam."""

    __tablename__ = "guardian_link"
    __table_args__ = (UniqueConstraint("protected_id", "guardian_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    protected_id: Mapped[int] = _user_fk()
    guardian_id: Mapped[int] = _user_fk()
    chat_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("chat.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default=GuardianStatus.PENDING.value)
    created_at: Mapped[datetime] = _created()
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Subscription(Base):
    """A user's subscription to anti-fraud tips for an audience."""

    __tablename__ = "subscription"
    __table_args__ = (UniqueConstraint("user_id", "audience"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _user_fk()
    audience: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = _created()


class Broadcast(Base):
    """A tip a volunteer sends to the subscribers of an audience."""

    __tablename__ = "broadcast"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int | None] = _user_fk(nullable=True, on_delete="SET NULL")
    audience: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=BroadcastStatus.DRAFT.value)
    created_at: Mapped[datetime] = _created()
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Delivery(Base):
    """One broadcast to one subscriber; the unique pair makes a restarted broadcast resume."""

    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "user_id"),
        Index("ix_delivery_broadcast_status", "broadcast_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcast.id", ondelete="CASCADE"))
    user_id: Mapped[int] = _user_fk()
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """Who did what (reviews, role changes, broadcasts, deletions). No message content."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    action: Mapped[str] = mapped_column(String(48))
    target: Mapped[str | None] = mapped_column(String(128))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = _created()


class LinkCacheEntry(Base):
    """A cached link-check report (``classifier.links.LinkReport`` JSON) until ``expires_at``.

    Keyed by the SHA-256 of the normalised URL; holds what a public web page showed, no user
    data. Expired rows are ignored on read and removed by ``queries.purge_link_cache``.
    """

    __tablename__ = "link_cache"

    url_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    report: Mapped[dict[str, Any]] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
