"""End to end: screenshots and QR codes are read (OCR + QR) and checked, one reply each burst."""

from __future__ import annotations

import io
from typing import Any

import pytest

from bot import messages
from bot.localapi import parse_html

pytest.importorskip("classifier.images")
segno = pytest.importorskip("segno")

USER_ID = 501
FAKE_BANK = "http://icbc.com.secure-refund.cn/pay"


def _qr(payload: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=6, border=4)
    return buffer.getvalue()


@pytest.fixture(autouse=True, scope="module")
def _ocr_engine_loaded() -> None:
    """Load the OCR engine once, outside the bot's per-picture time cap (a busy CI machine
    can take longer than the cap just to load it)."""
    from classifier.images import read_image_sync

    read_image_sync(_qr("warm-up"))


async def test_photo_with_a_qr_code_is_read_and_checked(chat: Any) -> None:
    chat.api.send_photo(USER_ID, _qr(FAKE_BANK))
    placeholder = await chat.next()
    assert placeholder.text == "🔎 正在识别图片…"
    reply = await chat.next(timeout=60)
    assert reply.kind == "edited" and reply.message_id == placeholder.message_id
    assert reply.text.startswith(("🔴", "🟠"))
    assert "工商银行" in reply.text
    assert any(action.action == "typing" for action in chat.api.chat_actions)


async def test_album_with_caption_is_one_check(chat: Any, png: bytes) -> None:
    chat.runtime.burst_window = 0.5
    chat.api.send_photo(USER_ID, _qr(FAKE_BANK), caption="客服说扫码退款", media_group_id="g1")
    chat.api.send_photo(USER_ID, png, media_group_id="g1")
    reply = await chat.verdict(timeout=60)
    assert reply.kind == "edited"
    assert "2 条消息合在一起" in reply.text
    await chat.api.wait_idle(settle=0.7)
    assert len([e for e in chat.events() if e.kind == "sent"]) == 1


async def test_image_document_is_read(chat: Any) -> None:
    chat.api.send_document(USER_ID, _qr(FAKE_BANK), "scan.png", "image/png")
    reply = await chat.verdict(timeout=60)
    assert reply.text.startswith(("🔴", "🟠"))


async def test_broken_image_gets_a_polite_reason(chat: Any) -> None:
    chat.api.send_document(USER_ID, b"\x89PNG\r\n\x1a\nnot really", "x.png", "image/png")
    reply = await chat.verdict(timeout=60)
    assert reply.kind == "edited"
    assert reply.text in {
        parse_html(messages.IMAGE_FAILED["damaged"]).text,
        parse_html(messages.IMAGE_FAILED["not_an_image"]).text,
    }
    assert not reply.flat_buttons


async def test_image_without_text_says_so(chat: Any, png: bytes) -> None:
    chat.api.send_photo(USER_ID, png)
    reply = await chat.verdict(timeout=60)
    assert reply.text == parse_html(messages.IMAGE_FAILED["no_text"]).text


async def test_unreadable_image_with_caption_still_checks_the_caption(chat: Any) -> None:
    chat.api.send_document(
        USER_ID, b"\x89PNG\r\n\x1a\nbroken", "x.png", "image/png", caption="我是你领导，急需转账"
    )
    reply = await chat.verdict(timeout=60)
    assert reply.text.startswith(("🔴", "🟠"))
    assert "1 张图片没能识别" in reply.text
