"""The web server: the page, the websocket each tab's game talks through, and
textual-serve's static files (textual.js, xterm's CSS, the Roboto Mono font).

Built on textual-serve's Server for its routes and static files; the page, the
websocket handling, start-up and shutdown are ours:
- the page is our template (textual-serve's links a web font from the internet);
- URLs in the page come from the request, so it works under whatever address
  the browser used;
- malformed websocket messages are ignored instead of ending the game;
- SIGINT and SIGTERM stop every game (GameProcess.stop ends a game that does not
  quit in time) and then the server, within a few seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import aiohttp_jinja2
from aiohttp import WSMsgType, web
from textual_serve.server import Server

from game.web.children import GameProcess

log = logging.getLogger("metallic-rouge.web")

TEMPLATES = Path(__file__).resolve().parent / "templates"
# The page's name when none is given: the engine plays any story, so it names none.
TITLE = "Interactive fiction"
# Limits on what a page may ask for: a terminal of at most this many cells a side.
MAX_CELLS = 1000
MAX_STDIN_CHARS = 64 * 1024
# Content-Security-Policy: the page may load and connect to this server only.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'"
)


def _size(value: str | None, default: int) -> int:
    try:
        number = int(value) if value is not None else default
    except ValueError:
        number = default
    return max(1, min(MAX_CELLS, number))


def _cells(value: object) -> bool:
    """A terminal side the page may ask for: a whole number of cells, 1 to MAX_CELLS."""
    return type(value) is int and 1 <= value <= MAX_CELLS


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class GameServer(Server):
    """Serves the game to browsers: one child process (one game) per websocket."""

    def __init__(
        self, game_argv: Sequence[str], host: str = "127.0.0.1", port: int = 8000, title: str = TITLE
    ) -> None:
        """``title`` names the page: the story's own title (serve loads it first)."""
        super().__init__(" ".join(game_argv), host=host, port=port, title=title, templates_path=TEMPLATES)
        self.game_argv = list(game_argv)
        self.games: set[GameProcess] = set()
        self.sockets: set[web.WebSocketResponse] = set()
        self.stopping = False

    # -- the page --------------------------------------------------------------------------
    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        scheme = "wss" if request.secure else "ws"
        context = {
            "title": self.title,
            "static_url": "/static/",
            "websocket_url": f"{scheme}://{request.host}/ws",
            "font_size": max(8, min(48, _size(request.query.get("fontsize"), 16))),
        }
        response = aiohttp_jinja2.render_template("index.html", request, context)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["Cache-Control"] = "no-store"
        return response

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints its logo here; ``run`` says where the game is instead."""

    async def on_shutdown(self, app: web.Application) -> None:
        for websocket in list(self.sockets):
            with contextlib.suppress(Exception):
                await websocket.close(code=1001, message=b"server stopping")

    # -- one tab's game --------------------------------------------------------------------
    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        if self.stopping:
            await websocket.close(code=1001, message=b"server stopping")
            return websocket
        width = _size(request.query.get("width"), 80)
        height = _size(request.query.get("height"), 24)
        game = GameProcess(
            self.game_argv,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.sockets.add(websocket)
        self.games.add(game)
        try:
            await game.start(width, height)
            log.info("A game started (pid %s); %d running.", game.pid, len(self.games))
            await self._relay(websocket, game)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await websocket.close()
        except Exception:
            log.exception("A game's connection failed")
        finally:
            await game.stop()
            self.games.discard(game)
            self.sockets.discard(websocket)
            log.info("A game ended (pid %s); %d running.", game.pid, len(self.games))
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, game: GameProcess) -> None:
        """The page's messages to the game. Anything malformed is dropped, not fatal."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str) and len(data) <= MAX_STDIN_CHARS:
                await game.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                width, height = data.get("width"), data.get("height")
                if _cells(width) and _cells(height):
                    await game.set_terminal_size(width, height)
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await game.blur()
            elif kind == "focus":
                await game.focus()

    # -- start and stop --------------------------------------------------------------------
    def run(self, announce: Callable[[str], None] | None = None) -> int:
        """Serve until SIGINT or SIGTERM; the exit status for the command line."""
        return asyncio.run(self.serve_until_stopped(announce or _print))

    async def serve_until_stopped(self, announce: Callable[[str], None]) -> int:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        app = await self._make_app()
        # No access log: a local game server has nothing to audit, and every frame's
        # static file request would scroll the address off the player's screen.
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            print(f"Cannot serve on {self.host}:{self.port}: {exc.strerror or exc}.", file=sys.stderr)
            return 1
        port = runner.addresses[0][1] if runner.addresses else self.port
        self.public_url = f"http://{url_host(self.host)}:{port}"
        announce(f"{self.title} is at {self.public_url}/ - open it in a browser. Ctrl+C stops the server.")
        try:
            await stop.wait()
        finally:
            self.stopping = True
            announce(f"Stopping: ending {len(self.games)} game(s).")
            await asyncio.gather(*(game.stop() for game in list(self.games)), return_exceptions=True)
            await runner.cleanup()
        return 0


def _print(line: str) -> None:
    print(line, flush=True)


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    for name, level in (("metallic-rouge.web", logging.INFO), ("textual-serve", logging.WARNING)):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False


__all__ = ["GameServer", "configure_logging", "url_host"]


