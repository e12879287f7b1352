"""``scamcheck check --url URL``: check one link as the bot would and print each hop."""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from classifier import Analyzer, ChatKind, Submission, Verdict
from classifier.links import LinkReport

T = TypeVar("T")


async def closing(analyzer: Analyzer, work: Awaitable[T]) -> T:
    """Await ``work``, then close the analyzer's link client (inside the same event loop)."""
    try:
        return await work
    finally:
        if analyzer.links is not None:
            await analyzer.links.aclose()


async def _check(analyzer: Analyzer, url: str) -> tuple[Verdict, LinkReport | None]:
    verdict = await analyzer.analyze(Submission(urls=(url,), chat_kind=ChatKind.CLI))
    # The analysis just opened the link: this comes from the inspector's cache.
    report = await analyzer.links.inspect(url) if analyzer.links is not None else None
    return verdict, report


def format_report(report: LinkReport | None, url: str) -> str:
    """The hops, page and flags of a link report, one fact per line."""
    if report is None:
        return f"link: {url}\n  not opened (offline)"
    lines = [f"link: {report.url}"]
    for number, hop in enumerate(report.hops, start=1):
        status = str(hop.status) if hop.status is not None else "---"
        findings = ", ".join(
            item.finding.value + (f" ({item.organisation})" if item.organisation else "")
            for item in hop.findings
        )
        lines.append(f"  {number}. {status} {hop.url}" + (f"  [{findings}]" if findings else ""))
    if report.failure_reason:
        lines.append(f"  stopped: {report.failure_reason}")
    if report.title:
        lines.append(f"  title: {report.title}")
    if report.flags:
        lines.append("  flags: " + ", ".join(sorted(flag.value for flag in report.flags)))
    return "\n".join(lines)


def check_url(args: argparse.Namespace, make_analyzer: Callable[..., Any]) -> int:
    """Open ``args.url`` (unless ``--offline``), print the hops and the verdict."""
    from bot.render import render_verdict

    analyzer: Analyzer = make_analyzer(offline=args.offline)
    verdict, report = asyncio.run(closing(analyzer, _check(analyzer, args.url)))
    if args.json:
        result = {"link": report.to_json() if report else None, "verdict": verdict.to_json()}
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(format_report(report, args.url))
        print()
        print(render_verdict(verdict, analyzer.knowledge, as_html=False))
    return 0
