"""The story's tracker (the campaign's Immortal Nine): one line per slot, marked and coloured by what became of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from game.tui import glyphs
from game.tui.widgets.meter import fit

if TYPE_CHECKING:
    from game.session import Session
    from game.story.model import Tracker

# A mark per status, so the state reads without colour too; other values get "·"
# (ASCII ones for LANG=C: game.tui.glyphs).
MARKS = glyphs.UNICODE.marks


class TrackerPanel(Widget):
    """The title, then "mark name ... status" per slot; one widget, one render."""

    COMPONENT_CLASSES = {"tracker--title", "tracker--other", *(f"tracker--{status}" for status in MARKS)}

    def __init__(self, tracker: Tracker, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tracker = tracker
        self.statuses: list[str] = []
        self.set_session(session)

    def set_session(self, session: Session) -> None:
        statuses = [str(session.vars.get(slot.var, "unknown")) for slot in self.tracker.slots]
        if statuses != self.statuses:
            self.statuses = statuses
            self.refresh()

    def render(self) -> Content:
        width = self.content_size.width
        style = self.get_visual_style
        lines = [Content.styled(fit(self.tracker.title, width), style("tracker--title"))]
        for slot, status in zip(self.tracker.slots, self.statuses, strict=True):
            look = style(f"tracker--{status}" if status in MARKS else "tracker--other")
            name = fit(slot.name, width - len(status) - 3)
            gap = " " * max(1, width - 2 - len(name) - len(status))
            mark = glyphs.current.marks.get(status, glyphs.current.other_mark)
            lines.append(Content.assemble((f"{mark} {name}", look), gap, (status, look)))
        return Content("\n").join(lines)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1 + len(self.tracker.slots)
