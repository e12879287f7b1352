"""Lookups: what the extracted indicators tell us, and the community blocklist.

The blocklist lives in the bot's database, so the classifier only knows it through the
``Blocklist`` protocol the caller injects; ``StaticBlocklist`` is an in-memory version for
the command line and tests. A failing lookup becomes evidence with an ``error`` and never
aborts the analysis.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from classifier.domains import (
    DomainChecker,
    DomainFinding,
    DomainResult,
    is_registrable_name,
    registrable_domain,
)
from classifier.entities import Entity, EntityKind
from classifier.extract_numbers import classify_phone
from classifier.normalize import NormalizedText
from classifier.verdict import Evidence, EvidenceKind
from knowledge import Organisation


@dataclass(frozen=True)
class Indicator:
    """A normalised indicator as stored in the blocklist (kind as in the database)."""

    kind: str
    value: str


@dataclass(frozen=True)
class BlocklistMatch:
    """A blocklist entry that matched an indicator of the message."""

    kind: str
    value: str
    fraud_type: str | None = None


class Blocklist(Protocol):
    """Anything that can say which indicators are known to belong to scammers."""

    async def find(self, indicators: Sequence[Indicator]) -> Sequence[BlocklistMatch]:
        """The matching entries (order does not matter)."""
        ...


class StaticBlocklist:
    """An in-memory blocklist (command line, tests)."""

    def __init__(self, entries: Iterable[BlocklistMatch] = ()) -> None:
        self._entries = {(entry.kind, entry.value): entry for entry in entries}

    async def find(self, indicators: Sequence[Indicator]) -> Sequence[BlocklistMatch]:
        """Entries whose (kind, value) equals one of the indicators."""
        found = (self._entries.get((item.kind, item.value)) for item in indicators)
        return [entry for entry in found if entry is not None]


_PAYMENT_KINDS = {
    EntityKind.ALIPAY_ACCOUNT: "alipay",
    EntityKind.WECHAT_ID: "wechat",
    EntityKind.QQ_ID: "qq",
    EntityKind.CRYPTO_WALLET: "wallet",
}


def indicators_for(entities: Iterable[Entity]) -> list[Indicator]:
    """The blocklist keys of the extracted entities (payment accounts as ``app:value``)."""
    found: dict[tuple[str, str], Indicator] = {}

    def add(kind: str, value: str) -> None:
        found.setdefault((kind, value), Indicator(kind, value))

    for entity in entities:
        if entity.kind is EntityKind.PHONE:
            add("phone", entity.value)
        elif entity.kind is EntityKind.BANK_CARD:
            add("bank_card", entity.value)
        elif entity.kind in _PAYMENT_KINDS:
            add("payment_account", f"{_PAYMENT_KINDS[entity.kind]}:{entity.value}")
        elif entity.kind in (EntityKind.URL, EntityKind.APP_DOWNLOAD):
            add("url", entity.value)
            host = entity.attrs.get("host")
            if host:
                add("domain", registrable_domain(host))
        elif entity.kind is EntityKind.DOMAIN:
            add("domain", entity.value)
    return list(found.values())


# Weight and plain-Chinese reason of each finding about an indicator. These are properties
# of the indicator, not phrases, so they live here rather than in the YAML red flags.
_DOMAIN_EVIDENCE: dict[DomainFinding, tuple[float, str]] = {
    DomainFinding.LOOKALIKE: (0.85, "链接的网址冒充{org}的官方网站（只差几个字母）。"),
    DomainFinding.BRAND_IN_SUBDOMAIN: (
        0.85,
        "链接把“{token}”放在网址前面冒充{org}，真正的网站不是{org}的。",
    ),
    DomainFinding.BRAND_IN_DOMAIN: (0.6, "网址里夹带“{token}”，但不是{org}的官方网站。"),
    DomainFinding.PUNYCODE: (0.45, "网址用了外形相似的特殊字符（{detail}），常用于伪装官网。"),
    DomainFinding.IP_HOST: (0.4, "链接直接指向一个IP地址，正规机构不会这样发链接。"),
    DomainFinding.SHORTENER: (0.15, "这是短链接，看不到真实去向，点开前要当心。"),
    DomainFinding.ABUSED_HOST: (
        0.2,
        "链接在常被骗子利用的网站上（{detail}）：看内容，不要填写银行卡或验证码。",
    ),
    DomainFinding.OFFICIAL: (0.0, "链接指向{org}的官方域名。"),
}

_DOWNLOAD_PAGE_WEIGHT = 0.3
_ENTITY_EVIDENCE: dict[EntityKind, tuple[float, str]] = {
    EntityKind.SAFE_ACCOUNT: (0.9, "要求把钱转到所谓“安全账户”——公检法和银行都没有“安全账户”。"),
    EntityKind.APP_DOWNLOAD: (
        0.5,
        "要你下载安装App（安装包链接）：来路不明的App会盗取信息、远程控制手机。",
    ),
    EntityKind.CRYPTO_WALLET: (
        0.35,
        "出现虚拟货币（USDT）钱包地址：骗子常用它收钱、洗钱，难以追回。",
    ),
    EntityKind.MEETING_ID: (0.3, "给出会议号，可能让你开“屏幕共享”：对方能看到你的验证码和密码。"),
    EntityKind.PAYMENT_CODE: (
        0.3,
        "这是收款码：陌生人或自称客服、工作人员的人让你扫码付钱，多半是骗局。",
    ),
}

_PHONE_EVIDENCE: dict[str, tuple[float, str]] = {
    "virtual_operator": (0.15, "号码属于虚拟运营商号段（162/165/167/170/171），常被诈骗冒用。"),
    "foreign": (0.15, "这是境外号码：自称国内机构却用境外号码联系，要高度警惕。"),
}


# A link imitating an organisation is phishing; which kind depends on who is imitated.
_IMITATION = {
    DomainFinding.LOOKALIKE,
    DomainFinding.BRAND_IN_SUBDOMAIN,
    DomainFinding.BRAND_IN_DOMAIN,
}


def _phishing_type(organisation_kind: str | None) -> str:
    return "phishing_bank" if organisation_kind == "bank" else "phishing_platform"


def _entity_host(entity: Entity) -> str | None:
    """The host a URL or bare-domain entity points to (None for other entities)."""
    return entity.attrs.get("host") or (entity.value if entity.kind is EntityKind.DOMAIN else None)


def entity_evidence(
    entities: Sequence[Entity], domains: DomainChecker, organisations: Mapping[str, Organisation]
) -> list[Evidence]:
    """Evidence that comes from the indicators themselves (domains, phones, payees)."""
    evidence: list[Evidence] = []
    seen_hosts: set[str] = set()
    for entity in entities:
        if entity.kind in _ENTITY_EVIDENCE:
            weight, text = _ENTITY_EVIDENCE[entity.kind]
            if entity.kind is EntityKind.APP_DOWNLOAD and entity.attrs.get("reason") != "package":
                # A download page or "下载" before a link is also how carriers and shops
                # advertise their real apps: weaker than an installer file, and alone it
                # must not warn (measured with `scamcheck eval --perturb real_values`).
                weight = _DOWNLOAD_PAGE_WEIGHT
            evidence.append(_entity_evidence(entity, weight, text, f"entity:{entity.kind.value}"))
        if entity.kind is EntityKind.PHONE:
            category = entity.attrs.get("category", "")
            if category in _PHONE_EVIDENCE:
                weight, text = _PHONE_EVIDENCE[category]
                evidence.append(_entity_evidence(entity, weight, text, f"phone:{category}"))
        host = _entity_host(entity)
        if host and host not in seen_hosts:
            seen_hosts.add(host)
            for result in domains.check(host):
                weight, text, fraud_type = describe_domain(result, organisations)
                item = _entity_evidence(entity, weight, text, f"domain:{result.finding.value}")
                evidence.append(replace(item, fraud_type=fraud_type))
    return evidence


# A sender tag: 【中国银行】 at the very start or end of a message, as Chinese SMS are signed.
_SENDER_TAG = re.compile(r"^\s*【([^】]{2,24})】|【([^】]{2,24})】\s*$")
# Institutions whose notifications only ever give their own numbers to call (couriers and
# shops do give a courier's or seller's mobile, so they are not checked).
_CALLBACK_TYPES = {
    "bank": "phishing_bank",
    "payment": "fake_customer_service",
    "telecom": "fake_customer_service",
    "insurance": "fake_customer_service",
    "securities": "fake_customer_service",
    "government": "fake_customer_service",
    "police": "impersonate_police",
}
# How suspicious a number outside the organisation's list is, by kind (95xxx / 96xxx short
# codes are assigned to institutions only and are not checked). Institutions never sign a
# notice with a personal mobile; but knowledge/official.yaml lists only main hotlines, and
# a bank's credit-card centre has a 400 number of its own, so 400 / 800 and landlines only
# ask the resident to check (low risk alone).
_CALLBACK_WEIGHTS = {
    "mobile": 0.55,
    "virtual_operator": 0.55,
    "foreign": 0.55,
    "service_400_800": 0.3,
    "landline": 0.3,
}


def sender_organisation(
    text: str, organisations: Mapping[str, Organisation]
) -> Organisation | None:
    """The organisation a message's sender tag names (None without a tag or a match)."""
    match = _SENDER_TAG.search(text)
    if match is None:
        return None
    tag = (match.group(1) or match.group(2)).lower()
    for org in organisations.values():
        names = (org.name, *(token for token in org.brand_tokens if not token.isascii()))
        if any(name in tag for name in names):
            return org
    return None


