"""The data-access module: every query the application makes lives here.

Functions are keyword-only and take the caller's ``AsyncSession``; they flush but never
commit, so one update is one transaction (the caller commits). Handlers never build queries.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    AuditEvent,
    BlocklistEntry,
    Broadcast,
    BroadcastStatus,
    Chat,
    ChatKind,
    CommunityReport,
    ContentCheck,
    Delivery,
    DeliveryStatus,
    Feedback,
    FeedbackKind,
    GuardianLink,
    GuardianStatus,
    IndicatorKind,
    LinkCacheEntry,
    ReviewStatus,
    Role,
    Subscription,
    UserAccount,
    utcnow,
)

# --- privacy helpers -------------------------------------------------------------------------


def content_hash(text: str, *, salt: str) -> str:
    """Salted SHA-256 (HMAC) of the NFC-normalised text: lets us count repeats, not read them."""
    data = unicodedata.normalize("NFC", text).encode("utf-8", "surrogatepass")
    return hmac.new(salt.encode("utf-8"), data, hashlib.sha256).hexdigest()


# --- users ------------------------------------------------------------------------------------


async def touch_user(
    *, session: AsyncSession, user_id: int, language: str | None = None
) -> UserAccount:
    """Get or create a user and note that we saw them now."""
    user = await session.get(UserAccount, user_id)
    if user is None:
        user = UserAccount(id=user_id, language=language or "zh-hans")
        session.add(user)
    else:
        user.last_seen_at = utcnow()
        if language:
            user.language = language
    await session.flush()
    return user


async def get_user(*, session: AsyncSession, user_id: int) -> UserAccount | None:
    """The user, or None if they never talked to the bot (or deleted their data)."""
    return await session.get(UserAccount, user_id)


async def set_consent(
    *,
    session: AsyncSession,
    user_id: int,
    store_text: bool | None = None,
    guardian_alerts: bool | None = None,
) -> UserAccount:
    """Change a user's consent flags (None leaves a flag as it is)."""
    user = await touch_user(session=session, user_id=user_id)
    if store_text is not None:
        user.consent_store_text = store_text
    if guardian_alerts is not None:
        user.consent_guardian_alerts = guardian_alerts
    await session.flush()
    return user


async def set_role(
    *, session: AsyncSession, user_id: int, role: Role, actor_id: int | None
) -> UserAccount:
    """Give a user a role, with an audit event."""
    user = await touch_user(session=session, user_id=user_id)
    user.role = Role(role).value
    await audit(
        session=session,
        actor_id=actor_id,
        action="set_role",
        target=f"user:{user_id}",
        details={"role": user.role},
    )
    return user


@dataclass(frozen=True)
class DeletionSummary:
    """What ``delete_user_data`` removed."""

    user_existed: bool
    checks: int
    reports_anonymised: int


async def delete_user_data(*, session: AsyncSession, user_id: int) -> DeletionSummary:
    """Erase everything about a user: their row cascades to checks, feedback, links and
    subscriptions; their reports stay for the blocklist but lose the reporter and the note."""
    user = await session.get(UserAccount, user_id)
    checks = await session.scalar(
        select(func.count()).select_from(ContentCheck).where(ContentCheck.user_id == user_id)
    )
    reports = await session.execute(
        update(CommunityReport)
        .where(CommunityReport.reporter_id == user_id)
        .values(reporter_id=None, note=None)
    )
    # Explicit deletes, so the result does not depend on the database enforcing cascades.
    for model, column in (
        (Feedback, Feedback.user_id),
        (ContentCheck, ContentCheck.user_id),
        (Subscription, Subscription.user_id),
        (Delivery, Delivery.user_id),
    ):
        await session.execute(delete(model).where(column == user_id))
    await session.execute(
        delete(GuardianLink).where(
            (GuardianLink.protected_id == user_id) | (GuardianLink.guardian_id == user_id)
        )
    )
    await session.execute(
        update(AuditEvent).where(AuditEvent.actor_id == user_id).values(actor_id=None)
    )
    if user is not None:
        await session.delete(user)
    await session.flush()
    await audit(session=session, actor_id=None, action="delete_user_data", target="user:erased")
    return DeletionSummary(
        user_existed=user is not None,
        checks=int(checks or 0),
        reports_anonymised=int(getattr(reports, "rowcount", 0) or 0),
    )


