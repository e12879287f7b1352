"""What the local Bot API server remembers: users, chats, messages, files and the update queue."""

from __future__ import annotations

import asyncio
import mimetypes
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, NamedTuple

from .errors import ApiError, bad_request
from .validation import inline_buttons

JSON = dict[str, Any]
EventKind = Literal["sent", "edited", "deleted"]

# Telegram leaves these out unless getUpdates' allowed_updates asks for them.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


class Signal:
    """Wakes every waiter when state changes: no polling loops, no lock needed."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake all current waiters."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], bool], within: float | None) -> bool:
        """Wait until `predicate()` holds or `within` seconds pass; returns its final value."""
        try:
            async with asyncio.timeout(within):
                while not predicate():
                    await self._event.wait()
        except TimeoutError:
            return predicate()
        return True


@dataclass
class UserRecord:
    """A Telegram user (or the bot itself)."""

    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_json(self) -> JSON:
        """The User object."""
        data: JSON = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        if self.language_code and not self.is_bot:
            data["language_code"] = self.language_code
        return data


@dataclass
class ChatRecord:
    """A private chat or a group, with member statuses (creator/administrator/member/left)."""

    id: int
    type: Literal["private", "group", "supergroup"]
    title: str | None = None
    user: UserRecord | None = None
    members: dict[int, str] = field(default_factory=dict)
    blocked: bool = False
    started: bool = True
    last_message_id: int = 0

    def to_json(self) -> JSON:
        """The Chat object."""
        data: JSON = {"id": self.id, "type": self.type}
        if self.user is not None:
            data["first_name"] = self.user.first_name
            if self.user.username:
                data["username"] = self.user.username
        else:
            data["title"] = self.title or ""
        return data


@dataclass
class StoredMessage:
    """A message as Telegram keeps it; `html` is what the bot sent when it used HTML."""

    data: JSON
    from_bot: bool
    html: str | None = None


@dataclass
class StoredFile:
    """Uploaded bytes reachable through getFile and the file URL."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    file_name: str | None = None
    mime_type: str | None = None

    def to_json(self) -> JSON:
        """The File object returned by getFile."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


@dataclass(frozen=True)
class Upload:
    """A file the bot uploaded in a multipart request."""

    data: bytes = field(repr=False)
    file_name: str | None = None
    mime_type: str | None = None

    def __repr__(self) -> str:
        return f"Upload({self.file_name!r}, {len(self.data)} bytes)"


_ADMIN_RIGHTS = (
    "can_be_edited",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
)


def member_json(user: UserRecord, status: str) -> JSON:
    """A ChatMember object (owner, administrator with all rights, member, left or kicked)."""
    data: JSON = {"status": status, "user": user.to_json()}
    if status == "creator":
        data["is_anonymous"] = False
    elif status == "administrator":
        data.update(dict.fromkeys(_ADMIN_RIGHTS, True), is_anonymous=False, can_be_edited=False)
    elif status == "kicked":
        data["until_date"] = 0
    return data


class Button(NamedTuple):
    """An inline button: its text and either callback data or a URL."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class BotMessage:
    """Something the bot did to a message: sent, edited or deleted it."""

    kind: EventKind
    chat_id: int
    message_id: int
    text: str
    entities: tuple[JSON, ...]
    html: str | None
    buttons: tuple[tuple[Button, ...], ...]
    message: JSON

    @classmethod
    def of(cls, kind: EventKind, stored: StoredMessage) -> BotMessage:
        """The event for a stored message."""
        data = stored.data
        text_key = "text" if "text" in data else "caption"
        rows = inline_buttons(data.get("reply_markup"))
        return cls(
            kind=kind,
            chat_id=data["chat"]["id"],
            message_id=data["message_id"],
            text=data.get(text_key, ""),
            entities=tuple(data.get("entities") or data.get("caption_entities") or ()),
            html=stored.html,
            buttons=tuple(
                tuple(Button(b["text"], b.get("callback_data"), b.get("url")) for b in row)
                for row in rows
            ),
            message=data,
        )

    @property
    def flat_buttons(self) -> list[Button]:
        """All buttons, row by row (the numbering of the terminal chat, from 0)."""
        return [button for row in self.buttons for button in row]


class ApiCall(NamedTuple):
    """One Bot API call the bot made, with its decoded parameters and outcome."""

    method: str
    params: JSON
    error: str | None = None


class ChatAction(NamedTuple):
    """A sendChatAction call."""

    chat_id: int
    action: str


class CallbackAnswer(NamedTuple):
    """An answerCallbackQuery call."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None


@dataclass(frozen=True)
class Injected:
    """What a simulated user action put into the update queue."""

    update: JSON
    chat_id: int
    message_id: int | None = None
    callback_query_id: str | None = None
    also: tuple[JSON, ...] = ()

    @property
    def update_id(self) -> int:
        """The update's id."""
        return int(self.update["update_id"])


