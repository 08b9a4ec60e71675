"""Pilot tests: the title screen and the main flows of the game on the demo story."""

from __future__ import annotations

from pathlib import Path

from game.saves import SaveStore
from game.tui.screens.confirm import ConfirmScreen
from game.tui.screens.ending import EndingScreen
from game.tui.screens.game import GameScreen
from game.tui.screens.history import HistoryScreen
from game.tui.screens.saves import LoadScreen, SaveScreen
from game.tui.screens.title import TitleScreen
from game.tui.widgets.choices import ChoiceItem, ChoiceList
from tests.tui.conftest import (
    make_app,
    play,
    read_json,
    screen_text,
    settle,
    start_game,
    write_save,
)

TO_LOCKED = [1, 1, 1, 2]  # the demo's "Let her finish her tour." is locked at canal.truth
TO_ORDERS = [1, 1, 1, 1, 1]  # ending "orders"
TO_SONG = [3, 1, 2, 2, 1, 2, 2]  # ending "song"


async def press_choices(pilot, picks: list[int]) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*(str(p) for p in picks))
    await settle(pilot)


async def test_title_screen_offers_the_menu_once_the_story_is_loaded(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        text = screen_text(app)
        assert "Metallic Rouge: First Orders (demo)" in text
        for item in ("New game", "Continue", "Load", "Settings", "Endings", "Quit"):
            assert item in text
        menu = app.screen.query_one("#title-menu")
        assert not menu.get_option("new_game").disabled
        assert menu.get_option("continue").disabled  # no saves yet
        assert menu.highlighted_option.id == "new_game"
        # Coming back from a dialog leaves the highlight where it was.
        await pilot.press("f1")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert menu.highlighted_option.id == "new_game"


async def test_main_flow_new_game_choices_save_load_undo_history_ending(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # New game
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert "The Hangar" in screen_text(app)

        await press_choices(pilot, [1])
        assert app.session.state == "brief.target"
        assert (saves / "autosave.json").exists()

        # Save in a new slot.
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SaveScreen)
        await pilot.press(*"first", "enter")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert read_json(saves / "first.json")["state"]["scene"] == "brief.target"
        assert app.unsaved == 0

        await press_choices(pilot, [1, 1])
        assert app.session.state == "canal.dressing"

        # Load it back.
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LoadScreen)
        menu = app.screen.query_one("#load-slots")
        menu.highlighted = menu.get_option_index("first")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")  # yes, leave the choices made since the save (asked first)
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.session.state == "brief.target"
        assert "Purgatory Viola" in screen_text(app)

        # Undo, repeatable, back to the start; then there is nothing left to undo.
        await pilot.press("u")
        await settle(pilot)
        assert app.session.state == "brief.hangar"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.session.state == "brief.hangar"
        assert any("Nothing to undo" in str(n.message) for n in app._notifications)

        # History shows what was read, with the choices made.
        await press_choices(pilot, [2, 1])
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        text = screen_text(app)
        assert "You chose: Eat a square of chocolate first." in text or "Eat a square of chocolate" in str(
            app.screen.query_one("#history-text").render()
        )
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)

        # On to an ending.
        await press_choices(pilot, [1, 1, 1])
        assert app.session.is_over
        assert isinstance(app.screen, EndingScreen)
        text = screen_text(app)
        assert "THE END" in text and "Orders Kept" in text and "You took the Id" in text
        assert read_json(saves / ".endings.json")["stories"]["metallic-rouge-demo"] == ["orders"]


async def test_choices_by_number_arrows_enter_and_mouse(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert app.session.state == "brief.why"
        await pilot.press("u", "down", "down", "up", "enter")
        await settle(pilot)
        assert app.session.state == "brief.target"  # the second choice
        await pilot.press("u")
        await settle(pilot)
        item = app.screen.query(ChoiceItem)[2]
        await pilot.click(item)
        await settle(pilot)
        assert app.session.state == "brief.why"
        await pilot.press("9")  # no ninth choice: nothing happens
        await settle(pilot)
        assert app.session.state == "brief.why"


async def test_locked_choice_is_shown_with_its_reason_and_never_taken(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot, TO_LOCKED)
        assert app.session.state == "canal.truth"
        text = screen_text(app)
        assert "Let her finish her tour." in text
        assert "locked: The Second Law closes around the" in text
        item = app.screen.query(ChoiceItem)[1]
        assert item.has_class("-locked")
        await pilot.press("2")
        await settle(pilot)
        assert app.session.state == "canal.truth"
        assert any("The Second Law closes around the thought" in str(n.message) for n in app._notifications)
        await pilot.press("up", "down", "enter")  # arrows reach it too; Enter only explains
        await settle(pilot)
        assert app.session.state == "canal.truth"
        await pilot.click(item)
        await settle(pilot)
        assert app.session.state == "canal.truth"


async def test_new_game_keeps_the_previous_autosave(saves: Path) -> None:
    old = write_save(saves, "autosave", [1, 1])
    before = old.read_bytes()
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot, [3])
        assert (saves / "autosave-previous.json").read_bytes() == before
        assert read_json(saves / "autosave.json")["state"]["scene"] == "brief.why"
        await play(pilot, [1])
        # Only once per new game: the backup is still the old run.
        assert (saves / "autosave-previous.json").read_bytes() == before
        assert read_json(saves / "autosave.json")["state"]["scene"] == "brief.target"