# --- chats ------------------------------------------------------------------------------------


async def upsert_chat(
    *, session: AsyncSession, chat_id: int, kind: ChatKind | str, title: str | None = None
) -> Chat:
    """Get or create a chat, keeping its title current."""
    chat = await session.get(Chat, chat_id)
    if chat is None:
        chat = Chat(id=chat_id, kind=ChatKind(kind).value, title=title)
        session.add(chat)
    else:
        chat.kind = ChatKind(kind).value
        chat.title = title
        chat.active = True
    await session.flush()
    return chat


async def update_chat_settings(
    *,
    session: AsyncSession,
    chat_id: int,
    is_family_group: bool | None = None,
    min_risk_to_warn: str | None = None,
    large_print: bool | None = None,
) -> Chat:
    """Change a group's protection settings (None leaves a setting as it is)."""
    chat = await session.get(Chat, chat_id)
    if chat is None:
        raise LookupError(f"unknown chat {chat_id}")
    if is_family_group is not None:
        chat.is_family_group = is_family_group
    if min_risk_to_warn is not None:
        chat.min_risk_to_warn = min_risk_to_warn
    if large_print is not None:
        chat.large_print = large_print
    await session.flush()
    return chat


# --- checks and feedback ----------------------------------------------------------------------


async def record_check(
    *,
    session: AsyncSession,
    user_id: int | None,
    chat_id: int | None,
    content_hash: str,
    risk: str,
    score: float,
    fraud_type: str | None,
    evidence: Sequence[dict[str, Any]] = (),
    indicators: Sequence[dict[str, Any]] = (),
    components: dict[str, Any] | None = None,
    input_kind: str = "text",
    raw_text: str | None = None,
) -> ContentCheck:
    """Store a verdict. ``raw_text`` is dropped unless the user opted in to keeping it."""
    keep_text = False
    if raw_text is not None and user_id is not None:
        user = await session.get(UserAccount, user_id)
        keep_text = bool(user and user.consent_store_text)
    check = ContentCheck(
        user_id=user_id,
        chat_id=chat_id,
        content_hash=content_hash,
        input_kind=input_kind,
        risk=risk,
        score=score,
        fraud_type=fraud_type,
        evidence=list(evidence),
        indicators=list(indicators),
        components=dict(components or {}),
        raw_text=raw_text if keep_text else None,
    )
    session.add(check)
    await session.flush()
    return check


async def get_check(*, session: AsyncSession, check_id: int) -> ContentCheck | None:
    """A stored verdict by id."""
    return await session.get(ContentCheck, check_id)


async def record_paid_outcome(*, session: AsyncSession, check_id: int, outcome: str) -> None:
    """Note that a warned user still lost money (or did not): measures how warnings work."""
    await session.execute(
        update(ContentCheck).where(ContentCheck.id == check_id).values(paid_outcome=outcome)
    )


async def set_feedback(
    *, session: AsyncSession, check_id: int, user_id: int, kind: FeedbackKind | str
) -> Feedback:
    """Record or change a user's feedback on a verdict."""
    existing = await session.scalar(
        select(Feedback).where(Feedback.check_id == check_id, Feedback.user_id == user_id)
    )
    value = FeedbackKind(kind).value
    if existing is None:
        existing = Feedback(check_id=check_id, user_id=user_id, kind=value)
        session.add(existing)
    else:
        existing.kind = value
        existing.updated_at = utcnow()
        existing.reviewed = False
    await session.flush()
    return existing


async def feedback_to_review(*, session: AsyncSession, limit: int = 20) -> list[Feedback]:
    """False positives and misses not yet reviewed by a volunteer, oldest first."""
    rows = await session.scalars(
        select(Feedback)
        .where(Feedback.kind != FeedbackKind.ACCURATE.value, Feedback.reviewed.is_(False))
        .order_by(Feedback.updated_at, Feedback.id)
        .limit(limit)
    )
    return list(rows)


