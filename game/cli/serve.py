"""``metallic-rouge serve``: play in a web browser (the optional ``web`` extra).

Each tab that opens the page plays its own game: the server starts
``metallic-rouge play --tui`` for it behind textual-serve's web driver.
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
from pathlib import Path

from game.cli.common import add_story_arg, load_or_report, story_dir

WEB_EXTRA_HINT = "pip install 'metallic-rouge[web]'"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "serve",
        help="play in a web browser (needs the 'web' extra)",
        description="Serve the game to web browsers: each tab plays a game of its own.",
        epilog=f"Needs the optional web extra: {WEB_EXTRA_HINT}.",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default 127.0.0.1: only this machine can connect)",
    )
    p.add_argument("--port", type=_port, default=8000, help="the port (default 8000; 0 picks a free one)")
    add_story_arg(p)
    p.add_argument("--saves", type=Path, default=None, metavar="DIR", help="the saves folder (or METALLIC_ROUGE_SAVES)")
    p.set_defaults(run=run)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0 to 65535)")
    return port


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any interface


def run(args: argparse.Namespace) -> int:
    try:
        from game.web.server import GameServer, configure_logging
    except ModuleNotFoundError as exc:
        print(f"serve needs the web extra ({exc.name} is not installed): {WEB_EXTRA_HINT}", file=sys.stderr)
        return 2
    from game.paths import default_saves_dir

    folder = story_dir(args.story).resolve()
    story = load_or_report(folder)
    if story is None:  # fail here, not in every tab
        return 1
    saves = (args.saves if args.saves is not None else default_saves_dir()).expanduser().resolve()
    try:
        saves.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"Cannot use the saves folder {saves}: {exc.strerror or exc}.", file=sys.stderr)
        return 1
    if not is_loopback(args.host):
        print(
            f"Warning: listening on {args.host}, not on loopback. Anyone who can reach this machine "
            f"on port {args.port} can play here, with no password, and their games read and write "
            f"the saves folder {saves}.",
            file=sys.stderr,
        )
    argv = [sys.executable, "-m", "game", "play", "--tui", "--story", str(folder), "--saves", str(saves)]
    configure_logging()
    print(f"Story: {folder}\nSaves: {saves}", flush=True)
    return GameServer(argv, host=args.host, port=args.port, title=story.title).run()
