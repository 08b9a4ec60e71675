"""Pilot tests: the dialogs and the screens around a game (issue #15): load and Continue,
the save and load lists, the questions before a game is replaced, history, settings,
redo, the ending's summary and the endings gallery."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from game.tui.providers.game_commands import GameCommands
from game.tui.screens.confirm import ConfirmScreen
from game.tui.screens.ending import EndingScreen
from game.tui.screens.game import GameScreen
from game.tui.screens.history import HistoryScreen
from game.tui.screens.saves import LoadScreen
from game.tui.screens.title import TitleScreen
from tests.tui.conftest import (
    FIXED_TIME,
    make_app,
    play,
    read_json,
    screen_text,
    settle,
    start_game,
    write_save,
)


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


def footer_keys(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [b.binding.description for b in app.screen.active_bindings.values() if b.enabled and b.binding.show]


async def test_redo_after_undo_by_key_until_a_new_choice(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot, [1, 1])
        after = app.session.snapshot()
        assert "Redo" not in footer_keys(app)
        await pilot.press("u")
        await pilot.press("u")
        await settle(pilot)
        assert app.session.state == "brief.hangar" and "Redo" in footer_keys(app)
        assert "Redo" in [c[0] for c in GameCommands(app.screen)._available()]  # the command palette
        await pilot.press("f1")
        await settle(pilot)
        assert any("r ^y" in line and "Redo: take again" in line for line in screen_text(app).splitlines())
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert app.session.state == "brief.target"
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert app.session.snapshot() == after and "Redo" not in footer_keys(app)
        await pilot.press("u")
        await play(pilot, [2])  # another branch: nothing left to redo
        state = app.session.snapshot()
        await pilot.press("r")
        await settle(pilot)
        assert app.session.snapshot() == state and "Redo" not in footer_keys(app)



async def test_settings_switches_say_on_or_off_in_words(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.run_action("settings")
        await settle(pilot)
        lines = screen_text(app).splitlines()
        assert any("Typewriter text" in line and line.rstrip(" █▌▐").endswith("off") for line in lines)
        assert any("Meter effects" in line and line.rstrip(" █▌▐").endswith("on") for line in lines)
        app.screen.query_one("#typewriter").toggle()
        await settle(pilot)
        lines = screen_text(app).splitlines()
        assert any("Typewriter text" in line and line.rstrip(" █▌▐").endswith("on") for line in lines)
        assert app.settings.typewriter


async def test_history_opens_at_you_are_here_with_a_long_transcript(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot, [1, 1, 1, 1])  # four scenes of text: far more than 24 rows
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        scroll = app.screen.query_one("#history-scroll")
        assert scroll.max_scroll_y > 20 and scroll.scroll_y == scroll.max_scroll_y
        assert "(you are here)" in screen_text(app)


def slot_ids(app) -> list[str | None]:  # type: ignore[no-untyped-def]
    menu = app.screen.query_one(OptionList)
    return [menu.get_option_at_index(i).id for i in range(menu.option_count)]


async def test_load_list_keeps_a_stable_order_and_enter_loads_at_once(saves: Path) -> None:
    write_save(saves, "autosave", [1], when=FIXED_TIME - 500)
    write_save(saves, "autosave-previous", [3], when=FIXED_TIME - 900)
    write_save(saves, "older", [1, 1], when=FIXED_TIME - 300)
    write_save(saves, "newer", [1, 1, 1], when=FIXED_TIME - 100)
    (saves / "cut off.json").write_text('{"format": "metallic-rouge-save"')  # damaged, and the newest file
    order = ["autosave", "autosave-previous", "newer", "older", "cut off"]
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.run_action("load")
        await settle(pilot)
        assert slot_ids(app) == order
        assert app.screen.query_one(OptionList).highlighted == 0
        await pilot.press("enter")  # no arrow key first: the footer's "Enter loads" holds
        await settle(pilot)
        assert isinstance(app.screen, GameScreen) and app.session.state == "brief.target"
        await play(pilot, [1])  # the autosave is now the newest file on disk
        await app.run_action("load")
        await settle(pilot)
        assert slot_ids(app) == order  # it did not jump: it was pinned first already


async def test_save_list_highlights_the_first_slot_it_can_overwrite(saves: Path) -> None:
    write_save(saves, "autosave", [1], when=FIXED_TIME)
    write_save(saves, "older", [1, 1], when=FIXED_TIME - 300)
    write_save(saves, "newer", [1, 1, 1], when=FIXED_TIME - 100)
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot, [3])
        await pilot.press("s")
        await settle(pilot)
        assert slot_ids(app) == ["newer", "older"]  # the autosave is the game's, not offered
        assert app.screen.query_one(OptionList).highlighted == 0
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and "'newer'" in app.screen.message


async def test_new_game_over_a_game_in_progress_asks_first(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot, [1, 1])
        state, title = app.session.snapshot(), app.session.title()
        await app.run_action("new_game")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert f"at '{title}'" in app.screen.message and "'autosave-previous'" in app.screen.message
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen) and app.session.snapshot() == state
        await app.run_action("new_game")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen) and app.session.state == app.story.start
        await play(pilot, [3])  # as the question said: the first choice keeps the old game
        assert read_json(saves / "autosave-previous.json")["state"]["scene"] == state.scene
        await pilot.press("u")
        await settle(pilot)
        await app.run_action("new_game")  # back at the start, nothing made since: no question
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)


async def test_load_over_unsaved_choices_says_what_it_replaces(saves: Path) -> None:
    write_save(saves, "briefing", [3])
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot, [1, 1])
        state, title = app.session.state, app.session.title()
        app._load_chosen("briefing")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and app.screen.question == "Load 'briefing'?"
        message = app.screen.message
        assert f"leaves '{title}'" in message and "2 choices" in message and "'autosave-previous'" in message
        await pilot.press("n")
        await settle(pilot)
        assert app.session.state == state
        app._load_chosen("briefing")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen) and app.session.state == "brief.why"
        app._load_chosen("briefing")  # nothing unsaved since that load: no question
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)


async def test_the_ending_sums_up_the_run_and_starts_again_from_there(saves: Path) -> None:
    (saves / ".endings.json").write_text('{"stories": {"metallic-rouge-demo": ["song"]}}')
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot, [1, 1, 1, 1, 1])  # the demo's ending "orders"
        assert isinstance(app.screen, EndingScreen)
        text = screen_text(app)
        for line in ("Ending 2 of 2 found", "5 choices made", "Freedom 0/100, Gear in the system",
                     "Naomi's trust 50/100", "The Immortal Nine", "Sara Fitzgerald: slain"):
            assert line in text, line
        await pilot.press("n")  # a finished run: no question
        await settle(pilot)
        assert isinstance(app.screen, GameScreen) and app.session.state == app.story.start
        assert not app.session.history


async def test_the_gallery_rereads_an_ending_found_and_hints_at_the_others(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot, [1, 1, 1, 1, 1])  # the ending "orders"; "song" is not found
        await app.run_action("endings")
        await settle(pilot)
        text = screen_text(app)
        assert "Endings: 1 of 2 found" in text and "★ Orders Kept" in text
        song = app.story.endings["song"]
        assert "???" in text and (f"Hint: {song.description}" if song.description else "Not found yet.") in text
        assert song.title not in text
        menu = app.screen.query_one(OptionList)
        assert menu.get_option_at_index(menu.highlighted).id == "orders"
        await pilot.press("enter")
        await settle(pilot)
        assert "You walk out through the stage door" in screen_text(app)  # the ending's own text
        assert app.game.ending_text("song") is None
