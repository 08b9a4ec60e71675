"""Asimov's Laws: how firmly each still binds Rouge, as smaller bars with a word for their grip."""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.tui.widgets.meter import MeterPanel

if TYPE_CHECKING:
    from game.session import MeterView

LAWS_GROUP = "Asimov's Laws"
# How firmly a law binds, by its value as a percentage of its range.
GRIP = ((90, "absolute"), (70, "firm"), (40, "strained"), (15, "cracking"), (0, "broken"))


def grip(view: MeterView) -> str:
    percent = round(view.fraction * 100)
    return next(word for floor, word in GRIP if percent >= floor)


class LawsPanel(MeterPanel):
    def note(self, view: MeterView) -> str:
        return grip(view)
