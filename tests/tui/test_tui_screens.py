"""Pilot tests: settings, the endings gallery, help, the typewriter, meters, sizes, markup safety."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from pathlib import Path

from textual.binding import Binding
from textual.widgets import Select, Switch

import game.tui
from game.play.gallery import EndingsGallery
from game.tui.screens.endings import EndingsScreen
from game.tui.screens.game import GameScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.history import HistoryScreen
from game.tui.screens.settings import SettingsScreen
from game.tui.screens.title import TitleScreen
from game.tui.settings import Settings, SettingsStore
from game.tui.widgets.choices import ChoiceItem
from game.tui.widgets.freedom_meter import FreedomMeter
from game.tui.widgets.meter import MeterPanel
from game.tui.widgets.narrative import NarrativeView
from game.tui.widgets.too_small import TooSmall
from game.tui.widgets.tracker import TrackerPanel
from tests.tui.conftest import make_app, play, scene_text, screen_text, settle, start_game

MARKUP_SCENES = """\
scenes:
  - id: a
    title: "[b]Not bold[/b]"
    text: |
      Press [@click=app.quit]here[/] to leave, or follow [link=x]this[/link].

      [red]Still plain.[/red] A lone [ bracket and $variable and \\[escaped].
    choices:
      - label: "[@click=app.quit]Quit?[/]"
        to: b
      - label: "[link=y]Locked[/link]"
        to: b
        if: freedom > 99
        locked: "[bold]reason[/bold]"
  - id: b
    title: End
    ending: good
    text: "[@click=app.bell]done[/]"
"""


def settings_file() -> Path:
    """Where the app keeps settings: the config folder (tests/conftest.py gives each test its own)."""
    path = SettingsStore().path
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


async def test_story_text_is_never_markup(make_story, saves: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(saves, story=make_story(MARKUP_SCENES))
    async with app.run_test(size=(120, 40)) as pilot:
        await start_game(pilot)
        text = screen_text(app)
        assert "[b]Not bold[/b]" in text
        assert "Press [@click=app.quit]here[/] to leave, or follow [link=x]this[/link]." in text
        assert "[red]Still plain.[/red] A lone [ bracket and $variable and \\[escaped]." in text
        assert "[@click=app.quit]Quit?[/]" in text
        assert "[link=y]Locked[/link]" in text and "locked: [bold]reason[/bold]" in text
        # Clicking the text must not run the action written in it.
        await pilot.click(NarrativeView, offset=(10, 4))
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, GameScreen)
        await pilot.press("2")
        await settle(pilot)
        assert any(n.message == "Locked: [bold]reason[/bold]" for n in app._notifications)
        await pilot.press("1")
        await settle(pilot)
        assert "[@click=app.bell]done[/]" in screen_text(app)


async def test_settings_are_kept_between_runs(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.run_action("settings")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#theme", Select).value = "nord"
        app.screen.query_one("#typewriter", Switch).value = True
        app.screen.query_one("#speed", Select).value = "fast"
        await settle(pilot)
        assert app.theme == "nord"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
    stored = json.loads(settings_file().read_text())
    assert stored["theme"] == "nord" and stored["typewriter"] is True and stored["text_speed"] == "fast"

    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        assert app.settings.typewriter and app.settings.text_speed == "fast"
        # A theme picked from the command palette's theme list is kept as well.
        app.theme = "gruvbox"
        await settle(pilot)
    assert json.loads(settings_file().read_text())["theme"] == "gruvbox"


async def test_a_corrupt_settings_file_falls_back_to_defaults(saves: Path) -> None:
    settings_file().write_text('{"theme": 42, "typewriter": "yes", "text_speed": "warp"')
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.settings == Settings()
        assert app.theme == "metallic-rouge"
    settings_file().write_text('{"theme": "no-such-theme", "typewriter": 1, "effects": false}')
    settings = SettingsStore().load()
    assert settings.typewriter is False and settings.effects is False
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "metallic-rouge"


async def test_endings_gallery_reveals_only_reached_endings_and_is_kept(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.run_action("endings")
        await settle(pilot)
        assert isinstance(app.screen, EndingsScreen)
        text = screen_text(app)
        assert "Endings: 0 of 2 found" in text and text.count("???") == 2
        await pilot.press("escape")
        await app.run_action("new_game")
        await play(pilot, [1, 1, 1, 1, 1])
    assert EndingsGallery.open(saves).reached == {"metallic-rouge-demo": ["orders"]}

    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.run_action("endings")
        await settle(pilot)
        text = screen_text(app)
        assert "Endings: 1 of 2 found" in text
        assert "Orders Kept" in text and "You took the Id" in text
        assert text.count("???") == 1 and "The Last Song" not in text


async def test_help_lists_the_keys_on_f1(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for expected in ("1-9", "Take a choice", "Undo", "Save / load", "Everything read", "Quit", "Command palette"):
            assert expected in text
        assert "Focus the side panel (arrows scroll it) and back" in text and "tab" in text.lower()
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)


async def test_help_fits_80x24_without_scrolling(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot)
        await pilot.press("f1")
        await settle(pilot)
        text = screen_text(app)
        assert "Focus the side panel" in text and "Quit (asks first" in text  # the last row


def test_every_binding_has_an_id_and_a_description() -> None:
    missing = []
    for info in pkgutil.walk_packages(game.tui.__path__, "game.tui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not cls.__module__.startswith("game.tui"):
                continue
            for binding in cls.__dict__.get("BINDINGS", []):
                assert isinstance(binding, Binding), f"{cls.__name__}: use Binding(...) with an id"
                if not binding.id or not binding.description:
                    missing.append(f"{cls.__name__}: {binding.key}")
    assert not missing, missing


async def test_typewriter_skips_on_space_enter_or_click_and_other_keys_act_at_once(saves: Path) -> None:
    SettingsStore().save(Settings(typewriter=True, text_speed="slow"))
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.run_action("new_game")
        await pilot.pause(0.2)
        narrative = app.screen.query_one(NarrativeView)
        assert narrative.typing
        assert "four of them empty" not in scene_text(app)
        await pilot.press("x")  # an unbound key neither skips nor does anything
        assert narrative.typing
        await pilot.press("space")  # Space finishes the text and does nothing else
        await pilot.pause()
        assert not narrative.typing
        assert "four of them empty" in scene_text(app)
        assert app.session.state == "brief.hangar"
        await pilot.press("1")
        await settle(pilot)
        assert app.session.state == "brief.target"
        assert narrative.typing
        await pilot.press("enter")  # Enter only finishes the text: it takes no choice unread
        await settle(pilot)
        assert not narrative.typing and app.session.state == "brief.target"
        await pilot.press("2")  # the next scene types; a number key takes its choice at once
        await pilot.pause()
        assert app.session.state != "brief.target"
        moved_to = app.session.state
        assert narrative.typing
        await pilot.press("h")  # and h opens the history at once
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.session.state == moved_to
        await pilot.click("#narrative")  # a click on the text finishes it
        await pilot.pause()
        assert not narrative.typing


async def test_meters_react_when_a_choice_moves_them(saves: Path) -> None:
    app = make_app(saves, effects=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot)
        meter = app.screen.query_one(FreedomMeter)
        assert "10/100" in screen_text(app) and "Gear in the system" in screen_text(app)
        await pilot.press("3")  # freedom += 5, naomi_trust += 5
        await settle(pilot)
        text = screen_text(app)
        assert meter.deltas == {"freedom": 5}
        assert "+5" in text and "15/100" in text and "55" in text
        for flashed in app.screen.query(MeterPanel):
            flashed.unflash()
        await pilot.pause()
        assert meter.deltas == {}
        assert "+5" not in screen_text(app)


async def test_tracker_shows_each_slot_status(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot)
        tracker = app.screen.query_one(TrackerPanel)
        assert tracker.statuses == ["unknown"]
        assert "? Sara Fitzgerald" in screen_text(app) and "unknown" in screen_text(app)
        await play(pilot, [1, 1])
        assert tracker.statuses == ["identified"] and "◆ Sara Fitzgera… identified" in screen_text(app)
        await play(pilot, [1, 1, 1])
        assert tracker.statuses == ["slain"]  # set by the last choice, into the ending
        assert "✝ Sara Fitzgerald" in "\n".join(s.text for s in tracker.render_lines(tracker.region.reset_offset))


async def test_too_small_terminal_shows_a_message_and_survives_resizes(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(70, 20)) as pilot:
        await settle(pilot)
        assert app.has_class("-too-small")
        text = screen_text(app)
        assert "The terminal is too small." in text and "this one is 70×20" in text
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert not app.has_class("-too-small")
        await app.run_action("new_game")
        await pilot.press("1")
        await settle(pilot)
        await pilot.resize_terminal(79, 30)
        await settle(pilot)
        assert "needs at least 80×24; this one is 79×30" in screen_text(app)
        assert app.screen.query_one(TooSmall).display
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert "too small" not in screen_text(app)
        assert "Purgatory Viola" in screen_text(app)
        await pilot.press("1")
        await settle(pilot)
        assert app.session.state == "canal.stage"


async def test_choices_that_do_not_fit_scroll_and_mouse_still_works(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_game(pilot)
        items = list(app.screen.query(ChoiceItem))
        assert [i.view.number for i in items if i.display] == [1, 2, 3]
