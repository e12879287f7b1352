"""Turn a Verdict into the words a resident reads (Telegram HTML, or plain text for the CLI).

The four levels always use the same markers and first lines, so people learn them.
"""

from __future__ import annotations

import html

from classifier import EvidenceKind, RiskLevel, Verdict
from knowledge import Knowledge

HEADLINES: dict[RiskLevel, str] = {
    RiskLevel.HIGH: "🔴 高风险：很可能是诈骗。不要转账，不要点链接，不要提供验证码。",
    RiskLevel.MEDIUM: "🟠 中风险：有诈骗的可疑特征。先别转账，核实清楚再说。",
    RiskLevel.LOW: "🟡 低风险：有个别可疑之处，请多留个心眼。",
    RiskLevel.SAFE: "🟢 暂未发现明显诈骗特征。",
}

REPORT_LINE = "举报/求助：110 报警 · 96110 反诈专线 · 12321 举报垃圾信息 · 国家反诈中心APP"
SAFE_TIP = "提醒：只要对方让你转账、给验证码或下载陌生APP，就先停下来核实。"
MAX_FLAGS = 4
MAX_ADVICE = 3


def render_verdict(verdict: Verdict, knowledge: Knowledge, *, as_html: bool = True) -> str:
    """The main reply for a verdict (short: details belong behind a button)."""

    def bold(text: str) -> str:
        return f"<b>{html.escape(text)}</b>" if as_html else f"“{text}”"

    def plain(text: str) -> str:
        return html.escape(text) if as_html else text

    lines = [plain(HEADLINES[verdict.risk])]
    if verdict.risk in (RiskLevel.SAFE, RiskLevel.LOW) and not verdict.fraud_type_name:
        lines.append(plain(SAFE_TIP))
        return "\n".join(lines)
    if verdict.fraud_type_name:
        lines.append(f"类型：{plain(verdict.fraud_type_name)}")
    flags = [
        item
        for item in verdict.evidence
        if item.weight > 0 and item.kind is not EvidenceKind.BENIGN and item.explanation
    ][:MAX_FLAGS]
    if flags:
        lines.append("可疑之处：")
        for item in flags:
            quote = f"{bold(_short(item.quote))}——" if item.quote else ""
            lines.append(f"• {quote}{plain(item.explanation)}")
    advice = [knowledge.advice[key].text for key in verdict.advice if key in knowledge.advice]
    if advice:
        lines.append("现在怎么做：")
        lines.extend(f"• {plain(text)}" for text in advice[:MAX_ADVICE])
    lines.append(plain(REPORT_LINE))
    return "\n".join(lines)


def _short(quote: str, limit: int = 30) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= limit else quote[: limit - 1] + "…"
