"""Reading Bot API parameters the way Telegram does.

python-telegram-bot's HTTPXRequest posts `application/x-www-form-urlencoded` where every
value is a string: plain strings as they are, anything else JSON-encoded
(`RequestParameter.json_value`). With a file it posts `multipart/form-data`: the file is a
part named after the parameter (or after the name in an "attach://name" value). Telegram
also accepts `application/json` bodies and query parameters. The server therefore decodes
a value only for parameters whose type is not a string, listed below.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField

from .errors import bad_request
from .state import JSON, Upload

# Objects and arrays: invalid JSON is a 400.
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "allowed_updates",
        "commands",
        "scope",
        "reply_parameters",
        "link_preview_options",
        "media",
        "permissions",
    }
)
# Numbers and booleans: decoded when they parse, kept as given otherwise ("@channel").
_SCALAR_FIELDS = frozenset(
    {
        "chat_id",
        "message_id",
        "from_chat_id",
        "message_thread_id",
        "reply_to_message_id",
        "user_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "duration",
        "width",
        "height",
        "max_connections",
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "disable_web_page_preview",
        "disable_content_type_detection",
        "has_spoiler",
        "only_if_banned",
        "revoke_messages",
        "for_channels",
    }
)
_ATTACH = "attach://"

__all__ = ["read_params"]


def _decode(name: str, value: Any) -> Any:
    if not isinstance(value, str) or name not in _JSON_FIELDS | _SCALAR_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        if name in _JSON_FIELDS:
            raise bad_request(f"can't parse {name} JSON object") from None
        return value


def _upload(field: FileField) -> Upload:
    with field.file as handle:
        data = handle.read()
    return Upload(data, field.filename or None, field.content_type or None)


async def _body(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON body") from None
        if not isinstance(body, dict):
            raise bad_request("can't parse JSON body")
        return body
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        return {
            key: _upload(value) if isinstance(value, FileField) else value
            for key, value in form.items()
        }
    return {}


async def read_params(request: web.Request) -> JSON:
    """Query and body parameters, typed; uploads as `Upload`, attach:// resolved."""
    raw: dict[str, Any] = {**request.query, **await _body(request)}
    uploads = {key: value for key, value in raw.items() if isinstance(value, Upload)}
    params: JSON = {}
    for key, value in raw.items():
        if isinstance(value, str) and value.startswith(_ATTACH):
            value = uploads.get(value.removeprefix(_ATTACH), value)
        params[key] = _decode(key, value)
    return params