def _as_extracted(phone: str) -> str:
    """An official number in the form extraction gives a phone entity's value."""
    digits = "".join(char for char in phone if char.isdigit())
    info = classify_phone(digits, phone.startswith("+"))
    return info[0] if info is not None else digits


# A number the message reports as the caller, not one it asks you to call: the anti-fraud
# centre's own alert "您今日接到的+852…号码来电涉嫌诈骗" (read in the text the user sent,
# where entity spans point, so Traditional wording is listed too).
_CALLER_BEFORE = re.compile(r"(接到|接听|接聽|收到)(的|了)?[^。！？!?\n]{0,6}$")
_CALLER_AFTER = re.compile(r"\s*(号码|號碼)?(的)?(来电|來電|疑似诈骗|疑似詐騙|涉嫌诈骗|涉嫌詐騙)")
# A number the notice is about, not one to call: a carrier's "已为亲情号码139…开通代付",
# "为号码186…申请了副卡", "您名下号码138…需进行实名信息复核", "亲情号码业务，已添加138…", a
# bank's "预留手机号变更为186…".
_SUBJECT_BEFORE = re.compile(
    r"(亲情号码?|親情號碼?|副卡号码?|副卡號碼?|为副卡|為副卡|为号码|為號碼|为手机号码?|為手機號碼?"
    r"|(手机号|手機號|预留手机号|預留手機號)(变更|變更|更改|修改)为|(变更|變更)為"
    r"|名下的?(手机|手機)?(号码|號碼)|您的(手机|手機)?(号码|號碼)|机主号码|機主號碼"
    r"|已添加(号码|號碼)?)[:：]?\s*$"
)


