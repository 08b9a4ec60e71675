"""The freedom meter (the story's first meter): a 0-100 bar with its named band."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from game.tui.widgets.meter import MeterPanel

if TYPE_CHECKING:
    from game.session import MeterView


class FreedomMeter(MeterPanel):
    def __init__(self, view: MeterView, *, id: str | None = None) -> None:
        super().__init__("", [view], id=id)

    def value_text(self, view: MeterView) -> str:
        return f"{view.value}/{view.meter.max}"

    def extra_lines(self, view: MeterView) -> list[Content]:
        return [Content.styled(view.band, self.get_visual_style("meter--note"))] if view.band else []
