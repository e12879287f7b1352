"""What a fetched web page says and asks for: title, visible text, sensitive form fields.

The stdlib ``html.parser`` is enough here: we need text and a few attributes, not a DOM,
and it never raises on broken markup (scam pages are rarely valid HTML).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from html.parser import HTMLParser
from typing import Final

__all__ = ["PageContent", "SensitiveAsk", "decode_body", "parse_page", "sensitive_asks"]

MAX_TEXT_CHARS: Final = 5_000
MAX_TITLE_CHARS: Final = 200

_SKIPPED: Final = frozenset({"script", "style", "noscript", "template", "svg"})
_BLOCKS: Final = frozenset(
    {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "form"}
    | {"section", "article", "header", "footer", "label", "button", "option", "table", "ul"}
)
_FIELD_ATTRS: Final = ("name", "id", "placeholder", "aria-label", "title", "autocomplete")
_NON_FIELDS: Final = frozenset({"hidden", "submit", "button", "image", "reset", "checkbox"})
_META_CHARSET: Final = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?([a-zA-Z0-9_.:-]{1,40})""", re.I
)
_CHARSET: Final = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]{1,40})", re.I)


class SensitiveAsk(StrEnum):
    """Something a page asks the visitor to type in."""

    BANK_CARD = "bank_card"
    PASSWORD = "password"
    VERIFICATION_CODE = "verification_code"
    ID_NUMBER = "id_number"


_ASK_PATTERNS: Final = {
    SensitiveAsk.BANK_CARD: re.compile(
        r"银行卡|卡号|储蓄卡|信用卡|card_?(?:no|num)|bank_?card|cc-number|acct_?no", re.I
    ),
    SensitiveAsk.PASSWORD: re.compile(r"密码|口令|password|passwd|pwd", re.I),
    SensitiveAsk.VERIFICATION_CODE: re.compile(
        r"验证码|校验码|动态码|短信码|sms_?code|verify_?code|vcode|one-time-code|\botp\b", re.I
    ),
    SensitiveAsk.ID_NUMBER: re.compile(r"身份证|证件号|id_?card|id_?no\b", re.I),
}
# In running text only a request counts ("请输入银行卡号"), not a warning ("切勿提供验证码").
_TEXT_ASK: Final = re.compile(r"(输入|填写|填入|提交|提供|告知|发送)([^。！？；\n]{0,24})")
_NEGATION: Final = re.compile(r"(勿|不要|别|不会|绝不|不得|禁止|切忌)[^。！？\n]{0,4}$")


@dataclass(frozen=True)
class PageContent:
    """A parsed page: title, visible text, and a description of each form field."""

    title: str | None
    text: str
    fields: tuple[str, ...] = ()
    password_field: bool = False


def decode_body(body: bytes, content_type: str | None) -> str:
    """Text of a body: the declared charset, else a <meta> charset, else UTF-8, else GB18030
    (the superset of GBK/GB2312 that Chinese pages without a declaration mostly use)."""
    declared = _CHARSET.search(content_type or "")
    meta = _META_CHARSET.search(body[:4096])
    for charset in (
        declared.group(1) if declared else None,
        meta.group(1).decode("ascii") if meta else None,
    ):
        if charset:
            charset = "gb18030" if charset.lower() in ("gb2312", "gbk") else charset
            try:
                return body.decode(charset, errors="replace")
            except LookupError:
                continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("gb18030", errors="replace")


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.text: list[str] = []
        self.fields: list[str] = []
        self.password = False
        self._skip = 0
        self._in_title = False
        self._in_form = 0
        self._form_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in _SKIPPED:
            self._skip += 1
        elif tag == "form":
            self._in_form += 1
        if tag in _BLOCKS:
            self.text.append("\n")
        if tag in ("input", "textarea", "select"):
            values = dict(attrs)
            kind = (values.get("type") or "text").lower()
            if kind == "password":
                self.password = True
            if kind not in _NON_FIELDS:
                described = [kind, *(values.get(name) or "" for name in _FIELD_ATTRS)]
                self.fields.append(" ".join(part for part in described if part))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIPPED or tag in ("title", "form"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag == "form":
            self._in_form = max(0, self._in_form - 1)
            if not self._in_form and self._form_text:
                # Labels and prompts inside a form describe its fields.
                self.fields.append("form: " + " ".join(self._form_text)[:500])
                self._form_text = []
        if tag in _BLOCKS:
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.text.append(data)
            if self._in_form and data.strip():
                self._form_text.append(data.strip())


def parse_page(html: str) -> PageContent:
    """Title, visible text (whitespace collapsed, capped) and form fields of a page."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    title = " ".join("".join(parser.title).split())[:MAX_TITLE_CHARS] or None
    lines = (" ".join(line.split()) for line in "".join(parser.text).splitlines())
    text = "\n".join(line for line in lines if line)[:MAX_TEXT_CHARS]
    return PageContent(
        title=title, text=text, fields=tuple(parser.fields), password_field=parser.password
    )


def sensitive_asks(page: PageContent) -> set[SensitiveAsk]:
    """What the page asks for: from its form fields, or a request in its text."""
    asks = {
        ask
        for ask, pattern in _ASK_PATTERNS.items()
        if any(pattern.search(field) for field in page.fields)
    }
    if page.password_field:
        asks.add(SensitiveAsk.PASSWORD)
    for match in _TEXT_ASK.finditer(page.text):
        if _NEGATION.search(page.text[max(0, match.start() - 8) : match.start()]):
            continue
        for ask, pattern in _ASK_PATTERNS.items():
            if pattern.search(match.group(2)):
                asks.add(ask)
    return asks