def _not_a_callback(original: str, entity: Entity) -> bool:
    start, end = entity.span
    before, after = original[max(0, start - 12) : start], original[end : end + 12]
    return bool(
        _CALLER_BEFORE.search(before)
        or _CALLER_AFTER.match(after)
        or _SUBJECT_BEFORE.search(before)
    )


def callback_evidence(
    norm: NormalizedText, entities: Sequence[Entity], organisations: Mapping[str, Organisation]
) -> list[Evidence]:
    """A message signed as a bank, payment service, carrier or authority that gives a
    number which is not one of that organisation's official numbers: the classic fake
    charge notice ("…境外消费9,800元，如非本人操作请致电400-…"). A number the message
    reports as the caller of a scam call, or the subscriber number a notice is about, is
    not a callback number."""
    org = sender_organisation(norm.text, organisations)
    if org is None or org.kind not in _CALLBACK_TYPES or not org.phones:
        return []
    official = {_as_extracted(phone) for phone in org.phones}
    explanation = (
        f"消息署名是{org.name}，留的电话却不是它的官方号码（{'、'.join(org.phones)}）："
        "不要拨打消息里的号码，自己拨打官方号码核实。"
    )
    evidence: list[Evidence] = []
    for entity in entities:
        weight = _CALLBACK_WEIGHTS.get(entity.attrs.get("category", ""))
        if entity.kind is not EntityKind.PHONE or not weight or entity.value in official:
            continue
        if _not_a_callback(norm.original, entity):  # entity spans point into the original
            continue
        item = _entity_evidence(entity, weight, explanation, "phone:not_official")
        evidence.append(replace(item, fraud_type=_CALLBACK_TYPES[org.kind]))
    return evidence