# --- community reports and the blocklist ------------------------------------------------------


async def add_report(
    *,
    session: AsyncSession,
    reporter_id: int | None,
    kind: IndicatorKind | str,
    value: str,
    fraud_type: str | None = None,
    note: str | None = None,
) -> CommunityReport:
    """File a community report; its id is the reference number shown to the reporter."""
    report = CommunityReport(
        reporter_id=reporter_id,
        kind=IndicatorKind(kind).value,
        value=value,
        fraud_type=fraud_type,
        note=note,
    )
    session.add(report)
    await session.flush()
    return report


async def pending_reports(*, session: AsyncSession, limit: int = 20) -> list[CommunityReport]:
    """Reports waiting for review, oldest first."""
    rows = await session.scalars(
        select(CommunityReport)
        .where(CommunityReport.status == ReviewStatus.PENDING.value)
        .order_by(CommunityReport.id)
        .limit(limit)
    )
    return list(rows)


async def review_report(
    *, session: AsyncSession, report_id: int, reviewer_id: int, accept: bool
) -> CommunityReport:
    """Accept (feeding the blocklist) or reject a report, with an audit event."""
    report = await session.get(CommunityReport, report_id)
    if report is None:
        raise LookupError(f"unknown report {report_id}")
    report.status = (ReviewStatus.ACCEPTED if accept else ReviewStatus.REJECTED).value
    report.reviewer_id = reviewer_id
    report.reviewed_at = utcnow()
    if accept and report.kind != IndicatorKind.MESSAGE.value:
        await add_blocklist_entry(
            session=session,
            kind=report.kind,
            value=report.value,
            fraud_type=report.fraud_type,
            source="community",
            reviewer_id=reviewer_id,
            report_id=report.id,
        )
    await audit(
        session=session,
        actor_id=reviewer_id,
        action="review_report",
        target=f"report:{report_id}",
        details={"accepted": accept},
    )
    return report


async def add_blocklist_entry(
    *,
    session: AsyncSession,
    kind: IndicatorKind | str,
    value: str,
    fraud_type: str | None = None,
    source: str = "community",
    reviewer_id: int | None = None,
    report_id: int | None = None,
) -> BlocklistEntry:
    """Add a normalised indicator to the blocklist, or re-activate and update it."""
    kind_value = IndicatorKind(kind).value
    entry = await session.scalar(
        select(BlocklistEntry).where(
            BlocklistEntry.kind == kind_value, BlocklistEntry.value == value
        )
    )
    if entry is None:
        entry = BlocklistEntry(kind=kind_value, value=value)
        session.add(entry)
    entry.fraud_type = fraud_type or entry.fraud_type
    entry.status = ReviewStatus.ACCEPTED.value
    entry.source = source
    entry.reviewer_id = reviewer_id
    entry.report_id = report_id or entry.report_id
    entry.updated_at = utcnow()
    await session.flush()
    return entry


async def find_blocklisted(
    *, session: AsyncSession, indicators: Iterable[tuple[IndicatorKind | str, str]]
) -> list[BlocklistEntry]:
    """Active blocklist entries matching any of the (kind, normalised value) pairs."""
    pairs = {(IndicatorKind(kind).value, value) for kind, value in indicators}
    if not pairs:
        return []
    values = {value for _, value in pairs}
    rows = await session.scalars(
        select(BlocklistEntry).where(
            BlocklistEntry.value.in_(values),
            BlocklistEntry.status == ReviewStatus.ACCEPTED.value,
        )
    )
    return [row for row in rows if (row.kind, row.value) in pairs]


# --- guardians --------------------------------------------------------------------------------


async def request_guardian(
    *, session: AsyncSession, protected_id: int, guardian_id: int, chat_id: int | None = None
) -> GuardianLink:
    """Propose a guardian link; it becomes active only when the guardian confirms."""
    if protected_id == guardian_id:
        raise ValueError("a user cannot be their own guardian")
    for uid in (protected_id, guardian_id):
        await touch_user(session=session, user_id=uid)
    link = await session.scalar(
        select(GuardianLink).where(
            GuardianLink.protected_id == protected_id, GuardianLink.guardian_id == guardian_id
        )
    )
    if link is None:
        link = GuardianLink(protected_id=protected_id, guardian_id=guardian_id, chat_id=chat_id)
        session.add(link)
    else:
        link.status = GuardianStatus.PENDING.value
        link.chat_id = chat_id
    await session.flush()
    return link


