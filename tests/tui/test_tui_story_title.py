"""The app's window is named after the story it plays, not after the campaign."""

from __future__ import annotations

from pathlib import Path

from game.loader import load_story
from tests.conftest import DEMO
from tests.tui.conftest import make_app, settle


async def test_the_window_title_is_the_story_title(saves: Path) -> None:
    app = make_app(saves)
    assert "Immortal Nine" not in app.title  # before the story loads: a neutral name
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.title == load_story(DEMO).title
