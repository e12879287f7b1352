"""The local Bot API server, driven by a real python-telegram-bot application."""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import aiohttp
import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageOriginChannel,
    MessageOriginHiddenUser,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import AIORateLimiter, Application

from bot.localapi import ApiError, Button, LocalBotApi, parse_html
from bot.localapi.entities import detect_entities, entity_text, utf16_len
from bot.localapi.validation import format_text

TOKEN = "123456:local-test-token"
USER = 1001
OTHER = 1002
GROUP = -4001
StartBot = Callable[
    ..., AbstractAsyncContextManager[tuple[Application[Any, Any, Any, Any, Any, Any], list[Update]]]
]


@pytest.fixture
async def api() -> AsyncIterator[LocalBotApi]:
    """A running server that knows one user."""
    async with LocalBotApi(TOKEN) as server:
        server.add_user(USER, "小明", username="xiaoming")
        yield server


@pytest.fixture
async def bot(api: LocalBotApi) -> AsyncIterator[Bot]:
    """A bare Bot (no polling) talking to the server."""
    async with Bot(TOKEN, base_url=api.base_url, base_file_url=api.base_file_url) as client:
        yield client


def _first(updates: list[Update], kind: str) -> Any:
    return next(getattr(u, kind) for u in updates if getattr(u, kind) is not None)


def _messages(updates: list[Update]) -> list[Message]:
    return [update.message for update in updates if update.message is not None]


# HTML parsing and entities (no HTTP) ----------------------------------------------------


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b>粗体", 'Can\'t find end tag corresponding to start tag "b"'),
        ("中</b>", "Unexpected end tag at byte offset 3"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<a href=x", "Unclosed start tag at byte offset 0"),
    ],
)
def test_bad_html_is_rejected_with_telegrams_message(source: str, error: str) -> None:
    with pytest.raises(ApiError) as raised:
        parse_html(source)
    assert raised.value.code == 400
    assert raised.value.description == f"Bad Request: can't parse entities: {error}"


def test_html_becomes_text_and_utf16_entities() -> None:
    parsed = parse_html(
        '😀<b>粗</b> <a href="example.com">链接</a> &lt;&amp;&nbsp;'
        '<pre><code class="language-python">x</code></pre>'
        "<blockquote expandable>引</blockquote><tg-spoiler>s</tg-spoiler>"
    )
    assert parsed.text == "😀粗 链接 <&&nbsp;x引s"
    assert parsed.entities == [
        {"type": "bold", "offset": 2, "length": 1},
        {"type": "text_link", "offset": 4, "length": 2, "url": "http://example.com/"},
        {"type": "pre", "offset": 15, "length": 1, "language": "python"},
        {"type": "expandable_blockquote", "offset": 16, "length": 1},
        {"type": "spoiler", "offset": 17, "length": 1},
    ]


@given(st.text(max_size=50))
def test_escaped_text_round_trips(text: str) -> None:
    parsed = parse_html(f"<b>{html.escape(text)}</b>")
    assert parsed.text == text
    if text:
        assert parsed.entities == [{"type": "bold", "offset": 0, "length": utf16_len(text)}]


def test_formatting_trims_and_counts_after_parsing() -> None:
    assert format_text("  <b> 你好 </b>\n", parse_mode="HTML").text == "你好"
    assert format_text("&lt;" * 4096, parse_mode="HTML").text == "<" * 4096
    with pytest.raises(ApiError, match="message text is empty"):
        format_text("<b> </b>", parse_mode="HTML")


def test_detected_entities_in_user_text() -> None:
    text = "😀 中奖请访问abc.top/领取，或 https://t.me/+x) 问 a.b@qq.com /start 找 @helper_bot"
    found = [(e["type"], entity_text(text, e)) for e in detect_entities(text)]
    assert found == [
        ("url", "abc.top/领取"),
        ("url", "https://t.me/+x"),
        ("email", "a.b@qq.com"),
        ("bot_command", "/start"),
        ("mention", "@helper_bot"),
    ]
    assert detect_entities("readme.txt 和 v1.2")[:1] == []


