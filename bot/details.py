"""The answer to "为什么？": all evidence, the masked indicators, scores and the type's advice.

Built from the verdict kept in memory right after a check, or (after a restart) from the
stored check, which has no quotes but still names every rule and indicator.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.adapters import Origin
from bot.htmltext import MESSAGE_LIMIT, cut, defang, escaped, fit_lines
from bot.render import HEADLINES, origin_line
from classifier import RiskLevel, Verdict
from knowledge import Knowledge

ENTITY_LABELS = {
    "url": "链接",
    "domain": "网址",
    "phone": "电话",
    "bank_card": "银行卡",
    "alipay_account": "支付宝账号",
    "wechat_id": "微信号",
    "qq_id": "QQ号",
    "amount": "金额",
    "verification_code": "验证码",
    "app_download": "APP下载",
    "meeting_id": "会议号",
    "safe_account": "“安全账户”",
    "crypto_wallet": "虚拟货币钱包",
    "email": "邮箱",
}
MORE = "……（内容太多，后面的省略了）"
QUOTE_LIMIT = 60
VALUE_LIMIT = 120


@dataclass(frozen=True)
class Clue:
    """One piece of evidence as shown to the user."""

    explanation: str
    weight: float
    quote: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Indicator:
    """One extracted indicator, already masked."""

    kind: str
    masked: str
    attrs: Mapping[str, str]


@dataclass(frozen=True)
class DetailsView:
    """What the details message needs, from a live verdict or a stored check."""

    risk: RiskLevel
    score: float
    fraud_type: str | None
    clues: Sequence[Clue]
    indicators: Sequence[Indicator]
    components: Mapping[str, float | None]
    origin: Origin | None = None


def view_of_verdict(verdict: Verdict, origin: Origin | None = None) -> DetailsView:
    """The details of a verdict still in memory (quotes included)."""
    return DetailsView(
        risk=verdict.risk,
        score=verdict.score,
        fraud_type=verdict.fraud_type,
        clues=[
            Clue(item.explanation, item.weight, item.quote, item.error) for item in verdict.evidence
        ],
        indicators=[
            Indicator(entity.kind.value, entity.masked(), dict(entity.attrs))
            for entity in verdict.entities
        ],
        components=dict(verdict.components),
        origin=origin,
    )


# Stored checks keep which rule or lookup fired, not the words: explain them again.
_SOURCE_WORDS = {
    "entity": "消息里有可疑的号码、账户或链接。",
    "domain": "链接的网址可疑（冒充官网或来路不明）。",
    "lookup": "号码、账号或链接已被别人举报过。",
    "link": "链接打开后的去向可疑。",
    "model": "识别模型认为这段话像诈骗。",
}


def _stored_explanation(source: str, knowledge: Knowledge) -> str:
    prefix, _, name = source.partition(":")
    if prefix == "rule":
        try:
            return knowledge.flag(name).explain
        except KeyError:
            combo = next((c for c in knowledge.combos if c.id == name), None)
            if combo is not None:
                return combo.explain
    return _SOURCE_WORDS.get(prefix, "其他线索。")


def view_of_stored(
    *,
    risk: str,
    score: float,
    fraud_type: str | None,
    evidence: Sequence[Mapping[str, Any]],
    indicators: Sequence[Mapping[str, Any]],
    components: Mapping[str, Any],
    knowledge: Knowledge,
) -> DetailsView:
    """The details of a stored check (no quotes: the text was not kept)."""
    clues = [
        Clue(
            _stored_explanation(str(item.get("source", "")), knowledge),
            float(item.get("weight") or 0),
        )
        for item in evidence
    ]
    return DetailsView(
        risk=RiskLevel(risk),
        score=score,
        fraud_type=fraud_type,
        clues=clues,
        indicators=[
            Indicator(str(item.get("kind")), str(item.get("value")), item.get("attrs") or {})
            for item in indicators
        ],
        components=dict(components),
    )


def _indicator_line(item: Indicator, knowledge: Knowledge) -> str:
    label = ENTITY_LABELS.get(item.kind, item.kind)
    extra = ""
    bank = item.attrs.get("bank")
    if bank and bank in knowledge.organisations:
        extra = f"（{html.escape(knowledge.organisations[bank].name)}）"
    return (
        f"• {html.escape(label)}：<code>{escaped(defang(item.masked), VALUE_LIMIT)}</code>{extra}"
    )


def _clue_line(clue: Clue) -> str:
    quote = f"<b>{escaped(defang(clue.quote), QUOTE_LIMIT)}</b>——" if clue.quote else ""
    sign = "（减分）" if clue.weight < 0 else ""
    error = f"（查询失败：{escaped(clue.error, 80)}）" if clue.error else ""
    return f"• {sign}{quote}{escaped(defang(clue.explanation), 300)}{error}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def render_details(view: DetailsView, knowledge: Knowledge) -> str:
    """The details message (HTML), always within Telegram's message limit."""
    lines = [
        "🔍 <b>为什么这样判断</b>",
        f"结论：{html.escape(HEADLINES[view.risk].split('：')[0])}",
    ]
    fraud = knowledge.fraud_types.get(view.fraud_type) if view.fraud_type else None
    if fraud is not None:
        lines.append(f"类型：<b>{html.escape(fraud.name)}</b>——{html.escape(fraud.summary)}")
    if (origin := origin_line(view.origin)) is not None:
        lines.append(html.escape(origin))
    scores = [f"综合 {_percent(view.score)}"]
    if "rules" in view.components:
        scores.append(f"规则 {_percent(view.components.get('rules'))}")
    if view.components.get("model") is not None:
        scores.append(f"模型判断为诈骗的概率 {_percent(view.components.get('model'))}")
    lines.append("风险分数：" + "，".join(scores))
    if view.components.get("truncated"):
        lines.append("（消息太长，只检查了前面一部分）")
    clues = list({(c.quote, c.explanation): c for c in view.clues if c.explanation}.values())
    if clues:
        lines.append("")
        lines.append("<b>找到的线索</b>")
        lines.extend(_clue_line(clue) for clue in clues)
    if view.indicators:
        lines.append("")
        lines.append("<b>消息里的号码、账号、链接</b>（已打码）")
        lines.extend(_indicator_line(item, knowledge) for item in view.indicators)
    if fraud is not None and view.risk in (RiskLevel.HIGH, RiskLevel.MEDIUM):
        lines.append("")
        lines.append("<b>遇到这类骗局怎么办</b>")
        lines.extend(f"• {html.escape(cut(step, 300))}" for step in fraud.what_to_do)
    return fit_lines(lines, MESSAGE_LIMIT, more=MORE)
