"""A local Telegram Bot API server (aiohttp) for tests and the terminal chat.

The bot talks to it exactly as to api.telegram.org: `{root}/bot{token}/{method}` and
`{root}/file/bot{token}/{path}`. Tests act as users through the methods of
`UserSimulator` and watch the bot through `next_bot_message`, `sent` and `wait_idle`.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from typing import Any

from aiohttp import web

from .errors import ApiError
from .methods import METHODS
from .params import read_params
from .state import (
    JSON,
    ApiCall,
    BotApiState,
    BotMessage,
    CallbackAnswer,
    ChatAction,
    UserRecord,
)
from .users import UserSimulator

_LOGGER = logging.getLogger(__name__)
_MAX_UPLOAD = 60 * 1024 * 1024
_POLL_LIMIT = 100
_CANONICAL = {name.lower(): name for name in [*METHODS, "getUpdates"]}
_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


@dataclass
class _Fault:
    status: int
    description: str
    retry_after: int | None
    remaining: int


def _bot_id(token: str) -> int:
    prefix = token.split(":", 1)[0]
    return int(prefix) if prefix.isdigit() else 1


def _default_description(status: int, retry_after: int | None) -> str:
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        return f"Too Many Requests: retry after {retry_after}"
    if status == HTTPStatus.FORBIDDEN:
        return "Forbidden: bot was blocked by the user"
    return HTTPStatus(status).phrase


def _response(error: ApiError) -> web.Response:
    return web.json_response(error.to_json(), status=error.code)


class LocalBotApi(UserSimulator):
    """A Bot API server on `host:port` (port 0: any free port) for the bot with `token`.

    Use as `async with LocalBotApi(token) as api:` or call `start()` and `stop()`.
    """

    def __init__(
        self,
        token: str,
        *,
        bot_username: str = "scamcheck_local_bot",
        bot_name: str = "反诈助手",
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.token = token
        bot = UserRecord(_bot_id(token), bot_name, bot_username, is_bot=True)
        self._state = BotApiState(bot)
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self._faults: dict[str, list[_Fault]] = {}
        self._cursors: dict[int | None, int] = {}
        self._in_flight = 0
        self._activity = 0
        self.sent: list[ApiCall] = []
        """Every call the bot made except getUpdates, in order, with its outcome."""

    # Lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on host:port; the real port is known afterwards."""
        if self._runner is not None:
            return
        app = web.Application(client_max_size=_MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, self._port))
        self._port = sock.getsockname()[1]
        await web.SockSite(runner, sock).start()
        self._state.updates.closed = False
        self._runner = runner

    async def stop(self) -> None:
        """Answer pending long polls with no updates, then shut the server down."""
        if self._runner is None:
            return
        self._state.updates.closed = True
        self._state.signal.notify()
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def __aenter__(self) -> LocalBotApi:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def root_url(self) -> str:
        """`http://host:port`."""
        return f"http://{self._host}:{self._port}"

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder().base_url()`."""
        return f"{self.root_url}/bot"

    @property
    def base_file_url(self) -> str:
        """For `ApplicationBuilder().base_file_url()`."""
        return f"{self.root_url}/file/bot"

    # Observing the bot -------------------------------------------------------------------

    @property
    def bot(self) -> UserRecord:
        """The bot's own user."""
        return self._state.bot

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """Every answerCallbackQuery, in order."""
        return self._state.callback_answers

    @property
    def chat_actions(self) -> list[ChatAction]:
        """Every sendChatAction, in order."""
        return self._state.chat_actions

    @property
    def bot_messages(self) -> list[BotMessage]:
        """Everything the bot sent, edited or deleted, in order."""
        return self._state.events

    @property
    def webhook_url(self) -> str:
        """The URL of the last setWebhook ("" when none)."""
        return str(self._state.webhook["url"])

    def _take(self, chat_id: int | None, limit: int | None) -> list[BotMessage]:
        events = self._state.events
        cursor = self._cursors.get(chat_id, 0)
        taken: list[BotMessage] = []
        while cursor < len(events) and (limit is None or len(taken) < limit):
            if chat_id is None or events[cursor].chat_id == chat_id:
                taken.append(events[cursor])
            cursor += 1
        self._cursors[chat_id] = cursor
        return taken

    def pending_bot_messages(self, chat_id: int | None = None) -> list[BotMessage]:
        """Bot messages in `chat_id` (None: any chat) not yet returned, without waiting."""
        return self._take(chat_id, None)

    async def next_bot_message(
        self,
        chat_id: int | None = None,
        *,
        timeout: float | None = 5.0,  # noqa: ASYNC109 - like asyncio.wait_for, for tests
    ) -> BotMessage:
        """The next message the bot sent, edited or deleted in `chat_id` (None: any chat).

        Each call returns a later event; raises TimeoutError if none comes within `timeout`.
        """
        found: list[BotMessage] = []

        def arrived() -> bool:
            found.extend(self._take(chat_id, 1))
            return bool(found)

        if not await self._state.signal.wait_for(arrived, timeout):
            raise TimeoutError(f"the bot sent nothing to chat {chat_id} within {timeout} s")
        return found[0]

    def _is_idle(self) -> bool:
        return self._state.updates.pending == 0 and self._in_flight == 0

    async def wait_idle(
        self,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - like asyncio.wait_for, for tests
        settle: float = 0.05,
    ) -> None:
        """Wait until the bot has fetched every update and made no call for `settle` s.

        A heuristic (the bot may still be thinking between two calls): prefer
        `next_bot_message` when you know what to expect.
        """
        try:
            async with asyncio.timeout(timeout):
                while True:
                    await self._state.signal.wait_for(self._is_idle, None)
                    mark = self._activity
                    await asyncio.sleep(settle)
                    if self._is_idle() and self._activity == mark:
                        return
        except TimeoutError:
            raise TimeoutError(f"the bot did not go idle within {timeout} s") from None

    # Fault injection ---------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail with `status` (429: retry_after)."""
        if status == HTTPStatus.TOO_MANY_REQUESTS and retry_after is None:
            retry_after = 1
        text = description or _default_description(status, retry_after)
        fault = _Fault(status, text, retry_after, times)
        self._faults.setdefault(method.lower(), []).append(fault)

    def _injected_fault(self, method: str) -> ApiError | None:
        faults = self._faults.get(method.lower())
        if not faults:
            return None
        fault = faults[0]
        fault.remaining -= 1
        if fault.remaining <= 0:
            faults.pop(0)
        return ApiError(fault.status, fault.description, retry_after=fault.retry_after)

    # HTTP --------------------------------------------------------------------------------

    async def _call(self, method: str, params: JSON) -> Any:
        if (fault := self._injected_fault(method)) is not None:
            raise fault
        if method != "getUpdates":
            return METHODS[method](self._state, params)
        if self._state.webhook["url"]:
            raise ApiError(409, _WEBHOOK_CONFLICT)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._state.updates.allowed = frozenset(allowed)
        return await self._state.updates.fetch(
            offset=int(params.get("offset") or 0),
            limit=min(max(int(params.get("limit") or _POLL_LIMIT), 1), _POLL_LIMIT),
            wait=float(params.get("timeout") or 0),
        )

    def _bump(self, delta: int) -> None:
        self._in_flight += delta
        self._activity += 1
        self._state.signal.notify()

    async def _handle_method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _response(ApiError(401, "Unauthorized"))
        method = _CANONICAL.get(request.match_info["method"].lower())
        if method is None:
            return _response(ApiError(404, "Not Found"))
        if method == "getUpdates":
            return await self._run(method, request)
        self._bump(+1)
        try:
            return await self._run(method, request)
        finally:
            self._bump(-1)

    async def _run(self, method: str, request: web.Request) -> web.Response:
        params: JSON = {}
        try:
            params = await read_params(request)
            result = await self._call(method, params)
        except ApiError as error:
            self._log(method, params, error.description)
            return _response(error)
        except Exception as exc:  # a bug here must reach the bot as an error, not a hang
            _LOGGER.exception("local Bot API failed in %s", method)
            self._log(method, params, repr(exc))
            return _response(ApiError(500, f"Internal Server Error: {exc!r}"))
        self._log(method, params, None)
        return web.json_response({"ok": True, "result": result})

    def _log(self, method: str, params: JSON, error: str | None) -> None:
        if method != "getUpdates":
            self.sent.append(ApiCall(method, params, error))

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _response(ApiError(401, "Unauthorized"))
        stored = self._state.files.by_path(request.match_info["path"])
        if stored is None:
            return _response(ApiError(404, "Not Found"))
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )
