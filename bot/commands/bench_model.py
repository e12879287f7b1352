"""``scamcheck bench --model``: the whole verdict with the text model, measured.

Printed, never asserted in tests (this VM has slow phases; repeat a run before trusting it).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bot.commands.benchmark import corpus
from bot.commands.machine import machine_summary
from bot.commands.progress import Progress

# Import and load in a fresh interpreter: start-up and resident memory as the bot sees them.
LOAD_SNIPPET = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from classifier.model.bundle import ModelBundle
from classifier import Analyzer, Submission
imported = time.perf_counter()
bundle = ModelBundle.load(Path(sys.argv[1]), quantise=sys.argv[2] == "int8")
loaded = time.perf_counter()
analyzer = Analyzer(model=bundle)
for text in ["您的账户涉嫌洗钱，请将资金转入安全账户配合调查", "妈，我今晚回家吃饭"] * 20:
    analyzer.analyze_offline(Submission(text=text))
status = dict(
    line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line
)
print(json.dumps({
    "torch_imported": "torch" in sys.modules,
    "import_s": imported - started,
    "load_s": loaded - imported,
    "rss_mb": int(status["VmRSS"].split()[0]) / 1024,
    "peak_mb": int(status["VmHWM"].split()[0]) / 1024,
}))
"""


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def hundred_characters(messages: list[str], cuts: int) -> list[str]:
    """Distinct messages of 100 characters (the target's message size): each message
    repeated to length and cut at ``cuts`` different offsets. Copies of one text would
    sort next to each other and pad unrealistically well in a batch."""
    result = []
    for offset in range(cuts):
        for text in messages:
            start = (offset * 7) % len(text)
            while len(text) < start + 100:
                text = f"{text} {text}"
            result.append(text[start : start + 100])
    return list(dict.fromkeys(result))


def run_model_benchmark(
    *, rounds: int, model_dir: Path | None = None, quantise: bool = True
) -> str:
    """Measure load, latency and batched throughput of the model in ``model_dir`` (default:
    the bundled one) on ``rounds`` cuts of the corpus; returns the printed summary."""
    from classifier import Analyzer, ChatKind, Submission
    from classifier.model.bundle import BUNDLED_DIR, ModelBundle
    from classifier.model.textmodel import MESSAGES_PER_CALL

    model_dir = model_dir or BUNDLED_DIR
    # Loaded first: this builds the encoder graph if the cache lacks it, so that the probe
    # below measures loading, not building.
    analyzer = Analyzer(model=ModelBundle.load(model_dir, quantise=quantise))
    probe = subprocess.run(
        [sys.executable, "-c", LOAD_SNIPPET, str(model_dir), "int8" if quantise else "fp32"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        tail = (probe.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"loading the model failed: {tail}")
    load = json.loads(probe.stdout.strip().splitlines()[-1])

    messages = hundred_characters(corpus(), rounds)
    submissions = [Submission(text=text, chat_kind=ChatKind.CLI) for text in messages]
    for submission in submissions[:40]:  # warm-up
        analyzer.analyze_offline(submission)
    latencies: list[float] = []
    with Progress(len(submissions), "single messages") as progress:
        for submission in submissions:
            start = time.perf_counter()
            analyzer.analyze_offline(submission)
            latencies.append((time.perf_counter() - start) * 1000)
            progress.advance()

    async def batched() -> float:
        everything = submissions
        began = time.perf_counter()
        with Progress(len(everything), "batches") as progress:
            for start in range(0, len(everything), MESSAGES_PER_CALL):
                chunk = everything[start : start + MESSAGES_PER_CALL]
                await analyzer.analyze_batch(chunk)
                progress.advance(len(chunk))
        return len(everything) / (time.perf_counter() - began)

    throughput = asyncio.run(batched())
    assert analyzer.model is not None
    analyzer.model.close()
    mean_chars = statistics.mean(len(text) for text in messages)
    text_model = analyzer.model.text_model
    quantised = "int8 (dynamic)" if text_model.quantised else "fp32"
    return "\n".join(
        [
            f"machine: {machine_summary()}",
            f"corpus: {len(messages)} distinct messages of {mean_chars:.0f} characters "
            f"({rounds} cuts of {len(corpus())} texts)",
            "path: normalise, extract, rules, domain checks, encoder "
            f"({text_model.layers} layers, {quantised}, onnxruntime), n-gram model, fusion",
            f"start-up: imports {load['import_s']:.2f} s, model load {load['load_s']:.2f} s"
            f" (torch {'imported' if load['torch_imported'] else 'not imported'})",
            f"resident memory with the model loaded: {load['rss_mb']:.0f} MB "
            f"(peak {load['peak_mb']:.0f} MB)",
            "latency per message (batch 1): "
            f"p50 {_percentile(latencies, 0.50):.1f} ms, "
            f"p95 {_percentile(latencies, 0.95):.1f} ms, "
            f"p99 {_percentile(latencies, 0.99):.1f} ms",
            f"batched throughput ({MESSAGES_PER_CALL} messages per call, as "
            f"`scamcheck batch` sends them): {throughput:,.0f} messages/s",
        ]
    )
