"""Links, registrable domains, e-mail addresses and app-download links.

Scans the `deobfuscate_urls` view of the normalised text, so `www点abc点com` and
`abc[.]com` are found like `www.abc.com`. Domains are split with tldextract's bundled
public-suffix snapshot (never fetched): `attrs["domain"]` is the registrable domain
(private suffixes such as github.io count, so `scam.github.io` is its own domain).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Final

from classifier.entities import EntityKind
from classifier.extract_common import Hit, View, context_before
from classifier.normalize import TLD_EXTRACT, NormalizedText, clean_preserving_case

__all__ = ["find_emails", "find_urls"]

# Printable ASCII except space, " < > : the characters a path can hold in running text.
_PATH: Final = r"[!#-;=?-~]{0,2048}"
_SCHEME_URL: Final = re.compile(
    r"(?<![a-z0-9])(?P<scheme>https?|hxxps?|ftp)(?::|\[:\])//"
    r"(?P<userinfo>[^\s/?#@]{1,64}@)?"
    r"(?P<host>[^\s/?#:@<>\"'`,;()\[\]{}|\\^。，、！？【】]{1,253})"
    rf"(?P<port>:[0-9]{{1,5}})?(?P<path>[/?#]{_PATH})?"
)
# Labels and dots are disjoint classes and the label count is bounded: linear matching.
_HOST: Final = r"(?:[a-z0-9-]{1,63}\.){1,10}[a-z0-9-]{1,63}"
_BARE_URL: Final = re.compile(
    rf"(?<![a-z0-9_@.-])(?P<host>{_HOST})(?![a-z0-9@-])"
    rf"(?P<port>:[0-9]{{1,5}})?(?P<path>[/?#]{_PATH})?"
)
_IOS_INSTALL: Final = re.compile(rf"itms-services://{_PATH}")
_EMAIL: Final = re.compile(
    rf"(?<![a-z0-9._%+-])(?P<local>[a-z0-9][a-z0-9._%+-]{{0,63}})@(?P<host>{_HOST})(?![a-z0-9-])"
)
_TRAILING_PUNCTUATION: Final = ".,;:!?'\"*"
# Bare "name.ext" where ext is a real top-level domain but far more often a file type.
_FILE_LIKE_SUFFIXES: Final = frozenset({"zip", "mov", "md", "py", "sh", "pl", "rs", "java", "ps"})
_PACKAGE: Final = re.compile(r"\.(apk|xapk|apks|ipa|hap|exe|msi|dmg|pkg|mobileconfig)(?:[?#]|$)")
_DOWNLOAD_WORDS: Final = re.compile(r"download|/dl/|/down/|xiazai")

_HostInfo = dict[str, str]


def _decode_punycode(host: str) -> str | None:
    if "xn--" not in host:
        return None
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                label = label[4:].encode("ascii").decode("punycode")
            except (UnicodeError, ValueError):
                return None
        labels.append(label)
    return ".".join(labels)


@lru_cache(maxsize=4096)
def host_info(host: str) -> _HostInfo | None:
    """attrs for a host name (`domain`, `host`, `suffix`, `ip`, `punycode`), or None."""
    host = host.rstrip(".")
    if not host or ".." in host:
        return None
    try:
        parts = TLD_EXTRACT.extract_str(host)
    except (ValueError, UnicodeError, IndexError):
        return None
    if parts.ipv4:
        if not all(0 <= int(octet) <= 255 for octet in parts.ipv4.split(".")):
            return None
        return {"domain": parts.ipv4, "host": host, "ip": "true"}
    if not parts.suffix or not parts.domain:
        return None
    labels = host.split(".")
    if any(not label or label.startswith("-") or label.endswith("-") for label in labels):
        return None
    info = {"domain": parts.top_domain_under_public_suffix, "host": host, "suffix": parts.suffix}
    if not host.isascii():
        info["idn"] = "true"
    decoded = _decode_punycode(host)
    if decoded is not None:
        info["punycode"] = decoded
    return info


def _trim_path(path: str) -> str:
    while path and path[-1] in _TRAILING_PUNCTUATION + ")]}":
        last = path[-1]
        opener = {")": "(", "]": "[", "}": "{"}.get(last)
        if opener is not None and path.count(opener) >= path.count(last):
            break
        path = path[:-1]
    return path


def _cased_path(norm: NormalizedText, view: View, start: int, end: int, lowered: str) -> str:
    """The path as the user wrote it: short-link paths are case-sensitive."""
    if start >= end:
        return lowered
    a, b = norm.to_original(*view.to_norm(start, end))
    cased = clean_preserving_case(norm.original[a:b])
    return cased if cased.lower() == lowered else lowered


def _app_download(path: str, host: str, before: str) -> dict[str, str] | None:
    package = _PACKAGE.search(path)
    if package:
        return {"reason": "package", "file": package.group(1)}
    if _DOWNLOAD_WORDS.search(host + path):
        return {"reason": "download_page"}
    if "下载" in before:
        return {"reason": "download_context"}  # "app下载地址: abc.com"
    return None


def _url_end(match: re.Match[str], path: str) -> int:
    if path:
        return match.start("path") + len(path)
    if match["port"]:
        return match.end("port")
    return match.end("host")


def _url_hits(
    norm: NormalizedText, view: View, match: re.Match[str], info: _HostInfo, scheme: str | None
) -> Iterator[Hit]:
    host = info["host"]
    path = _trim_path(match["path"] or "")
    port = match["port"] or ""
    end = _url_end(match, path)
    start, norm_end = view.to_norm(match.start(), end)
    a, b = norm.to_original(start, norm_end)
    attrs = dict(info)
    if norm.original[a:b].lower() != view.text[match.start() : end]:
        attrs["obfuscated"] = "true"  # full-width, zero-width, homoglyphs or 点 for dots
    if scheme is None and not path and not port:
        yield Hit(EntityKind.DOMAIN, info["domain"], start, norm_end, attrs)
        return
    if scheme is None:
        attrs["scheme_added"] = "true"
    userinfo = match.groupdict().get("userinfo")
    if userinfo:
        # http://www.icbc.com.cn@evil.example/: the bait before "@" hides the real host.
        attrs["userinfo"] = userinfo[:-1]
    cased = _cased_path(norm, view, match.start("path"), end, path) if path else ""
    value = f"{scheme or 'http'}://{host}{port}{cased}"
    yield Hit(EntityKind.URL, value, start, norm_end, attrs)
    download = _app_download(path, host, context_before(norm.text, start, 10))
    if download is not None:
        yield Hit(EntityKind.APP_DOWNLOAD, value, start, norm_end, {**attrs, **download})


def _usable_host_length(host: str) -> int:
    """How much of a scheme URL's host is a host: `abc.com请点击` → 7, `abc.com!` → 7."""
    if not host.isascii():
        info = host_info(host)
        if info is None or not all(ch.isalnum() or ch in ".-" for ch in host):
            host = host[: next(i for i, ch in enumerate(host) if not ch.isascii())]
    return len(host.rstrip(_TRAILING_PUNCTUATION + ")]}"))


