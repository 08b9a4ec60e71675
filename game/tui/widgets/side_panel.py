"""The side panel: chapter, the freedom meter, the bonds (Naomi's trust), the laws, the tracker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from game.tui.widgets.freedom_meter import FreedomMeter
from game.tui.widgets.laws import LAWS_GROUP, LawsPanel
from game.tui.widgets.meter import MeterPanel
from game.tui.widgets.tracker import TrackerPanel

if TYPE_CHECKING:
    from game.session import MeterView, Session


def meter_groups(views: list[MeterView]) -> dict[str, list[MeterView]]:
    """Every meter after the first, by group, in the story's order ("" = ungrouped)."""
    groups: dict[str, list[MeterView]] = {}
    for view in views[1:]:
        groups.setdefault(view.meter.group, []).append(view)
    return groups


class SidePanel(VerticalScroll, can_focus=True):
    """Compact on short terminals (see game.tcss); when it still does not fit, it scrolls
    with the mouse wheel, or with the arrow keys once Tab has moved the focus to it."""

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self._shape = self._shape_of(session)
        self._chapter = session.scene.chapter

    @staticmethod
    def _shape_of(session: Session) -> tuple[object, ...]:
        # What the panel's layout depends on: it is rebuilt only when this changes (a live reload).
        return (session.story.meters, session.story.tracker)

    def compose(self) -> ComposeResult:
        session = self.session
        views = session.meters()
        yield Static(Content(session.scene.chapter), id="side-chapter")
        if views:
            yield FreedomMeter(views[0], id="freedom")
        for group, members in meter_groups(views).items():
            panel_class = LawsPanel if group == LAWS_GROUP else MeterPanel
            yield panel_class(group or "Meters", members, group=group, classes="meter-group")
        if session.story.tracker is not None:
            yield TrackerPanel(session.story.tracker, session, id="tracker")

    def set_session(self, session: Session, before: dict[str, object], effects: bool) -> None:
        """Show the session's state; meters that moved since ``before`` react."""
        shape = self._shape_of(session)
        if shape != self._shape or session is not self.session:
            self.session, self._shape, self._chapter = session, shape, session.scene.chapter
            self.refresh(recompose=True)
            return
        views = session.meters()
        chapter = session.scene.chapter
        if chapter != self._chapter:
            # An update re-lays out the panel; the chapter changes a few times a game.
            self._chapter = chapter
            self.query_one("#side-chapter", Static).update(Content(chapter))
        if views:
            self.query_one(FreedomMeter).set_views(views[:1], before, effects)
        groups = meter_groups(views)
        for panel in self.query_children(".meter-group").results(MeterPanel):
            panel.set_views(groups.get(panel.group, []), before, effects)
        for tracker in self.query_children(TrackerPanel):
            tracker.set_session(session)
