"""SVG snapshots of the screens around a run (issue #15): the ending's summary at 80x24 and
the settings screen with a switch turned on (its state in words). Deterministic as
test_tui_snapshots.py's: a fixed seed, effects off, no clock on screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.tui.conftest import make_app, play, settle


def test_ending_summary_at_80x24(snap_compare: Any, saves: Path) -> None:
    (saves / ".endings.json").write_text('{"stories": {"metallic-rouge-demo": ["song"]}}')

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.app.run_action("new_game")
        await play(pilot, [1, 1, 1, 1, 1])  # the ending "orders": 2 of 2 found

    assert snap_compare(make_app(saves), terminal_size=(80, 24), run_before=run_before)


def test_settings_with_the_typewriter_on(snap_compare: Any, saves: Path) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.app.run_action("settings")
        await settle(pilot)
        pilot.app.screen.query_one("#typewriter").toggle()
        await settle(pilot)

    assert snap_compare(make_app(saves), terminal_size=(80, 24), run_before=run_before)
