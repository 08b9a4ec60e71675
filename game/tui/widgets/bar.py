"""A one-line bar for a meter: cheap to draw, coloured from CSS."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

FILLED = "█"
EMPTY = "░"  # a different shape as well as a different colour, for colour-blind players


class Bar(Widget):
    """``fraction`` (0..1) of the width filled; styled by ``bar--filled`` / ``bar--empty``."""

    COMPONENT_CLASSES = {"bar--filled", "bar--empty"}

    fraction: reactive[float] = reactive(0.0)

    def __init__(self, fraction: float = 0.0, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(Bar.fraction, fraction)

    def validate_fraction(self, value: float) -> float:
        return min(1.0, max(0.0, value))

    def render(self) -> Content:
        width = max(0, self.content_size.width)
        filled = round(self.fraction * width)
        # A meter above zero always shows at least one cell, so "a little" never reads as "none".
        if self.fraction > 0 and filled == 0 and width:
            filled = 1
        return Content.assemble(
            (FILLED * filled, self.get_visual_style("bar--filled")),
            (EMPTY * (width - filled), self.get_visual_style("bar--empty")),
        )
