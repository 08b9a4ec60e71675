"""The game in a browser: time to the first frame of the title, and keypress -> screen update.

Debian's Chromium driven by Playwright, as the browser test drives it (tests/web):
``metallic-rouge serve`` on a free loopback port, one tab. Timings are taken in the
page with ``performance.now()``: a key's ``keydown`` on the page, and the arrival
of each binary websocket message (the game's terminal output) before xterm.js draws
it. No targets (issue 16 asks for the figures); the suite is skipped, with the
reason, where the browser or the web extra is missing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import Metric, median, percentile

CHROMIUM = Path(os.environ.get("METALLIC_ROUGE_CHROMIUM", "/usr/bin/chromium"))
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

# Installed before the page's own scripts: stamps every binary message any websocket
# of the page receives, and every key pressed, on the page's clock.
PROBE = """
window.__frames = [];
window.__keys = [];
window.addEventListener("keydown", () => window.__keys.push(performance.now()), true);
const Native = window.WebSocket;
window.WebSocket = class extends Native {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", (event) => {
      if (typeof event.data !== "string") window.__frames.push(performance.now());
    });
  }
};
"""


class Skip(Exception):
    """This suite cannot run here; the message says why."""


def _chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    found = shutil.which("chromium")
    if found is None:
        raise Skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium; make bench does it as root)")
    return Path(found)


def run(keys: int = 30) -> list[Metric]:
    browser = _chromium()
    try:
        import textual_serve  # noqa: F401
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise Skip(f"the web bench needs the test extra (pip install -e '.[test]'): {exc}") from None
    from game.loader import load_story
    from tests.web.support import SCENES, serve

    story = load_story(SCENES)
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        started = time.monotonic()
        server = serve(Path(tmp) / "saves")
        serve_ready = time.monotonic() - started
        try:
            with sync_playwright() as playwright:
                context = playwright.chromium.launch_persistent_context(
                    str(Path(tmp) / "profile"), executable_path=str(browser), headless=True, args=FLAGS,
                    viewport=VIEWPORT,
                )
                try:
                    page = context.pages[0] if context.pages else context.new_page()
                    page.add_init_script(PROBE)
                    first, story_ready = _first_frame(page, server.url, story.title)
                    latencies = _key_latencies(page, keys)
                finally:
                    context.close()
        finally:
            server.stop()
    ms = [t * 1000 for t in latencies]
    how = (
        "Debian's chromium (headless) with Playwright; times in the page (performance.now): "
        "navigation start to the title's first frame; keydown to the first websocket frame after it"
    )
    return [
        Metric(
            "web_first_frame_s",
            first,
            "report",
            0,
            unit="s",
            raw={
                "story": "scenes (the shipped campaign)",
                "page_to_title_drawn_s": round(first, 3),
                "page_to_story_loaded_s": round(story_ready, 3),
                "serve_spawn_to_listening_s": round(serve_ready, 3),
                "how": how + "; the title counts as drawn when the story's title is in the frames received "
                "(mirrored in a VT emulator); each tab starts its own game process",
            },
        ),
        Metric(
            "web_key_update_p95_ms",
            percentile(ms, 95),
            "report",
            0,
            unit="ms",
            raw={
                "keys": len(ms),
                "median_ms": round(median(ms), 2),
                "p95_ms": round(percentile(ms, 95), 2),
                "max_ms": round(max(ms), 2),
                "how": how + "; the key is Enter on the game screen (takes the highlighted choice, a new scene "
                "each time; on an ending screen it starts a new game), one key at a time",
            },
        ),
    ]


def _first_frame(page: Any, url: str, title: str) -> tuple[float, float]:
    """Seconds from navigation to the title drawn, and to the loaded story on it."""
    from tests.web.support import Screen

    mirror: dict[str, Screen] = {}
    drawn: dict[str, int] = {}
    count = [0]

    def on_socket(websocket: Any) -> None:
        screen = Screen(160, 50)
        mirror["screen"] = screen

        def received(payload: str | bytes) -> None:
            if isinstance(payload, bytes):
                count[0] += 1
                screen.feed(payload)
                if "drawn" not in drawn and title in screen.text:
                    drawn["drawn"] = count[0]  # frames arrive here in the order the page stamped them

        def sent(payload: str | bytes) -> None:
            import json

            if isinstance(payload, str):
                message = json.loads(payload)
                if message[0] == "resize":
                    screen.resize(message[1]["width"], message[1]["height"])

        websocket.on("framereceived", received)
        websocket.on("framesent", sent)

    page.on("websocket", on_socket)
    page.goto(f"{url}/")
    deadline = time.monotonic() + 60
    while "drawn" not in drawn or "screen" not in mirror or "Loading the story" in mirror["screen"].text:
        if time.monotonic() > deadline:
            raise RuntimeError("the title did not show in the browser within 60 s")
        page.wait_for_timeout(5)
    frames = page.evaluate("window.__frames")
    at = frames[drawn["drawn"] - 1]
    loaded = frames[count[0] - 1]  # the last frame so far: the one that said the story is ready
    page.wait_for_timeout(300)  # the menu moves its highlight to New game after a refresh
    page.keyboard.press("Enter")  # New game
    page.wait_for_timeout(500)
    return at / 1000, loaded / 1000


def _key_latencies(page: Any, keys: int) -> list[float]:
    out: list[float] = []
    for _ in range(keys):
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => window.__keys.length && window.__frames.some(f => f > window.__keys[window.__keys.length - 1])",
            timeout=20_000,
            polling=5,
        )
        pressed, frames = page.evaluate("[window.__keys[window.__keys.length - 1], window.__frames]")
        out.append((min(f for f in frames if f > pressed) - pressed) / 1000)
        page.wait_for_timeout(150)  # the scene settles (its second layout, the autosave) before the next key
    return out


if __name__ == "__main__":
    for metric in run():
        print(metric.key, round(metric.value, 3), metric.unit, metric.raw)
