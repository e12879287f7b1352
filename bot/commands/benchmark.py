"""``scamcheck bench``: start-up time, throughput and latency percentiles, printed."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

import knowledge
from bot.commands.machine import machine_summary
from classifier import Analyzer, ChatKind, Submission
from classifier.analyzer import MAX_ANALYSED_CHARS

STARTUP_SNIPPET = (
    "import time; t = time.perf_counter(); import classifier; "
    "classifier.default_analyzer(); print(time.perf_counter() - t)"
)


def corpus() -> list[str]:
    """The fixed benchmark corpus: every example message of knowledge/examples.yaml."""
    with (Path(knowledge.__file__).parent / "examples.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return [item["text"] for group in ("scam", "everyday") for item in data[group]]


def _longest_messages(messages: list[str]) -> dict[str, str]:
    """Messages as long as the analysis reads: one number of full-width digits (the shape
    that made rule regexes quadratic before 2026-12-04) and the corpus run together."""
    joined = "".join(messages)
    return {
        "digits": "１" * MAX_ANALYSED_CHARS,
        "text": (joined * (MAX_ANALYSED_CHARS // len(joined) + 1))[:MAX_ANALYSED_CHARS],
    }


def _percentile(sorted_values: list[float], share: float) -> float:
    index = min(len(sorted_values) - 1, round(share * (len(sorted_values) - 1)))
    return sorted_values[index]


def run_benchmark(*, rounds: int) -> str:
    """Run the benchmark and return the printed summary."""
    startup = float(
        subprocess.run(
            [sys.executable, "-c", STARTUP_SNIPPET], capture_output=True, text=True, check=True
        ).stdout
    )
    analyzer = Analyzer()
    messages = corpus()
    submissions = [Submission(text=text, chat_kind=ChatKind.CLI) for text in messages]
    for submission in submissions:  # warm-up
        analyzer.analyze_offline(submission)
    latencies: list[float] = []
    began = time.perf_counter()
    for _ in range(rounds):
        for submission in submissions:
            start = time.perf_counter()
            analyzer.analyze_offline(submission)
            latencies.append((time.perf_counter() - start) * 1000)
    elapsed = time.perf_counter() - began
    latencies.sort()
    longest: list[str] = []
    for name, text in _longest_messages(messages).items():
        start = time.perf_counter()
        analyzer.analyze_offline(Submission(text=text, chat_kind=ChatKind.CLI))
        longest.append(f"{name} {(time.perf_counter() - start) * 1000:.0f} ms")
    mean_chars = statistics.mean(len(text) for text in messages)
    return "\n".join(
        [
            f"corpus: {len(messages)} messages (mean {mean_chars:.0f} characters), {rounds} rounds",
            f"machine: {machine_summary()}",
            "path: rules only (normalise, extract, rules, domain checks), one thread",
            f"start-up (import + load knowledge): {startup * 1000:.0f} ms",
            f"throughput: {len(latencies) / elapsed:,.0f} messages/s",
            "latency per message: "
            f"p50 {_percentile(latencies, 0.50):.2f} ms, "
            f"p95 {_percentile(latencies, 0.95):.2f} ms, "
            f"p99 {_percentile(latencies, 0.99):.2f} ms",
            f"longest message ({MAX_ANALYSED_CHARS:,} characters): {', '.join(longest)}",
        ]
    )
