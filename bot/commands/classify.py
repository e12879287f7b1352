"""``scamcheck check | batch | eval | bench``: the classifier from the command line.

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

from bot.commands.eval_data import CHOICES as PERTURBATION_CHOICES
from bot.commands.link_check import closing
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
    check.add_argument(
        "--image",
        type=Path,
        metavar="PATH",
        help="check a screenshot (OCR + QR codes); the text argument, if any, is its caption",
    )
    check.add_argument(
        "--url",
        metavar="URL",
        help="check a link as the bot would: open it (unless --offline) and print each hop",
    )
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
        "--split",
        help="only rows whose 'split' field is this, or one of these comma-separated names "
        "(e.g. test, valid or holdout22,holdout23)",
    )
    evaluate.add_argument("--limit", type=int, help="at most this many rows per file")
    evaluate.add_argument(
        "--perturb",
        choices=PERTURBATION_CHOICES,
        help=(
            "change every text first: a scammers' evasion (robustness), no_placeholders "
            "(data placeholders removed), real_values (placeholders swapped for realistic "
            "values), in_chat (text between everyday chat turns) or screenshot (drawn as "
            "a chat screenshot and read back by OCR; about a second a row)"
        ),
    )
    evaluate.add_argument(
        "--length-matched",
        action="store_true",
        help="per file, as many fraud as normal rows in every 20-character length band",
    )
    evaluate.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip the reference row (char 1-3-gram TF-IDF + LR fitted on the train split)",
    )
    evaluate.add_argument("--json", action="store_true", help="print the metrics as JSON")
    _offline(evaluate)
    evaluate.set_defaults(handler=_eval)

    bench = commands.add_parser(
        "bench",
        help="measure speed on a fixed corpus",
        description=(
            "Measure start-up time, messages per second and p50/p95/p99 latency of the "
            "whole verdict on the fixed corpus in knowledge/examples.yaml, and the time for "
            "the longest message the analysis reads (a 20,000-digit number, and ordinary text)."
        ),
    )
    bench.add_argument(
        "--rounds",
        type=int,
        default=50,
        help=(
            "passes over the corpus (50); with --model: distinct 100-character cuts of each "
            "corpus text (use 5 to 10)"
        ),
    )
    bench.add_argument(
        "--ocr",
        action="store_true",
        help="benchmark screenshot reading instead: OCR and QR speed, character error rate",
    )
    bench.add_argument(
        "--images", type=int, default=12, help="with --ocr: screenshots to generate (12)"
    )
    bench.add_argument(
        "--bot",
        action="store_true",
        help="benchmark the whole bot instead: concurrent users through the local Bot API server",
    )
    bench.add_argument("--users", type=int, default=20, help="with --bot: simulated users (20)")
    bench.add_argument(
        "--seconds", type=float, default=20.0, help="with --bot: length of the run (20)"
    )
    bench.add_argument(
        "--think", type=float, default=1.0, help="with --bot: pause after each reply (1.0 s)"
    )
    bench.add_argument(
        "--no-model",
        action="store_true",
        help="with --bot: rules only (separates the bot's own cost from the model's)",
    )
    bench.add_argument(
        "--model",
        action="store_true",
        help=(
            "benchmark the whole verdict with the text model: load time, memory, p50/p95 "
            "latency of 100-character messages, batched throughput (use --rounds 10); "
            "the model of SCAMCHECK_MODEL_DIR and SCAMCHECK_MODEL_INT8 when set"
        ),
    )
    _offline(bench)
    bench.set_defaults(handler=_bench)


def _offline(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--offline",
        action="store_true",
        help="make no outbound request at all (link expansion is skipped)",
    )


def _analyzer(offline: bool = False) -> Any:
    from bot.config import load_settings
    from bot.links import build_link_inspector
    from classifier import Analyzer
    from classifier.links import MemoryLinkCache
    from knowledge import load_knowledge

    settings = load_settings()
    knowledge = load_knowledge()
    blocklist = sessions = None
    if "database_url" in settings.model_fields_set:
        from bot.lookups import DatabaseBlocklist
        from bot.storage import create_engine, session_factory

        engine = create_engine(settings.database_url.get_secret_value())
        sessions = session_factory(engine)
        blocklist = DatabaseBlocklist(sessions)
    links = None if offline else build_link_inspector(settings, knowledge, sessions)
    if links is not None and links.cache is None and settings.link_cache_ttl:
        links.cache = MemoryLinkCache()  # one command: each link is opened once
    from bot.model import load_model

    return Analyzer(knowledge, blocklist=blocklist, links=links, model=load_model(settings))


def _check(args: argparse.Namespace) -> int:
    from bot.render import render_verdict
    from classifier import ChatKind, Submission

    if getattr(args, "image", None) is not None:
        from bot.commands.image_check import check_image

        return check_image(args, lambda: _analyzer(offline=args.offline))
    if getattr(args, "url", None):
        from bot.commands.link_check import check_url

        return check_url(args, _analyzer)
    text = sys.stdin.read() if args.text == "-" else args.text
    if not text.strip():
        raise InputError("nothing to check: give a message or pipe one into 'scamcheck check -'")
    analyzer = _analyzer(offline=args.offline)
    submission = Submission(text=text, chat_kind=ChatKind.CLI)
    verdict = asyncio.run(closing(analyzer, analyzer.analyze(submission)))
    if args.json:
        print(json.dumps(verdict.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render_verdict(verdict, analyzer.knowledge, as_html=False))
    return 0


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The objects of a JSONL file, each with a "text" string; one clear error otherwise."""
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
    rows = read_jsonl(args.input)
    analyzer = _analyzer(offline=args.offline)
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    try:
        counts = asyncio.run(closing(analyzer, _batch_rows(rows, analyzer, out)))
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
    from classifier.model.textmodel import MESSAGES_PER_CALL

    counts: dict[str, int] = {}
    with Progress(len(rows), "checking") as progress:
        for start in range(0, len(rows), MESSAGES_PER_CALL):
            chunk = rows[start : start + MESSAGES_PER_CALL]
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
    from bot.commands.eval_data import length_matched, perturb
    from bot.commands.evaluation import evaluate_files, format_report

    datasets: dict[str, list[dict[str, Any]]] = {}
    training: dict[str, list[dict[str, Any]]] = {}
    splits = set(args.split.split(",")) if args.split else None
    for path in args.data:
        every = read_jsonl(path)
        rows = [row for row in every if splits is None or row.get("split") in splits]
        if args.limit:
            rows = rows[: args.limit]
        if args.length_matched:
            rows = length_matched(rows)
        training[path.stem] = [row for row in every if row.get("split") == "train"]
        if rows:
            datasets[path.stem] = rows
        elif args.split:
            # Still fits the baseline: e.g. the labelled data's train rows for a split that
            # only eval/independent.jsonl has.
            print(f"{path}: no rows with split={args.split}, train rows only", file=sys.stderr)
        else:
            raise InputError(f"{path}: no rows")
    if not datasets:
        raise InputError(f"no rows with split={args.split} in any file")
    if args.perturb:
        try:
            datasets = perturb(datasets, args.perturb)
        except ValueError as exc:
            raise InputError(str(exc)) from None
    # Evaluation never opens links: results must be reproducible, and the data sets are
    # full of live scam URLs.
    analyzer = _analyzer(offline=True)
    baseline = None
    if not args.no_baseline and splits is not None and "train" not in splits:
        baseline = _baseline(training, datasets, analyzer)
    report = evaluate_files(datasets, analyzer, baseline)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    return 0


