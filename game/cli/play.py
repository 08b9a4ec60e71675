"""``metallic-rouge play``: the Textual game, or line-based play with --plain."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from game.cli.common import add_story_arg, load_or_report, story_dir


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("play", help="play the game (the default command)", description="Play the game.")
    p.add_argument("--plain", action="store_true", help="line-based text mode for screen readers and scripts")
    p.add_argument(
        "--tui",
        action="store_true",
        help="the Textual game even without a terminal (as 'serve' starts it for a browser)",
    )
    add_story_arg(p)
    p.add_argument("--saves", type=Path, default=None, metavar="DIR", help="the saves folder (or METALLIC_ROUGE_SAVES)")
    p.add_argument("--load", default=None, metavar="SLOT", help="start from this save slot")
    p.add_argument("--seed", type=int, default=None, help="the seed for the story's random rolls")
    p.add_argument("--watch", action="store_true", help="reload changed scene files while playing")
    p.add_argument("--width", type=int, default=None, help="plain mode: wrap text at this width")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from game.paths import default_saves_dir
    from game.plain.exits import EXIT_NO_INPUT, EXIT_NO_OUTPUT
    from game.saves import SaveStore

    # Started with stdin or stdout closed (`<&-`, `>&-`), Python has None for them.
    if sys.stdin is None:
        return _complain("there is no input to read (standard input is closed)", EXIT_NO_INPUT)
    if sys.stdout is None:
        return _complain("there is nowhere to write (standard output is closed)", EXIT_NO_OUTPUT)
    folder = story_dir(args.story)
    saves = SaveStore(args.saves if args.saves is not None else default_saves_dir())
    forced_tui = args.tui or _web_driver()
    plain = args.plain or not (forced_tui or (sys.stdin.isatty() and sys.stdout.isatty()))
    if not plain and not forced_tui and _dumb_terminal():
        # A terminal that cannot move the cursor or draw (TERM=dumb: Emacs' shell, some
        # IDE consoles, a serial line) would show the TUI as pages of escape codes.
        # Only when the TUI was not asked for: 'serve' starts 'play --tui'.
        print(
            "metallic-rouge: the game's screens need a capable terminal (this one is TERM=dumb); "
            "playing in plain text instead (play --tui to try the screens anyway).",
            file=sys.stderr,
        )
        plain = True
    if not plain:
        from game.tui import run_tui

        return run_tui(story_dir=folder, saves=saves, load=args.load, seed=args.seed, watch=args.watch)
    return run_plain_cli(args, folder, saves)


def _complain(text: str, code: int) -> int:
    if sys.stderr is not None:
        print(f"metallic-rouge: {text}.", file=sys.stderr)
    return code


def _dumb_terminal() -> bool:
    return os.environ.get("TERM", "").strip().lower() == "dumb"


def _web_driver() -> bool:
    """True under textual-serve (or textual-web): its pipes are not a terminal, but the
    driver it names speaks to a browser, so the game must be the TUI, not plain mode."""
    return "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")


def run_plain_cli(args: argparse.Namespace, folder: Path, saves: object) -> int:
    from game.plain import PlainGame, run_plain
    from game.plain.exits import EXIT_NO_OUTPUT
    from game.saves import SaveStore
    from game.session import Session, StoryRuntimeError

    assert isinstance(saves, SaveStore)
    story = load_or_report(folder)
    if story is None:
        return 1
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little")
    try:
        session = Session(story, seed=seed)
    except StoryRuntimeError as exc:
        print(f"The story cannot start: it hit an error {exc}.", file=sys.stderr)
        return 1
    for stream in (sys.stdin, sys.stdout):
        # Bytes that are not text in the locale's encoding (a stray \xff typed, a story
        # line a latin-1 terminal cannot show) become a replacement mark, not a crash
        # and not raw bytes echoed to the terminal.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (OSError, ValueError):
                pass
    width = args.width or min(100, max(40, _terminal_width()))
    game = PlainGame(session, saves, sys.stdout, width=width, watch=folder if args.watch else None)
    code = run_plain(game, sys.stdin, signals=True, load=args.load)
    if code == EXIT_NO_OUTPUT:
        _drop_output()
    return code


def _drop_output() -> None:
    """Point stdout at /dev/null: what is still buffered for a broken pipe would
    otherwise make Python's exit print an "Exception ignored" traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _terminal_width() -> int:
    try:
        return os.get_terminal_size().columns - 1
    except OSError:
        return 79