async def confirm_guardian(
    *, session: AsyncSession, link_id: int, guardian_id: int
) -> GuardianLink:
    """The guardian agrees; only they can confirm their own link."""
    link = await session.get(GuardianLink, link_id)
    if link is None or link.guardian_id != guardian_id:
        raise LookupError(f"no guardian link {link_id} for user {guardian_id}")
    link.status = GuardianStatus.ACTIVE.value
    link.confirmed_at = utcnow()
    await session.flush()
    return link


async def revoke_guardian(*, session: AsyncSession, link_id: int, user_id: int) -> None:
    """Either side may end a guardian link."""
    link = await session.get(GuardianLink, link_id)
    if link is None or user_id not in (link.protected_id, link.guardian_id):
        raise LookupError(f"no guardian link {link_id} for user {user_id}")
    link.status = GuardianStatus.REVOKED.value
    await session.flush()


async def active_guardians(*, session: AsyncSession, protected_id: int) -> list[int]:
    """User ids of the confirmed guardians of a protected user."""
    rows = await session.scalars(
        select(GuardianLink.guardian_id).where(
            GuardianLink.protected_id == protected_id,
            GuardianLink.status == GuardianStatus.ACTIVE.value,
        )
    )
    return list(rows)


# --- subscriptions and broadcasts -------------------------------------------------------------


async def subscribe(*, session: AsyncSession, user_id: int, audience: str) -> Subscription:
    """Subscribe a user to tips for an audience (idempotent)."""
    await touch_user(session=session, user_id=user_id)
    existing = await session.scalar(
        select(Subscription).where(
            Subscription.user_id == user_id, Subscription.audience == audience
        )
    )
    if existing is not None:
        return existing
    subscription = Subscription(user_id=user_id, audience=audience)
    session.add(subscription)
    await session.flush()
    return subscription


async def unsubscribe(*, session: AsyncSession, user_id: int, audience: str | None = None) -> int:
    """Remove one (or, with audience None, every) subscription; returns how many went."""
    statement = delete(Subscription).where(Subscription.user_id == user_id)
    if audience is not None:
        statement = statement.where(Subscription.audience == audience)
    result = await session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)


async def subscribed_audiences(*, session: AsyncSession, user_id: int) -> list[str]:
    """The audiences a user subscribed to."""
    rows = await session.scalars(
        select(Subscription.audience)
        .where(Subscription.user_id == user_id)
        .order_by(Subscription.audience)
    )
    return list(rows)


async def create_broadcast(
    *, session: AsyncSession, author_id: int, audience: str, text: str
) -> Broadcast:
    """Draft a broadcast."""
    broadcast = Broadcast(author_id=author_id, audience=audience, text=text)
    session.add(broadcast)
    await session.flush()
    await audit(
        session=session,
        actor_id=author_id,
        action="create_broadcast",
        target=f"broadcast:{broadcast.id}",
        details={"audience": audience},
    )
    return broadcast


async def queue_deliveries(*, session: AsyncSession, broadcast_id: int) -> int:
    """Create a pending delivery for every subscriber not yet queued (safe to repeat after a
    restart); returns the number of new deliveries."""
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None:
        raise LookupError(f"unknown broadcast {broadcast_id}")
    audiences = {broadcast.audience, "everyone"}
    already = select(Delivery.user_id).where(Delivery.broadcast_id == broadcast_id)
    recipients = await session.scalars(
        select(Subscription.user_id)
        .join(UserAccount, UserAccount.id == Subscription.user_id)
        .where(
            Subscription.audience.in_(audiences),
            UserAccount.blocked_bot.is_(False),
            Subscription.user_id.not_in(already),
        )
        .distinct()
    )
    new = [Delivery(broadcast_id=broadcast_id, user_id=uid) for uid in recipients]
    session.add_all(new)
    if broadcast.status == BroadcastStatus.DRAFT.value:
        broadcast.status = BroadcastStatus.SENDING.value
        broadcast.started_at = utcnow()
    await session.flush()
    return len(new)


