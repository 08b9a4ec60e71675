"""The freedom meter (the story's first meter): a 0-100 bar with its named band."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from game.session import MeterView
from game.tui.widgets.meter import MeterWidget


class FreedomMeter(MeterWidget):
    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static(classes="meter-band")

    def value_text(self, view: MeterView) -> str:
        return f"{view.value}/{view.meter.max}"

    def set_view(self, view: MeterView, delta: int = 0, effects: bool = True) -> None:
        super().set_view(view, delta, effects)
        self.query_one(".meter-band", Static).update(Content(view.band))
