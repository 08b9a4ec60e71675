"""The TUI under abuse: thousands of random keys and resizes, down to a 1x1 terminal.

The app must never crash, and the autosave must always be a save that loads.
A quit (Ctrl+Q, or "Quit" from a menu) is allowed: the player starts the game
again on the same saves folder, as a real player would, and carries on.
"""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path
from typing import Any

import pytest

from game.loader import load_story
from game.saves import AUTOSAVE, SaveStore, restore
from game.session import Session
from tests.conftest import DEMO
from tests.fuzz._support import TIMINGS, cases, count, detail

# Weighted: the keys the game uses most, then everything else a cat on the keyboard finds.
KEYS = (
    [str(n) for n in range(1, 10)] * 4
    + ["enter"] * 8 + ["escape"] * 5 + ["up", "down"] * 4 + ["tab", "shift+tab"] * 2
    + ["u", "ctrl+z", "s", "l", "h", "n", "c", "y", "e", "q", "f1", "pageup", "pagedown", "backspace", "space"] * 2
    + list("abcdefghijklmnopqrstuvwxyz0") + ["full_stop", "minus", "underscore", "space"]
    + ["ctrl+p", "ctrl+q", "ctrl+c", "home", "end", "delete", "left", "right"]
)
CHARS = {"space": " ", "enter": "\r", "tab": "\t", "escape": "\x1b", "full_stop": ".", "minus": "-", "underscore": "_"}
SIZES = [(80, 24), (1, 1), (20, 5), (79, 23), (200, 60), (40, 12), (120, 40), (81, 24), (2, 30), (150, 3)]
BATCH = 50


def send_keys(app: Any, keys: list[str]) -> None:
    """Queue key events as the terminal driver would, without waiting between them.

    pilot.press() waits for the app to go idle after every key (60-170 ms here);
    a burst of keys queued at once is both faster and closer to a player mashing
    keys faster than the app can answer.
    """
    from textual import events

    for key in keys:
        event = events.Key(key, key if len(key) == 1 else CHARS.get(key))
        event.set_sender(app)
        app._driver.send_message(event)


def check_autosave(saves: Path, story_id: str) -> bool:
    """True if there is an autosave; fail if it (or its backup) does not load whole."""
    store = SaveStore(saves)
    found = False
    for slot in (AUTOSAVE, f"{AUTOSAVE}-previous"):
        if store.exists(slot):
            found = True
            restore(Session(load_story(DEMO)), store.read(slot, story_id))
    return found


async def abuse(saves: Path, keys: list[str], rng: random.Random) -> dict[str, int]:
    from game.tui.app import MetallicRougeApp

    story_id = load_story(DEMO).id
    done = 0
    stats = {"restarts": 0, "resizes": 0, "bursts": 0, "autosave checks": 0}
    had_autosave = False
    while done < len(keys):
        app = MetallicRougeApp(story_dir=DEMO, store=SaveStore(saves), seed=rng.randrange(1000), effects=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            # Into a game first (a new one, or the autosave after a quit), so most
            # keys land where the game state can be hurt, not on the title menu.
            await pilot.press("c" if stats["restarts"] else "n")
            await app.workers.wait_for_complete()
            await pilot.pause()
            while done < len(keys) and app.is_running and app.return_code is None:
                end = min(len(keys), done + BATCH)
                while done < end and app.is_running and app.return_code is None:
                    # A resize every few bursts, cycling through the sizes (1x1 included).
                    if stats["bursts"] % 3 == 0:
                        await pilot.resize_terminal(*SIZES[stats["resizes"] % len(SIZES)])
                        stats["resizes"] += 1
                    burst = keys[done : min(end, done + rng.randint(1, 16))]
                    send_keys(app, burst)
                    done += len(burst)
                    stats["bursts"] += 1
                    # The burst is queued at once (faster than the app answers); then
                    # wait for it all to be handled, workers included, so that a run
                    # depends on the seed as far as threads allow.
                    await pilot.pause()
                    await app.workers.wait_for_complete()
                await app.workers.wait_for_complete()
                await pilot.pause()
                found = check_autosave(saves, story_id)
                # Once there is an autosave, nothing the player does may lose it.
                assert found or not had_autosave, f"the autosave disappeared after key {done}"
                had_autosave = had_autosave or found
                stats["autosave checks"] += 1
            if app.return_code is None:
                await pilot.resize_terminal(80, 24)
        assert app.return_code in (None, 0), f"the app ended with {app.return_code}"
        if done < len(keys):
            stats["restarts"] += 1
    stats["keys"] = done
    return stats


@pytest.mark.fuzz
def test_random_keys_and_resizes_never_crash_the_tui_or_lose_the_autosave(tmp_path: Path) -> None:
    pytest.importorskip("textual")
    n = cases(small=200, full=2_000)
    rng = random.Random("tui-abuse")
    keys = [rng.choice(KEYS) for _ in range(n)]
    saves = tmp_path / "saves"
    saves.mkdir()
    started = time.perf_counter()
    stats = asyncio.run(abuse(saves, keys, rng))
    TIMINGS[f"tui: {n} random keys"] = time.perf_counter() - started
    count("tui: random keys", stats["keys"])
    detail("tui resizes", stats["resizes"])
    detail("tui quits and restarts", stats["restarts"])
    assert stats["keys"] == n
    assert check_autosave(saves, load_story(DEMO).id), "no choice was ever autosaved: the keys missed the game"