async def pending_deliveries(
    *, session: AsyncSession, broadcast_id: int, limit: int = 100
) -> list[Delivery]:
    """The next deliveries still to send."""
    rows = await session.scalars(
        select(Delivery)
        .where(
            Delivery.broadcast_id == broadcast_id,
            Delivery.status == DeliveryStatus.PENDING.value,
        )
        .order_by(Delivery.id)
        .limit(limit)
    )
    return list(rows)


async def mark_delivery(
    *,
    session: AsyncSession,
    delivery_id: int,
    status: DeliveryStatus,
    error: str | None = None,
) -> None:
    """Record the outcome of one delivery; a blocked bot also flags the user."""
    delivery = await session.get(Delivery, delivery_id)
    if delivery is None:
        raise LookupError(f"unknown delivery {delivery_id}")
    delivery.status = DeliveryStatus(status).value
    delivery.attempts += 1
    delivery.error = error[:255] if error else None
    if status is DeliveryStatus.SENT:
        delivery.sent_at = utcnow()
    if status is DeliveryStatus.BLOCKED:
        await session.execute(
            update(UserAccount).where(UserAccount.id == delivery.user_id).values(blocked_bot=True)
        )
    await session.flush()


async def delivery_counts(*, session: AsyncSession, broadcast_id: int) -> dict[str, int]:
    """Deliveries of a broadcast by status (every status present, zero if none)."""
    rows = await session.execute(
        select(Delivery.status, func.count())
        .where(Delivery.broadcast_id == broadcast_id)
        .group_by(Delivery.status)
    )
    counts = {status.value: 0 for status in DeliveryStatus}
    counts.update({status: int(count) for status, count in rows})
    return counts


# --- audit log --------------------------------------------------------------------------------


async def audit(
    *,
    session: AsyncSession,
    actor_id: int | None,
    action: str,
    target: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit event (never message content)."""
    event = AuditEvent(actor_id=actor_id, action=action, target=target, details=details or {})
    session.add(event)
    await session.flush()
    return event


async def audit_events(*, session: AsyncSession, limit: int = 50) -> list[AuditEvent]:
    """The most recent audit events, newest first."""
    rows = await session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit))
    return list(rows)


# --- private chat: the latest check of a user -------------------------------------------------


async def latest_check(
    *, session: AsyncSession, user_id: int, since: datetime | None = None
) -> ContentCheck | None:
    """The user's most recent check (optionally not older than ``since``), or None."""
    query = select(ContentCheck).where(ContentCheck.user_id == user_id)
    if since is not None:
        query = query.where(ContentCheck.created_at >= since)
    return await session.scalar(query.order_by(ContentCheck.id.desc()).limit(1))


# --- link-check cache -------------------------------------------------------------------------


async def get_cached_link(
    *, session: AsyncSession, url_hash: str, now: datetime | None = None
) -> dict[str, Any] | None:
    """The cached link report for ``url_hash``, or None when absent or expired."""
    report = await session.scalar(
        select(LinkCacheEntry.report).where(
            LinkCacheEntry.url_hash == url_hash, LinkCacheEntry.expires_at > (now or utcnow())
        )
    )
    return dict(report) if report is not None else None


async def put_cached_link(
    *, session: AsyncSession, url_hash: str, report: dict[str, Any], expires_at: datetime
) -> None:
    """Store or replace a link report (one upsert, safe when two processes race)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(LinkCacheEntry).values(
        url_hash=url_hash, report=report, expires_at=expires_at
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[LinkCacheEntry.url_hash],
            set_={"report": statement.excluded.report, "expires_at": statement.excluded.expires_at},
        )
    )


async def purge_link_cache(*, session: AsyncSession, now: datetime | None = None) -> int:
    """Delete expired link reports; returns how many."""
    result = await session.execute(
        delete(LinkCacheEntry).where(LinkCacheEntry.expires_at <= (now or utcnow()))
    )
    return int(getattr(result, "rowcount", 0) or 0)