async def test_a_failing_autosave_says_so_once_and_play_goes_on(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the saves folder should be")
    app = make_app(blocker / "saves")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot, [1, 1, 1])
        assert app.session.state == "canal.dressing"
        failures = [n for n in app._notifications if "Autosave failed" in str(n.message)]
        assert len(failures) == 1


async def test_continue_loads_the_newest_save(saves: Path) -> None:
    write_save(saves, "older", [1], when=1_700_000_000)
    write_save(saves, "newer", [1, 1, 1], when=1_700_000_100)
    (saves / "zz-broken.json").write_text("{")
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Continue: 'newer'" in screen_text(app)
        assert app.screen.query_one("#title-menu").highlighted_option.id == "continue"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.session.state == "canal.dressing"


async def test_start_with_load_goes_straight_to_the_game(saves: Path) -> None:
    write_save(saves, "slot", [1, 1])
    app = make_app(saves, load="slot")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.session.state == "canal.stage"


async def test_start_with_a_missing_save_stays_on_the_title(saves: Path) -> None:
    app = make_app(saves, load="nothing-here")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        assert app.session is None
        assert any("Could not load 'nothing-here'" in str(n.message) for n in app._notifications)


async def test_load_screen_lists_damaged_saves_but_never_loads_them(saves: Path) -> None:
    write_save(saves, "good", [1])
    (saves / "broken.json").write_text("{not json")
    (saves / "other.json").write_text('{"format": "metallic-rouge-save", "format_version": 99, "state": {}}')
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.run_action("load")
        await settle(pilot)
        assert isinstance(app.screen, LoadScreen)
        text = screen_text(app)
        assert "broken  DAMAGED" in text and "not valid JSON" in text
        assert "newer version of the game" in text
        menu = app.screen.query_one("#load-slots")
        assert menu.get_option("broken").disabled
        assert menu.get_option("other").disabled
        assert not menu.get_option("good").disabled
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        assert app.session is None


async def test_save_screen_checks_names_and_confirms_overwrites(saves: Path) -> None:
    write_save(saves, "mine", [1])
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot, [3])
        await pilot.press("s")
        await settle(pilot)
        await pilot.press(*"../evil", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SaveScreen)
        assert "not a usable save name" in screen_text(app)
        app.screen.query_one("#save-name").value = "autosave"
        await pilot.press("enter")
        await settle(pilot)
        assert "autosave slot" in screen_text(app)
        # The autosave is the game's: not offered for overwriting.
        menu = app.screen.query_one("#save-slots")
        assert [o.id for o in menu.options] == ["mine"]
        app.screen.query_one("#save-name").value = "mine"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, SaveScreen)
        assert read_json(saves / "mine.json")["state"]["scene"] == "brief.target"
        menu.focus()
        menu.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert read_json(saves / "mine.json")["state"]["scene"] == "brief.why"


async def test_quit_asks_only_when_there_are_unsaved_choices(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot, [1])
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "autosave keeps your progress" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert app.return_value == 0

    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app.return_value == 0


async def test_history_lists_scenes_with_the_choices_made(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 40)) as pilot:
        await start_game(pilot, [2, 2])
        await pilot.press("h")
        await settle(pilot)
        text = screen_text(app)
        assert "History: 3 scene(s) read" in text
        assert "» You chose: Eat a square of chocolate first." in text
        assert '» You chose: "She has done nothing wrong since she retired."' in text
        assert "(you are here)" in text


async def test_ending_screen_undo_and_back_to_title(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot, TO_SONG)
        assert isinstance(app.screen, EndingScreen)
        assert "The Last Song" in screen_text(app)
        await pilot.press("down", "enter")  # "Undo the last choice" (under "New game")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.session.state == "canal.truth"
        await play(pilot, [2])
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        assert "Continue: the game in progress" in screen_text(app)


