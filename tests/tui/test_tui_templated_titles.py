"""A templated scene title reads filled in on every screen, never as its ``{...}`` source."""

from __future__ import annotations

from pathlib import Path

from game.tui.screens.ending import EndingScreen
from game.tui.screens.history import HistoryScreen
from game.tui.screens.title import TitleScreen
from tests.conftest import DEMO
from tests.tui.conftest import make_app, play, screen_text, settle, start_game

HANGAR = "The Hangar, {words(chocolate)} bars"
REPORT = "Report, {words(chocolate)} bars left"
WHY = "{if chocolate > 19}A Full Pocket{end}"  # renders empty in play: the heading has no title


def templated_demo(root: Path) -> Path:
    """The demo with templated titles on its first scene, a question and an ending."""
    story = root / "demo"
    story.mkdir()
    for source in DEMO.iterdir():
        text = source.read_text(encoding="utf-8")
        text = text.replace("title: The Hangar\n", f'title: "{HANGAR}"\n')
        text = text.replace("title: A Question\n", f'title: "{WHY}"\n')
        text = text.replace("title: Report\n", f'title: "{REPORT}"\n')
        (story / source.name).write_text(text, encoding="utf-8")
    return story


async def test_title_screen_names_the_scene_in_progress_filled_in(saves: Path, tmp_path: Path) -> None:
    app = make_app(saves, templated_demo(tmp_path))
    async with app.run_test(size=(100, 40)) as pilot:
        await start_game(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        text = screen_text(app)
        assert "The Hangar, three bars" in text and "{words" not in text


async def test_ending_and_history_show_titles_filled_in(saves: Path, tmp_path: Path) -> None:
    app = make_app(saves, templated_demo(tmp_path))
    async with app.run_test(size=(100, 50)) as pilot:
        await start_game(pilot, [3, 1])  # the question, whose title renders empty, then the target
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        history = str(app.screen.query_one("#history-text").render())
        assert "The Hangar, three bars" in history
        assert "{" not in history and "A Full Pocket" not in history
        await pilot.press("escape")
        await play(pilot, [1, 1, 1, 1])
        assert isinstance(app.screen, EndingScreen)
        text = screen_text(app)
        assert "Report, three bars left" in text and "{words" not in text
