"""Playing with keys alone, as in a browser tab.

A game that starts blurred must still take its first key in the menu, and the
load dialog must load with Enter.

textual-serve's web driver posts AppBlur as the app starts, and Textual skips a
screen's AUTO_FOCUS while the app is blurred. The title menu then had no focus,
so Enter and the arrow keys did nothing in the browser (issue 16).
"""

from __future__ import annotations

import json
from pathlib import Path

from game.tui.screens.game import GameScreen
from game.tui.screens.title import TitleScreen
from tests.tui.conftest import make_app, settle, write_save


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


async def test_enter_in_the_load_dialog_loads_the_newest_save(saves: Path) -> None:
    """Keys alone load a game: the dialog opens with the newest save highlighted."""
    write_save(saves, "older", [], when=1_767_225_600)
    write_save(saves, "newer", [2], when=1_767_225_700)
    newer = json.loads((saves / "newer.json").read_text())["state"]["scene"]
    assert newer != json.loads((saves / "older.json").read_text())["state"]["scene"]
    app = make_app(saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await app.run_action("load")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.session.state == newer
