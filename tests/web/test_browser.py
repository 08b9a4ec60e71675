"""The game in a real browser: Debian's chromium, driven by Playwright.

The browser is the system's (/usr/bin/chromium; `make test` installs Debian's
package when run as root), never one Playwright downloads. The test plays as a
person would: it waits for the title, starts a new game with Enter, takes a
choice by number and another by clicking it, saves, loads and quits, checking
the autosave on disk and the screen the page was sent (rebuilt with a VT
emulator from the websocket frames the page received). Screenshots go to
build/test-output/web/ (or $METALLIC_ROUGE_TEST_OUTPUT). Only where the browser
cannot be had does it skip, saying why.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

pytest.importorskip("textual_serve", reason="serve needs the web extra (pip install -e '.[web]')")
sync_api = pytest.importorskip("playwright.sync_api", reason="the browser test needs playwright (the test extra)")

from game.loader import load_story  # noqa: E402
from tests.web.support import ROOT, SCENES, Screen, processes_with, serve, wait_for  # noqa: E402

CHROMIUM = Path(os.environ.get("METALLIC_ROUGE_CHROMIUM", "/usr/bin/chromium"))
# No network of its own (updates, sync, QUIC probes), no GPU, no sandbox (root in CI).
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}


def test_output() -> Path:
    folder = Path(os.environ.get("METALLIC_ROUGE_TEST_OUTPUT", ROOT / "build" / "test-output")) / "web"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


test_output.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def chromium() -> Path:
    if not CHROMIUM.exists():
        found = shutil.which("chromium")
        if found is None:
            pytest.skip(
                f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install -y chromium; "
                "make test does it when run as root) or set METALLIC_ROUGE_CHROMIUM"
            )
        return Path(found)
    return CHROMIUM


class Tab:
    """A page on the served game, with the screen it was sent mirrored in a VT emulator."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.screen: Screen | None = None
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("websocket", self._watch)

    def _watch(self, websocket: Any) -> None:
        query = parse_qs(urlparse(websocket.url).query)
        self.screen = Screen(int(query["width"][0]), int(query["height"][0]))
        websocket.on("framereceived", self._received)
        websocket.on("framesent", self._sent)

    def _received(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes) and self.screen is not None:
            self.screen.feed(payload)

    def _sent(self, payload: str | bytes) -> None:
        if isinstance(payload, str) and self.screen is not None:
            message = json.loads(payload)
            if message[0] == "resize":
                self.screen.resize(message[1]["width"], message[1]["height"])

    def pump(self, seconds: float) -> None:
        self.page.wait_for_timeout(seconds * 1000)

    def text(self) -> str:
        return self.screen.text if self.screen is not None else ""

    def shows(self, needle: str, timeout: float = 20.0) -> None:
        try:
            wait_for(lambda: needle in self.text(), timeout, repr(needle), self.pump)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; the page was sent:\n{self.text()}") from None

    def click_cell(self, row: int, col: int) -> None:
        """Click the middle of a terminal cell, as a player's mouse would."""
        assert self.screen is not None
        box = self.page.locator(".xterm-screen").bounding_box()
        width, height = box["width"] / self.screen.width, box["height"] / self.screen.height
        self.page.mouse.click(box["x"] + (col + 0.5) * width, box["y"] + (row + 0.5) * height)


def last_row_with(screen: Screen, needle: str) -> tuple[int, int]:
    for row in range(len(screen.lines) - 1, -1, -1):
        col = screen.lines[row].find(needle)
        if col >= 0:
            return row, col
    raise AssertionError(f"{needle!r} is not on the screen:\n{screen.text}")


def test_a_game_in_chromium(tmp_path: Path) -> None:
    browser = chromium()
    story = load_story(SCENES)
    saves = tmp_path / "saves"
    profile = tmp_path / "chromium-profile"  # a fresh one: nothing from another run
    out = test_output()
    server = serve(saves)
    try:
        with sync_api.sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(profile), executable_path=str(browser), headless=True, args=FLAGS, viewport=VIEWPORT
            )
            try:
                page = context.pages[0] if context.pages else context.new_page()
                tab = Tab(page)
                page.goto(f"{server.url}/")
                page.wait_for_selector("body.-first-byte", timeout=30_000)
                tab.shows(story.title)
                wait_for(lambda: "Loading the story" not in tab.text(), 20, "the story to load", tab.pump)
                tab.pump(0.3)  # the menu moves its highlight to New game after a refresh
                page.screenshot(path=str(out / "title.png"))

                # Keys reach the game without a click first (the page focuses the terminal),
                # and Enter works on a menu that started blurred.
                page.keyboard.press("Enter")
                start = story.scenes[story.start]
                tab.shows(start.title)
                tab.shows("1. ")

                # A choice by number: the scene changes on screen and in the autosave.
                page.keyboard.press("1")
                autosave = saves / "autosave.json"
                wait_for(autosave.exists, 20, "the autosave", tab.pump)
                first = json.loads(autosave.read_text())["state"]
                assert first["scene"] != story.start
                tab.shows(story.scenes[first["scene"]].title)

                # A choice by click: the last "1. " on screen is the first choice's label.
                row, col = last_row_with(tab.screen, "1. ")
                tab.click_cell(row, col + 4)

                def turned() -> dict[str, Any] | None:
                    state = json.loads(autosave.read_text())["state"]
                    return state if state["turn"] > first["turn"] else None

                second = wait_for(turned, 20, "the clicked choice's autosave", tab.pump)
                assert isinstance(second, dict)
                tab.shows(story.scenes[second["scene"]].title)
                page.screenshot(path=str(out / "game.png"))

                # Save, load and quit, by keys.
                page.keyboard.press("s")
                tab.shows("Save game")
                page.keyboard.type("browser")
                page.keyboard.press("Enter")
                wait_for((saves / "browser.json").exists, 20, "the save", tab.pump)
                tab.shows("Saved to 'browser'")
                page.keyboard.press("l")
                tab.shows("Load game")
                # The slot's own line (name, then its date), not the "Saved to 'browser'"
                # notice still on screen: Enter before the list is filled does nothing.
                tab.shows(f"browser  {time.strftime('%Y')}")
                # The autosave is pinned first and highlighted; the named save is next.
                page.keyboard.press("ArrowDown")
                page.keyboard.press("Enter")
                tab.shows("Loaded 'browser'")
                page.keyboard.press("Control+q")
                page.wait_for_selector("body.-closed", timeout=10_000)
                assert page.locator("#ended").is_visible()

                assert not tab.errors, tab.errors
                # Nothing asked of any other machine: every request went to this server.
                outside = [url for url in tab.requests if not url.startswith(server.url + "/")]
                assert not outside, outside
            finally:
                context.close()
    finally:
        seconds = server.stop()
    assert seconds < 8
    assert not processes_with(str(profile)), "chromium outlived the test"
    assert (out / "game.png").stat().st_size > 10_000
