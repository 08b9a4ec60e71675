"""The endings gallery: every ending of the story, those reached revealed, the rest '???'."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.tui.widgets.too_small import TooSmall

if TYPE_CHECKING:
    from game.play.gallery import EndingsGallery
    from game.story.model import Story


class EndingsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,e,q", "dismiss", "Close the gallery", id="endings-close")]

    def __init__(self, story: Story, gallery: EndingsGallery) -> None:
        super().__init__()
        self.story = story
        self.gallery = gallery

    def compose(self) -> ComposeResult:
        endings = list(self.story.endings.values())
        reached = [e for e in endings if self.gallery.has(self.story.id, e.id)]
        lines: list[Content] = []
        for ending in endings:
            if lines:
                lines.append(Content(""))
            if self.gallery.has(self.story.id, ending.id):
                lines.append(Content.assemble(("★ ", "bold $accent"), (ending.title, "bold")))
                if ending.description:
                    lines.append(Content.styled(f"  {ending.description}", "italic"))
            else:
                lines.append(Content.styled("· ???", "$text-muted"))
                lines.append(Content.styled("  Not reached yet.", "italic $text-muted"))
        with Vertical(classes="dialog endings"):
            yield Static(Content(f"Endings: {len(reached)} of {len(endings)} reached"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(Content("\n").join(lines), id="endings-list")
            yield Static(Content("Escape closes the gallery."), classes="dialog-hint")
        yield TooSmall()
