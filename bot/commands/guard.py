"""``scamcheck rules-diff``: the knowledge guard.

A change to the knowledge files moves the rules' score of many messages at once. Before it
ships, every labelled message is scored with the rules and lookups alone under the knowledge
before and after the change, and the command lists what moved the wrong way: everyday
messages whose score rose and scams whose score fell (docs/EVALUATION.md reports each
knowledge change with these counts).
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import knowledge
from bot.commands.classify import InputError, read_jsonl

if TYPE_CHECKING:
    from classifier import Verdict

# The bundled knowledge, where load_knowledge() reads it by default; its parent is the
# checkout whose git history --before names.
KNOWLEDGE = Path(knowledge.__file__).resolve().parent
REPOSITORY = KNOWLEDGE.parent


def register(commands: Any) -> None:
    """Add ``rules-diff`` to the command line."""
    parser = commands.add_parser(
        "rules-diff",
        help="the knowledge guard: rule scores before and after a knowledge change",
        description=(
            "Score every labelled message with the rules and lookups alone (no model, no "
            "network) under two versions of the knowledge, and list the everyday messages "
            "whose score rose and the scams whose score fell. By default the committed "
            "knowledge (git HEAD) against the working tree's."
        ),
    )
    parser.add_argument("data", type=Path, nargs="+", help="labelled JSONL file(s)")
    parser.add_argument(
        "--split",
        help="only rows whose 'split' field is this, or one of these comma-separated names",
    )
    parser.add_argument(
        "--exclude-split",
        help="leave out rows whose 'split' field is one of these comma-separated names "
        "(parts kept unread for a decision)",
    )
    parser.add_argument(
        "--before",
        default="HEAD",
        help="the knowledge before: a git revision of this repository or a knowledge "
        "folder (default: HEAD)",
    )
    parser.add_argument(
        "--after",
        type=Path,
        default=KNOWLEDGE,
        help="the knowledge folder after the change (default: the working tree's)",
    )
    parser.add_argument(
        "--min-change",
        type=float,
        default=0.01,
        help="smallest change of a score that counts as a move (default: 0.01)",
    )
    parser.add_argument(
        "--show",
        type=int,
        default=20,
        help="list at most this many rows of each kind (default: 20; 0 = counts only)",
    )
    parser.add_argument("--json", action="store_true", help="print every moved row as JSON instead")
    parser.set_defaults(handler=_rules_diff)


@dataclass(frozen=True)
class Move:
    """One labelled message whose rules score changed."""

    id: str
    label: str
    before: float
    after: float
    fraud_type: str | None
    text: str

    @property
    def wrong_way(self) -> bool:
        """An everyday message that rose, or a scam that fell."""
        rose = self.after > self.before
        return rose if self.label == "normal" else not rose


def rule_scores(rows: Sequence[dict[str, Any]], knowledge_dir: Path, label: str) -> list[Verdict]:
    """The offline verdict of every row under the knowledge in ``knowledge_dir``."""
    from bot.commands.progress import Progress
    from classifier import Analyzer, ChatKind, Submission
    from knowledge import load_knowledge

    analyzer = Analyzer(load_knowledge(knowledge_dir))
    verdicts = []
    with Progress(len(rows), label) as progress:
        for row in rows:
            submission = Submission(text=str(row["text"]), chat_kind=ChatKind.CLI)
            verdicts.append(analyzer.analyze_offline(submission))
            progress.advance()
    return verdicts


def moves(
    rows: Sequence[dict[str, Any]],
    before: Sequence[Verdict],
    after: Sequence[Verdict],
    min_change: float,
) -> list[Move]:
    """The rows whose rules score moved by more than ``min_change``, largest move first."""
    found = []
    for number, (row, old, new) in enumerate(zip(rows, before, after, strict=True), start=1):
        old_score, new_score = old.components["rules"] or 0.0, new.components["rules"] or 0.0
        if abs(new_score - old_score) <= min_change:
            continue
        found.append(
            Move(
                id=str(row.get("id") or f"row {number}"),
                label="fraud" if row.get("label") == "fraud" else "normal",
                before=old_score,
                after=new_score,
                fraud_type=new.fraud_type,
                text=str(row["text"]),
            )
        )
    return sorted(found, key=lambda move: -abs(move.after - move.before))


@contextmanager
def knowledge_folder(before: str) -> Iterator[Path]:
    """A knowledge folder: ``before`` itself if it is one, else that git revision's
    ``knowledge/`` extracted to a temporary folder."""
    given = Path(before)
    if given.is_dir():
        yield given
        return
    try:
        archive = subprocess.run(
            ["git", "-C", str(REPOSITORY), "archive", "--format=tar", before, "knowledge"],
            capture_output=True,
            check=True,
        ).stdout
    except FileNotFoundError:
        raise InputError("git is not installed: give --before a knowledge folder") from None
    except subprocess.CalledProcessError as exc:
        reason = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = reason[-1] if reason else "git archive failed"
        raise InputError(f"--before {before}: not a folder, and git says: {detail}") from None
    with tempfile.TemporaryDirectory(prefix="scamcheck-knowledge-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        yield Path(folder) / "knowledge"


def _rules_diff(args: argparse.Namespace) -> int:
    splits = set(args.split.split(",")) if args.split else None
    excluded = set(args.exclude_split.split(",")) if args.exclude_split else set()
    rows = [
        row
        for path in args.data
        for row in read_jsonl(path)
        if (splits is None or row.get("split") in splits) and row.get("split") not in excluded
    ]
    if not rows:
        raise InputError("no rows to score" + (f" with split={args.split}" if args.split else ""))
    if not args.after.is_dir():
        raise InputError(f"--after {args.after}: not a folder")
    with knowledge_folder(args.before) as before_dir:
        before = rule_scores(rows, before_dir, "before")
    after = rule_scores(rows, args.after, "after")
    moved = moves(rows, before, after, args.min_change)
    if args.json:
        for move in moved:
            print(json.dumps(asdict(move), ensure_ascii=False))
    else:
        print(format_moves(len(rows), moved, args.show))
    return 0


def format_moves(total: int, moved: Sequence[Move], show: int) -> str:
    """The summary line, then the everyday rows that rose and the scams that fell."""
    rose = [move for move in moved if move.label == "normal" and move.wrong_way]
    fell = [move for move in moved if move.label == "fraud" and move.wrong_way]
    lines = [
        f"{total} rows scored; {len(moved)} moved; {len(rose)} everyday rows rose"
        + (f" (highest now {max(move.after for move in rose):.3f})" if rose else "")
        + f"; {len(fell)} scams fell"
        + (f" (lowest now {min(move.after for move in fell):.3f})" if fell else "")
    ]
    for title, group in (("everyday rows that rose", rose), ("scams that fell", fell)):
        if not group or show <= 0:
            continue
        lines += ["", f"{title}:"]
        for move in group[:show]:
            text = " ".join(move.text.split())
            text = text if len(text) <= 60 else text[:59] + "…"
            lines.append(
                f"  {move.id}  {move.before:.3f} → {move.after:.3f}  "
                f"{move.fraud_type or '-'}  {text}"
            )
        if len(group) > show:
            lines.append(f"  … and {len(group) - show} more (--show N, or --json)")
    return "\n".join(lines)
