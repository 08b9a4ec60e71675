"""The end of a playthrough: the ending's title and description, the last scene's text, and what next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from game.tui.text import prose
from game.tui.widgets.too_small import TooSmall

if TYPE_CHECKING:
    from game.play.game import Game

OPTIONS = (("undo", "Undo the last choice"), ("load", "Load a save"), ("title", "Back to the title"))


class EndingScreen(Screen[None]):
    AUTO_FOCUS = "#ending-menu"
    BINDINGS = [
        Binding("u,ctrl+z", "app.undo", "Undo", id="ending-undo"),
        Binding("l", "app.load", "Load", id="ending-load"),
        Binding("escape", "app.title", "Title", id="ending-title"),
    ]

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        session = self.game.session
        assert session is not None
        ending = session.ending
        assert ending is not None
        with Vertical(id="ending-box"):
            yield Static(Content("THE END"), id="ending-mark")
            yield Static(Content(ending.title), id="ending-title")
            if ending.description:
                yield Static(Content(ending.description), id="ending-description")
            with VerticalScroll(id="ending-body"):
                yield Static(Content(session.shown_title()), id="ending-scene")
                yield Static(Content(prose(self.game.text())), id="ending-text")
            yield OptionList(*(Option(Content(label), id=action) for action, label in OPTIONS), id="ending-menu")
        yield Footer()
        yield TooSmall()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            await self.app.run_action(event.option.id)
