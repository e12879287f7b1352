"""End to end: forwarded messages name their origin; bursts and albums get ONE reply."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

USER_ID = 501
POLICE = "我是市公安局民警，你涉嫌洗钱，请把钱转到安全账户配合调查，此事需保密。"


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        ({"type": "user", "user_id": 777}, "来源：转发自“王小二”"),
        (
            {"type": "hidden_user", "sender_user_name": "客服小李"},
            "转发自“客服小李”（对方隐藏了账号）",
        ),
        ({"type": "chat", "title": "幸福一家人"}, "来源：转发自群组“幸福一家人”"),
        ({"type": "channel", "title": "理财<内参>"}, "来源：转发自频道“理财<内参>”"),
    ],
)
async def test_reply_names_where_a_forward_came_from(
    chat: Any, origin: dict[str, Any], expected: str
) -> None:
    chat.api.add_user(777, "王小二")
    chat.runtime.burst_window = 0.2
    chat.api.send_forwarded(USER_ID, POLICE, origin=origin)
    reply = await chat.verdict()
    assert reply.text.startswith("🔴 高风险")
    assert expected in reply.text.splitlines()[1]  # HTML in the name arrives escaped, intact


async def test_several_forwards_in_a_burst_get_one_reply(chat: Any) -> None:
    chat.runtime.burst_window = 0.4
    origin = {"type": "hidden_user", "sender_user_name": "陌生人"}
    first = chat.api.send_forwarded(USER_ID, "你好，我是公安局的。", origin=origin)
    await asyncio.sleep(0.1)
    chat.api.send_forwarded(USER_ID, "你涉嫌一起洗钱案件。", origin=origin)
    await asyncio.sleep(0.1)
    chat.api.send_forwarded(USER_ID, "请把钱转到安全账户配合调查。", origin=origin)
    reply = await chat.verdict()
    assert reply.text.startswith("🔴 高风险")
    assert "3 条消息合在一起" in reply.text
    assert reply.message["reply_to_message"]["message_id"] == first.message_id
    await chat.api.wait_idle(settle=0.6)
    assert len(chat.events()) == 1  # one reply for the whole burst


async def test_a_plain_text_during_a_burst_joins_it(chat: Any) -> None:
    chat.runtime.burst_window = 0.4
    chat.api.send_forwarded(
        USER_ID, "刷单返利，日赚三百", origin={"type": "channel", "title": "兼职群"}
    )
    chat.api.send_text(USER_ID, "这个是真的吗？")
    reply = await chat.verdict()
    assert "2 条消息合在一起" in reply.text
    await chat.api.wait_idle(settle=0.6)
    assert len(chat.events()) == 1


async def test_two_users_bursts_do_not_mix(chat: Any) -> None:
    chat.runtime.burst_window = 0.3
    chat.api.add_user(502, "另一个人")
    origin = {"type": "hidden_user", "sender_user_name": "陌生人"}
    chat.api.send_forwarded(USER_ID, POLICE, origin=origin)
    chat.api.send_forwarded(502, "妈，我到家了。", origin=origin)
    mine = await chat.verdict()
    theirs = await chat.api.next_bot_message(502, timeout=10)
    assert mine.text.startswith("🔴") and theirs.text.startswith("🟢")
    assert "合在一起" not in mine.text and "合在一起" not in theirs.text