async def test_command_palette_offers_the_game_actions(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot, [1])
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"undo last")
        await pilot.pause(0.3)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.state == "brief.hangar"


async def test_command_palette_provider_lists_only_what_makes_sense(saves: Path) -> None:
    from game.tui.providers.game_commands import COMMANDS, GameCommands

    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        provider = GameCommands(app.screen)
        names = [c[0] for c in provider._available()]
        assert "Save game" not in names and "Undo last choice" not in names
        assert {"Load game", "Settings", "Endings gallery", "Help", "Quit", "New game"} <= set(names)
        await app.run_action("new_game")
        await settle(pilot)
        names = [c[0] for c in GameCommands(app.screen)._available()]
        assert names == [c[0] for c in COMMANDS if c[1] != "redo"]  # Redo comes with an undo


async def test_scene_rendered_hook_counts_new_scenes(saves: Path) -> None:
    app = make_app(saves)
    seen: list[int] = []
    app.scene_rendered_hooks.append(lambda: seen.append(app.scene_rendered_count))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot)
        start = app.scene_rendered_count
        assert start >= 1
        await play(pilot, [1, 1])
        assert app.scene_rendered_count == start + 2
        assert seen[-1] == app.scene_rendered_count


async def test_broken_story_is_reported_on_the_title_screen(make_story, saves: Path) -> None:  # type: ignore[no-untyped-def]
    story = make_story(
        """\
        scenes:
          - id: a
            title: Start
            text: Hello.
            choices:
              - {label: Go, to: nowhere}
        """
    )
    app = make_app(saves, story=story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "could not be loaded" in text
        assert "nowhere" in text
        assert app.screen.query_one("#title-menu").get_option("new_game").disabled
        await pilot.press("ctrl+q")
    assert app.load_errors


async def test_live_reload_with_watch_updates_the_scene(demo_copy: Path, saves: Path) -> None:
    app = make_app(saves, story=demo_copy, watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot)
        briefing = demo_copy / "01-briefing.yaml"
        briefing.write_text(briefing.read_text().replace("The hangar is cold", "The hangar is freezing"))
        app._poll_watcher()  # a thread worker: the reload happens off the UI thread
        await settle(pilot)
        assert "The hangar is freezing" in screen_text(app)
        assert any("Reloaded the story" in str(n.message) for n in app._notifications)


def test_saves_store_ignores_the_hidden_settings_files(saves: Path) -> None:
    (saves / ".settings.json").write_text("{}")
    (saves / ".endings.json").write_text("{}")
    assert SaveStore(saves).list() == []


async def test_title_menu_starts_on_new_game_and_enter_at_once_starts_it(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        # The first frame, before the story has loaded: the highlight is already on New game.
        menu = app.screen.query_one("#title-menu")
        assert menu.highlighted_option.id == "new_game"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.session.state == "brief.hangar"


async def test_title_menu_starts_on_continue_when_there_is_an_autosave(saves: Path) -> None:
    write_save(saves, "autosave", [1, 1])
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        menu = app.screen.query_one("#title-menu")
        assert menu.highlighted_option.id == "continue"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.session.state == "canal.stage"  # the autosave's scene


async def test_title_menu_leaves_continue_when_no_save_can_be_loaded(saves: Path) -> None:
    (saves / "cut off.json").write_text("{")
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        menu = app.screen.query_one("#title-menu")
        assert menu.highlighted_option.id == "continue"  # the first guess: there is a save
        await settle(pilot)
        assert menu.get_option("continue").disabled
        assert menu.highlighted_option.id == "new_game"


CROWDED = Path(__file__).parent / "fixtures" / "crowded"  # six choices at its first scene, five locked


def _highlighted_item(app) -> ChoiceItem:  # type: ignore[no-untyped-def]
    choices = app.screen.query_one(ChoiceList)
    return next(item for item in choices.query_children(ChoiceItem) if item.index == choices.highlighted)


async def _until(pilot, ok, frames: int = 60) -> None:  # type: ignore[no-untyped-def]
    """Pause until ``ok()`` holds or ``frames`` pauses have passed (the caller then asserts)."""
    for _ in range(frames):
        if ok():
            return
        await pilot.pause(0.02)


async def test_at_80x24_the_highlighted_choice_is_always_on_screen(saves: Path) -> None:
    app = make_app(saves, story=CROWDED)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot)
        choices = app.screen.query_one(ChoiceList)
        assert len(choices.views) == 6
        window = choices.scrollable_content_region
        # The highlight starts on the only choice that can be taken, the last: the list
        # starts scrolled to it, and says that the others are above.
        # Scrolling is animated over a few frames: on a loaded machine one pause is not enough.
        await _until(pilot, lambda: choices.border_subtitle is None)
        assert choices.border_title is not None and choices.border_title.startswith("▲ ")
        assert choices.border_subtitle is None, (choices.scroll_y, choices.max_scroll_y, choices._spans(), choices.scrollable_content_region, choices.virtual_size)
        seen = []
        for _ in range(7):  # round the list and back to where it started
            await _until(pilot, lambda: window.contains_region(_highlighted_item(app).region))
            item = _highlighted_item(app)
            assert window.contains_region(item.region), (item.index, item.region, window)
            assert app.screen.region.contains_region(item.region)
            assert item.view is not None
            first_words = item.view.label[:20]
            assert first_words in screen_text(app)
            seen.append(item.index)
            await pilot.press("down")
        assert seen == [5, 0, 1, 2, 3, 4, 5]
        # What is out of sight is said on the borders: on choice 1 now, the rest are below.
        await _until(pilot, lambda: choices.border_title is None)
        assert choices.border_title is None and choices.border_subtitle is not None
        assert choices.border_subtitle.startswith("▼ ") and choices.border_subtitle in screen_text(app)
        # Enter takes the highlighted choice, which is the one on screen.
        await pilot.press("up")
        await _until(pilot, lambda: window.contains_region(_highlighted_item(app).region))
        assert window.contains_region(_highlighted_item(app).region)
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.state == "hall"


async def test_at_80x24_the_side_panel_shows_all_of_the_nine(saves: Path) -> None:
    app = make_app(saves, story=CROWDED)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot)
        text = screen_text(app)
        for name in ("Halvard Kosh", "Jill Sturgeon", "Graufon Berg", "Eden Varock", "Naomi's trust", "Freedom"):
            assert name in text, name
        side = app.screen.query_one("#side")
        assert side.max_scroll_y == 0  # nothing of it out of sight


