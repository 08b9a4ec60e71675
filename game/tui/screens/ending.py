"""The end of a playthrough: the ending's title and description, the last scene's text, a summary
of the run (endings found, choices made, the final meters, what became of each of the Nine), and what next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from game.tui import glyphs
from game.tui.text import prose
from game.tui.widgets.too_small import TooSmall

if TYPE_CHECKING:
    from game.play.game import Game
    from game.session import Session

OPTIONS = (
    ("new_game", "New game"),
    ("undo", "Undo the last choice"),
    ("load", "Load a save"),
    ("title", "Back to the title"),
)


def run_summary(game: Game) -> Content:
    """The run in a few lines: endings found, choices made, the final meters, the fate of each of the Nine."""
    session = game.session
    assert session is not None
    story = session.story
    found = sum(1 for e in story.endings if game.gallery.has(story.id, e))
    n = len(session.history)
    lines = [
        Content.styled(f"Ending {found} of {len(story.endings)} found", "bold"),
        Content(f"{'One choice' if n == 1 else f'{n} choices'} made"),
    ]
    meters = session.meters()
    if meters:
        lines.append(Content(""))
        for view in meters:
            band = f", {view.band}" if view.band else ""
            lines.append(Content.assemble((view.meter.label, "bold"), f" {view.value}/{view.meter.max}{band}"))
    lines.extend(_fates(session))
    return Content("\n").join(lines)


def _fates(session: Session) -> list[Content]:
    tracker = session.story.tracker
    if tracker is None:
        return []
    lines = [Content(""), Content.styled(tracker.title, "bold $accent")]
    for slot in tracker.slots:
        status = str(session.vars.get(slot.var, "unknown"))
        mark = glyphs.current.marks.get(status, glyphs.current.other_mark)
        lines.append(Content(f"{mark} {slot.name}: {status}"))
    return lines


class EndingScreen(Screen[None]):
    AUTO_FOCUS = "#ending-menu"
    BINDINGS = [
        Binding("n", "app.new_game", "New game", id="ending-new"),
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
            with Horizontal(id="ending-main"):
                with VerticalScroll(id="ending-body"):
                    yield Static(Content(session.shown_title()), id="ending-scene")
                    yield Static(Content(prose(self.game.text())), id="ending-text")
                with VerticalScroll(id="ending-summary"):
                    yield Static(run_summary(self.game), id="ending-run")
            yield OptionList(*(Option(Content(label), id=action) for action, label in OPTIONS), id="ending-menu")
        yield Footer()
        yield TooSmall()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            await self.app.run_action(event.option.id)
