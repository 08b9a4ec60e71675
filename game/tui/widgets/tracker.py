"""The Immortal Nine tracker: one line per slot, styled by what became of them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from game.session import Session
from game.story.model import Tracker, TrackerSlot

# A mark per status, so the state reads without colour too; other values get "·".
MARKS = {"unknown": "?", "identified": "◆", "spared": "♥", "slain": "✝", "ally": "★", "fled": "»"}


class TrackerRow(Horizontal):
    """Mark and name on the left, the status word on the right; the form in a tooltip."""

    def __init__(self, slot: TrackerSlot) -> None:
        super().__init__(classes="tracker-row")
        self.slot = slot
        self.status = ""

    def compose(self) -> ComposeResult:
        yield Static(classes="tracker-name")
        yield Static(classes="tracker-status")

    def set_status(self, status: str) -> None:
        if status == self.status:
            return
        self.status = status
        self.query_one(".tracker-name", Static).update(
            Content.assemble((MARKS.get(status, "·") + " ", "bold"), self.slot.name)
        )
        self.query_one(".tracker-status", Static).update(Content(status))
        for known in MARKS:
            self.set_class(known == status, f"-{known}")
        self.set_class(status not in MARKS, "-other")
        form = f" ({self.slot.form})" if self.slot.form else ""
        self.tooltip = Content(f"{self.slot.name}{form}: {status}")


class TrackerPanel(Vertical):
    def __init__(self, tracker: Tracker, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tracker = tracker

    def compose(self) -> ComposeResult:
        yield Static(Content(self.tracker.title), classes="panel-title")
        for slot in self.tracker.slots:
            yield TrackerRow(slot)

    def set_session(self, session: Session) -> None:
        for row in self.query_children(TrackerRow):
            row.set_status(str(session.vars.get(row.slot.var, "unknown")))
