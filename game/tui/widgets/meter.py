"""Meters drawn as text: a label and value line, then a bar, for each meter of a group.

A whole group is one widget with one ``render``: the side panel is redrawn after
every choice, and a handful of widgets lays out much faster than a tree of small
ones. When a choice moves a meter its label flashes and the change ("+5") shows
for a moment: a CSS class and one timer, nothing animated frame by frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.geometry import Size
from textual.timer import Timer
from textual.widget import Widget

from game.tui import glyphs

if TYPE_CHECKING:
    from game.session import MeterView


FLASH_SECONDS = 1.5


def bar(fraction: float, width: int) -> tuple[str, str]:
    """The filled and empty parts of a bar ``width`` cells wide."""
    width = max(0, width)
    filled = round(min(1.0, max(0.0, fraction)) * width)
    # A meter above zero always shows at least one cell, so "a little" never reads as "none".
    if fraction > 0 and filled == 0 and width:
        filled = 1
    look = glyphs.current  # Unicode blocks, or ASCII for LANG=C (game.tui.glyphs)
    return look.filled * filled, look.empty * (width - filled)


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis."""
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


class MeterPanel(Widget):
    """A titled group of meters (the bonds, the laws); subclasses change the lines drawn."""

    COMPONENT_CLASSES = {
        "meter--title",
        "meter--label",
        "meter--changed",
        "meter--value",
        "meter--up",
        "meter--down",
        "meter--filled",
        "meter--empty",
        "meter--note",
    }

    def __init__(
        self,
        heading: str,
        views: list[MeterView],
        *,
        group: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.heading = heading
        self.group = group  # the story's meter group this panel shows
        self.views = views
        self.deltas: dict[str, int] = {}
        self._flash_timer: Timer | None = None
        self._drawn = self._key(views)

    @staticmethod
    def _key(views: list[MeterView]) -> list[tuple[int, int, str]]:
        # What the drawing depends on: most choices leave most meters as they were.
        return [(id(view.meter), view.value, view.band) for view in views]

    # -- what each meter shows (subclasses override) ----------------------------------
    def value_text(self, view: MeterView) -> str:
        return str(view.value)

    def note(self, view: MeterView) -> str:
        """A word after the bar (the laws' grip), or ''."""
        return ""

    def extra_lines(self, view: MeterView) -> list[Content]:
        return []

    # -- state ---------------------------------------------------------------------------
    def set_views(self, views: list[MeterView], before: dict[str, object], effects: bool) -> None:
        relayout = len(views) != len(self.views)
        self.views = views
        deltas = {}
        for view in views:
            old = before.get(view.meter.var)
            if isinstance(old, int) and old != view.value:
                deltas[view.meter.var] = view.value - old
        if deltas and effects:
            self.flash(deltas)
        key = self._key(views)
        if key != self._drawn or relayout:
            # Only a panel whose meters moved is drawn again (the flash redraws its own).
            self._drawn = key
            self.refresh(layout=relayout)

    def flash(self, deltas: dict[str, int]) -> None:
        # The highlight is drawn from ``deltas`` in lines(), not with CSS classes:
        # a class change restyles the widget, ~6 ms of every choice's latency.
        self.deltas = deltas
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(FLASH_SECONDS, self.unflash)

    def unflash(self) -> None:
        if self._flash_timer is not None:
            self._flash_timer.stop()
            self._flash_timer = None
        self.deltas = {}
        self.refresh()

    # -- drawing -------------------------------------------------------------------------
    def lines(self, width: int) -> list[Content]:
        style = self.get_visual_style
        out: list[Content] = []
        if self.heading:
            out.append(Content.styled(fit(self.heading, width), style("meter--title")))
        for view in self.views:
            delta = self.deltas.get(view.meter.var, 0)
            value = self.value_text(view)
            delta_text = f"{delta:+d} " if delta else ""
            label = fit(view.meter.label, width - len(value) - len(delta_text) - 1)
            gap = " " * max(1, width - len(label) - len(delta_text) - len(value))
            label_style = style("meter--label", "meter--changed") if delta else style("meter--label")
            out.append(
                Content.assemble(
                    (label, label_style),
                    gap,
                    (delta_text, style("meter--up" if delta > 0 else "meter--down")),
                    (value, style("meter--value")),
                )
            )
            note = self.note(view)
            filled, empty = bar(view.fraction, width - (len(note) + 1 if note else 0))
            out.append(
                Content.assemble(
                    (filled, style("meter--filled")),
                    (empty, style("meter--empty")),
                    (f" {note}" if note else "", style("meter--note")),
                )
            )
            out.extend(self.extra_lines(view))
        return out

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))
