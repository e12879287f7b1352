"""``scamcheck check | batch | eval | bench | train``: the classifier from the command line.

None of these needs a database: the community blocklist is consulted only when
``SCAMCHECK_DATABASE_URL`` is set explicitly.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from classifier.evasions import EVASIONS
from knowledge.errors import ScamCheckError


class InputError(ScamCheckError):
    """A file or argument the command cannot use."""


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the classifier sub-commands."""
    check = commands.add_parser(
        "check",
        help="check one message and print the verdict",
        description="Check one message (argument, or standard input with '-') as the bot would.",
    )
    check.add_argument("text", nargs="?", default="-", help="the message; '-' reads stdin")
    check.add_argument("--json", action="store_true", help="print the Verdict as JSON")
    _offline(check)
    check.set_defaults(handler=_check)

    batch = commands.add_parser(
        "batch",
        help="check every line of a JSONL file",
        description=(
            'Read IN.jsonl (one {"id": ..., "text": ...} per line) and write each line back '
            "with risk, score, fraud_type and components added."
        ),
    )
    batch.add_argument("input", type=Path, help="input JSONL file")
    batch.add_argument("-o", "--output", type=Path, help="output JSONL (default: stdout)")
    _offline(batch)
    batch.set_defaults(handler=_batch)

    evaluate = commands.add_parser(
        "eval",
        help="precision / recall / F1 / FPR on labelled data",
        description=(
            "Evaluate on labelled JSONL files (text, label fraud|normal, optional type): "
            "per file and pooled, rules / model / fused side by side."
        ),
    )
    evaluate.add_argument("data", type=Path, nargs="+", help="labelled JSONL file(s)")
    evaluate.add_argument(
        "--split", help="only rows whose 'split' field equals this (e.g. test or valid)"
    )
    evaluate.add_argument("--limit", type=int, help="at most this many rows per file")
    evaluate.add_argument(
        "--perturb",
        choices=sorted(EVASIONS),
        help="apply a scammers' evasion to every text first (robustness check)",
    )
    evaluate.add_argument("--json", action="store_true", help="print the metrics as JSON")
    _offline(evaluate)
    evaluate.set_defaults(handler=_eval)

    bench = commands.add_parser(
        "bench",
        help="measure speed on a fixed corpus",
        description=(
            "Measure start-up time, messages per second and p50/p95/p99 latency of the "
            "whole verdict on the fixed corpus in knowledge/examples.yaml."
        ),
    )
    bench.add_argument("--rounds", type=int, default=50, help="passes over the corpus (50)")
    _offline(bench)
    bench.set_defaults(handler=_bench)

    train = commands.add_parser(
        "train",
        help="fine-tune the text model (not available yet)",
        description="Fine-tune the Chinese text model on ../shared/data (see the model issue).",
    )
    train.set_defaults(handler=_train)


def _offline(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--offline",
        action="store_true",
        help="make no outbound request at all (link expansion is skipped)",
    )


def _analyzer() -> Any:
    from bot.config import load_settings
    from classifier import Analyzer

    settings = load_settings()
    if "database_url" in settings.model_fields_set:
        from bot.lookups import DatabaseBlocklist
        from bot.storage import create_engine, session_factory

        engine = create_engine(settings.database_url.get_secret_value())
        return Analyzer(blocklist=DatabaseBlocklist(session_factory(engine)))
    return Analyzer()


def _check(args: argparse.Namespace) -> int:
    from bot.render import render_verdict
    from classifier import ChatKind, Submission

    text = sys.stdin.read() if args.text == "-" else args.text
    if not text.strip():
        raise InputError("nothing to check: give a message or pipe one into 'scamcheck check -'")
    analyzer = _analyzer()
    verdict = asyncio.run(analyzer.analyze(Submission(text=text, chat_kind=ChatKind.CLI)))
    if args.json:
        print(json.dumps(verdict.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render_verdict(verdict, analyzer.knowledge, as_html=False))
    return 0


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text") from None
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise InputError(f'{path}:{number}: expected an object with a "text" string')
        rows.append(row)
    return rows


def _batch(args: argparse.Namespace) -> int:
    rows = _read_jsonl(args.input)
    analyzer = _analyzer()
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    try:
        counts = asyncio.run(_batch_rows(rows, analyzer, out))
    finally:
        if args.output:
            out.close()
    levels = ("high", "medium", "low", "safe")
    summary = ", ".join(f"{level} {counts.get(level, 0)}" for level in levels)
    print(f"checked {len(rows)} messages: {summary}", file=sys.stderr)
    return 0


async def _batch_rows(rows: list[dict[str, Any]], analyzer: Any, out: Any) -> dict[str, int]:
    from bot.commands.progress import Progress
    from classifier import ChatKind, Submission

    counts: dict[str, int] = {}
    with Progress(len(rows), "checking") as progress:
        for start in range(0, len(rows), 64):
            chunk = rows[start : start + 64]
            submissions = [Submission(text=r["text"], chat_kind=ChatKind.CLI) for r in chunk]
            verdicts = await analyzer.analyze_batch(submissions)
            for row, verdict in zip(chunk, verdicts, strict=True):
                result = verdict.to_json()
                row.update({key: result[key] for key in ("risk", "score", "fraud_type")})
                row["components"] = result["components"]
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                counts[verdict.risk.value] = counts.get(verdict.risk.value, 0) + 1
            progress.advance(len(chunk))
    return counts


def _eval(args: argparse.Namespace) -> int:
    from bot.commands.evaluation import evaluate_files, format_report

    datasets = {}
    for path in args.data:
        rows = [
            row for row in _read_jsonl(path) if not args.split or row.get("split") == args.split
        ]
        if args.limit:
            rows = rows[: args.limit]
        if args.perturb:
            evade = EVASIONS[args.perturb]
            rows = [row | {"text": evade(row["text"], index)} for index, row in enumerate(rows)]
        if not rows:
            raise InputError(
                f"{path}: no rows" + (f" with split={args.split}" if args.split else "")
            )
        datasets[path.stem] = rows
    report = evaluate_files(datasets, _analyzer())
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    return 0


def _bench(args: argparse.Namespace) -> int:
    from bot.commands.benchmark import run_benchmark

    if args.rounds < 1:
        raise InputError("--rounds must be at least 1")
    print(run_benchmark(rounds=args.rounds))
    return 0


def _train(_args: argparse.Namespace) -> int:
    raise ScamCheckError(
        "training is not available yet: the fine-tuned model lands with the model issue"
    )
