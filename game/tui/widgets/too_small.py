"""The message shown instead of the layout when the terminal is below the minimum size."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

MIN_WIDTH = 80
MIN_HEIGHT = 24


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmall(Widget):
    """Covers its screen on a layer of its own; shown only while the app has ``-too-small``.

    Every screen of the game carries one, so the message stays up whatever screen or
    dialog is open, and the layout underneath keeps its state for when the terminal grows.
    """

    def render(self) -> Content:
        width, height = self.app.size
        return Content(
            "The terminal is too small.\n\n"
            f"The game needs at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {width}×{height}.\n"
            "Enlarge the window or make the font smaller: the game will come back as it was.\n\n"
            "(Ctrl+Q quits.)"
        )
