"""``metallic-rouge serve`` driven through its websocket, as textual.js drives it, without a browser.

Each test starts the real server (``python -m game serve --port 0``) and speaks
textual-serve's protocol to it: JSON text messages in (stdin, resize, ping), the
game's terminal output out (binary), rebuilt into a screen with a VT emulator.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from pathlib import Path

import pytest

pytest.importorskip("textual_serve", reason="serve needs the web extra (pip install -e '.[web]')")
aiohttp = pytest.importorskip("aiohttp")

from game.loader import load_story  # noqa: E402
from tests.web.support import SCENES, Screen, serve  # noqa: E402

WIDTH, HEIGHT = 120, 40


class Tab:
    """One browser tab's connection: what it sends, and the screen it would show."""

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = websocket
        self.screen = Screen(WIDTH, HEIGHT)
        self.closed = asyncio.Event()
        self.texts: list[object] = []
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.screen.feed(message.data)
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.texts.append(json.loads(message.data))
        self.closed.set()

    async def send(self, *envelope: object) -> None:
        await self.ws.send_str(json.dumps(list(envelope)))

    async def key(self, data: str) -> None:
        await self.send("stdin", data)

    async def until(self, condition, what: str, timeout: float = 45.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the screen shows:\n{self.screen.text}")
            await asyncio.sleep(0.05)

    async def shows(self, text: str, timeout: float = 45.0) -> None:
        await self.until(lambda: text in self.screen.text, repr(text), timeout)

    async def title_ready(self, story_title: str) -> None:
        """The title screen once the story has loaded (until then New game is disabled)."""
        await self.shows(story_title)
        await self.until(lambda: "Loading the story" not in self.screen.text, "the story to load")
        await asyncio.sleep(0.3)  # the menu moves its highlight to New game after a refresh


async def open_tab(session: aiohttp.ClientSession, url: str) -> Tab:
    ws = await session.ws_connect(f"{url}/ws?width={WIDTH}&height={HEIGHT}")
    tab = Tab(ws)
    await tab.send("resize", {"width": WIDTH, "height": HEIGHT})
    return tab


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_game_played_over_the_websocket(tmp_path: Path) -> None:
    """Title, new game by Enter, a choice by number, a save, a load and quitting, as a page would."""
    story = load_story(SCENES)
    start = story.scenes[story.start]
    saves = tmp_path / "saves"
    server = serve(saves)

    async def play() -> None:
        async with aiohttp.ClientSession() as session:
            tab = await open_tab(session, server.url)
            await tab.send("ping", "p1")
            await tab.title_ready(story.title)
            await tab.until(lambda: ["pong", "p1"] in tab.texts, "the pong")
            # The title menu has never been focused (the web driver starts the app
            # blurred): Enter must still choose New game.
            await tab.key("\r")
            await tab.shows(start.title)
            await tab.shows("1. ")
            await tab.key("1")
            autosave = saves / "autosave.json"
            await tab.until(autosave.exists, "the autosave")
            scene = read_json(autosave)["state"]["scene"]
            assert scene != story.start
            await tab.shows(story.scenes[scene].title)
            # A save by hand: s, a name, Enter.
            await tab.key("s")
            await tab.shows("Save game")
            await tab.key("web-test\r")
            await tab.until((saves / "web-test.json").exists, "the save")
            assert read_json(saves / "web-test.json")["state"]["scene"] == scene
            await tab.shows("Saved to 'web-test'")
            # Load it back (it is the newest save, first in the list).
            await tab.key("l")
            await tab.shows("Load game")
            await tab.shows("web-test")
            await tab.key("\x1b[B")  # past the autosave, pinned first and highlighted
            await tab.key("\r")
            await tab.shows("Loaded 'web-test'")
            # Nothing unsaved since the load: Ctrl+Q quits at once, and the page is told.
            await tab.key("\x11")
            await asyncio.wait_for(tab.closed.wait(), 10)

    try:
        asyncio.run(play())
        deadline = time.monotonic() + 5
        while server.games() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not server.games(), "the game's process outlived its quit"
    finally:
        server.stop()
    assert "A game ended" in server.output()


def test_sigterm_stops_the_server_and_every_game(tmp_path: Path) -> None:
    """Three open tabs, one of them a game that no longer answers: SIGTERM still ends them all."""
    saves = tmp_path / "saves"
    server = serve(saves)

    async def run() -> float:
        async with aiohttp.ClientSession() as session:
            tabs = [await open_tab(session, server.url) for _ in range(3)]
            for tab in tabs:
                await tab.shows("New game")
            games = server.games()
            assert len(games) == 3, games
            # A stopped game can neither quit when asked nor die of SIGTERM: only SIGKILL ends it.
            os.kill(games[0], signal.SIGSTOP)
            seconds = await asyncio.to_thread(server.stop)  # raises if any game is left
            await asyncio.wait_for(asyncio.gather(*(tab.closed.wait() for tab in tabs)), 10)
            return seconds

    try:
        seconds = asyncio.run(run())
    finally:
        if server.process.poll() is None:
            server.process.kill()
    # The stuck game costs QUIT_GRACE_S + TERM_GRACE_S (3 s); the others quit at once.
    assert seconds < 6, seconds
    assert "Stopping: ending 3 game(s)." in server.process.stdout.read()


def test_malformed_messages_are_ignored(tmp_path: Path) -> None:
    story = load_story(SCENES)
    saves = tmp_path / "saves"
    server = serve(saves)

    async def poke() -> None:
        async with aiohttp.ClientSession() as session:
            tab = await open_tab(session, server.url)
            await tab.title_ready(story.title)
            for junk in ("not json", "{}", "[]", "[1, 2]", '["stdin", 5]', '["resize", "big"]',
                         '["resize", {"width": "x", "height": -4}]', '["stdin", "' + "a" * 70000 + '"]'):
                await tab.ws.send_str(junk)
            await tab.ws.send_bytes(b"\x00\xff")
            await tab.send("ping", "still here")
            await tab.until(lambda: ["pong", "still here"] in tab.texts, "the pong after junk")
            await tab.key("n")
            await tab.shows("1. ")
            await tab.ws.close()

    try:
        asyncio.run(poke())
    finally:
        server.stop()


def test_the_page_is_named_after_the_story_served(tmp_path: Path) -> None:
    """The demo's page carries the demo's title, not the campaign's."""
    demo = SCENES.parent / "examples" / "demo"
    title = load_story(demo).title
    server = serve(tmp_path / "saves", story=demo)

    async def page() -> str:
        async with aiohttp.ClientSession() as session, session.get(server.url + "/") as response:
            return await response.text()

    try:
        html = asyncio.run(page())
    finally:
        server.stop()
    assert f"<title>{title}</title>" in html
    assert "Immortal Nine" not in html
