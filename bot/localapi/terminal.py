"""Chat with the bot from a terminal, through the local Bot API server.

What a person types becomes a private message from a local user; the bot's replies are
printed as plain text (bold in a real terminal, links as "text (url)"), edits with "✎ ",
inline buttons as numbered choices that a bare number presses.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TextIO

from .entities import utf16_to_index
from .server import LocalBotApi
from .state import BotMessage, Button

DEFAULT_USER_ID = 10_000
BANNER = """\
反诈助手 · 本地聊天 / local chat with the bot (no Telegram needed)
  回车发送，行尾加 \\ 换行继续 · Enter sends; end a line with \\ to continue it
  数字 N 按下最新消息的第 N 个按钮 · N presses button N of the latest message
  /forward 文本  作为转发消息发送 · /forward TEXT sends TEXT as a forwarded message
  /photo 路径  发送图片 · /photo PATH sends an image file
  /quit 或 Ctrl-D 退出 · /quit or Ctrl-D quits
"""
# A human does not notice 0.2 s, and a bot busy between two calls gets that long.
_QUIET = 0.2
_HIDDEN_ORIGIN = {"type": "hidden_user", "sender_user_name": "未知用户"}
_ANSI = {"bold": ("\x1b[1m", "\x1b[22m"), "italic": ("\x1b[3m", "\x1b[23m")}


def render(text: str, entities: tuple[dict[str, object], ...], *, ansi: bool) -> str:
    """Plain text of a message: links as "text (url)", bold/italic as ANSI when `ansi`."""
    inserts: list[tuple[int, int, str]] = []  # (index, closing first, text)
    for entity in entities:
        offset, length = int(str(entity["offset"])), int(str(entity["length"]))
        start, end = utf16_to_index(text, offset), utf16_to_index(text, offset + length)
        kind = entity["type"]
        if kind == "text_link":
            inserts.append((end, 0, f" ({entity['url']})"))
        elif ansi and kind in _ANSI:
            opening, closing = _ANSI[str(kind)]
            inserts.append((start, 1, opening))
            inserts.append((end, 0, closing))
    pieces: list[str] = []
    last = 0
    for index, _, insert in sorted(inserts, key=lambda item: (item[0], item[1])):
        pieces.append(text[last:index])
        pieces.append(insert)
        last = index
    pieces.append(text[last:])
    return "".join(pieces)


def format_buttons(buttons: tuple[tuple[Button, ...], ...]) -> list[str]:
    """One line per keyboard row: `[1] 为什么？  [2] 👍 准确`, numbered across rows."""
    lines: list[str] = []
    number = 0
    for row in buttons:
        cells = []
        for button in row:
            number += 1
            link = f" ({button.url})" if button.url else ""
            cells.append(f"[{number}] {button.text}{link}")
        lines.append("  ".join(cells))
    return lines


def _read_file(path: str) -> bytes:
    return Path(path).expanduser().read_bytes()


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


async def _lines(stream: TextIO) -> AsyncIterator[str]:
    """Lines of `stream`, read by a daemon thread so the event loop never blocks."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        while True:
            line = stream.readline()
            try:
                loop.call_soon_threadsafe(queue.put_nowait, line or None)
            except RuntimeError:  # the loop is gone: nobody is listening any more
                return
            if not line:
                return

    threading.Thread(target=read, name="terminal-input", daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line.rstrip("\r\n")


async def _messages(stream: TextIO) -> AsyncIterator[str]:
    """Messages: lines joined while they end with a backslash."""
    parts: list[str] = []
    async for line in _lines(stream):
        if line.endswith("\\"):
            parts.append(line[:-1])
            continue
        parts.append(line)
        yield "\n".join(parts)
        parts = []
    if parts:
        yield "\n".join(parts)


class _TerminalChat:
    """The printing and the commands of one terminal session."""

    def __init__(self, api: LocalBotApi, user_id: int, output: TextIO, reply_wait: float):
        self.api = api
        self.user_id = user_id
        self.output = output
        self.ansi = _is_tty(output)
        self.reply_wait = reply_wait
        self.with_buttons: dict[int, BotMessage] = {}

    def say(self, text: str) -> None:
        self.output.write(text + "\n")
        self.output.flush()

    def show(self, event: BotMessage) -> None:
        """Print one thing the bot did."""
        if event.kind == "deleted":
            self.with_buttons.pop(event.message_id, None)
            self.say("🗑 (消息已删除 / message deleted)")
            return
        media = next((k for k in ("photo", "document", "voice") if k in event.message), None)
        body = render(event.text, event.entities, ansi=self.ansi)
        if media:
            body = f"[{media}] {body}".rstrip()
        prefix = "✎ " if event.kind == "edited" else "🤖 "
        self.say(prefix + body)
        for line in format_buttons(event.buttons):
            self.say("    " + line)
        if event.buttons:
            self.with_buttons[event.message_id] = event
        else:
            self.with_buttons.pop(event.message_id, None)

    def flush(self) -> None:
        for event in self.api.pending_bot_messages(self.user_id):
            self.show(event)

    async def print_forever(self) -> None:
        while True:
            self.show(await self.api.next_bot_message(self.user_id, timeout=None))

    def press(self, number: int) -> None:
        if not self.with_buttons:
            self.say("（没有可按的按钮 / no buttons to press）")
            return
        latest = self.with_buttons[max(self.with_buttons)]
        buttons = latest.flat_buttons
        if not 1 <= number <= len(buttons):
            self.say(f"（没有按钮 {number} / no button {number}）")
        elif buttons[number - 1].url:
            self.say(f"🔗 {buttons[number - 1].url}")
        else:
            self.api.press_button(self.user_id, latest, index=number - 1)

    async def send_photo(self, path: str) -> None:
        try:
            image = await asyncio.to_thread(_read_file, path)
        except OSError as error:
            raise ValueError(f"cannot read {path}: {error.strerror}") from None
        self.api.send_photo(self.user_id, image)

    async def handle(self, text: str) -> None:
        """Send one input to the bot, then wait until it has answered."""
        command, _, rest = text.partition(" ")
        try:
            if text.strip().isdigit():
                self.press(int(text))
            elif command == "/forward":
                self.api.send_forwarded(self.user_id, rest, origin=_HIDDEN_ORIGIN)
            elif command == "/photo":
                await self.send_photo(rest.strip())
            elif text.strip():
                self.api.send_text(self.user_id, text)
        except ValueError as error:
            self.say(f"（未发送 / not sent: {error}）")
            return
        with contextlib.suppress(TimeoutError):
            await self.api.wait_idle(timeout=self.reply_wait, settle=_QUIET)
        self.flush()


async def run_terminal_chat(
    api: LocalBotApi,
    *,
    user_id: int = DEFAULT_USER_ID,
    first_name: str = "本地用户",
    input_stream: TextIO = sys.stdin,
    output_stream: TextIO = sys.stdout,
    reply_wait: float = 10.0,
) -> None:
    """Chat with the bot polling `api` until /quit or end of input.

    After each input the chat waits (up to `reply_wait` s) for the bot to go idle, so a
    number typed next refers to the buttons of the reply just printed.
    """
    if not api.has_user(user_id):
        api.add_user(user_id, first_name)
    chat = _TerminalChat(api, user_id, output_stream, reply_wait)
    chat.say(BANNER)
    printer = asyncio.create_task(chat.print_forever())
    try:
        async for text in _messages(input_stream):
            if text.strip() in ("/quit", "/exit"):
                break
            await chat.handle(text)
    finally:
        printer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await printer
        chat.flush()