# Round trips through python-telegram-bot ------------------------------------------------


async def test_text_round_trip(api: LocalBotApi, start_bot: StartBot) -> None:
    async with start_bot(api) as (_, seen):
        sent = api.send_text(USER, "你好 <看> abc.com/x")
        reply = await api.next_bot_message(USER)
    assert reply.kind == "sent"
    assert reply.text == "收到：你好 <看> abc.com/x"
    assert reply.html == "<b>收到</b>：你好 &lt;看&gt; abc.com/x"
    assert reply.entities == ({"type": "bold", "offset": 0, "length": 2},)
    assert reply.buttons == (
        (Button("为什么？", "why"), Button("👍 准确", "good")),
        (Button("官网", url="https://www.12321.cn/"),),
    )
    message = _first(seen, "message")
    assert message.message_id == sent.message_id
    assert message.from_user.language_code == "zh-hans"
    assert message.parse_entities() != {}
    assert list(message.parse_entities().values()) == ["abc.com/x"]
    assert [call.method for call in api.sent][:2] == ["getMe", "deleteWebhook"]


async def test_length_limit_counts_after_html_parsing(api: LocalBotApi, bot: Bot) -> None:
    ok = await bot.send_message(USER, "<b>" + "字" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    assert ok.text == "字" * 4096
    await bot.send_message(USER, "😀" * 2048)  # 4096 UTF-16 code units
    for too_long in ("字" * 4097, "😀" * 2049):
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await bot.send_message(USER, f"<i>{too_long}</i>", parse_mode=ParseMode.HTML)
    assert api.sent[-1].error == "Bad Request: message is too long"


async def test_html_errors_surface_as_bad_request(api: LocalBotApi, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities: unsupported start tag"):
        await bot.send_message(USER, "<p>段落</p>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(USER, "  ")
    assert api.bot_messages == []


async def test_button_data_and_unknown_chat(api: LocalBotApi, bot: Bot) -> None:
    def keyboard(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("按钮", callback_data=data)]])

    await bot.send_message(USER, "ok", reply_markup=keyboard("x" * 64))
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(USER, "no", reply_markup=keyboard("字" * 22))  # 66 bytes
    assert api.sent[-1].error == "Bad Request: BUTTON_DATA_INVALID"
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(999, "hi")


async def test_rate_limit_and_blocked_user(api: LocalBotApi, bot: Bot) -> None:
    api.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter, match="Retry in 3"):
        await bot.send_message(USER, "hi")
    await bot.send_message(USER, "hi")
    api.block_bot(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "hi")


async def test_rate_limiter_retries_after_429(api: LocalBotApi, start_bot: StartBot) -> None:
    api.fail_next("sendMessage", status=429, retry_after=1)
    async with start_bot(api, rate_limiter=AIORateLimiter(max_retries=1)) as (app, _):
        began = time.monotonic()
        message = await app.bot.send_message(USER, "稍后再试")
    assert message.text == "稍后再试"
    assert time.monotonic() - began >= 1
    errors = [call.error for call in api.sent if call.method == "sendMessage"]
    assert errors == ["Too Many Requests: retry after 1", None]


async def test_forwarded_message_and_hidden_link(api: LocalBotApi, start_bot: StartBot) -> None:
    async with start_bot(api) as (_, seen):
        api.send_forwarded(
            USER, "公安局通知", origin={"type": "channel", "chat_id": -1009, "title": "通知"}
        )
        api.send_forwarded(USER, "转账", origin={"type": "hidden_user"})
        link = {"type": "text_link", "offset": 0, "length": 3, "url": "http://evil.example/"}
        api.send_text(USER, "点这里领取", entities=[link])
        await api.wait_idle()
    channel, hidden, linked = _messages(seen)
    assert isinstance(channel.forward_origin, MessageOriginChannel)
    assert channel.forward_origin.chat.title == "通知"
    assert isinstance(hidden.forward_origin, MessageOriginHiddenUser)
    assert linked.entities[0].url == "http://evil.example/"
    assert linked.parse_entity(linked.entities[0]) == "点这里"


