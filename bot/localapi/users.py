"""Acting as Telegram users: messages, forwards, photos, button presses and joins.

Each action builds the Update Telegram would send and puts it in the queue the bot polls.
Mistakes in a test's set-up (unknown user, bot not in the group) raise ValueError.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from .entities import detect_entities, merge_entities, utf16_len
from .media import document_json, image_size, photo_sizes
from .state import (
    JSON,
    BotApiState,
    BotMessage,
    ChatRecord,
    Injected,
    UserRecord,
    member_json,
)
from .validation import MESSAGE_LIMIT, inline_buttons

_IN_CHAT = ("creator", "administrator", "member")
_SUPERGROUP_BELOW = -1_000_000_000_000
DEFAULT_CHANNEL_ID = -1001000000001


def _check_text(text: str) -> None:
    """What a Telegram client refuses to send (it splits texts longer than the limit)."""
    if not text.strip():
        raise ValueError("Telegram clients do not send empty messages")
    if utf16_len(text) > MESSAGE_LIMIT:
        raise ValueError(f"Telegram clients split texts longer than {MESSAGE_LIMIT} characters")


def _member_update(
    chat: ChatRecord, actor: UserRecord, user: UserRecord, old: str, new: str
) -> JSON:
    return {
        "chat": chat.to_json(),
        "from": actor.to_json(),
        "date": int(time.time()),
        "old_chat_member": member_json(user, old),
        "new_chat_member": member_json(user, new),
    }


def _forward_origin(state: BotApiState, origin: Mapping[str, Any]) -> JSON:
    """A MessageOrigin (Bot API 7+); convenience keys user_id/chat_id/title/username accepted."""
    data: JSON = {"date": int(time.time()) - 3600, **origin}
    kind = data.get("type")
    if kind == "user" and "sender_user" not in data:
        data["sender_user"] = state.user(int(data.pop("user_id"))).to_json()
    elif kind == "hidden_user":
        data.setdefault("sender_user_name", "Hidden User")
    elif kind in ("chat", "channel"):
        key = "sender_chat" if kind == "chat" else "chat"
        chat: JSON = {
            "id": int(data.pop("chat_id", DEFAULT_CHANNEL_ID)),
            "type": "supergroup" if kind == "chat" else "channel",
            "title": str(data.pop("title", "频道")),
        }
        if username := data.pop("username", None):
            chat["username"] = username
        data.setdefault(key, chat)
        if kind == "channel":
            data.setdefault("message_id", 1)
    elif kind != "user":
        raise ValueError(f"unknown forward origin type {kind!r}")
    return data


class UserSimulator:
    """The user side of `LocalBotApi`: methods a test or the terminal chat calls."""

    _state: BotApiState

    @property
    def bot_id(self) -> int:
        """The bot's user id (the number before ":" in the token)."""
        return self._state.bot.id

    def has_user(self, user_id: int) -> bool:
        """Whether add_user() was called for `user_id`."""
        return user_id in self._state.users

    def add_user(
        self,
        user_id: int,
        first_name: str,
        *,
        username: str | None = None,
        language_code: str = "zh-hans",
        started: bool = True,
    ) -> UserRecord:
        """A user with a private chat; `started=False` until they message the bot first."""
        user = UserRecord(user_id, first_name, username, language_code)
        self._state.users[user_id] = user
        chat = ChatRecord(user_id, "private", user=user, started=started)
        chat.members = {user_id: "member", self.bot_id: "member"}
        self._state.chats[user_id] = chat
        return user

    def add_group(
        self,
        chat_id: int,
        title: str,
        *,
        members: Iterable[int] = (),
        admins: Iterable[int] = (),
        owner: int | None = None,
        bot_status: Literal["member", "administrator", "left"] = "member",
    ) -> ChatRecord:
        """A group (a supergroup when the id is below -10^12) with its members' statuses."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        kind: Literal["group", "supergroup"] = (
            "supergroup" if chat_id < _SUPERGROUP_BELOW else "group"
        )
        chat = ChatRecord(chat_id, kind, title=title)
        statuses = [(members, "member"), (admins, "administrator"), ((owner,), "creator")]
        for user_ids, status in statuses:
            for user_id in user_ids:
                if user_id is not None:
                    self._state.user(user_id)
                    chat.members[user_id] = status
        chat.members[self.bot_id] = bot_status
        self._state.chats[chat_id] = chat
        return chat

    def block_bot(self, chat_id: int) -> None:
        """The user blocks the bot (or the group kicks it): sends to the chat fail with 403."""
        chat = self._state.chat(chat_id)
        chat.blocked = True
        if chat.user is not None:
            update = _member_update(chat, chat.user, self._state.bot, "member", "kicked")
            self._state.updates.push("my_chat_member", update)

    def unblock_bot(self, chat_id: int) -> None:
        """Undo block_bot."""
        self._state.chat(chat_id).blocked = False

    def _chat_of(self, user: UserRecord, chat_id: int | None) -> ChatRecord:
        chat = self._state.chats.get(user.id if chat_id is None else chat_id)
        if chat is None:
            raise ValueError(f"unknown chat {chat_id}: call add_group() first")
        if chat.members.get(user.id) not in _IN_CHAT:
            raise ValueError(f"user {user.id} is not a member of chat {chat.id}")
        if chat.members.get(self.bot_id) not in _IN_CHAT:
            raise ValueError(f"the bot is not in chat {chat.id}: see member_joined()")
        return chat

    def _post(self, user_id: int, chat_id: int | None, **content: Any) -> Injected:
        user = self._state.user(user_id)
        chat = self._chat_of(user, chat_id)
        data = self._state.new_message(chat, user, **content)
        self._state.store(data, from_bot=False)
        if chat.type == "private":
            chat.started = True
        update = self._state.updates.push("message", data)
        return Injected(update, chat.id, data["message_id"])

    def _reply(self, chat_id: int, message_id: int | None) -> JSON | None:
        if message_id is None:
            return None
        stored = self._state.message(chat_id, message_id)
        if stored is None:
            raise ValueError(f"no message {message_id} in chat {chat_id}")
        return {key: value for key, value in stored.data.items() if key != "reply_to_message"}

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        entities: Sequence[Mapping[str, Any]] | None = None,
        reply_to: int | None = None,
    ) -> Injected:
        """A text message (private chat by default) with the entities Telegram detects."""
        _check_text(text)
        target = user_id if chat_id is None else chat_id
        return self._post(
            user_id,
            chat_id,
            text=text,
            entities=merge_entities(text, entities or ()) or None,
            reply_to_message=self._reply(target, reply_to),
        )

    def send_forwarded(
        self,
        user_id: int,
        text: str,
        *,
        origin: Mapping[str, Any],
        chat_id: int | None = None,
        entities: Sequence[Mapping[str, Any]] | None = None,
    ) -> Injected:
        """A forwarded text message; `origin` is a MessageOrigin dict (type user,
        hidden_user, chat or channel; a missing date is filled in)."""
        _check_text(text)
        return self._post(
            user_id,
            chat_id,
            forward_origin=_forward_origin(self._state, origin),
            text=text,
            entities=merge_entities(text, entities or ()) or None,
        )

    def _caption(self, caption: str | None) -> JSON:
        if not caption:
            return {}
        return {"caption": caption, "caption_entities": detect_entities(caption) or None}

    def send_photo(
        self,
        user_id: int,
        image: bytes,
        *,
        caption: str | None = None,
        chat_id: int | None = None,
        media_group_id: str | None = None,
    ) -> Injected:
        """A photo (PNG, JPEG, GIF or WebP bytes); the bot can download it with getFile."""
        size = image_size(image)
        if size is None:
            raise ValueError("not a PNG, JPEG, GIF or WebP image")
        stored = self._state.files.add(image, "photo", mime_type="image/jpeg")
        return self._post(
            user_id,
            chat_id,
            media_group_id=media_group_id,
            photo=photo_sizes(stored, size),
            **self._caption(caption),
        )

    def send_document(
        self,
        user_id: int,
        data: bytes,
        file_name: str,
        mime_type: str,
        *,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> Injected:
        """A document; the bot can download it with getFile."""
        stored = self._state.files.add(data, "document", file_name=file_name, mime_type=mime_type)
        return self._post(
            user_id, chat_id, document=document_json(stored), **self._caption(caption)
        )

    def press_button(
        self,
        user_id: int,
        message: BotMessage | int,
        *,
        data: str | None = None,
        index: int | None = None,
        chat_id: int | None = None,
    ) -> Injected:
        """Press an inline button of a bot message, chosen by callback `data` or by `index`
        (0-based, row by row); `message` is a BotMessage or a message id in `chat_id`."""
        if isinstance(message, BotMessage):
            chat_id, message_id = message.chat_id, message.message_id
        else:
            chat_id, message_id = (user_id if chat_id is None else chat_id), message
        user = self._state.user(user_id)
        self._chat_of(user, None if chat_id == user_id else chat_id)
        stored = self._state.message(chat_id, message_id)
        if stored is None or not stored.from_bot:
            raise ValueError(f"no bot message {message_id} in chat {chat_id}")
        button = self._pick(inline_buttons(stored.data.get("reply_markup")), data, index)
        query_id = f"{len(self._state.callback_queries) + 1}{abs(chat_id)}"
        self._state.callback_queries[query_id] = False
        payload = {
            "id": query_id,
            "from": user.to_json(),
            "message": stored.data,
            "chat_instance": str(abs(chat_id) * 31 + 7),
            "data": button["callback_data"],
        }
        update = self._state.updates.push("callback_query", payload)
        return Injected(update, chat_id, message_id, callback_query_id=query_id)

    @staticmethod
    def _pick(
        rows: Sequence[Sequence[Mapping[str, Any]]], data: str | None, index: int | None
    ) -> Mapping[str, Any]:
        buttons = [button for row in rows for button in row]
        if index is not None:
            if not 0 <= index < len(buttons):
                raise ValueError(f"no button {index}: the message has {len(buttons)}")
            button = buttons[index]
        elif data is not None:
            matches = [b for b in buttons if b.get("callback_data") == data]
            if not matches:
                raise ValueError(f"no button with callback data {data!r}")
            button = matches[0]
        else:
            raise ValueError("pass data= or index=")
        if "callback_data" not in button:
            raise ValueError(f"button {button.get('text')!r} has no callback data")
        return button

    def member_joined(
        self, chat_id: int, user_ids: Sequence[int], *, by: int | None = None
    ) -> Injected:
        """Users join a group (added `by` someone, or by themselves); adding the bot also
        sends my_chat_member, and chat_member updates go out while the bot is an admin."""
        chat = self._state.chats.get(chat_id)
        if chat is None or chat.type == "private":
            raise ValueError(f"unknown group {chat_id}: call add_group() first")
        inviter = None if by is None else self._state.user(by)
        also = [self._join(chat, self._state.user(user_id), inviter) for user_id in user_ids]
        joined = [self._state.user(user_id).to_json() for user_id in user_ids]
        sender = inviter or self._state.user(user_ids[0])
        if chat.members.get(self.bot_id) not in _IN_CHAT:
            raise ValueError(f"the bot is not in chat {chat_id}: it would not see the join")
        data = self._state.new_message(chat, sender, new_chat_members=joined)
        self._state.store(data, from_bot=False)
        update = self._state.updates.push("message", data)
        extra = tuple(item for item in also if item is not None)
        return Injected(update, chat.id, data["message_id"], also=extra)

    def _join(self, chat: ChatRecord, user: UserRecord, inviter: UserRecord | None) -> JSON | None:
        old = chat.members.get(user.id, "left")
        if old in _IN_CHAT:
            return None
        chat.members[user.id] = "member"
        if user.id == self.bot_id:
            if inviter is None:
                raise ValueError("a bot cannot join a group by itself: pass by=")
            update = _member_update(chat, inviter, user, old, "member")
            return self._state.updates.push("my_chat_member", update)
        if chat.members.get(self.bot_id) in ("creator", "administrator"):
            update = _member_update(chat, inviter or user, user, old, "member")
            return self._state.updates.push("chat_member", update)
        return None