class UpdateLog:
    """Telegram's update queue: kept until confirmed by a later getUpdates offset."""

    def __init__(self, signal: Signal) -> None:
        self._signal = signal
        self._updates: list[JSON] = []
        self._next_id = 1
        self._active_poll = 0
        self.allowed: frozenset[str] | None = None
        self.delivered_upto = 0
        self.closed = False

    def push(self, kind: str, payload: JSON) -> JSON:
        """Append an update of `kind` (message, callback_query, ...)."""
        update = {"update_id": self._next_id, kind: payload}
        self._next_id += 1
        self._updates.append(update)
        self._signal.notify()
        return update

    @property
    def pending(self) -> int:
        """Updates not yet delivered to the bot."""
        return sum(1 for u in self._updates if u["update_id"] > self.delivered_upto)

    def drop_pending(self) -> None:
        """deleteWebhook/setWebhook with drop_pending_updates."""
        self._updates.clear()

    def confirm(self, offset: int | None) -> None:
        """Forget updates below `offset` (a negative offset keeps the last -offset)."""
        if offset is not None and offset < 0:
            self._updates = self._updates[offset:]
        elif offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def _wanted(self, update: JSON) -> bool:
        kind = next(key for key in update if key != "update_id")
        return kind in self.allowed if self.allowed else kind not in _OPT_IN_UPDATES

    def _ready(self, limit: int) -> list[JSON]:
        self._updates = [u for u in self._updates if self._wanted(u)]
        return self._updates[:limit]

    async def fetch(self, *, offset: int | None, limit: int, wait: float) -> list[JSON]:
        """getUpdates: confirm, then wait up to `wait` s; a newer call ends this one (409)."""
        self.confirm(offset)
        self._active_poll += 1
        me = self._active_poll
        self._signal.notify()
        await self._signal.wait_for(
            lambda: self.closed or self._active_poll != me or bool(self._ready(limit)), wait
        )
        if self._active_poll != me:
            raise ApiError(409, _CONFLICT)
        batch = [] if self.closed else self._ready(limit)
        if batch:
            self.delivered_upto = max(self.delivered_upto, batch[-1]["update_id"])
            self._signal.notify()
        return batch


class FileStore:
    """Bytes by file_id and by file_path, as getFile and the file URL see them."""

    _FOLDERS: ClassVar[dict[str, str]] = {
        "photo": "photos",
        "document": "documents",
        "voice": "voice",
    }

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}

    def add(
        self, data: bytes, kind: str, *, file_name: str | None = None, mime_type: str | None = None
    ) -> StoredFile:
        """Store `data` and give it a file_id and a file_path."""
        number = len(self._by_id) + 1
        suffix = ""
        if file_name and "." in file_name:
            suffix = "." + file_name.rsplit(".", 1)[1]
        elif mime_type:
            suffix = mimetypes.guess_extension(mime_type) or ""
        folder = self._FOLDERS.get(kind, kind)
        stored = StoredFile(
            file_id=f"{kind}-{number}",
            file_unique_id=f"u{number}",
            file_path=f"{folder}/file_{number}{suffix}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile:
        """The file with this id, or Telegram's 400."""
        try:
            return self._by_id[file_id]
        except KeyError:
            raise bad_request("wrong file identifier/HTTP URL specified") from None

    def by_path(self, path: str) -> StoredFile | None:
        """The file at this file_path."""
        return self._by_path.get(path)


class BotApiState:
    """All state of one local Bot API server."""

    def __init__(self, bot: UserRecord) -> None:
        self.bot = bot
        self.signal = Signal()
        self.updates = UpdateLog(self.signal)
        self.files = FileStore()
        self.users: dict[int, UserRecord] = {bot.id: bot}
        self.chats: dict[int, ChatRecord] = {}
        self.messages: dict[tuple[int, int], StoredMessage] = {}
        self.events: list[BotMessage] = []
        self.callback_queries: dict[str, bool] = {}  # id -> answered
        self.commands: dict[str, list[JSON]] = {}
        self.webhook: JSON = {"url": ""}
        self.callback_answers: list[CallbackAnswer] = []
        self.chat_actions: list[ChatAction] = []

    def user(self, user_id: int) -> UserRecord:
        """A known user; a ValueError tells the test author to call add_user first."""
        try:
            return self.users[user_id]
        except KeyError:
            raise ValueError(f"unknown user {user_id}: call add_user() first") from None

    def chat(self, chat_id: object) -> ChatRecord:
        """The chat for a chat_id parameter (an id or "@username"), or Telegram's 400."""
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for chat in self.chats.values():
                if chat.user and chat.user.username == chat_id[1:]:
                    return chat
            raise bad_request("chat not found")
        try:
            return self.chats[int(str(chat_id))]
        except (KeyError, ValueError):
            raise bad_request("chat not found") from None

    def message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        """A stored message, if it exists."""
        return self.messages.get((chat_id, message_id))

    def new_message(self, chat: ChatRecord, sender: UserRecord, **content: Any) -> JSON:
        """A Message object with the next id of `chat`; not yet stored."""
        chat.last_message_id += 1
        return {
            "message_id": chat.last_message_id,
            "from": sender.to_json(),
            "chat": chat.to_json(),
            "date": int(time.time()),
            **{key: value for key, value in content.items() if value is not None},
        }

    def store(self, data: JSON, *, from_bot: bool, html: str | None = None) -> StoredMessage:
        """Keep a message; bot messages also become a "sent" event."""
        stored = StoredMessage(data, from_bot, html)
        self.messages[(data["chat"]["id"], data["message_id"])] = stored
        if from_bot:
            self.record("sent", stored)
        return stored

    def record(self, kind: EventKind, stored: StoredMessage) -> None:
        """Log what the bot did and wake anyone waiting for it."""
        self.events.append(BotMessage.of(kind, stored))
        self.signal.notify()
