"""A game that starts blurred, as in a browser: the first key must still reach the menu.

textual-serve's web driver posts AppBlur as the app starts, and Textual skips a
screen's AUTO_FOCUS while the app is blurred. The title menu then had no focus,
so Enter and the arrow keys did nothing in the browser (issue 16).
"""

from __future__ import annotations

from pathlib import Path

from game.tui.screens.game import GameScreen
from game.tui.screens.title import TitleScreen
from tests.tui.conftest import make_app, settle


async def _blur_with_nothing_focused(pilot) -> None:
    app = pilot.app
    await settle(pilot)
    app.screen.set_focus(None)  # as when the blur came before the screen's auto-focus
    app.app_focus = False
    await pilot.pause()
    assert app.screen.focused is None


async def test_enter_on_a_blurred_start_opens_a_new_game(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await _blur_with_nothing_focused(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.app_focus
        assert isinstance(app.screen, GameScreen)


async def test_arrow_keys_on_a_blurred_start_move_in_the_menu(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await _blur_with_nothing_focused(pilot)
        await pilot.press("down")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        menu = app.screen.query_one("#title-menu")
        assert app.screen.focused is menu
        assert menu.highlighted != 0
