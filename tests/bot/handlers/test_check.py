"""End to end: a resident forwards a scam and gets a verdict; only the hash is stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.storage import create_engine, session_factory
from bot.storage.models import ContentCheck

USER_ID = 501
SCAM = (
    "您好，我是公安局民警，您的账户涉嫌洗钱，请把资金转到安全账户 6222 0212 3456 7890 128 配合调查"
)


async def _stored_checks(running_bot: Any) -> list[ContentCheck]:
    engine = create_engine(running_bot.settings.database_url.get_secret_value())
    async with session_factory(engine)() as session:
        rows = list(await session.scalars(select(ContentCheck)))
    await engine.dispose()
    return rows


async def test_forwarded_scam_gets_a_high_risk_verdict(running_bot: Any) -> None:
    api = running_bot.api
    api.send_forwarded(USER_ID, SCAM, origin={"type": "hidden_user", "sender_user_name": "陌生人"})
    reply = await api.next_bot_message(USER_ID, timeout=10)
    assert reply.text.startswith("🔴 高风险")
    assert "冒充公检法" in reply.text
    assert "安全账户" in reply.text
    assert "6222 0212 3456 7890 128" not in reply.text  # card numbers are masked
    assert "110" in reply.text and "96110" in reply.text
    [stored] = await _stored_checks(running_bot)
    assert stored.risk == "high" and stored.fraud_type == "impersonate_police"
    assert stored.raw_text is None
    assert SCAM not in str(stored.evidence) and "62220212" not in str(stored.indicators)


async def test_everyday_message_stays_calm(running_bot: Any) -> None:
    api = running_bot.api
    api.send_text(USER_ID, "妈，我今晚回家吃饭，帮我留点菜。")
    reply = await api.next_bot_message(USER_ID, timeout=10)
    assert reply.text.startswith("🟢 暂未发现明显诈骗特征")
    assert "安全" not in reply.text.splitlines()[0]


async def test_hidden_link_is_checked(running_bot: Any) -> None:
    api = running_bot.api
    text = "您的电子密码器已过期，请点此升级"
    api.send_text(
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
    reply = await api.next_bot_message(USER_ID, timeout=10)
    assert reply.text.startswith(("🔴", "🟠"))
    assert "工商银行" in reply.text


async def test_photo_without_caption_gets_a_polite_answer(running_bot: Any) -> None:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )
    running_bot.api.send_photo(USER_ID, png)
    reply = await running_bot.api.next_bot_message(USER_ID, timeout=10)
    assert "文字" in reply.text and "别扫码" in reply.text
