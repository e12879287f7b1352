"""The data-access module, against SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import queries
from bot.storage.models import (
    AuditEvent,
    ContentCheck,
    DeliveryStatus,
    FeedbackKind,
    IndicatorKind,
    ReviewStatus,
    Role,
)


def test_content_hash_is_salted_and_stable() -> None:
    text = "您的账户涉嫌洗钱，请转入安全账户"
    assert queries.content_hash(text, salt="a") == queries.content_hash(text, salt="a")
    assert queries.content_hash(text, salt="a") != queries.content_hash(text, salt="b")
    assert text not in queries.content_hash(text, salt="a")
    assert len(queries.content_hash(text, salt="a")) == 64


async def test_touch_user_creates_then_updates(session: AsyncSession) -> None:
    user = await queries.touch_user(session=session, user_id=42, language="zh-hant")
    first_seen = user.last_seen_at
    again = await queries.touch_user(session=session, user_id=42)
    await session.commit()
    assert again.id == 42
    assert again.language == "zh-hant"
    assert again.last_seen_at >= first_seen
    assert again.role == Role.USER


async def test_raw_text_is_kept_only_with_consent(session: AsyncSession) -> None:
    await queries.touch_user(session=session, user_id=1)
    digest = queries.content_hash("text", salt="s")
    without = await queries.record_check(
        session=session,
        user_id=1,
        chat_id=None,
        content_hash=digest,
        risk="high",
        score=0.9,
        fraud_type="impersonate_police",
        raw_text="安全账户",
    )
    await queries.set_consent(session=session, user_id=1, store_text=True)
    with_consent = await queries.record_check(
        session=session,
        user_id=1,
        chat_id=None,
        content_hash=digest,
        risk="high",
        score=0.9,
        fraud_type="impersonate_police",
        raw_text="安全账户",
        evidence=[{"rule": "x"}],
        indicators=[{"kind": "phone", "value": "138****5678"}],
        components={"rules": 0.9},
    )
    await session.commit()
    assert without.raw_text is None
    assert with_consent.raw_text == "安全账户"
    stored = await queries.get_check(session=session, check_id=with_consent.id)
    assert stored is not None
    assert stored.indicators == [{"kind": "phone", "value": "138****5678"}]
    assert stored.components == {"rules": 0.9}


async def test_feedback_can_be_changed_and_reaches_review(session: AsyncSession) -> None:
    await queries.touch_user(session=session, user_id=7)
    check = await queries.record_check(
        session=session,
        user_id=7,
        chat_id=None,
        content_hash="h",
        risk="medium",
        score=0.5,
        fraud_type=None,
    )
    await queries.set_feedback(
        session=session, check_id=check.id, user_id=7, kind=FeedbackKind.ACCURATE
    )
    assert await queries.feedback_to_review(session=session) == []
    changed = await queries.set_feedback(
        session=session, check_id=check.id, user_id=7, kind="false_positive"
    )
    await session.commit()
    queue = await queries.feedback_to_review(session=session)
    assert [f.id for f in queue] == [changed.id]
    assert queue[0].kind == FeedbackKind.FALSE_POSITIVE


async def test_accepted_report_feeds_the_blocklist(session: AsyncSession) -> None:
    await queries.touch_user(session=session, user_id=5)
    await queries.touch_user(session=session, user_id=99)
    report = await queries.add_report(
        session=session,
        reporter_id=5,
        kind=IndicatorKind.PHONE,
        value="+8617012345678",
        fraud_type="fake_customer_service",
        note="自称淘宝客服",
    )
    other = await queries.add_report(
        session=session, reporter_id=5, kind="domain", value="example.com"
    )
    assert [r.id for r in await queries.pending_reports(session=session)] == [report.id, other.id]
    await queries.review_report(session=session, report_id=report.id, reviewer_id=99, accept=True)
    await queries.review_report(session=session, report_id=other.id, reviewer_id=99, accept=False)
    await session.commit()
    found = await queries.find_blocklisted(
        session=session,
        indicators=[("phone", "+8617012345678"), ("domain", "example.com"), ("url", "x")],
    )
    assert [(e.kind, e.value, e.fraud_type) for e in found] == [
        ("phone", "+8617012345678", "fake_customer_service")
    ]
    assert found[0].report_id == report.id
    assert await queries.pending_reports(session=session) == []
    events = await queries.audit_events(session=session)
    assert [e.action for e in events][:2] == ["review_report", "review_report"]


async def test_blocklist_kind_and_value_are_unique(session: AsyncSession) -> None:
    first = await queries.add_blocklist_entry(session=session, kind="domain", value="bad.cn")
    again = await queries.add_blocklist_entry(
        session=session, kind="domain", value="bad.cn", fraud_type="phishing_bank"
    )
    assert first.id == again.id
    assert again.status == ReviewStatus.ACCEPTED
    await session.commit()
    from bot.storage.models import BlocklistEntry

    session.add(BlocklistEntry(kind="domain", value="bad.cn"))
    with pytest.raises(IntegrityError):
        await session.flush()
    await session.rollback()


async def test_guardian_link_needs_the_guardians_confirmation(session: AsyncSession) -> None:
    link = await queries.request_guardian(session=session, protected_id=1, guardian_id=2)
    assert await queries.active_guardians(session=session, protected_id=1) == []
    with pytest.raises(LookupError):
        await queries.confirm_guardian(session=session, link_id=link.id, guardian_id=1)
    await queries.confirm_guardian(session=session, link_id=link.id, guardian_id=2)
    assert await queries.active_guardians(session=session, protected_id=1) == [2]
    await queries.revoke_guardian(session=session, link_id=link.id, user_id=1)
    await session.commit()
    assert await queries.active_guardians(session=session, protected_id=1) == []
    with pytest.raises(ValueError, match="own guardian"):
        await queries.request_guardian(session=session, protected_id=3, guardian_id=3)


async def test_broadcast_deliveries_resume_without_duplicates(session: AsyncSession) -> None:
    for uid, audience in ((1, "elderly"), (2, "students"), (3, "everyone"), (4, "elderly")):
        await queries.subscribe(session=session, user_id=uid, audience=audience)
    await queries.subscribe(session=session, user_id=1, audience="elderly")  # idempotent
    await queries.touch_user(session=session, user_id=99)
    broadcast = await queries.create_broadcast(
        session=session, author_id=99, audience="elderly", text="提醒：公检法不会让你转账"
    )
    assert await queries.queue_deliveries(session=session, broadcast_id=broadcast.id) == 3
    # A restart queues again: nothing new.
    assert await queries.queue_deliveries(session=session, broadcast_id=broadcast.id) == 0
    pending = await queries.pending_deliveries(session=session, broadcast_id=broadcast.id)
    assert sorted(d.user_id for d in pending) == [1, 3, 4]
    await queries.mark_delivery(
        session=session, delivery_id=pending[0].id, status=DeliveryStatus.SENT
    )
    await queries.mark_delivery(
        session=session,
        delivery_id=pending[1].id,
        status=DeliveryStatus.BLOCKED,
        error="Forbidden: bot was blocked by the user",
    )
    await session.commit()
    counts = await queries.delivery_counts(session=session, broadcast_id=broadcast.id)
    assert counts == {"pending": 1, "sent": 1, "failed": 0, "blocked": 1}
    blocked_user = await queries.get_user(session=session, user_id=pending[1].user_id)
    assert blocked_user is not None and blocked_user.blocked_bot
    # A user who blocked the bot is not queued for the next broadcast.
    second = await queries.create_broadcast(
        session=session, author_id=99, audience="elderly", text="第二条"
    )
    assert await queries.queue_deliveries(session=session, broadcast_id=second.id) == 2


async def test_delete_user_data_erases_everything_personal(session: AsyncSession) -> None:
    await queries.set_consent(session=session, user_id=10, store_text=True)
    await queries.upsert_chat(session=session, chat_id=-100, kind="supergroup", title="家人群")
    check = await queries.record_check(
        session=session,
        user_id=10,
        chat_id=-100,
        content_hash="h",
        risk="high",
        score=1.0,
        fraud_type="task_rebate",
        raw_text="刷单返利",
    )
    await queries.set_feedback(session=session, check_id=check.id, user_id=10, kind="accurate")
    await queries.subscribe(session=session, user_id=10, audience="parents")
    await queries.request_guardian(session=session, protected_id=10, guardian_id=11)
    report = await queries.add_report(
        session=session, reporter_id=10, kind="url", value="http://x.cn/a", note="我的备注"
    )
    await queries.set_role(session=session, user_id=10, role=Role.VOLUNTEER, actor_id=10)
    await session.commit()

    summary = await queries.delete_user_data(session=session, user_id=10)
    await session.commit()

    assert summary.user_existed and summary.checks == 1 and summary.reports_anonymised == 1
    assert await queries.get_user(session=session, user_id=10) is None
    assert await session.scalar(select(func.count()).select_from(ContentCheck)) == 0
    assert await queries.subscribed_audiences(session=session, user_id=10) == []
    assert await queries.active_guardians(session=session, protected_id=10) == []
    await session.refresh(report)
    assert report.reporter_id is None and report.note is None and report.value == "http://x.cn/a"
    actors = await session.scalars(select(AuditEvent.actor_id))
    assert 10 not in set(actors)


async def test_chat_settings(session: AsyncSession) -> None:
    await queries.upsert_chat(session=session, chat_id=-5, kind="group", title="A")
    chat = await queries.update_chat_settings(
        session=session, chat_id=-5, is_family_group=True, large_print=True
    )
    await session.commit()
    assert chat.is_family_group and chat.large_print and chat.min_risk_to_warn == "high"
    with pytest.raises(LookupError):
        await queries.update_chat_settings(session=session, chat_id=-6, large_print=True)
    with pytest.raises(ValueError):
        await queries.upsert_chat(session=session, chat_id=-7, kind="forum")


async def test_unsubscribe(session: AsyncSession) -> None:
    await queries.subscribe(session=session, user_id=1, audience="students")
    await queries.subscribe(session=session, user_id=1, audience="parents")
    assert await queries.subscribed_audiences(session=session, user_id=1) == ["parents", "students"]
    assert await queries.unsubscribe(session=session, user_id=1, audience="students") == 1
    assert await queries.unsubscribe(session=session, user_id=1) == 1
    await session.commit()
    assert await queries.subscribed_audiences(session=session, user_id=1) == []
