"""Helpers for the TUI tests: an app on the demo story with a temporary saves folder.

The project has no async test plugin, so coroutine tests are run here with
asyncio.run (Textual's Pilot needs a running loop).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import os
from pathlib import Path
from typing import Any

import pytest
from textual.worker import WorkerCancelled

from game.loader import load_story
from game.saves import SaveStore, to_save
from game.session import Session
from game.tui.app import MetallicRougeApp
from tests.conftest import DEMO

FIXED_TIME = 1_767_225_600  # 2026-01-01 00:00 UTC: fixed mtimes keep the slot order stable


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    folder = tmp_path / "saves"
    folder.mkdir()
    return folder


def make_app(saves: Path, story: Path = DEMO, **kwargs: Any) -> MetallicRougeApp:
    kwargs.setdefault("seed", 1)
    kwargs.setdefault("effects", False)
    return MetallicRougeApp(story_dir=story, store=SaveStore(saves), **kwargs)


async def settle(pilot: Any) -> None:
    """Let workers finish and their results reach the screen."""
    app = pilot.app
    for _ in range(5):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            # An exclusive worker replaced by a newer one of its group (the watch timer's
            # poll after the test's own): the newer one is waited for on the next round.
            pass
        await pilot.pause()
        # A worker's result arrives as a message that may start another worker (say,
        # a loaded save's autosave): stop once nothing is left running.
        if not any(worker.is_running for worker in app.workers):
            break


async def play(pilot: Any, picks: list[int]) -> None:
    """Take choices by number as the 1-9 keys do, without the pilot's idle wait after every key."""
    await settle(pilot)  # the game screen must have been composed
    for pick in picks:
        pilot.app._game_screen().action_choose(pick)
    await settle(pilot)


async def start_game(pilot: Any, picks: list[int] | None = None) -> None:
    """From a fresh app: wait for the story, start a new game, take ``picks``."""
    await settle(pilot)
    await pilot.app.run_action("new_game")
    await play(pilot, picks or [])


def screen_text(app: MetallicRougeApp) -> str:
    """The screen as plain text, line by line (what a player would read)."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def scene_text(app: MetallicRougeApp) -> str:
    """The narrative's text as shown now, unwrapped."""
    from game.tui.widgets.narrative import NarrativeView

    return app.screen.query_one(NarrativeView).shown_text


def write_save(folder: Path, name: str, picks: list[int], when: int = FIXED_TIME, story: Path = DEMO) -> Path:
    """A save made by playing ``picks`` on the demo, with a fixed date and mtime."""
    session = Session(load_story(story), seed=1)
    for pick in picks:
        session.choose(pick)
    data = to_save(session, name)
    data["saved_at"] = time_text(when)
    path = SaveStore(folder).write(name, data)
    os.utime(path, (when, when))
    return path


def time_text(when: int) -> str:
    import time

    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(when))


def read_json(path: Path) -> Any:
    return json.loads(path.read_text())