# A link in a message signed as an organisation that is not on that organisation's (or any
# known organisation's) domains. Measured on the independent and realistic messages: 31
# signed scams carried such a link, one genuine notice (京东's own short domain 3.cn); on
# the labelled data's train and valid rows, seven genuine 中国联通 notices (u.10010.cn).
# Both domains are now listed. Medium on its own: a signed notice points only to its
# sender's own site.
_SIGNED_LINK_WEIGHT = 0.5
_OFFICIAL_OR_EXPLAINED = {DomainFinding.OFFICIAL, DomainFinding.SHORTENER, *_IMITATION}


def signed_link_evidence(
    text: str,
    entities: Sequence[Entity],
    domains: DomainChecker,
    organisations: Mapping[str, Organisation],
) -> list[Evidence]:
    """A message signed as an organisation (【微粒贷】…) whose link goes elsewhere. A
    shortener is already evidence of its own, and an imitation of the brand is explained
    better by its own finding, so neither is counted twice."""
    org = sender_organisation(text, organisations)
    if org is None or not org.domains:
        return []
    explanation = (
        f"消息署名是{org.name}，链接却不是它的官方网址（{'、'.join(org.domains)}）："
        "不要点，自己打开官方App或拨打官方电话核实。"
    )
    evidence: list[Evidence] = []
    seen: set[str] = set()
    for entity in entities:
        host = _entity_host(entity)
        if not host or host in seen or not is_registrable_name(host):
            continue
        seen.add(host)
        if any(result.finding in _OFFICIAL_OR_EXPLAINED for result in domains.check(host)):
            continue
        # No fraud type: the link says the message is not the sender's, not which scheme
        # it is (a 医保 refund, a loan advert); the rules and the models name that.
        evidence.append(
            _entity_evidence(entity, _SIGNED_LINK_WEIGHT, explanation, "domain:not_official")
        )
    return evidence


def describe_domain(
    result: DomainResult, organisations: Mapping[str, Organisation]
) -> tuple[float, str, str | None]:
    """Weight, plain-Chinese explanation and fraud type (imitations only) of a finding."""
    weight, template = _DOMAIN_EVIDENCE[result.finding]
    org = organisations.get(result.organisation or "")
    text = template.format(
        org=org.name if org else "官方机构", token=result.detail, detail=result.detail
    )
    fraud_type = _phishing_type(org.kind if org else None) if result.finding in _IMITATION else None
    return weight, text, fraud_type


async def blocklist_evidence(
    entities: Sequence[Entity], blocklist: Blocklist | None
) -> list[Evidence]:
    """Evidence from the community blocklist; a failure is reported, not raised."""
    if blocklist is None:
        return []
    indicators = indicators_for(entities)
    if not indicators:
        return []
    try:
        matches = await blocklist.find(indicators)
    except Exception as exc:
        return [
            Evidence(
                kind=EvidenceKind.LOOKUP,
                source="lookup:blocklist",
                explanation="暂时无法查询举报库，本次结果未包含举报记录。",
                weight=0.0,
                error=f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}"[:200],
            )
        ]
    evidence: list[Evidence] = []
    for match in matches:
        entity = _entity_for(entities, match)
        evidence.append(
            Evidence(
                kind=EvidenceKind.LOOKUP,
                source="lookup:blocklist",
                explanation="这个号码、账号或链接已被举报为诈骗，并经志愿者核实。",
                weight=0.95,
                fraud_type=match.fraud_type,
                span=entity.span if entity else None,
                quote=entity.masked() if entity else None,
            )
        )
    return evidence


def _entity_for(entities: Sequence[Entity], match: BlocklistMatch) -> Entity | None:
    for entity in entities:
        if Indicator(match.kind, match.value) in indicators_for([entity]):
            return entity
    return None


def _entity_evidence(entity: Entity, weight: float, text: str, source: str) -> Evidence:
    return Evidence(
        kind=EvidenceKind.LOOKUP if source.startswith("domain") else EvidenceKind.ENTITY,
        source=source,
        explanation=text,
        weight=weight,
        span=entity.span,
        quote=entity.masked(),
    )