async def test_photos_both_ways(api: LocalBotApi, start_bot: StartBot, png: bytes) -> None:
    async with start_bot(api) as (app, seen):
        api.send_photo(USER, png, caption="看 abc.com")
        reply = await api.next_bot_message(USER)
        assert reply.text == f"图片 {len(png)} 字节"
        assert _first(seen, "message").photo[-1].width == 2
        sent = await app.bot.send_photo(USER, png, caption="<b>截图</b>", parse_mode="HTML")
        again = await app.bot.send_photo(USER, sent.photo[-1].file_id)
        document = await app.bot.send_document(USER, b"%PDF-1.4", filename="a.pdf")
        data = await (await app.bot.get_file(again.photo[-1].file_id)).download_as_bytearray()
    assert bytes(data) == png
    assert sent.caption == "截图"
    assert sent.caption_entities[0].type == "bold"
    assert (document.document.file_name, document.document.file_size) == ("a.pdf", 8)


async def test_button_press_is_answered_and_edits(api: LocalBotApi, start_bot: StartBot) -> None:
    async with start_bot(api) as (_, seen):
        api.send_text(USER, "中奖了")
        reply = await api.next_bot_message(USER)
        pressed = api.press_button(USER, reply, data="why")
        edit = await api.next_bot_message(USER)
    assert (edit.kind, edit.message_id, edit.text) == ("edited", reply.message_id, "你选择了 why")
    assert edit.buttons == ()  # editMessageText without reply_markup drops the keyboard
    assert edit.message["edit_date"] >= reply.message["date"]
    assert api.callback_answers[0].callback_query_id == pressed.callback_query_id
    assert api.callback_answers[0].text == "谢谢"
    assert _first(seen, "callback_query").data == "why"


