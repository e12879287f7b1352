"""End to end: rate limits, floods, 429 from the server, the 4096 limit, Traditional Chinese."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.htmltext import utf16_len
from bot.ratelimit import UserRateLimiter
from classifier import Submission, Verdict

USER_ID = 501
OTHER = 502


async def test_rate_limit_is_polite_and_per_user(chat: Any) -> None:
    chat.runtime.limiter = UserRateLimiter(3, 60)
    chat.api.add_user(OTHER, "邻居")
    for number in range(6):
        chat.api.send_text(USER_ID, f"第{number}条：明天一起吃饭吗")
    chat.api.send_text(OTHER, "明天一起吃饭吗")
    assert (await chat.api.next_bot_message(OTHER, timeout=30)).text.startswith("🟢")
    texts = [(await chat.next()).text for _ in range(4)]  # 3 verdicts and 1 "slow down"
    await chat.api.wait_idle(settle=0.5)
    assert not chat.api.pending_bot_messages(USER_ID)  # and nothing more
    assert sum(text.startswith("🟢") for text in texts) == 3
    slow_down = [text for text in texts if "发得太快" in text]
    assert len(slow_down) == 1 and "3 条" in slow_down[0]  # said once, not per message


async def test_one_users_flood_does_not_delay_another(chat: Any) -> None:
    # The flood's checks hang until the other user has had an answer: if one user's
    # checks queued behind another's, that answer would never come and chat.verdict()
    # would time out. No stopwatch needed.
    analyzer = chat.running_bot.application.bot_data.services.analyzer
    analyze = analyzer.analyze
    gate, holding = asyncio.Event(), asyncio.Event()

    async def gated(submission: Submission) -> Verdict:
        if "我是你领导" in submission.combined_text():
            holding.set()
            await gate.wait()
        return await analyze(submission)

    analyzer.analyze = gated
    try:
        chat.api.add_user(OTHER, "刷屏的人")
        for number in range(60):
            chat.api.send_text(OTHER, f"{number} 我是你领导，急需转账到这个账户")
        await asyncio.wait_for(holding.wait(), 30)  # the flood is being checked (and held)
        chat.api.send_text(USER_ID, "妈，我今晚回家吃饭")
        reply = await chat.verdict()
        assert reply.text.startswith("🟢")
        assert not gate.is_set()
    finally:
        gate.set()
        del analyzer.analyze
    await chat.api.wait_idle(timeout=20)


async def test_429_from_the_server_is_retried(chat: Any) -> None:
    chat.api.fail_next("sendMessage", status=429, retry_after=1)
    chat.api.send_text(USER_ID, "我是你领导，急需转账")
    reply = await chat.verdict(timeout=15)
    assert reply.text.startswith(("🔴", "🟠"))
    failed = [call for call in chat.api.sent if call.method == "sendMessage" and call.error]
    assert failed and "Too Many Requests" in str(failed[0].error)
    assert len(chat.events()) == 1


def _longest_scam() -> str:
    chunk = (
        "请立即把钱转到安全账户6222021234567890128，联系警官13812345678，"
        "登录 http://icbc-verify{n}.top/login 输入验证码。<b>&amp;</b>"
    )
    text, number = "", 0
    while True:
        piece = chunk.format(n=number)
        if utf16_len(text + piece) > 4096:
            break
        text, number = text + piece, number + 1
    return text + "急" * (4096 - utf16_len(text))


async def test_a_message_at_the_4096_limit_gets_valid_replies(chat: Any) -> None:
    text = _longest_scam()
    assert utf16_len(text) == 4096
    chat.api.send_text(USER_ID, text)
    reply = await chat.verdict(timeout=20)
    assert reply.kind == "edited" and reply.text.startswith("🔴 高风险")
    assert utf16_len(reply.text) <= 700
    chat.api.press_button(USER_ID, reply, index=0)
    details = await chat.next(timeout=20)
    assert details.text.startswith("🔍")
    assert utf16_len(details.text) <= 4096
    assert details.text.rstrip().endswith("省略了）")  # cut between lines, with a note
    assert "<b>&amp;</b>" not in details.html  # user text always escaped
    assert not [call for call in chat.api.sent if call.error]  # Telegram accepted every call


async def test_traditional_writers_get_traditional_replies(chat: Any) -> None:
    chat.api.send_text(USER_ID, "您好，我是銀行客服，您的帳戶有異常，請提供驗證碼給我處理")
    reply = await chat.verdict()
    assert reply.text.startswith("🔴 高風險") or reply.text.startswith("🟠 中風險")
    assert "詐騙" in reply.text or "轉賬" in reply.text
    assert any("什麼" in button.text for button in reply.flat_buttons)  # s2t: 爲什麼
    chat.api.send_text(USER_ID, "/paid")
    steps = await chat.next()
    assert "報警" in steps.text


async def test_concurrent_users_each_get_their_own_verdict(chat: Any) -> None:
    users = list(range(600, 610))
    for user_id in users:
        chat.api.add_user(user_id, f"用户{user_id}")
        chat.api.send_text(user_id, "我是你领导，急需转账" if user_id % 2 else "今晚吃饭")
    replies = await asyncio.gather(
        *(chat.api.next_bot_message(user_id, timeout=10) for user_id in users)
    )
    for user_id, reply in zip(users, replies, strict=True):
        assert reply.text.startswith("🟠" if user_id % 2 else "🟢") or reply.text.startswith("🔴")
