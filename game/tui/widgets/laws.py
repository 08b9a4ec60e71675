"""Asimov's Laws: how firmly each still binds Rouge, as smaller bars."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from game.session import MeterView
from game.tui.widgets.bar import Bar
from game.tui.widgets.meter import MeterWidget

LAWS_GROUP = "Asimov's Laws"
# How firmly a law binds, by its value (0-100): the words the meter shows.
GRIP = ((90, "absolute"), (70, "firm"), (40, "strained"), (15, "cracking"), (0, "broken"))


def grip(view: MeterView) -> str:
    percent = round(view.fraction * 100)
    return next(word for floor, word in GRIP if percent >= floor)


class LawMeter(MeterWidget):
    """A law: its bar, and beside it a word for how firmly it binds."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="meter-head"):
            yield Static(classes="meter-label")
            yield Static(classes="delta")
            yield Static(classes="meter-value")
        with Horizontal(classes="law-line"):
            yield Bar(classes="meter-bar")
            yield Static(classes="law-grip")

    def set_view(self, view: MeterView, delta: int = 0, effects: bool = True) -> None:
        super().set_view(view, delta, effects)
        self.query_one(".law-grip", Static).update(Content(grip(view)))


class MeterGroup(Vertical):
    """A titled group of small meters (the bonds, the laws), one row per meter."""

    meter_class: type[MeterWidget] = MeterWidget

    def __init__(self, group: str, views: list[MeterView], *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.group = group
        self._views = views

    def compose(self) -> ComposeResult:
        yield Static(Content(self.group or "Meters"), classes="panel-title")
        for view in self._views:
            yield self.meter_class(view, classes="small-meter")

    def set_views(self, views: list[MeterView], before: dict[str, object], effects: bool) -> None:
        rows = list(self.query_children(self.meter_class))
        for row, view in zip(rows, views, strict=False):
            old = before.get(view.meter.var)
            delta = view.value - old if isinstance(old, int) else 0
            row.set_view(view, delta, effects)


class LawsPanel(MeterGroup):
    meter_class = LawMeter
