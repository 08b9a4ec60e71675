"""The title screen: art, then New game, Continue, Load, Settings, Endings, Quit.

It paints before the story has loaded (the story loads in a worker); the menu
items that need the story are enabled when it arrives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from game.tui.art import SUBTITLE, title_art
from game.tui.text import SEP, short_date
from game.tui.widgets.too_small import TooSmall

if TYPE_CHECKING:
    from game.tui.app import MetallicRougeApp

MENU = (
    ("new_game", "New game"),
    ("continue", "Continue"),
    ("load", "Load"),
    ("settings", "Settings"),
    ("endings", "Endings"),
    ("quit", "Quit"),
)
NEEDS_STORY = {"new_game", "continue", "load", "endings"}


class TitleScreen(Screen[None]):
    AUTO_FOCUS = "#title-menu"
    BINDINGS = [
        Binding("n", "app.new_game", "New game", show=False, id="title-new"),
        Binding("c", "app.continue", "Continue", show=False, id="title-continue"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            yield Static(Content(title_art()), id="title-art")
            yield Static(Content(SUBTITLE), id="title-sub")
            yield Static(Content("Loading the story…"), id="title-story")
            with Center():
                yield OptionList(
                    *(Option(Content(label), id=action, disabled=action in NEEDS_STORY) for action, label in MENU),
                    id="title-menu",
                )
            yield Static(Content(""), id="title-status")
        yield Footer()
        yield TooSmall()

    @property
    def game_app(self) -> MetallicRougeApp:
        return self.app  # type: ignore[return-value]

    _ready = False

    def on_mount(self) -> None:
        # The story may arrive before this screen has mounted; from here on it can be shown.
        self._ready = True
        self.refresh_state()

    def on_screen_resume(self) -> None:
        self.refresh_state()

    def refresh_state(self) -> None:
        if not self._ready:
            return
        app = self.game_app
        menu = self.query_one("#title-menu", OptionList)
        story_line = self.query_one("#title-story", Static)
        status = self.query_one("#title-status", Static)
        if app.load_errors:
            story_line.update(Content.styled(app.load_errors[0], "$error"))
            status.update(Content("\n".join(app.load_errors[1:])))
            status.add_class("-error")
            return
        if app.story is None:
            return
        story_line.update(Content(app.story.title))
        first_time = menu.get_option("new_game").disabled
        for action in NEEDS_STORY:
            _set_enabled(menu, action, True)
        if app.session is not None:
            scene = app.session.scene
            menu.replace_option_prompt("continue", Content("Continue"))
            status.update(Content(f"Continue: the game in progress{SEP}{scene.title}"))
        elif app.newest is not None:
            slot = app.newest
            status.update(Content(f"Continue: '{slot.name}'{SEP}{slot.description}{SEP}{short_date(slot.saved_at)}"))
        else:
            _set_enabled(menu, "continue", False)
            status.update(Content(""))
        if first_time:
            # The story has just arrived: start on Continue when there is one, else New game
            # (after the next refresh, so the list's own start-up cannot undo it).
            self.call_after_refresh(self._highlight_default)

    def _highlight_default(self) -> None:
        menu = self.query_one("#title-menu", OptionList)
        can_continue = not menu.get_option("continue").disabled
        menu.highlighted = menu.get_option_index("continue" if can_continue else "new_game")

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            await self.app.run_action(event.option.id)


def _set_enabled(menu: OptionList, option_id: str, enabled: bool) -> None:
    # Only on a real change: OptionList moves the highlight off an option whenever
    # its state is set, even to the state it already has.
    if menu.get_option(option_id).disabled == enabled:
        if enabled:
            menu.enable_option(option_id)
        else:
            menu.disable_option(option_id)
