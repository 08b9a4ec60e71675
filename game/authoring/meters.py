"""The meter report: where each meter sits while the story is played, and what it is offered.

A meter pinned at its end for most of a game is a meter whose choices no
longer mean anything. Playthroughs record, for every step, the chapter and
whether each meter sits at its minimum or maximum, and each meter's value at
the end of each chapter; the budget is static: the ``+=`` / ``-=`` amounts the
chapter's choices and entries offer.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from game.expr.nodes import IntLit, Unary
from game.story import Story


def meter_ranges(story: Story) -> list[tuple[str, int, int]]:
    """(variable, minimum, maximum) of each meter: the variable's range, else the meter's."""
    out = []
    for meter in story.meters:
        decl = story.variables[meter.var]
        low = decl.min if decl.min is not None else meter.min
        high = decl.max if decl.max is not None else meter.max
        out.append((meter.var, low, high))
    return out


@dataclass
class MeterTally:
    """Counts that merge across processes (Counter.update adds)."""

    chapter_steps: Counter[str] = field(default_factory=Counter)
    at_min: Counter[tuple[str, str]] = field(default_factory=Counter)  # (var, chapter)
    at_max: Counter[tuple[str, str]] = field(default_factory=Counter)
    ends: dict[tuple[str, str], Counter[int]] = field(default_factory=dict)  # value at chapter end

    def merge(self, other: MeterTally) -> None:
        self.chapter_steps.update(other.chapter_steps)
        self.at_min.update(other.at_min)
        self.at_max.update(other.at_max)
        for key, values in other.ends.items():
            self.ends.setdefault(key, Counter()).update(values)

    def step(self, chapter: str, values: dict[str, Any], ranges: list[tuple[str, int, int]]) -> None:
        self.chapter_steps[chapter] += 1
        for var, low, high in ranges:
            v = values[var]
            if v <= low:
                self.at_min[(var, chapter)] += 1
            elif v >= high:
                self.at_max[(var, chapter)] += 1

    def chapter_end(self, chapter: str, values: dict[str, Any], ranges: list[tuple[str, int, int]]) -> None:
        for var, _low, _high in ranges:
            key = (var, chapter)
            counter = self.ends.get(key)
            if counter is None:
                counter = self.ends[key] = Counter()
            counter[values[var]] += 1


def _percentile(values: Counter[int], q: float) -> int | None:
    """Nearest-rank percentile of a histogram."""
    total = sum(values.values())
    if not total:
        return None
    rank = max(1, math.ceil(round(q * total, 9)))
    seen = 0
    for value in sorted(values):
        seen += values[value]
        if seen >= rank:
            return value
    return max(values)


def pinned_report(story: Story, tally: MeterTally) -> dict[str, Any]:
    """``{"freedom": {"min": 0.12, "max": 0.03, "by_chapter": {chapter: {"min", "max"}}}}``."""
    chapters = [c for c in story.chapters() if tally.chapter_steps[c]]
    total = sum(tally.chapter_steps.values())
    out: dict[str, Any] = {}
    for var, _low, _high in meter_ranges(story):
        lows = sum(tally.at_min[(var, c)] for c in chapters)
        highs = sum(tally.at_max[(var, c)] for c in chapters)
        out[var] = {
            "min": round(lows / total, 4) if total else 0.0,
            "max": round(highs / total, 4) if total else 0.0,
            "by_chapter": {
                c: {
                    "min": round(tally.at_min[(var, c)] / tally.chapter_steps[c], 4),
                    "max": round(tally.at_max[(var, c)] / tally.chapter_steps[c], 4),
                }
                for c in chapters
            },
        }
    return out


def ends_report(story: Story, tally: MeterTally) -> dict[str, Any]:
    """Each meter's p10/p50/p90 at the end of each chapter, over the runs that reached it."""
    out: dict[str, Any] = {}
    for var, _low, _high in meter_ranges(story):
        by: dict[str, Any] = {}
        for chapter in story.chapters():
            values = tally.ends.get((var, chapter))
            if values:
                by[chapter] = {
                    "p10": _percentile(values, 0.1),
                    "p50": _percentile(values, 0.5),
                    "p90": _percentile(values, 0.9),
                    "runs": sum(values.values()),
                }
        out[var] = by
    return out


def _constant(node: Any) -> int | None:
    if isinstance(node, IntLit):
        return node.value
    if isinstance(node, Unary) and node.op == "-" and isinstance(node.operand, IntLit):
        return -node.operand.value
    return None


def meter_budget(story: Story) -> dict[str, Any]:
    """Per meter and chapter: the total ``+=`` and ``-=`` the chapter's effects offer (static).

    Every choice and every on_enter counts once, as written: a 0-100 meter
    offered 400 points in a chapter will pin whatever the player does.
    Amounts that are not constants are counted in ``other``.
    """
    meters = {var for var, _l, _h in meter_ranges(story)}
    budget: dict[str, dict[str, dict[str, int]]] = {
        var: {c: {"plus": 0, "minus": 0, "other": 0} for c in story.chapters()} for var in meters
    }
    for scene in story.scenes.values():
        effects = list(scene.on_enter)
        for choice in scene.choices:
            effects.extend(choice.effects)
        for effect in effects:
            if effect.target not in meters:
                continue
            slot = budget[effect.target][scene.chapter]
            amount = _constant(effect.value.node)
            if effect.op in ("+=", "-=") and amount is not None:
                signed = amount if effect.op == "+=" else -amount
                if signed >= 0:
                    slot["plus"] += signed
                else:
                    slot["minus"] += -signed
            else:
                slot["other"] += 1
    return {var: budget[var] for var, _l, _h in meter_ranges(story)}
