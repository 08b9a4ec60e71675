"""Options and helpers shared by several commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.story import Story


def add_story_arg(parser: argparse.ArgumentParser, positional: bool = False) -> None:
    help_text = "the story folder (default: the shipped campaign)"
    if positional:
        parser.add_argument("story", nargs="?", type=Path, default=None, help=help_text)
    else:
        parser.add_argument("--story", type=Path, default=None, metavar="DIR", help=help_text)


def story_dir(value: Path | None) -> Path:
    if value is not None:
        return value
    from game.paths import default_story_dir

    return default_story_dir()


def load_or_report(folder: Path) -> Story | None:
    """Load a story; on errors print them (path:line:col) to stderr and return None."""
    from game.loader import check_story

    story, diagnostics = check_story(folder)
    if story is None:
        for d in diagnostics:
            if d.is_error:
                print(d, file=sys.stderr)
        errors = sum(1 for d in diagnostics if d.is_error)
        print(f"The story in {folder} has {errors} error(s); fix them and try again.", file=sys.stderr)
    return story
