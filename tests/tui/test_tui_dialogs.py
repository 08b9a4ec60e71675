"""Pilot tests: the dialogs and the screens around a game (issue #15): load and Continue,
the save and load lists, the questions before a game is replaced, history, settings,
redo, the ending's summary and the endings gallery."""

from __future__ import annotations

from pathlib import Path

from game.tui.screens.game import GameScreen
from game.tui.screens.saves import LoadScreen
from game.tui.screens.title import TitleScreen
from tests.tui.conftest import make_app, read_json, settle, write_save


async def test_continue_after_a_load_brings_back_the_loaded_game(saves: Path) -> None:
    write_save(saves, "autosave", [1, 1, 1], when=1_700_000_100)  # the game played last
    write_save(saves, "briefing", [3], when=1_700_000_000)
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.run_action("load")
        await settle(pilot)
        assert isinstance(app.screen, LoadScreen)
        app.screen.query_one("#load-slots").highlighted = 1  # the order is checked elsewhere
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen) and app.session.state == "brief.why"
        await pilot.press("ctrl+q")  # quit before choosing anything
        await settle(pilot)
    assert read_json(saves / "autosave.json")["state"]["scene"] == "brief.why"
    assert read_json(saves / "autosave-previous.json")["state"]["scene"] == "canal.dressing"
    again = make_app(saves)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, TitleScreen)
        await again.run_action("continue")
        await settle(pilot)
        assert isinstance(again.screen, GameScreen) and again.session.state == "brief.why"
