"""``scamcheck bench --bot``: the whole bot under load, through the local Bot API server.

Simulated users send text checks (no links, no pictures) to the real application over HTTP,
exactly as Telegram would deliver them; each waits for the verdict, pauses ``think``
seconds, and sends the next. Reported: replies per second and the end-to-end latency from
the moment the update is queued to the moment the bot's reply reaches the server.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import TextIO

from bot.app import build_application, polling
from bot.commands.benchmark import corpus
from bot.config import load_settings
from bot.localapi import LocalBotApi
from bot.ratelimit import UserRateLimiter
from bot.storage import migrate

TOKEN = "123456:BENCH-scamcheck-token"
FIRST_USER = 100_000
_LINKISH = re.compile(r"(?i)https?://|www\.|[a-z0-9-]+\.[a-z]{2,}")


def text_corpus() -> list[str]:
    """The bench corpus without links (a link check would measure the network, not us)."""
    return [text for text in corpus() if not _LINKISH.search(text)]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def _user(
    api: LocalBotApi,
    user_id: int,
    texts: list[str],
    *,
    deadline: float,
    think: float,
    latencies: list[float],
) -> None:
    index = user_id
    while time.perf_counter() < deadline:
        text = texts[index % len(texts)]
        index += 7
        started = time.perf_counter()
        api.send_text(user_id, text)
        await api.next_bot_message(user_id, timeout=30)
        latencies.append((time.perf_counter() - started) * 1000)
        if think > 0:
            await asyncio.sleep(think)


async def _progress(latencies: list[float], began: float, seconds: float, out: TextIO) -> None:
    while True:
        await asyncio.sleep(1.0)
        elapsed = time.perf_counter() - began
        rate = len(latencies) / elapsed if elapsed else 0.0
        out.write(
            f"\r  {min(elapsed, seconds):5.1f}/{seconds:.0f} s  {len(latencies):6d} replies  "
            f"{rate:7.1f}/s"
        )
        out.flush()


async def bench_bot(
    *,
    users: int,
    seconds: float,
    think: float,
    model: bool = True,
    progress: TextIO | None = sys.stderr,
) -> str:
    """Run the load and return the summary."""
    texts = text_corpus()
    with tempfile.TemporaryDirectory(prefix="scamcheck-bench-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await asyncio.to_thread(migrate.upgrade, url)
        settings = load_settings(database_url=url, offline=True, use_model=model)
        async with LocalBotApi(TOKEN) as api:
            user_ids = [FIRST_USER + number for number in range(users)]
            for user_id in user_ids:
                api.add_user(user_id, f"用户{user_id}")
            application = build_application(settings, token=TOKEN, bot_api_url=api.root_url)
            async with polling(application, poll_timeout=1):
                # Measure the pipeline, not the per-user limit (20 checks a minute).
                application.bot_data.runtime.limiter = UserRateLimiter(1_000_000, 60)
                started = time.perf_counter()
                for user_id in user_ids:  # one round, so that nothing is loaded lazily
                    api.send_text(user_id, texts[0])
                    await api.next_bot_message(user_id, timeout=60)
                warm_up = time.perf_counter() - started
                latencies: list[float] = []
                began = time.perf_counter()
                cpu_began = time.process_time()
                ticker = (
                    asyncio.create_task(_progress(latencies, began, seconds, progress))
                    if progress is not None
                    else None
                )
                await asyncio.gather(
                    *(
                        _user(
                            api,
                            uid,
                            texts,
                            deadline=began + seconds,
                            think=think,
                            latencies=latencies,
                        )
                        for uid in user_ids
                    )
                )
                elapsed = time.perf_counter() - began
                cpu = time.process_time() - cpu_began
                if ticker is not None and progress is not None:
                    ticker.cancel()
                    progress.write("\n")
                errors = [call for call in api.sent if call.error]
                apologies = sum(event.text.startswith("😥") for event in api.bot_messages)
                loaded = application.bot_data.services.analyzer.model is not None
    model_state = "on" if loaded else "off (rules only)"
    return "\n".join(
        [
            f"bot benchmark: {users} users, {seconds:g} s, think time {think:g} s, "
            f"{len(texts)} text messages (no links, no pictures), model {model_state}",
            "path: local Bot API server → getUpdates → application → analysis + SQLite → "
            "sendMessage",
            f"warm-up: {warm_up:.1f} s",
            f"replies: {len(latencies)} in {elapsed:.1f} s = {len(latencies) / elapsed:.1f} "
            "updates/s",
            "end-to-end reply latency: "
            f"p50 {_percentile(latencies, 0.50):.0f} ms, "
            f"p95 {_percentile(latencies, 0.95):.0f} ms, "
            f"p99 {_percentile(latencies, 0.99):.0f} ms, "
            f"max {max(latencies):.0f} ms",
            f"CPU per reply (bot + simulated Telegram, one process): "
            f"{cpu * 1000 / max(len(latencies), 1):.1f} ms",
            f"Bot API errors: {len(errors)}, failed checks: {apologies}",
            _memory_line(),
        ]
    )


def _memory_line() -> str:
    """Resident memory of this process (bot and simulated Telegram), from /proc (Linux)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="utf-8")
    except OSError:
        return "resident memory: not available on this system"
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    now, peak = (int(fields[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM"))
    return f"resident memory of this process at the end: {now:.0f} MB (peak {peak:.0f} MB)"


def run_bot_benchmark(
    *, users: int = 20, seconds: float = 20.0, think: float = 1.0, model: bool = True
) -> str:
    """``scamcheck bench --bot``: run the load test and return the summary."""
    logging.getLogger("bot").setLevel(logging.WARNING)
    return asyncio.run(bench_bot(users=users, seconds=seconds, think=think, model=model))