def _scheme_urls(norm: NormalizedText, view: View, taken: list[tuple[int, int]]) -> Iterator[Hit]:
    for match in _SCHEME_URL.finditer(view.text):
        if any(a < match.end() and match.start() < b for a, b in taken):
            continue  # inside an itms-services:// link
        scheme = match["scheme"].replace("xx", "tt")  # defanged hxxp(s)
        length = _usable_host_length(match["host"])
        if not length:
            continue
        host = match["host"][:length]
        info = host_info(host) or {"domain": host, "host": host}
        if scheme != match["scheme"] or "[:]" in match.group():
            info = {**info, "obfuscated": "true"}
        if length == len(match["host"]):
            taken.append(match.span())
            yield from _url_hits(norm, view, match, info, scheme)
            continue
        # Text glued to the host: the URL ends with the host.
        end = match.start("host") + length
        taken.append((match.start(), end))
        start, norm_end = view.to_norm(match.start(), end)
        yield Hit(EntityKind.URL, f"{scheme}://{info['host']}", start, norm_end, info)


def find_urls(norm: NormalizedText, view: View) -> list[Hit]:
    """URLs (with or without scheme), bare domains, IP hosts and app-download links."""
    hits: list[Hit] = []
    taken: list[tuple[int, int]] = []
    for match in _IOS_INSTALL.finditer(view.text):
        start, end = view.to_norm(*match.span())
        attrs = {"reason": "ios_enterprise", "domain": "", "host": ""}
        hits.append(Hit(EntityKind.APP_DOWNLOAD, match.group(), start, end, attrs))
        taken.append(match.span())
    hits.extend(_scheme_urls(norm, view, taken))
    for match in _BARE_URL.finditer(view.text):
        if any(a < match.end() and match.start() < b for a, b in taken):
            continue
        info = host_info(match["host"])
        if info is None:
            continue
        labels = info["host"].split(".")
        file_like = len(labels) == 2 and labels[-1] in _FILE_LIKE_SUFFIXES
        if file_like and not match["path"] and "ip" not in info:
            continue  # setup.py, readme.md, photos.zip
        hits.extend(_url_hits(norm, view, match, info, None))
    return hits


def find_emails(view: View) -> Iterator[Hit]:
    """E-mail addresses; a numeric @qq.com address also yields its QQ number."""
    for match in _EMAIL.finditer(view.text):
        info = host_info(match["host"])
        if info is None or "ip" in info:
            continue
        start, end = view.to_norm(*match.span())
        address = match.group()
        yield Hit(EntityKind.EMAIL, address, start, end, {"domain": info["domain"]})
        local = match["local"]
        if info["domain"] == "qq.com" and local.isdigit() and 5 <= len(local) <= 11:
            local_end = view.to_norm(match.start(), match.start("local") + len(local))[1]
            yield Hit(EntityKind.QQ_ID, local, start, local_end, {"source": "email"})
