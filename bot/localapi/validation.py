"""Telegram's checks on what a bot sends: HTML parse mode, length limits, inline keyboards.

The HTML parser is hand-written on purpose. `html.parser` from the standard library accepts
any tag, forgives unclosed and mismatched tags and decodes every named entity, while Telegram
(td's `parse_html`) rejects exactly those mistakes with its own messages and byte offsets.
A bot that passes here must also pass on api.telegram.org, so this follows td's rules:

* tags: b strong i em u ins s strike del span(class="tg-spoiler") tg-spoiler a(href) code
  (class="language-x") pre blockquote(expandable) tg-emoji(emoji-id); any other tag is an error;
* entities: &lt; &gt; &amp; &quot; and numeric ones are decoded, any other "&" stays literal;
* the result is trimmed and its entities are measured in UTF-16 code units.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .entities import Entity, sort_entities, utf16_len
from .errors import ApiError, bad_request

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
CALLBACK_ANSWER_LIMIT = 200
MAX_BUTTONS = 100

_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_TAGS = frozenset(_SIMPLE_TAGS) | {"a", "code", "pre", "blockquote", "tg-emoji"}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = " \t\r\n\v\f\0"
_END = "\0"
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_LINK_SCHEMES = frozenset({"http", "https", "tg", "ton", "ftp"})


@dataclass
class FormattedText:
    """Plain text plus Telegram entities, as stored in a Message."""

    text: str
    entities: list[Entity] = field(default_factory=list)


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    char_offset: int


def normalize_link(url: str) -> str | None:
    """The URL Telegram keeps for a link, or None when Telegram would drop the link."""
    url = url.strip()
    if "://" not in url and not url.startswith("tg:"):
        url = f"http://{url}"
    parts = urlsplit(url)
    if parts.scheme.lower() not in _LINK_SCHEMES:
        return None
    if parts.scheme.lower() in {"http", "https", "ftp"}:
        if not parts.hostname or "." not in parts.hostname.strip("."):
            return None
        if not parts.path:
            url = parts._replace(path="/").geturl()
    return url


class _HtmlParser:
    """One pass over the source, like td's parse_html; see the module docstring."""

    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.out: list[str] = []
        self.chars = 0
        self.utf16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[Entity] = []

    def at(self, index: int) -> str:
        return self.src[index] if index < len(self.src) else _END

    def error(self, message: str) -> ApiError:
        return bad_request(f"can't parse entities: {message}")

    def byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode())

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.chars += len(text)
        self.utf16 += utf16_len(text)

    def parse(self) -> FormattedText:
        while self.pos < len(self.src):
            char = self.src[self.pos]
            if char == "&" and (decoded := self.decode_entity()) is not None:
                self.emit(decoded)
            elif char != "<":
                self.emit(char)
                self.pos += 1
            elif self.at(self.pos + 1) == "/":
                self.end_tag()
            else:
                self.start_tag()
        if self.stack:
            raise self.error(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        for entity in self.entities:
            if entity["type"] == "code":
                entity.pop("language", None)  # only <pre> keeps a language
        return FormattedText("".join(self.out), sort_entities(self.entities))

    def decode_entity(self) -> str | None:
        """Decode the entity at `pos` and move past it; None leaves a literal "&"."""
        start = self.pos + 1
        end = start
        if self.at(start) == "#":
            hexadecimal = self.at(start + 1) in "xX"
            end = start + 1 + hexadecimal
            digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
            while self.at(end) in digits:
                end += 1
            number = self.src[start + 1 + hexadecimal : end]
            if not number or (code := int(number, 16 if hexadecimal else 10)) > 0x10FFFF:
                return None
            decoded = chr(code)
        else:
            while self.at(end).isascii() and self.at(end).isalpha():
                end += 1
            found = _NAMED_ENTITIES.get(self.src[start:end])
            if found is None:
                return None
            decoded = found
        self.pos = end + 1 if self.at(end) == ";" else end
        return decoded

    def start_tag(self) -> None:
        begin = self.pos
        name_end = begin + 1
        while self.at(name_end) not in _SPACES and self.at(name_end) != ">":
            name_end += 1
        if self.at(name_end) == _END:
            raise self.error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        name = self.src[begin + 1 : name_end].lower()
        if name not in _TAGS:
            raise self.error(
                f'Unsupported start tag "{name}" at byte offset {self.byte_offset(begin)}'
            )
        self.pos = name_end
        argument = self.attributes(name, begin)
        self.pos += 1  # the ">"
        if name == "span" and argument != "spoiler":
            raise self.error(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}'
            )
        if name == "tg-emoji" and not argument.isdigit():
            raise self.error("Invalid custom emoji identifier specified")
        self.stack.append(_OpenTag(name, argument, self.utf16, self.chars))

    def attributes(self, tag: str, begin: int) -> str:
        """Read the attributes up to ">" and return the one argument the tag keeps."""
        argument = ""
        where = f'the tag "{tag}" at byte offset {self.byte_offset(begin)}'
        while self.at(self.pos) != ">":
            self.skip_spaces()
            if self.at(self.pos) == ">":
                break
            if self.at(self.pos) == _END:
                raise self.error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            name_start = self.pos
            while self.at(self.pos) not in _SPACES and self.at(self.pos) not in "=>":
                self.pos += 1
            name = self.src[name_start : self.pos].lower()
            if not name:
                raise self.error(f"Empty attribute name in {where}")
            self.skip_spaces()
            if self.at(self.pos) != "=":
                if tag == "blockquote" and name == "expandable":
                    argument = "expandable"
                    continue
                raise self.error(f"Expected equal sign in declaration of an attribute of {where}")
            self.pos += 1
            self.skip_spaces()
            value = self.attribute_value(begin)
            argument = _tag_argument(tag, name, value, argument)
        return argument

    def attribute_value(self, begin: int) -> str:
        quote = self.at(self.pos)
        if quote == _END:
            raise self.error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        if quote not in "'\"":
            start = self.pos
            while self.at(self.pos).isalnum() or self.at(self.pos) in ".-":
                self.pos += 1
            if self.at(self.pos) not in _SPACES and self.at(self.pos) != ">":
                raise self.error(
                    f"Unexpected end of name token at byte offset {self.byte_offset(start)}"
                )
            return self.src[start : self.pos].lower()
        self.pos += 1
        value: list[str] = []
        while self.at(self.pos) not in (quote, _END):
            if self.at(self.pos) == "&" and (decoded := self.decode_entity()) is not None:
                value.append(decoded)
                continue
            value.append(self.src[self.pos])
            self.pos += 1
        if self.at(self.pos) == _END:
            raise self.error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        self.pos += 1
        return "".join(value)

    def skip_spaces(self) -> None:
        while self.at(self.pos) != _END and self.at(self.pos) in _SPACES:
            self.pos += 1

    def end_tag(self) -> None:
        begin = self.pos
        if not self.stack:
            raise self.error(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        end = begin + 1
        while self.at(end) not in _SPACES and self.at(end) != ">":
            end += 1
        name = self.src[begin + 2 : end].lower()
        self.pos = end
        self.skip_spaces()
        if self.at(self.pos) != ">":
            raise self.error(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        self.pos += 1
        opened = self.stack.pop()
        if name and name != opened.name:
            raise self.error(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{opened.name}>", found "</{name}>"'
            )
        if self.utf16 > opened.utf16_offset:
            self.close_entity(opened)

    def close_entity(self, tag: _OpenTag) -> None:
        offset, length = tag.utf16_offset, self.utf16 - tag.utf16_offset
        entity: Entity = {"offset": offset, "length": length}
        last = self.entities[-1] if self.entities else None
        same_span = last is not None and (last["offset"], last["length"]) == (offset, length)
        if tag.name in _SIMPLE_TAGS:
            entity["type"] = _SIMPLE_TAGS[tag.name]
        elif tag.name == "a":
            url = normalize_link(tag.argument or "".join(self.out)[tag.char_offset :])
            if url is None:
                return  # Telegram silently drops a link it cannot use.
            entity.update(type="text_link", url=url)
        elif tag.name == "blockquote":
            entity["type"] = "expandable_blockquote" if tag.argument else "blockquote"
        elif tag.name == "tg-emoji":
            entity.update(type="custom_emoji", custom_emoji_id=tag.argument)
        elif tag.name == "pre" and same_span and last and last["type"] == "code":
            if "language" in last:  # <pre><code class="language-x"> is one pre entity
                last["type"] = "pre"
                return
            entity["type"] = "pre"
        elif tag.name == "code" and same_span and last and last["type"] == "pre":
            if tag.argument:  # <code class="language-x"><pre> likewise
                last["language"] = tag.argument
                return
            entity["type"] = "code"
        else:
            entity["type"] = tag.name
            if tag.name == "code" and tag.argument:
                entity["language"] = tag.argument
        self.entities.append(entity)


def _tag_argument(tag: str, name: str, value: str, current: str) -> str:
    if tag == "a" and name == "href":
        return value
    if tag == "code" and name == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and name == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and name == "emoji-id":
        return value
    if tag == "blockquote" and name == "expandable":
        return "expandable"
    return current  # Telegram ignores other attributes.


def parse_html(source: str) -> FormattedText:
    """Telegram's HTML parse mode: plain text and entities, or a 400 "can't parse entities"."""
    return _HtmlParser(source).parse()


def _trim(formatted: FormattedText) -> FormattedText:
    """Strip surrounding whitespace like Telegram and shift or clip the entities to match."""
    text = formatted.text
    stripped = text.strip(" \t\r\n")
    if not stripped:
        return FormattedText("")
    shift = utf16_len(text[: len(text) - len(text.lstrip(" \t\r\n"))])
    size = utf16_len(stripped)
    entities: list[Entity] = []
    for entity in formatted.entities:
        start = max(int(entity["offset"]) - shift, 0)
        end = min(int(entity["offset"]) + int(entity["length"]) - shift, size)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return FormattedText(stripped, entities)


def _given_entities(text: str, entities: object) -> list[Entity]:
    if not isinstance(entities, list) or not all(isinstance(e, dict) for e in entities):
        raise bad_request("can't parse entities JSON object")
    size = utf16_len(text)
    for entity in entities:
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(length, int) or "type" not in entity:
            raise bad_request("can't parse entities JSON object")
        if offset < 0 or length <= 0 or offset + length > size:
            raise bad_request("entity beyond the end of the text")
    return sort_entities(entities)


def format_text(
    text: object,
    *,
    parse_mode: object = None,
    entities: object = None,
    caption: bool = False,
) -> FormattedText:
    """Apply `parse_mode` or explicit `entities`, trim, then check Telegram's limits."""
    if text is None or text == "":
        if caption:
            return FormattedText("")
        raise bad_request("message text is empty")
    if not isinstance(text, str):
        text = str(text)
    mode = str(parse_mode or "").lower()
    if mode == "html":
        formatted = parse_html(text)
    elif mode in {"markdown", "markdownv2"}:
        raise bad_request(f"parse_mode {parse_mode} is not supported by the local Bot API server")
    elif mode:
        raise bad_request(f"unsupported parse_mode {parse_mode}")
    elif entities is not None:
        formatted = FormattedText(text, _given_entities(text, entities))
    else:
        formatted = FormattedText(text)
    formatted = _trim(formatted)
    if not formatted.text and not caption:
        raise bad_request("message text is empty")
    if not caption and utf16_len(formatted.text) > MESSAGE_LIMIT:
        raise bad_request("message is too long")
    if caption and utf16_len(formatted.text) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    return formatted


def _check_button(button: object) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed")
    actions = [name for name in _BUTTON_ACTIONS if name in button]
    if len(actions) != 1:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and normalize_link(str(button["url"])) is None:
        raise bad_request("BUTTON_URL_INVALID")


def check_reply_markup(markup: object) -> dict[str, Any] | None:
    """Validate a reply_markup like Telegram; returns it (None when absent)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard", markup.get("keyboard"))
    if rows is None:
        return markup  # ReplyKeyboardRemove or ForceReply
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise bad_request("reply markup is too long")
    if "inline_keyboard" in markup:
        for row in rows:
            for button in row:
                _check_button(button)
    return markup


def check_callback_answer(text: object) -> str | None:
    """answerCallbackQuery's text: at most 200 characters."""
    if text is None:
        return None
    text = str(text)
    if len(text) > CALLBACK_ANSWER_LIMIT:
        raise bad_request("MESSAGE_TOO_LONG")
    return text


def inline_buttons(markup: Mapping[str, Any] | None) -> Sequence[Sequence[Mapping[str, Any]]]:
    """The rows of an inline keyboard (empty for no or another kind of markup)."""
    if not markup:
        return []
    rows = markup.get("inline_keyboard")
    return rows if isinstance(rows, list) else []


__all__ = [
    "CALLBACK_ANSWER_LIMIT",
    "CAPTION_LIMIT",
    "MESSAGE_LIMIT",
    "FormattedText",
    "check_callback_answer",
    "check_reply_markup",
    "format_text",
    "inline_buttons",
    "normalize_link",
    "parse_html",
]
