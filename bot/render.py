"""Turn a Verdict into the words a resident reads (Telegram HTML, or plain text for the CLI).

The four levels always use the same markers and first lines, so people learn them. The main
reply stays short (about 600 characters); everything else is behind the "为什么？" button
(bot/details.py).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot import messages
from bot.adapters import Origin
from bot.htmltext import MESSAGE_LIMIT, cut, defang, visible_length
from classifier import EvidenceKind, RiskLevel, Verdict
from classifier.analyzer import UNCORROBORATED
from knowledge import Knowledge

HEADLINES: dict[RiskLevel, str] = {
    RiskLevel.HIGH: "🔴 高风险：很可能是诈骗。不要转账，不要点链接，不要提供验证码。",
    RiskLevel.MEDIUM: "🟠 中风险：有诈骗的可疑特征。先别转账，核实清楚再说。",
    RiskLevel.LOW: "🟡 低风险：有个别可疑之处，请多留个心眼。",
    RiskLevel.SAFE: "🟢 暂未发现明显诈骗特征。",
}

REPORT_LINE = "举报/求助：110 报警 · 96110 反诈专线 · 12321 举报垃圾信息 · 国家反诈中心APP"
SAFE_TIP = "提醒：只要对方让你转账、给验证码或下载陌生APP，就先停下来核实。"
# For a calm verdict on a one-time-code SMS (benign.code_notice in knowledge/common.yaml):
# people forward these asking whether to pass the code on.
CODE_TIP = "这是验证码短信：验证码只给自己用。任何人向你要——哪怕自称银行、客服或警察——都是诈骗。"
CODE_NOTICE = "rule:benign.code_notice"
# On a low verdict without a fraud type, red flags at least this strong are still shown
# (an unofficial number in a bank's notice); weaker words alone stay behind "为什么？".
CALM_FLAG_WEIGHT = 0.25
MAX_FLAGS = 4
MAX_ADVICE = 3
MAIN_BUDGET = 600
QUOTE_LIMIT = 30
NAME_LIMIT = 40


def origin_line(origin: Origin | None) -> str | None:
    """ "来源：转发自……" in plain words (not HTML-escaped), or None."""
    if origin is None:
        return None
    template = messages.ORIGIN.get(origin.kind)
    if template is None or not origin.name.strip():
        return messages.ORIGIN_UNKNOWN
    return template.format(name=cut(defang(origin.name), NAME_LIMIT))


def payment_warning(verdict: Verdict) -> str | None:
    """The warning of a payment request read from the message, when the analysis found one."""
    payment = getattr(verdict, "payment", None)
    warning = getattr(payment, "warning", None) if payment is not None else None
    return str(warning) if warning else None


def red_flags(verdict: Verdict, min_weight: float = 0.0) -> list[tuple[str | None, str]]:
    """(quote, explanation) of the evidence that raised the risk (weight at least
    ``min_weight``, always above 0), strongest first.

    Each quote and each explanation appears once: three rules firing on the same words
    are one red flag to a reader. The models' probabilities are not red flags a resident
    can check in their own message: they stay in the details ("为什么？").
    """
    seen: set[str] = set()
    flags: list[tuple[str | None, str]] = []
    for item in verdict.evidence:
        if item.weight <= 0 or item.weight < min_weight:
            continue
        if item.kind in (EvidenceKind.BENIGN, EvidenceKind.MODEL):
            continue
        if not item.explanation:
            continue
        keys = {item.explanation} | ({f"q:{item.quote}"} if item.quote else set())
        if keys & seen:
            continue
        seen |= keys
        flags.append((item.quote, item.explanation))
    return flags


def _only_the_model(verdict: Verdict) -> bool:
    """Whether a learned component reads the message as fraud while the rules and
    indicators found no red flag of weight (classifier.analyzer.UNCORROBORATED)."""
    rules = verdict.components.get("rules")
    return (
        rules is not None
        and rules < UNCORROBORATED
        and any(item.kind is EvidenceKind.MODEL and item.weight >= 0.5 for item in verdict.evidence)
    )


def already_paid(verdict: Verdict) -> bool:
    """Whether the message says the money has already been sent."""
    return bool(getattr(getattr(verdict, "payment", None), "already_paid", False))


def render_verdict(
    verdict: Verdict,
    knowledge: Knowledge,
    *,
    as_html: bool = True,
    origin: Origin | None = None,
    notes: Sequence[str] = (),
    budget: int = MAIN_BUDGET,
) -> str:
    """The main reply for a verdict: what to do first, then why, then where to report.

    Red flags and advice are dropped from the end (never the first line, the type or the
    reporting line) until the visible text fits ``budget`` characters.
    """

    def bold(text: str) -> str:
        return f"<b>{html.escape(text)}</b>" if as_html else f"“{text}”"

    def plain(text: str) -> str:
        return html.escape(text) if as_html else text

    head = [plain(HEADLINES[verdict.risk])]
    head.extend(plain(line) for line in (origin_line(origin), *notes) if line)
    calm = verdict.risk in (RiskLevel.SAFE, RiskLevel.LOW) and not verdict.fraud_type_name
    shown = red_flags(verdict, CALM_FLAG_WEIGHT if calm else 0.0)
    if calm and (verdict.risk is RiskLevel.SAFE or not shown):
        code_notice = any(item.source == CODE_NOTICE for item in verdict.evidence)
        return "\n".join([*head, plain(CODE_TIP if code_notice else SAFE_TIP)])
    if verdict.fraud_type_name:
        head.append(f"类型：{plain(verdict.fraud_type_name)}")
    if already_paid(verdict):
        head.append(plain(messages.ALREADY_PAID))
    if warning := payment_warning(verdict):
        head.append(plain(messages.PAYMENT_WARNING.format(warning=cut(warning, 120))))
    flags = [
        f"• {bold(cut(defang(quote), QUOTE_LIMIT)) + '——' if quote else ''}"
        f"{plain(defang(explanation))}"
        for quote, explanation in shown[:MAX_FLAGS]
    ]
    if verdict.is_fraud and _only_the_model(verdict):
        flags.insert(0, f"• {plain(messages.MODEL_ONLY_FLAG)}")
    advice = [
        f"• {plain(knowledge.advice[key].text)}"
        for key in verdict.advice
        if key in knowledge.advice
    ][:MAX_ADVICE]
    tail = [plain(REPORT_LINE)]

    def assemble() -> str:
        lines = list(head)
        if flags:
            lines += ["可疑之处：", *flags]
        if advice:
            lines += ["现在怎么做：", *advice]
        return "\n".join(lines + tail)

    text = assemble()
    measure = visible_length if as_html else len
    while measure(text) > budget and (len(flags) > 1 or len(advice) > 1):
        if len(advice) > 1 and len(advice) >= len(flags):
            advice.pop()
        else:
            flags.pop()
        text = assemble()
    return text if measure(text) <= MESSAGE_LIMIT else "\n".join([*head[:1], *tail])
