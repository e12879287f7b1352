"""End to end: the buttons under a verdict (why, I paid, feedback, retry) and /paid."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select

from bot.storage import queries
from bot.storage.models import ContentCheck, Feedback

USER_ID = 501
SCAM = (
    "您好，我是公安局民警，您的账户涉嫌洗钱，请把资金转到安全账户 6222 0212 3456 7890 128 配合调查"
)


async def _verdict(chat: Any, text: str = SCAM) -> Any:
    chat.api.send_text(USER_ID, text)
    return await chat.verdict()


async def test_why_sends_the_details(chat: Any) -> None:
    verdict = await _verdict(chat)
    why = next(b for b in verdict.flat_buttons if b.text.endswith("为什么？"))
    chat.api.press_button(USER_ID, verdict, data=why.callback_data)
    details = await chat.next()
    assert details.kind == "sent"
    assert details.text.startswith("🔍 为什么这样判断")
    assert "冒充公检法" in details.text
    assert "安全账户" in details.text  # the evidence, quoted
    assert "6222 **** **** 0128" in details.text  # the card, masked
    assert "中国工商银行" in details.text  # its bank, from the BIN
    assert "6222 0212 3456 7890 128" not in details.text
    assert "风险分数" in details.text
    assert details.message["reply_to_message"]["message_id"] == verdict.message_id
    assert chat.api.callback_answers  # the button stops spinning


async def test_why_after_a_restart_uses_the_stored_check(chat: Any) -> None:
    verdict = await _verdict(chat)
    chat.runtime.verdicts.drop_where(lambda _: True)  # as after a restart
    chat.api.press_button(USER_ID, verdict, index=0)
    details = await chat.next()
    assert details.text.startswith("🔍 为什么这样判断")
    assert "6222 **** **** 0128" in details.text
    assert "安全账户" in details.text


async def test_feedback_is_stored_once_and_can_change(chat: Any) -> None:
    verdict = await _verdict(chat)
    chat.api.press_button(
        USER_ID,
        verdict,
        data=next(b.callback_data for b in verdict.flat_buttons if b.text == "👍 准确"),
    )
    edited = await chat.next()
    assert edited.kind == "edited" and "✅ 👍 准确" in [b.text for b in edited.flat_buttons]
    assert edited.text == verdict.text  # the verdict itself stays
    chat.api.press_button(
        USER_ID, edited, data=next(b.callback_data for b in edited.flat_buttons if "误报" in b.text)
    )
    edited = await chat.next()
    labels = [b.text for b in edited.flat_buttons]
    assert "✅ 👎 误报" in labels and "👍 准确" in labels
    async with chat.db() as session:
        rows = list(await session.scalars(select(Feedback)))
        queue = await queries.feedback_to_review(session=session)
    assert [(row.kind, row.user_id) for row in rows] == [("false_positive", USER_ID)]
    assert [item.check_id for item in queue] == [rows[0].check_id]  # the volunteers' queue
    assert any("志愿者" in (answer.text or "") for answer in chat.api.callback_answers)


async def test_missed_scam_goes_to_review(chat: Any) -> None:
    verdict = await _verdict(chat, "明天下午三点开会，记得带材料。")
    chat.api.press_button(
        USER_ID,
        verdict,
        data=next(b.callback_data for b in verdict.flat_buttons if b.text == "漏报"),
    )
    await chat.next()
    async with chat.db() as session:
        [item] = await queries.feedback_to_review(session=session)
    assert item.kind == "missed" and item.reviewed is False


async def test_paid_button_gives_steps_with_the_bank_and_records_it(chat: Any) -> None:
    verdict = await _verdict(chat)
    chat.api.press_button(
        USER_ID,
        verdict,
        data=next(b.callback_data for b in verdict.flat_buttons if "转账了" in b.text),
    )
    steps = await chat.next()
    lines = steps.text.splitlines()
    assert lines[0].startswith("🆘")
    assert lines[1].startswith("1.") and "110" in lines[1] and "紧急止付" in lines[1]
    assert "95588" in steps.text and "中国工商银行" in steps.text  # bank by the card's BIN
    assert "二次诈骗" in steps.text and "国家反诈中心" in steps.text
    async with chat.db() as session:
        [check] = list(await session.scalars(select(ContentCheck)))
    assert check.paid_outcome == "paid"


async def test_paid_command_uses_the_latest_check(chat: Any) -> None:
    await _verdict(chat)
    chat.api.send_text(USER_ID, "/paid")
    steps = await chat.next()
    assert "95588" in steps.text
    async with chat.db() as session:
        [check] = list(await session.scalars(select(ContentCheck)))
    assert check.paid_outcome == "paid"


async def test_paid_command_without_a_check_still_helps(chat: Any) -> None:
    chat.api.send_text(USER_ID, "/paid")
    steps = await chat.next()
    assert "110" in steps.text and "银行卡背面" in steps.text
    assert "记下了" not in steps.text


async def test_failed_check_apologises_and_retry_gives_the_verdict(chat: Any) -> None:
    analyzer = chat.running_bot.application.bot_data.services.analyzer
    real = analyzer.analyze
    calls = 0

    async def flaky(submission: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("model crashed")
        return await real(submission)

    analyzer.analyze = flaky
    sent = chat.api.send_text(USER_ID, SCAM)
    apology = await chat.next()
    assert apology.text.startswith("😥 抱歉")
    assert str(sent.update_id) in apology.text  # the reference is the update id
    [retry] = apology.flat_buttons
    assert "重试" in retry.text
    chat.api.press_button(USER_ID, apology, index=0)
    again = await chat.next()
    assert again.kind == "edited" and again.text == "🔎 正在重新检查…"
    verdict = await chat.next()
    assert verdict.kind == "edited" and verdict.message_id == apology.message_id
    assert verdict.text.startswith("🔴 高风险")
    assert calls == 2


async def test_retry_after_expiry_asks_to_send_again(chat: Any) -> None:
    analyzer = chat.running_bot.application.bot_data.services.analyzer

    async def broken(submission: Any) -> Any:
        raise RuntimeError("down")

    analyzer.analyze = broken
    chat.api.send_text(USER_ID, SCAM)
    apology = await chat.next()
    chat.runtime.retries.drop_where(lambda _: True)  # expired (or another process)
    chat.api.press_button(USER_ID, apology, index=0)
    expired = await chat.next()
    assert expired.kind == "edited" and "重新转发" in expired.text


async def test_feedback_on_someone_elses_check_is_refused(chat: Any) -> None:
    verdict = await _verdict(chat)
    check_id = verdict.flat_buttons[0].callback_data.split(":")[-1]
    async with chat.db() as session:
        await queries.touch_user(session=session, user_id=999)
        check = await queries.get_check(session=session, check_id=int(check_id))
        assert check is not None
        check.user_id = 999
    answered = len(chat.api.callback_answers)
    chat.api.press_button(USER_ID, verdict, data=f"fb:a:{check_id}")
    async with asyncio.timeout(30):
        while len(chat.api.callback_answers) == answered:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    assert chat.api.callback_answers[-1].text == "这不是你的检查记录。"
    await chat.api.wait_idle()
    assert not chat.api.pending_bot_messages(USER_ID)  # the keyboard was not changed
