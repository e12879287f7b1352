"""The Bot API methods a bot calls, each a function of the server state and the parameters.

getUpdates is not here: it waits, so the server runs it itself (see `server.py`).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

from .errors import bad_request, forbidden
from .media import document_json, image_size, photo_sizes, voice_json
from .state import (
    JSON,
    BotApiState,
    CallbackAnswer,
    ChatAction,
    ChatRecord,
    StoredFile,
    StoredMessage,
    Upload,
    member_json,
)
from .validation import FormattedText, check_callback_answer, check_reply_markup, format_text

Method = Callable[[BotApiState, JSON], Any]

_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_MAX_DOWNLOAD = 20 * 1024 * 1024
_ADMIN_STATUSES = ("creator", "administrator")


def _int(params: JSON, name: str, missing: str | None = None) -> int:
    value = params.get(name)
    if value is None or value == "":
        raise bad_request(missing or f"{name} is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid {name} specified") from None


def _flag(params: JSON, name: str) -> bool:
    return params.get(name) in (True, "true", "True", "1", 1)


def _html(params: JSON, key: str) -> str | None:
    return str(params[key]) if str(params.get("parse_mode", "")).lower() == "html" else None


def _sendable_chat(state: BotApiState, params: JSON) -> ChatRecord:
    """The target chat of a send, or the 400/403 Telegram gives for it."""
    if params.get("chat_id") in (None, ""):
        raise bad_request("chat_id is empty")
    chat = state.chat(params["chat_id"])
    if chat.type == "private":
        if chat.blocked:
            raise forbidden("bot was blocked by the user")
        if not chat.started:
            raise forbidden("bot can't initiate conversation with a user")
        return chat
    status = chat.members.get(state.bot.id, "left")
    if chat.blocked or status == "kicked":
        raise forbidden("bot was kicked from the group chat")
    if status == "left":
        raise forbidden("bot is not a member of the group chat")
    return chat


def _reply_to(state: BotApiState, chat: ChatRecord, params: JSON) -> JSON | None:
    reply = params.get("reply_parameters") or {}
    message_id = reply.get("message_id") or params.get("reply_to_message_id")
    if not message_id:
        return None
    stored = state.message(chat.id, int(message_id))
    if stored is None:
        if reply.get("allow_sending_without_reply") or _flag(params, "allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return {key: value for key, value in stored.data.items() if key != "reply_to_message"}


def _inline_markup(params: JSON) -> JSON | None:
    markup = check_reply_markup(params.get("reply_markup"))
    return markup if markup and "inline_keyboard" in markup else None


def _send(
    state: BotApiState, chat: ChatRecord, params: JSON, html: str | None, **content: Any
) -> JSON:
    data = state.new_message(
        chat,
        state.bot,
        reply_to_message=_reply_to(state, chat, params),
        reply_markup=_inline_markup(params),
        **content,
    )
    state.store(data, from_bot=True, html=html)
    return data


def send_message(state: BotApiState, params: JSON) -> JSON:
    """sendMessage."""
    chat = _sendable_chat(state, params)
    text = format_text(
        params.get("text"), parse_mode=params.get("parse_mode"), entities=params.get("entities")
    )
    return _send(
        state, chat, params, _html(params, "text"), text=text.text, entities=text.entities or None
    )


def _caption(params: JSON) -> FormattedText:
    return format_text(
        params.get("caption"),
        parse_mode=params.get("parse_mode"),
        entities=params.get("caption_entities"),
        caption=True,
    )


def _input_file(state: BotApiState, params: JSON, kind: str) -> StoredFile:
    value = params.get(kind)
    if isinstance(value, Upload):
        return state.files.add(
            value.data, kind, file_name=value.file_name, mime_type=value.mime_type
        )
    if not value:
        raise bad_request(f"there is no {kind} in the request")
    if str(value).startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")
    return state.files.get(str(value))


def _send_media(state: BotApiState, params: JSON, kind: str) -> JSON:
    chat = _sendable_chat(state, params)
    caption = _caption(params)
    stored = _input_file(state, params, kind)
    media: Any
    if kind == "photo":
        size = image_size(stored.data)
        if size is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        media = photo_sizes(stored, size)
    elif kind == "voice":
        media = voice_json(stored, int(params.get("duration") or 1))
    else:
        media = document_json(stored)
    return _send(
        state,
        chat,
        params,
        _html(params, "caption") if caption.text else None,
        caption=caption.text or None,
        caption_entities=caption.entities or None,
        **{kind: media},
    )


def send_photo(state: BotApiState, params: JSON) -> JSON:
    """sendPhoto (upload or file_id)."""
    return _send_media(state, params, "photo")


def send_document(state: BotApiState, params: JSON) -> JSON:
    """sendDocument (upload or file_id)."""
    return _send_media(state, params, "document")


def send_voice(state: BotApiState, params: JSON) -> JSON:
    """sendVoice (upload or file_id)."""
    return _send_media(state, params, "voice")


def _editable(state: BotApiState, params: JSON) -> StoredMessage:
    if params.get("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = _sendable_chat(state, params)
    message_id = _int(params, "message_id", "message identifier is not specified")
    stored = state.message(chat.id, message_id)
    if stored is None:
        raise bad_request("message to edit not found")
    if not stored.from_bot:
        raise bad_request("message can't be edited")
    return stored


def _apply_edit(
    state: BotApiState, stored: StoredMessage, changes: JSON, html: str | None, params: JSON
) -> JSON:
    """Edit like Telegram: an edit without reply_markup removes the inline keyboard."""
    new = {**stored.data, **changes, "reply_markup": _inline_markup(params)}
    new = {key: value for key, value in new.items() if value is not None}
    keys = ("text", "entities", "caption", "caption_entities", "reply_markup")
    if all(new.get(key) == stored.data.get(key) for key in keys):
        raise bad_request(_NOT_MODIFIED)
    new["edit_date"] = int(time.time())
    stored.data = new
    if "text" in changes or "caption" in changes:
        stored.html = html
    state.record("edited", stored)
    return new


def edit_message_text(state: BotApiState, params: JSON) -> JSON:
    """editMessageText."""
    stored = _editable(state, params)
    text = format_text(
        params.get("text"), parse_mode=params.get("parse_mode"), entities=params.get("entities")
    )
    if "text" not in stored.data:
        raise bad_request("there is no text in the message to edit")
    changes = {"text": text.text, "entities": text.entities or None}
    return _apply_edit(state, stored, changes, _html(params, "text"), params)


def edit_message_caption(state: BotApiState, params: JSON) -> JSON:
    """editMessageCaption."""
    stored = _editable(state, params)
    caption = _caption(params)
    changes = {"caption": caption.text or None, "caption_entities": caption.entities or None}
    html = _html(params, "caption") if caption.text else None
    return _apply_edit(state, stored, changes, html, params)


def edit_message_reply_markup(state: BotApiState, params: JSON) -> JSON:
    """editMessageReplyMarkup."""
    stored = _editable(state, params)
    return _apply_edit(state, stored, {}, stored.html, params)


def delete_message(state: BotApiState, params: JSON) -> bool:
    """deleteMessage: own messages, user messages in private chats, any as a group admin."""
    chat = state.chat(params.get("chat_id"))
    message_id = _int(params, "message_id", "message identifier is not specified")
    stored = state.message(chat.id, message_id)
    if stored is None:
        raise bad_request("message to delete not found")
    bot_status = chat.members.get(state.bot.id, "left")
    if not stored.from_bot and chat.type != "private" and bot_status not in _ADMIN_STATUSES:
        raise bad_request("message can't be deleted")
    del state.messages[(chat.id, message_id)]
    state.record("deleted", stored)
    return True


def answer_callback_query(state: BotApiState, params: JSON) -> bool:
    """answerCallbackQuery: once per query, text of at most 200 characters."""
    query_id = str(params.get("callback_query_id", ""))
    text = check_callback_answer(params.get("text"))
    if state.callback_queries.get(query_id, True):
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    state.callback_queries[query_id] = True
    url = params.get("url")
    answer = CallbackAnswer(query_id, text, _flag(params, "show_alert"), url and str(url))
    state.callback_answers.append(answer)
    return True


def send_chat_action(state: BotApiState, params: JSON) -> bool:
    """sendChatAction."""
    chat = _sendable_chat(state, params)
    action = str(params.get("action", ""))
    if action not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    state.chat_actions.append(ChatAction(chat.id, action))
    return True


def get_file(state: BotApiState, params: JSON) -> JSON:
    """getFile."""
    stored = state.files.get(str(params.get("file_id", "")))
    if len(stored.data) > _MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return stored.to_json()


def get_chat(state: BotApiState, params: JSON) -> JSON:
    """getChat (a ChatFullInfo)."""
    chat = state.chat(params.get("chat_id"))
    gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
    return {
        **chat.to_json(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {**dict.fromkeys(gifts, True), "gifts_from_channels": False},
    }


def get_chat_member(state: BotApiState, params: JSON) -> JSON:
    """getChatMember."""
    chat = state.chat(params.get("chat_id"))
    user_id = _int(params, "user_id")
    if user_id not in state.users:
        raise bad_request("user not found")
    return member_json(state.users[user_id], chat.members.get(user_id, "left"))


def get_chat_administrators(state: BotApiState, params: JSON) -> list[JSON]:
    """getChatAdministrators: the owner and administrators of a group."""
    chat = state.chat(params.get("chat_id"))
    if chat.type == "private":
        raise bad_request("there are no administrators in the private chat")
    return [
        member_json(state.users[user_id], status)
        for user_id, status in chat.members.items()
        if status in _ADMIN_STATUSES
    ]


def get_chat_member_count(state: BotApiState, params: JSON) -> int:
    """getChatMemberCount."""
    chat = state.chat(params.get("chat_id"))
    return sum(status in (*_ADMIN_STATUSES, "member") for status in chat.members.values())


def get_me(state: BotApiState, params: JSON) -> JSON:
    """getMe."""
    return {
        **state.bot.to_json(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def _commands_key(params: JSON) -> str:
    scope = params.get("scope") or {"type": "default"}
    return f"{json.dumps(scope, sort_keys=True)}|{params.get('language_code') or ''}"


def set_my_commands(state: BotApiState, params: JSON) -> bool:
    """setMyCommands."""
    commands = params.get("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND_RE.fullmatch(
            str(command.get("command", ""))
        ):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    state.commands[_commands_key(params)] = commands
    return True


def get_my_commands(state: BotApiState, params: JSON) -> list[JSON]:
    """getMyCommands."""
    return state.commands.get(_commands_key(params), [])


def delete_my_commands(state: BotApiState, params: JSON) -> bool:
    """deleteMyCommands."""
    state.commands.pop(_commands_key(params), None)
    return True


def set_webhook(state: BotApiState, params: JSON) -> bool:
    """setWebhook: stored only; this server delivers updates through getUpdates."""
    url = str(params.get("url") or "")
    if url and not url.startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if _flag(params, "drop_pending_updates"):
        state.updates.drop_pending()
    state.webhook = {"url": url, "allowed_updates": params.get("allowed_updates")}
    return True


def delete_webhook(state: BotApiState, params: JSON) -> bool:
    """deleteWebhook."""
    if _flag(params, "drop_pending_updates"):
        state.updates.drop_pending()
    state.webhook = {"url": ""}
    return True


def get_webhook_info(state: BotApiState, params: JSON) -> JSON:
    """getWebhookInfo."""
    info: JSON = {
        "url": state.webhook["url"],
        "has_custom_certificate": False,
        "pending_update_count": state.updates.pending,
    }
    if state.webhook.get("allowed_updates"):
        info["allowed_updates"] = state.webhook["allowed_updates"]
    return info


def _ok(state: BotApiState, params: JSON) -> bool:
    return True


METHODS: dict[str, Method] = {
    "getMe": get_me,
    "logOut": _ok,
    "close": _ok,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendDocument": send_document,
    "sendVoice": send_voice,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
    "sendChatAction": send_chat_action,
    "getFile": get_file,
    "getChat": get_chat,
    "getChatMember": get_chat_member,
    "getChatAdministrators": get_chat_administrators,
    "getChatMemberCount": get_chat_member_count,
}

__all__ = ["METHODS", "Method"]