async def test_edit_errors(api: LocalBotApi, bot: Bot) -> None:
    message = await bot.send_message(USER, "<b>原文</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("<b>原文</b>", USER, message.message_id, parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("新", USER, 999)
    edited = await bot.edit_message_text("原文", USER, message.message_id)
    assert isinstance(edited, Message)
    assert edited.entities == ()
    assert [event.kind for event in api.bot_messages] == ["sent", "edited"]
    assert await bot.delete_message(USER, message.message_id)
    assert api.bot_messages[-1].kind == "deleted"


async def test_group_join_members_and_messages(api: LocalBotApi, start_bot: StartBot) -> None:
    api.add_user(OTHER, "小红")
    api.add_group(GROUP, "防骗群", members=[OTHER], owner=USER, bot_status="left")
    async with start_bot(api) as (app, seen):
        joined = api.member_joined(GROUP, [api.bot_id], by=USER)
        api.send_text(OTHER, "群里有人发链接 t.cn/abc", chat_id=GROUP)
        reply = await api.next_bot_message(GROUP)
        owner = await app.bot.get_chat_member(GROUP, USER)
        admins = await app.bot.get_chat_administrators(GROUP)
        chat = await app.bot.get_chat(GROUP)
    assert joined.also[0]["my_chat_member"]["new_chat_member"]["status"] == "member"
    my_member = _first(seen, "my_chat_member")
    assert (my_member.new_chat_member.status, my_member.from_user.id) == ("member", USER)
    join_message, group_message = _messages(seen)
    assert [user.id for user in join_message.new_chat_members] == [api.bot_id]
    assert group_message.chat.type == "group"
    assert reply.chat_id == GROUP
    assert reply.message["reply_to_message"]["text"] == "群里有人发链接 t.cn/abc"
    assert owner.status == "creator"
    assert [admin.user.id for admin in admins] == [USER]
    assert chat.title == "防骗群"


async def test_webhook_commands_actions_and_token(api: LocalBotApi, bot: Bot) -> None:
    assert await bot.set_webhook("https://example.com/hook")
    assert (await bot.get_webhook_info()).url == "https://example.com/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook()
    assert await bot.set_my_commands([("check", "检查一条消息")])
    assert [c.command for c in await bot.get_my_commands()] == ["check"]
    await bot.send_chat_action(USER, "typing")
    assert [(a.chat_id, a.action) for a in api.chat_actions] == [(USER, "typing")]
    with pytest.raises(InvalidToken, match="rejected"):
        async with Bot("123456:wrong", base_url=api.base_url):
            pass


async def test_allowed_updates_and_opt_in_chat_member(api: LocalBotApi, bot: Bot) -> None:
    api.add_user(OTHER, "小红")
    api.add_group(GROUP, "防骗群", owner=USER, bot_status="administrator")
    api.send_text(USER, "私聊")
    assert await bot.get_updates(allowed_updates=["callback_query"]) == ()
    api.member_joined(GROUP, [OTHER])  # chat_member is sent only when asked for
    updates = await bot.get_updates(allowed_updates=[])
    assert [u.message.new_chat_members[0].id for u in updates if u.message] == [OTHER]
    assert not any(u.chat_member for u in updates)
    api.add_user(3003, "小刚")
    api.member_joined(GROUP, [3003], by=USER)
    offset = updates[-1].update_id + 1
    updates = await bot.get_updates(offset, allowed_updates=["chat_member", "message"])
    assert [u.chat_member.new_chat_member.user.id for u in updates if u.chat_member] == [3003]


async def test_user_documents_replies_and_bot_voice(api: LocalBotApi, bot: Bot) -> None:
    first = api.send_text(USER, "原消息")
    api.send_text(USER, "回复", reply_to=first.message_id)
    api.send_document(USER, b"hello", "a.txt", "text/plain", caption="看 abc.com")
    _, reply, document = (u.message for u in await bot.get_updates())
    assert reply and reply.reply_to_message and reply.reply_to_message.text == "原消息"
    assert document and document.document and document.document.file_name == "a.txt"
    assert [e.type for e in document.caption_entities] == ["url"]
    file = await bot.get_file(document.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"hello"
    voice = await bot.send_voice(USER, b"OggS-voice", duration=3)
    assert voice.voice and voice.voice.file_size == len(b"OggS-voice")
    assert api.sent[-1].params["duration"] == 3


# Raw HTTP -------------------------------------------------------------------------------


async def test_raw_requests(api: LocalBotApi) -> None:
    async with aiohttp.ClientSession() as session:
        url = f"{api.root_url}/bot{TOKEN}"
        async with session.post(f"{url}/noSuchMethod") as response:
            assert response.status == 404
            assert await response.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }
        body = {"chat_id": USER, "text": "json", "reply_markup": {"inline_keyboard": []}}
        async with session.post(f"{url}/sendmessage", json=body) as response:
            assert (await response.json())["result"]["text"] == "json"
        async with session.get(f"{url}/sendMessage", params={"chat_id": USER, "text": "7"}) as r:
            assert (await r.json())["result"]["text"] == "7"


async def test_concurrent_long_polls_and_stop(api: LocalBotApi) -> None:
    async def poll(session: aiohttp.ClientSession, offset: int = 0) -> dict[str, Any]:
        url = f"{api.root_url}/bot{TOKEN}/getUpdates"
        async with session.post(url, data={"timeout": "30", "offset": str(offset)}) as response:
            result: dict[str, Any] = await response.json()
            return result

    async with aiohttp.ClientSession() as session:
        first = asyncio.create_task(poll(session))
        await asyncio.sleep(0.05)
        second = asyncio.create_task(poll(session))
        assert (await first)["error_code"] == 409
        api.send_text(USER, "hi")
        assert (await second)["result"][0]["message"]["text"] == "hi"
        third = asyncio.create_task(poll(session, offset=2))
        await asyncio.sleep(0.05)
        began = time.monotonic()
        await api.stop()
        assert (await third)["result"] == []
        assert time.monotonic() - began < 2


async def test_next_bot_message_times_out(api: LocalBotApi) -> None:
    with pytest.raises(TimeoutError):
        await api.next_bot_message(USER, timeout=0.05)
    with pytest.raises(ValueError, match="add_user"):
        api.send_text(42, "who am I")
    assert api.pending_bot_messages() == []
