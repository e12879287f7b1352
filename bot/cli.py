"""The ``scamcheck`` command line: one entry point, one sub-command per job.

Errors are one clear line on stderr (exit status 2), never a traceback; ``--help`` on every
sub-command explains its options. Heavy imports (telegram, torch) happen inside the
sub-command that needs them, so ``scamcheck --help`` stays instant.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from knowledge.errors import ScamCheckError

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    from bot.commands import classify, db, guard, model, run

    parser = argparse.ArgumentParser(
        prog="scamcheck",
        description="反诈助手: check Chinese messages for telecom fraud, and run the Telegram bot.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    run.register(commands)
    db.register(commands)
    classify.register(commands)
    model.register(commands)
    guard.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments and run the sub-command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except ScamCheckError as exc:
        print(f"scamcheck: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("scamcheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as other Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
