"""End to end: a resident sends or forwards a message and gets one clear verdict."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.localapi import parse_html
from bot.render import HEADLINES
from bot.storage.models import ContentCheck
from classifier import RiskLevel

USER_ID = 501
SCAM = (
    "您好，我是公安局民警，您的账户涉嫌洗钱，请把资金转到安全账户 6222 0212 3456 7890 128 配合调查"
)


async def _stored_checks(chat: Any) -> list[ContentCheck]:
    async with chat.db() as session:
        return list(await session.scalars(select(ContentCheck)))


async def test_forwarded_scam_gets_a_high_risk_verdict(chat: Any) -> None:
    chat.api.send_forwarded(
        USER_ID, SCAM, origin={"type": "hidden_user", "sender_user_name": "陌生人"}
    )
    reply = await chat.verdict()
    assert reply.kind == "sent"
    first = reply.text.splitlines()[0]
    assert first == parse_html(HEADLINES[RiskLevel.HIGH]).text
    assert "冒充公检法" in reply.text
    assert "陌生人" in reply.text  # where it came from
    assert "安全账户" in reply.text
    assert any(e["type"] == "bold" for e in reply.entities)  # quoted red flags are bold
    assert "6222 0212 3456 7890 128" not in reply.text  # card numbers are masked
    assert "110" in reply.text and "96110" in reply.text and "12321" in reply.text
    assert "国家反诈中心APP" in reply.text
    assert len(reply.text) <= 600
    labels = [button.text for button in reply.flat_buttons]
    assert labels[0].endswith("为什么？")
    assert any("我已经转账了" in label for label in labels)
    assert {"👍 准确", "👎 误报", "漏报"} <= set(labels)
    assert all(len((b.callback_data or "").encode()) <= 64 for b in reply.flat_buttons)
    [stored] = await _stored_checks(chat)
    assert stored.risk == "high" and stored.fraud_type == "impersonate_police"
    assert stored.raw_text is None
    assert SCAM not in str(stored.evidence) and "62220212" not in str(stored.indicators)


async def test_everyday_message_stays_calm(chat: Any) -> None:
    chat.api.send_text(USER_ID, "妈，我今晚回家吃饭，帮我留点菜。")
    reply = await chat.verdict()
    lines = reply.text.splitlines()
    assert lines[0] == "🟢 暂未发现明显诈骗特征。"
    assert len(lines) == 2 and "提醒" in lines[1]  # one tip
    assert "安全" not in reply.text
    labels = [button.text for button in reply.flat_buttons]
    assert not any("转账了" in label for label in labels)  # no "I paid" on a calm verdict
    assert "漏报" in labels
    # Plain text: no placeholder, the verdict is a reply to the message.
    assert [event.kind for event in chat.events()] == ["sent"]
    assert reply.message["reply_to_message"]["text"].startswith("妈")


async def test_hidden_link_is_checked_with_one_edited_message(chat: Any) -> None:
    text = "您的电子密码器已过期，请点此升级"
    chat.api.send_text(
        USER_ID,
        text,
        entities=[
            {
                "type": "text_link",
                "offset": 12,
                "length": 2,
                "url": "http://icbc.com.secure-xx.cn/u",
            }
        ],
    )
    placeholder = await chat.next()
    assert placeholder.kind == "sent" and placeholder.text == "🔎 正在检查链接…"
    reply = await chat.next()
    assert reply.kind == "edited" and reply.message_id == placeholder.message_id
    assert reply.text.startswith(("🔴", "🟠"))
    assert "工商银行" in reply.text
    assert any(action.action == "typing" for action in chat.api.chat_actions)
    await chat.api.wait_idle()
    assert len([e for e in chat.events() if e.kind == "sent"]) == 1  # never a pile of messages


async def test_visible_link_gets_a_placeholder_too(chat: Any) -> None:
    chat.api.send_text(USER_ID, "恭喜中奖，点击 http://prize-icbc.top/get 领取")
    placeholder = await chat.next()
    assert placeholder.text == "🔎 正在检查链接…"
    reply = await chat.next()
    assert reply.kind == "edited"
    assert reply.text.startswith(("🔴", "🟠", "🟡", "🟢"))


async def test_caption_of_a_file_is_checked(chat: Any) -> None:
    chat.api.send_document(
        USER_ID, b"%PDF-1.4", "a.pdf", "application/pdf", caption="我是你领导，急需转账"
    )
    reply = await chat.verdict()
    assert reply.text.startswith(("🔴", "🟠"))
    assert "冒充领导" in reply.text


async def test_voice_gets_a_polite_answer(chat: Any) -> None:
    from bot import messages

    chat.api.send_document(USER_ID, b"OggS...", "voice.ogg", "audio/ogg")
    reply = await chat.verdict()
    assert reply.text == parse_html(messages.VOICE_NOT_READ).text
