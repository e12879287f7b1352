"""Put training text and real messages into the same form before the model sees them.

The training sources carry cues that say nothing about fraud (see docs/MODEL_CARD.md):
anonymisation placeholders whose rates differ by class, punctuation in one source only,
newlines in the chat source only, upper/lower case. Real forwarded messages carry real
numbers and links instead of placeholders. So both sides are mapped to one form: the
classifier's normaliser (evasions undone), identifiers replaced by neutral marker words,
punctuation and symbols dropped, whitespace collapsed. Hand-written because the mapping is
specific to these sources; the normaliser itself is the shared library code.
"""

from __future__ import annotations

import random
import re
import unicodedata
from typing import Final

from classifier.normalize import clean_preserving_case, normalize

# Marker words: lower-case Latin, so they survive normalisation and never occur in
# Chinese text; each stands for a class of identifiers, real or anonymised.
URL: Final = " url "
PHONE: Final = " phone "
NUMBER: Final = " num "
ACCOUNT: Final = " account "

_PLACEHOLDER: Final = re.compile(r"CELLPHONE|HOTLINE|PHONE|URL|DIGIT|NAME|PLACE|WECHAT|BANK|QQ")
_MARKER_FOR: Final = {
    "CELLPHONE": PHONE,
    "HOTLINE": PHONE,
    "PHONE": PHONE,
    "URL": URL,
    "DIGIT": NUMBER,
    "WECHAT": ACCOUNT,
    "QQ": ACCOUNT,
}
# Realistic stand-ins for placeholders that real messages contain as plain words.
_NAMES: Final = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴霞")
_PLACES: Final = ("北京", "上海", "广州", "深圳", "成都", "杭州", "武汉", "西安", "南京", "长沙")
_BANKS: Final = ("工商银行", "建设银行", "农业银行", "中国银行", "招商银行", "交通银行")

_URL_RE: Final = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|(?<![a-z0-9@])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*"
    r"\.(?:com|cn|net|org|top|xyz|vip|cc|me|io|info|shop|club|site|online|app|ltd|work|"
    r"link|tk|co|biz|wang|ren|pw|asia|tv|hk|mobi)(?:/[\w./?=&%#-]*)?(?![a-z])"
)
_EMAIL_RE: Final = re.compile(r"[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+")
_ACCOUNT_RE: Final = re.compile(
    r"(微信号?|vx|wx|v信|qq号?|扣扣)\s*[:：]?\s*[a-z0-9_-]{5,20}(?![a-z0-9_-])"
)
_PHONE_RE: Final = re.compile(
    r"(?<!\d)(?:\+?86[- ]?)?(?:1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}-?\d{7,8}"
    r"|[48]00[- ]?\d{3}[- ]?\d{4}|95\d{3,4}|96110|12321)(?!\d)"
)
_DIGITS_RE: Final = re.compile(r"\d[\d.,:/-]*\d")
_X_MASK_RE: Final = re.compile(r"(?<![a-z])x{2,}(?![a-z])")
_SPACES: Final = re.compile(r"\s+")


def replace_placeholders(text: str, *, qq_is_placeholder: bool, rng: random.Random) -> str:
    """Training only: map the sources' anonymisation placeholders to markers or to
    realistic values. ``QQ`` is a real word outside the FBS source."""

    def one(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "QQ" and not qq_is_placeholder:
            return token
        if token == "NAME":
            return rng.choice(_NAMES)
        if token == "PLACE":
            return rng.choice(_PLACES)
        if token == "BANK":
            return rng.choice(_BANKS)
        return _MARKER_FOR[token]

    return _PLACEHOLDER.sub(one, text)


def _keep(char: str) -> bool:
    category = unicodedata.category(char)
    return not category.startswith(("P", "S"))


def model_text(text: str) -> str:
    """The model's view of a message: normalised, identifiers masked, punctuation dropped."""
    norm = normalize(text).text.lower()
    norm = _EMAIL_RE.sub(ACCOUNT, norm)
    norm = _URL_RE.sub(URL, norm)
    norm = _ACCOUNT_RE.sub(lambda m: m.group(1) + ACCOUNT, norm)
    norm = _PHONE_RE.sub(PHONE, norm)
    norm = _DIGITS_RE.sub(NUMBER, norm)
    norm = _X_MASK_RE.sub(NUMBER, norm)
    norm = "".join(char if _keep(char) else " " for char in norm)
    return _SPACES.sub(" ", norm).strip()


def inference_text(text: str) -> str:
    """``model_text`` for a message to classify. Upper-case placeholders (as in the
    labelled data) are mapped as in training, deterministically, so that evaluation on the
    data sees what training saw; ``QQ`` stays a word, as in real messages."""
    # Placeholders are found after invisible characters, full-width forms and homoglyphs are
    # undone (case kept), so that an evasion cannot hide one.
    cleaned = clean_preserving_case(text)
    return model_text(replace_placeholders(cleaned, qq_is_placeholder=False, rng=random.Random(0)))
