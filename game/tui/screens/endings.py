"""The endings gallery: every ending of the story; those reached can be reread, the rest give a hint."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.tui.text import prose
from game.tui.widgets.too_small import TooSmall

if TYPE_CHECKING:
    from game.play.gallery import EndingsGallery
    from game.story.model import Ending, Story

NOT_FOUND = "Not found yet."


def ending_prompt(ending: Ending, reached: bool) -> Content:
    """Two lines: the title (or ??? until reached), then its description, or a hint."""
    if reached:
        head = Content.assemble(("★ ", "bold $accent"), (ending.title, "bold"))
        return Content.assemble(head, "\n  ", (ending.description or "Enter rereads it.", "italic"))
    # The description is the hint: what kind of ending it is, never its text.
    hint = f"Hint: {ending.description}" if ending.description else NOT_FOUND
    return Content.assemble(("· ???", "$text-muted"), "\n  ", (hint, "italic $text-muted"))


class EndingsScreen(ModalScreen[None]):
    AUTO_FOCUS = "#endings-list"
    BINDINGS = [Binding("escape,e,q", "dismiss", "Close the gallery", id="endings-close")]

    def __init__(self, story: Story, gallery: EndingsGallery, read: Callable[[str], str | None]) -> None:
        super().__init__()
        self.story = story
        self.gallery = gallery
        # Game.ending_text: the text of a reached ending, drawn when the player asks for it.
        self.read = read

    def compose(self) -> ComposeResult:
        endings = list(self.story.endings.values())
        reached = {e.id for e in endings if self.gallery.has(self.story.id, e.id)}
        options = [Option(ending_prompt(e, e.id in reached), id=e.id, disabled=e.id not in reached) for e in endings]
        with Vertical(classes="dialog endings"):
            yield Static(Content(f"Endings: {len(reached)} of {len(endings)} found"), classes="dialog-title")
            yield OptionList(*options, id="endings-list")
            with VerticalScroll(classes="dialog-body", id="endings-reading"):
                yield Static(Content(""), id="endings-text")
            hint = "Enter rereads an ending found · Escape closes" if reached else "Escape closes the gallery."
            yield Static(Content(hint), classes="dialog-hint")
        yield TooSmall()

    def on_mount(self) -> None:
        self.query_one("#endings-reading").display = False
        self.query_one(OptionList).action_first()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        ending_id = event.option.id
        text = self.read(ending_id) if ending_id else None
        if text is None:
            return
        ending = self.story.endings[ending_id]
        self.query_one("#endings-text", Static).update(
            Content.assemble((ending.title, "bold $primary"), "\n\n", prose(text))
        )
        reading = self.query_one("#endings-reading", VerticalScroll)
        reading.display = True
        reading.scroll_home(animate=False)
