"""SVG snapshots of every screen (pytest-textual-snapshot).

Deterministic by construction: a fixed seed, saves with fixed dates and mtimes,
no clock on screen, effects off (no meter flashes, no blinking cursor), the
typewriter off. Update with ``pytest tests/tui --snapshot-update`` and review
the SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.tui.conftest import FIXED_TIME, make_app, play, settle, write_save

TO_LOCKED = [1, 1, 1, 2]
CROWDED = Path(__file__).parent / "fixtures" / "crowded"
TO_ORDERS = [1, 1, 1, 1, 1]


@pytest.fixture
def fixed_saves(saves: Path) -> Path:
    """Two good saves, the autosave and a damaged one, always in the same order."""
    write_save(saves, "autosave", [1, 1], when=FIXED_TIME)
    write_save(saves, "before the fight", [1, 1, 1], when=FIXED_TIME - 3600)
    write_save(saves, "briefing", [3], when=FIXED_TIME - 7200)
    damaged = saves / "cut off.json"
    damaged.write_text('{"format": "metallic-rouge-save", "format_vers')
    import os

    os.utime(damaged, (FIXED_TIME - 10800, FIXED_TIME - 10800))
    return saves


def steps(*keys: str, actions: tuple[str, ...] = (), picks: list[int] | None = None) -> Callable[[Any], Awaitable[None]]:
    """A run_before: wait for the story, run app actions, take choices, press keys, wait again."""

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        for action in actions:
            await pilot.app.run_action(action)
            await settle(pilot)
        if picks:
            await play(pilot, picks)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


def test_title(snap_compare: Any, fixed_saves: Path) -> None:
    assert snap_compare(make_app(fixed_saves), run_before=steps())


def test_game_with_a_locked_choice(snap_compare: Any, fixed_saves: Path) -> None:
    assert snap_compare(make_app(fixed_saves), run_before=steps(actions=("new_game",), picks=TO_LOCKED))


def test_game_at_120x40(snap_compare: Any, fixed_saves: Path) -> None:
    app = make_app(fixed_saves)
    assert snap_compare(app, terminal_size=(120, 40), run_before=steps(actions=("new_game",), picks=TO_LOCKED))


def test_game_at_80x24_with_more_choices_than_fit(snap_compare: Any, fixed_saves: Path) -> None:
    # Six choices, five locked with two-line reasons: the list scrolls with the highlight,
    # moved up twice here so that the borders say what is out of sight on both sides.
    app = make_app(fixed_saves, story=CROWDED)
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps("up", "up", actions=("new_game",)))


def test_save_dialog(snap_compare: Any, fixed_saves: Path) -> None:
    assert snap_compare(make_app(fixed_saves), run_before=steps("s", actions=("new_game",), picks=[1]))


def test_load_dialog_with_a_damaged_save(snap_compare: Any, fixed_saves: Path) -> None:
    assert snap_compare(make_app(fixed_saves), run_before=steps(actions=("load",)))


def test_history(snap_compare: Any, fixed_saves: Path) -> None:
    assert snap_compare(make_app(fixed_saves), run_before=steps("h", actions=("new_game",), picks=[2, 2]))


def test_help(snap_compare: Any, fixed_saves: Path) -> None:
    assert snap_compare(make_app(fixed_saves), run_before=steps("f1", actions=("new_game",)))


def test_settings(snap_compare: Any, fixed_saves: Path) -> None:
    assert snap_compare(make_app(fixed_saves), run_before=steps(actions=("settings",)))


def test_ending(snap_compare: Any, fixed_saves: Path) -> None:
    assert snap_compare(make_app(fixed_saves), run_before=steps(actions=("new_game",), picks=TO_ORDERS))


def test_endings_gallery(snap_compare: Any, fixed_saves: Path) -> None:
    (fixed_saves / ".endings.json").write_text('{"stories": {"metallic-rouge-demo": ["song"]}}')
    assert snap_compare(make_app(fixed_saves), run_before=steps(actions=("endings",)))


def test_too_small(snap_compare: Any, fixed_saves: Path) -> None:
    assert snap_compare(make_app(fixed_saves), terminal_size=(60, 20), run_before=steps(actions=("new_game",)))
