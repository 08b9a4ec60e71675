"""The ``metallic-rouge`` command.

Each sub-command lives in its own module with ``register(subparsers)`` and a
``run(args) -> int``. Modules import only the standard library at the top, so
``--help`` and the authoring tools start without paying for Textual.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module

from game import __version__

COMMANDS = ("play", "serve", "validate", "playtest", "stats", "graph", "new_scene", "schema")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="metallic-rouge",
        description="Metallic Rouge: The Immortal Nine - play the game, or check and test a story.",
        epilog="With no command, plays the game. Run 'metallic-rouge COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"metallic-rouge {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = import_module(f"game.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"game.cli.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "play")
    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
