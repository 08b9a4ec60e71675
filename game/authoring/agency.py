"""Do the story's choices matter? Funnels, forks and echoes, from the story's structure.

- A **funnel** is a scene with choices whose options (routes included) all
  lead to one scene: whatever the player picks, the same page comes next.
- The **forks** are the scenes only some paths reach: every scene that is not
  on every path from the start to an ending.
- A choice is **echoed** when it has a reply of its own, or leads (by any
  route) to a scene no sibling leads to, or sets a variable that a later
  condition, route or template reads; a meter counts only if it gates
  something (a condition) within the next three scenes on some path. Any other
  choice -- one with no effects that goes where a sibling goes, or one that
  only nudges a meter nobody checks soon -- is unechoed: the player cannot
  tell it from its siblings.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from game.authoring.flow import (
    choice_templates,
    destinations,
    has_reply,
    route_conditions,
    scene_templates,
)
from game.story import Diagnostic, Severity, Story
from game.story.model import Choice, Scene

# How far ahead a meter must gate something for a choice that moves it to count as echoed.
METER_HORIZON = 3


def successors(story: Story) -> dict[str, set[str]]:
    return {
        sid: {t for c in scene.choices for t in destinations(story, scene, c)} for sid, scene in story.scenes.items()
    }


def _reachable(story: Story, succ: dict[str, set[str]]) -> set[str]:
    seen = {story.start}
    queue = deque([story.start])
    while queue:
        for t in succ[queue.popleft()]:
            if t not in seen:
                seen.add(t)
                queue.append(t)
    return seen


def funnel_scenes(story: Story) -> list[str]:
    """Scenes with choices whose options all lead to one scene."""
    out = []
    for scene in story.scenes.values():
        if scene.choices and not scene.is_ending:
            targets = {t for c in scene.choices for t in destinations(story, scene, c)}
            if len(targets) == 1:
                out.append(scene.id)
    return out


def funnel_report(story: Story) -> dict[str, Any]:
    """``funnel_share`` overall and per chapter: funnels among the scenes with choices."""
    funnels = set(funnel_scenes(story))
    with_choices: dict[str, int] = {}
    funnelled: dict[str, int] = {}
    for scene in story.scenes.values():
        if scene.choices and not scene.is_ending:
            with_choices[scene.chapter] = with_choices.get(scene.chapter, 0) + 1
            if scene.id in funnels:
                funnelled[scene.chapter] = funnelled.get(scene.chapter, 0) + 1
    total = sum(with_choices.values())
    return {
        "funnel_share": round(len(funnels) / total, 4) if total else 0.0,
        "funnels": len(funnels),
        "scenes_with_choices": total,
        "by_chapter": {
            c: round(funnelled.get(c, 0) / n, 4) for c in story.chapters() if (n := with_choices.get(c, 0))
        },
    }


def spine(story: Story) -> set[str]:
    """The scenes on every path from the start to an ending (dominators of a joint end).

    Cooper, Harvey and Kennedy's iterative algorithm on the reachable graph with
    one extra node that every ending scene leads to.
    """
    succ = successors(story)
    reach = _reachable(story, succ)
    end = "\0end"
    graph: dict[str, list[str]] = {s: sorted(t for t in succ[s] if t in reach) for s in reach}
    for sid in reach:
        if story.scenes[sid].is_ending:
            graph[sid].append(end)
    graph[end] = []
    order: list[str] = []  # postorder, iteratively
    seen = {story.start}
    stack: list[tuple[str, int]] = [(story.start, 0)]
    while stack:
        node, i = stack.pop()
        if i < len(graph[node]):
            stack.append((node, i + 1))
            nxt = graph[node][i]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, 0))
        else:
            order.append(node)
    if end not in seen:
        return set()
    index = {node: i for i, node in enumerate(order)}  # postorder number
    preds: dict[str, list[str]] = {n: [] for n in order}
    for node in order:
        for t in graph[node]:
            if t in index:
                preds[t].append(node)
    idom: dict[str, str] = {story.start: story.start}
    changed = True
    while changed:
        changed = False
        for node in reversed(order):
            if node == story.start:
                continue
            done = [p for p in preds[node] if p in idom]
            if not done:
                continue
            new = done[0]
            for p in done[1:]:
                a, b = p, new
                while a != b:
                    while index[a] < index[b]:
                        a = idom[a]
                    while index[b] < index[a]:
                        b = idom[b]
                new = a
            if idom.get(node) != new:
                idom[node] = new
                changed = True
    out = set()
    node = idom[end]
    while True:
        out.add(node)
        if node == story.start:
            break
        node = idom[node]
    return out


def forks_report(story: Story) -> dict[str, Any]:
    """The scenes only some paths reach: everything reachable but off the spine."""
    succ = successors(story)
    reach = _reachable(story, succ)
    on_every_path = spine(story)
    forks = sorted(reach - on_every_path)
    by_chapter: dict[str, int] = {}
    for sid in forks:
        chapter = story.scenes[sid].chapter
        by_chapter[chapter] = by_chapter.get(chapter, 0) + 1
    return {
        "count": len(forks),
        "share": round(len(forks) / len(reach), 4) if reach else 0.0,
        "on_every_path": len(on_every_path),
        "by_chapter": {c: by_chapter[c] for c in story.chapters() if c in by_chapter},
        "ids": forks,
    }


@dataclass
class _Reads:
    """Per variable, the scenes whose conditions, routes or templates read it, and those that gate on it.

    ``effects`` keeps, per scene, each effect's (target, variables its value reads):
    a value computed from ``x`` into something read later reads ``x`` too.
    """

    any: dict[str, set[str]] = field(default_factory=dict)
    gates: dict[str, set[str]] = field(default_factory=dict)
    effects: dict[str, list[tuple[str, frozenset[str]]]] = field(default_factory=dict)


def _scene_reads(story: Story) -> _Reads:
    reads = _Reads()
    for scene in story.scenes.values():
        anything: set[str] = set()
        gates: set[str] = set()
        templates: list[Any] = list(scene_templates(scene))
        effects = [(e.target, e.value.reads - {e.target}) for e in scene.on_enter]
        for choice in scene.choices:
            templates.extend(choice_templates(choice))
            conditions = list(route_conditions(choice))
            if choice.condition is not None:
                conditions.append(choice.condition)
            for condition in conditions:
                gates |= condition.reads
            effects.extend((e.target, e.value.reads - {e.target}) for e in choice.effects)
        for template in templates:
            anything |= template.reads
            for condition in template.conditions:
                gates |= condition.reads
        for name in anything | gates:
            reads.any.setdefault(name, set()).add(scene.id)
        for name in gates:
            reads.gates.setdefault(name, set()).add(scene.id)
        reads.effects[scene.id] = [(target, names) for target, names in effects if names]
    return reads


def _backwards(pred: dict[str, set[str]], starts: Iterable[str], limit: int | None) -> set[str]:
    """Scenes from which one of ``starts`` is at most ``limit`` choices away (None: any)."""
    seen = set(starts)
    frontier = list(seen)
    depth = 0
    while frontier and (limit is None or depth < limit):
        depth += 1
        nxt = []
        for node in frontier:
            for p in pred[node]:
                if p not in seen:
                    seen.add(p)
                    nxt.append(p)
        frontier = nxt
    return seen


class EchoCheck:
    """Decides, choice by choice, whether the player can ever tell it from its siblings.

    The one implementation behind both ``validate``'s W312 and ``stats``'
    ``unechoed_choices``.
    """

    def __init__(self, story: Story) -> None:
        self.story = story
        self.succ = successors(story)
        self.pred: dict[str, set[str]] = {sid: set() for sid in story.scenes}
        for sid, targets in self.succ.items():
            for t in targets:
                self.pred[t].add(sid)
        self.reads = _scene_reads(story)
        self.meters = {m.var for m in story.meters}
        self._later: dict[str, set[str]] = {}
        self._near: dict[str, set[str]] = {}
        self._follow_effects()

    def _follow_effects(self) -> None:
        """An effect whose result is read later reads what it computes from, there and then.

        (``knocked = naomi_trust < 30`` read by a later condition makes that
        scene a gate on ``naomi_trust``.) Repeated until nothing new is found.
        """
        changed = True
        while changed:
            changed = False
            for sid, effects in self.reads.effects.items():
                for target, names in effects:
                    if sid not in self.where_seen(target):
                        continue
                    for name in names:
                        for table in (self.reads.any, self.reads.gates):
                            scenes = table.setdefault(name, set())
                            if sid not in scenes:
                                scenes.add(sid)
                                changed = True
                                self._later.pop(name, None)
                                self._near.pop(name, None)

    def _read_later(self, var: str) -> set[str]:
        """Scenes from which some scene reading ``var`` can be reached."""
        if var not in self._later:
            self._later[var] = _backwards(self.pred, self.reads.any.get(var, ()), None)
        return self._later[var]

    def _gated_soon(self, var: str) -> set[str]:
        """Scenes from which a condition on ``var`` is within the next three scenes (this one first)."""
        if var not in self._near:
            self._near[var] = _backwards(self.pred, self.reads.gates.get(var, ()), METER_HORIZON - 1)
        return self._near[var]

    def where_seen(self, var: str) -> set[str]:
        """Scenes entering which a change to ``var`` can still show: soon for a meter, ever for the rest."""
        return self._gated_soon(var) if var in self.meters else self._read_later(var)

    def echoed(self, scene: Scene, choice: Choice) -> bool:
        return self.why_unechoed(scene, choice) is None

    def why_unechoed(self, scene: Scene, choice: Choice) -> str | None:
        """None for an echoed choice; else what it lacks, in the words of W312."""
        if has_reply(choice):
            return None
        mine = set(destinations(self.story, scene, choice))
        others = {t for c in scene.choices if c is not choice for t in destinations(self.story, scene, c)}
        if mine - others:
            return None
        for effect in choice.effects:
            if mine & self.where_seen(effect.target):
                return None
        moved = sorted({e.target for e in choice.effects})
        meters = [v for v in moved if v in self.meters]
        flags = [v for v in moved if v not in self.meters]
        parts = ["no reply", "no scene its siblings do not reach"]
        if not moved:
            parts.append("no effect")
        if meters:
            parts.append(f"no condition on {_names(meters)} within {METER_HORIZON} scenes")
        if flags:
            parts.append(f"nothing later reads {_names(flags)}")
        return ", ".join(parts[:-1]) + " and " + parts[-1]

    def unechoed(self) -> list[tuple[Scene, Choice]]:
        return [(scene, choice) for scene, choice, _why in self.findings()]

    def findings(self) -> list[tuple[Scene, Choice, str]]:
        out = []
        for scene in self.story.scenes.values():
            if len(scene.choices) < 2:
                continue  # a lone choice has no sibling to be told apart from
            for choice in scene.choices:
                why = self.why_unechoed(scene, choice)
                if why is not None:
                    out.append((scene, choice, why))
        return out


def _names(names: list[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def unechoed_report(story: Story) -> dict[str, Any]:
    found = EchoCheck(story).unechoed()
    return {"count": len(found), "ids": [f"{scene.id}:{choice.id}" for scene, choice in found]}


def echo_diagnostics(story: Story, check: EchoCheck | None = None) -> list[Diagnostic]:
    """W312 for every unechoed choice, at the choice."""
    check = check or EchoCheck(story)
    return [
        Diagnostic(
            "W312",
            f"choice '{choice.id}' in '{scene.id}' is unechoed: {why} "
            "(give it a reply:, a scene of its own, or a later scene that shows what it changed)",
            choice.pos.path,
            choice.pos.line,
            choice.pos.col,
            Severity.WARNING,
        )
        for scene, choice, why in check.findings()
    ]