def _baseline(
    training: dict[str, list[dict[str, Any]]],
    datasets: dict[str, list[dict[str, Any]]],
    analyzer: Any,
) -> dict[str, list[tuple[float, str | None]]] | None:
    from bot.commands.baseline import Baseline
    from bot.commands.evaluation import expected_type

    rows = [row for stem_rows in training.values() for row in stem_rows]
    if not any(row["label"] == "fraud" for row in rows):
        print(
            "no baseline: these files have no train rows with fraud to fit it on "
            "(evaluate them together with the labelled data, e.g. ../shared/data/*.jsonl)",
            file=sys.stderr,
        )
        return None
    print(f"fitting the baseline on {len(rows)} train rows…", file=sys.stderr)
    model = Baseline.fit(rows, lambda row: expected_type(row, analyzer))
    return {stem: model.predict([str(r["text"]) for r in rows]) for stem, rows in datasets.items()}


def _bench(args: argparse.Namespace) -> int:
    from bot.commands.benchmark import run_benchmark

    if getattr(args, "bot", False):
        from bot.commands.bench_bot import run_bot_benchmark

        if args.users < 1 or args.seconds <= 0 or args.think < 0:
            raise InputError("--users must be at least 1, --seconds positive, --think >= 0")
        print(
            run_bot_benchmark(
                users=args.users,
                seconds=args.seconds,
                think=args.think,
                model=not args.no_model,
            )
        )
        return 0
    if getattr(args, "ocr", False):
        from bot.commands.ocr_bench import run_ocr_benchmark

        if args.images < 1:
            raise InputError("--images must be at least 1")
        print(run_ocr_benchmark(images=args.images))
        return 0
    if args.rounds < 1:
        raise InputError("--rounds must be at least 1")
    if args.model:
        from bot.commands.bench_model import run_model_benchmark
        from bot.config import load_settings

        settings = load_settings()
        print(
            run_model_benchmark(
                rounds=args.rounds, model_dir=settings.model_dir, quantise=settings.model_int8
            )
        )
        return 0
    print(run_benchmark(rounds=args.rounds))
    return 0
