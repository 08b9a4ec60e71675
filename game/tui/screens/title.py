"""The title screen: art, then New game, Continue, Load, Settings, Endings, Quit.

It paints before the story has loaded (the story loads in a worker). The menu is
whole and highlighted on the item the player will want from the first frame: an
item that needs the story, picked before the story is there, runs when it arrives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from game.tui.art import title_art
from game.tui.text import SEP, short_date
from game.tui.widgets.too_small import TooSmall

if TYPE_CHECKING:
    from game.saves import SlotInfo

MENU = (
    ("new_game", "New game"),
    ("continue", "Continue"),
    ("load", "Load"),
    ("settings", "Settings"),
    ("endings", "Endings"),
    ("quit", "Quit"),
)
NEEDS_STORY = {"new_game", "continue", "load", "endings"}


@dataclass(frozen=True, slots=True)
class TitleState:
    """What the title shows of the game; the app gives a new one whenever it changes."""

    errors: tuple[str, ...] = ()  # why the story could not be loaded
    story_title: str | None = None  # None while the story is loading
    art: str | None = None  # the story's title art, None when it has none (its title is shown instead)
    in_game: str | None = None  # the title of the scene of the game in progress
    newest: SlotInfo | None = None  # the save Continue loads when there is no game


class TitleScreen(Screen[None]):
    AUTO_FOCUS = "#title-menu"
    BINDINGS = [
        Binding("n", "pick('new_game')", "New game", show=False, id="title-new"),
        Binding("c", "pick('continue')", "Continue", show=False, id="title-continue"),
    ]

    def __init__(self, continue_first: bool = False) -> None:
        """``continue_first``: there are saves (a cheap check the app makes before the
        first frame), so the menu starts on Continue rather than New game."""
        super().__init__()
        self.continue_first = continue_first
        self._ready = False  # the story has arrived
        self._failed = False  # the story could not be loaded
        self._pending: str | None = None  # an item picked before the story arrived

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            # Empty until the story arrives: the art is the story's, not the engine's.
            yield Static(Content(""), id="title-art")
            yield Static(Content("Loading the story…"), id="title-story")
            with Center():
                # Every item enabled from the start: an OptionList highlights its first
                # enabled item, and with the story's items disabled while it loaded that
                # was Settings (Enter in that half second opened Settings).
                menu = OptionList(*(Option(Content(label), id=action) for action, label in MENU), id="title-menu")
                menu.highlighted = menu.get_option_index("continue" if self.continue_first else "new_game")
                yield menu
            yield Static(Content(""), id="title-status")
        yield Footer()
        yield TooSmall()

    class Shown(Message):
        """The title is on screen (again): the app answers with ``show_state``."""

        def __init__(self, screen: TitleScreen) -> None:
            super().__init__()
            self.screen = screen

    def on_mount(self) -> None:
        self.post_message(self.Shown(self))

    def on_screen_resume(self) -> None:
        self.post_message(self.Shown(self))

    def show_state(self, state: TitleState) -> None:
        if not self.is_mounted:
            return  # its on_mount asks again
        menu = self.query_one("#title-menu", OptionList)
        story_line = self.query_one("#title-story", Static)
        status = self.query_one("#title-status", Static)
        if state.errors:
            story_line.update(Content.styled(state.errors[0], "$error"))
            status.update(Content("\n".join(state.errors[1:])))
            status.add_class("-error")
            self._failed, self._pending = True, None
            for action in NEEDS_STORY:
                _set_enabled(menu, action, False)
            return
        if state.story_title is None:
            return
        self.query_one("#title-art", Static).update(Content(title_art(state.art, state.story_title)))
        # Without art the title is already shown, in plain letters, where the art goes.
        story_line.update(Content(state.story_title if state.art is not None else ""))
        self._ready = True
        was_on = menu.highlighted_option.id if menu.highlighted_option is not None else None
        if state.in_game is not None:
            menu.replace_option_prompt("continue", Content("Continue"))
            status.update(Content(f"Continue: the game in progress{SEP}{state.in_game}"))
        elif state.newest is not None:
            slot = state.newest
            status.update(Content(f"Continue: '{slot.name}'{SEP}{slot.description}{SEP}{short_date(slot.saved_at)}"))
        else:
            _set_enabled(menu, "continue", False)
            status.update(Content(""))
            if was_on == "continue":
                # The guess was wrong (the autosave was of another story, or damaged).
                menu.highlighted = menu.get_option_index("new_game")
        pending, self._pending = self._pending, None
        if pending is not None:
            self.app.call_later(self.app.run_action, pending)

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            await self.action_pick(event.option.id)

    async def action_pick(self, action: str) -> None:
        if action in NEEDS_STORY and not self._ready:
            if not self._failed:
                self._pending = action  # run when the story arrives (show_state)
                label = dict(MENU)[action]
                self.query_one("#title-status", Static).update(Content(f"{label} as soon as the story is loaded…"))
            return
        await self.app.run_action(action)


def _set_enabled(menu: OptionList, option_id: str, enabled: bool) -> None:
    # Only on a real change: OptionList moves the highlight off an option whenever
    # its state is set, even to the state it already has.
    if menu.get_option(option_id).disabled == enabled:
        if enabled:
            menu.enable_option(option_id)
        else:
            menu.disable_option(option_id)
