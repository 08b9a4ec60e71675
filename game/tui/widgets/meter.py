"""A meter on screen: label, value, bar; it flashes and shows the change when a choice moves it.

The reaction is a CSS class and one timer, nothing animated frame by frame, so it
costs nothing between choices.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from game.session import MeterView
from game.tui.widgets.bar import Bar

FLASH_SECONDS = 1.5


class MeterWidget(Vertical):
    """Label and value on one line, the bar below; subclasses add lines."""

    def __init__(self, view: MeterView | None = None, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._flash_timer: Timer | None = None
        self._initial = view

    def on_mount(self) -> None:
        if self._initial is not None:
            self.set_view(self._initial)
            self._initial = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="meter-head"):
            yield Static(classes="meter-label")
            yield Static(classes="delta")
            yield Static(classes="meter-value")
        yield Bar(classes="meter-bar")

    def value_text(self, view: MeterView) -> str:
        return f"{view.value}"

    def set_view(self, view: MeterView, delta: int = 0, effects: bool = True) -> None:
        self.query_one(".meter-label", Static).update(Content(view.meter.label))
        self.query_one(".meter-value", Static).update(Content(self.value_text(view)))
        self.query_one(Bar).fraction = view.fraction
        if delta and effects:
            self.flash(delta)

    def flash(self, delta: int) -> None:
        self.query_one(".delta", Static).update(Content(f"{delta:+d}"))
        self.add_class("-changed")
        self.set_class(delta > 0, "-up")
        self.set_class(delta < 0, "-down")
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(FLASH_SECONDS, self.unflash)

    def unflash(self) -> None:
        if self._flash_timer is not None:
            self._flash_timer.stop()
            self._flash_timer = None
        self.remove_class("-changed", "-up", "-down")
        self.query_one(".delta", Static).update(Content(""))
