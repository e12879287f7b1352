"""The terminal chat, driven with in-memory streams against a real polling bot."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application

from bot.localapi import LocalBotApi, run_terminal_chat
from bot.localapi.terminal import format_buttons, render

TOKEN = "123456:local-test-token"
USER = 2001
StartBot = Callable[
    ..., AbstractAsyncContextManager[tuple[Application[Any, Any, Any, Any, Any, Any], list[Update]]]
]


@pytest.fixture
async def api() -> AsyncIterator[LocalBotApi]:
    """A running server (the terminal chat adds its own user)."""
    async with LocalBotApi(TOKEN) as server:
        yield server


async def _chat(api: LocalBotApi, start_bot: StartBot, typed: str) -> tuple[str, list[Update]]:
    output = io.StringIO()
    async with start_bot(api) as (_, seen):
        await run_terminal_chat(
            api, user_id=USER, input_stream=io.StringIO(typed), output_stream=output
        )
    return output.getvalue(), seen


async def test_message_reply_and_button_press(api: LocalBotApi, start_bot: StartBot) -> None:
    printed, seen = await _chat(api, start_bot, "这是诈骗吗？\n1\n3\n/quit\n不会发送\n")
    assert "/quit" in printed  # the banner explains it
    lines = printed.splitlines()
    reply = lines.index("🤖 收到：这是诈骗吗？")
    assert lines[reply + 1 : reply + 3] == [
        "    [1] 为什么？  [2] 👍 准确",
        "    [3] 官网 (https://www.12321.cn/)",
    ]
    assert "✎ 你选择了 why" in lines
    assert "🔗 https://www.12321.cn/" not in lines  # button 3 is gone after the edit
    assert "\x1b[" not in printed  # no ANSI codes outside a terminal
    assert [u.message.text for u in seen if u.message] == ["这是诈骗吗？"]
    assert api.callback_answers[0].text == "谢谢"


async def test_forward_multiline_photo_and_eof(
    api: LocalBotApi, start_bot: StartBot, png: bytes, tmp_path: Path
) -> None:
    image = tmp_path / "shot.png"
    image.write_bytes(png)
    typed = f"/forward 您的账户异常\\\n请点击链接\n/photo {image}\n/photo {tmp_path}/none.png\n"
    printed, seen = await _chat(api, start_bot, typed)  # ends at end of input
    forwarded, photo = (u.message for u in seen if u.message)
    assert forwarded.text == "您的账户异常\n请点击链接"
    assert forwarded.forward_origin is not None
    assert forwarded.forward_origin.type == "hidden_user"
    assert photo.photo[-1].file_size == len(png)
    assert f"🤖 图片 {len(png)} 字节" in printed
    assert "not sent: cannot read" in printed


def test_render_links_and_bold() -> None:
    entities: tuple[dict[str, object], ...] = (
        {"type": "bold", "offset": 0, "length": 3},
        {"type": "text_link", "offset": 6, "length": 2, "url": "https://x.cn/"},
    )
    text = "😀粗 看 链接"
    assert render(text, entities, ansi=False) == "😀粗 看 链接 (https://x.cn/)"
    assert render(text, entities, ansi=True) == "\x1b[1m😀粗\x1b[22m 看 链接 (https://x.cn/)"
    assert format_buttons(()) == []