async def test_at_200x60_the_text_keeps_a_readable_measure_in_the_middle(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(200, 60)) as pilot:
        await start_game(pilot)
        text = app.screen.query_one("#narrative")
        column = app.screen.query_one("#story-column").region
        width = text.content_region.width
        assert 60 <= width <= 80, width
        for line in (strip.text for strip in text.render_lines(text.region.reset_offset)):
            assert len(line.rstrip()) <= 80
        left = text.region.x - column.x
        right = column.right - text.region.right
        assert abs(left - right) <= 4, (left, right)  # centred in the column
        choices = app.screen.query_one("#choices").region
        assert choices.width <= 80 and abs((choices.x - column.x) - (column.right - choices.right)) <= 1


async def test_a_dialog_dismissed_twice_in_one_tick_pops_only_itself(saves: Path) -> None:
    """Two Enters (or Enter then Escape) queued before the first pop finished used to
    dismiss the load dialog twice: the second popped the game screen or raised
    ScreenStackError (found by the TUI fuzz test)."""
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LoadScreen)
        dialog.action_cancel()
        dialog.action_cancel()
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        await pilot.press("q")
        await settle(pilot)
        confirm = app.screen
        if isinstance(confirm, ConfirmScreen):
            confirm.action_answer(False)
            confirm.action_answer(False)
            await settle(pilot)
            assert isinstance(app.screen, GameScreen)


async def test_at_80x24_notices_hide_no_choice_and_go_with_their_scene(saves: Path) -> None:
    from textual.widgets._toast import Toast

    def toasts() -> list[Toast]:
        return list(app.screen.query(Toast))

    app = make_app(saves, story=CROWDED)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await start_game(pilot)
        await pilot.press("1")  # locked: refused with a notice
        await settle(pilot)
        (toast,) = toasts()
        choices = app.screen.query_one(ChoiceList)
        assert "Locked:" in str(toast.render())
        assert not toast.region.overlaps(choices.region), (toast.region, choices.region)
        assert not toast.region.overlaps(app.screen.query_one("#narrative").region)
        await pilot.press("6")  # on to the next scene: the refusal is stale
        await settle(pilot)
        assert app.session.state == "hall"
        assert toasts() == []
        await pilot.press("u")  # the undo's own notice shows with the scene it brings back
        await settle(pilot)
        assert app.session.state == "door"
        assert [str(t.render()) for t in toasts()] == ["Undone: Turn the warm sixth handle."]
