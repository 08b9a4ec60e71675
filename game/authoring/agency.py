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

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from game.authoring.analysis import choice_edges, reachable, successors
from game.authoring.flow import (
    choice_templates,
    has_reply,
    route_conditions,
    scene_templates,
)
from game.authoring.intervals import possible_values
from game.expr.variation import KINDS as VARIATION_KINDS
from game.story import Diagnostic, Severity, Story
from game.story.model import Choice, Scene, TrackerSlot

# How far ahead a meter must gate something for a choice that moves it to count as echoed.
METER_HORIZON = 3


def funnel_scenes(story: Story) -> list[str]:
    """Scenes with choices whose options all lead to one scene."""
    succ = successors(story)
    return [sid for sid, scene in story.scenes.items() if scene.choices and not scene.is_ending and len(succ[sid]) == 1]


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
    reach = reachable(story, succ)
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
    reach = reachable(story, succ)
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
        mine = set(choice_edges(self.story, scene, choice))
        others = {t for c in scene.choices if c is not choice for t in choice_edges(self.story, scene, c)}
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


# -- continuity: a character named where they may already be gone -----------------

# A tag in a template that compiled: a literal brace, or {...} whose quotes may hold braces.
_TAG = re.compile(r"""\{\{|\}\}|\{((?:[^{}"']|"[^"]*"|'[^']*')*)\}""")
_BRANCH = re.compile(r"\s*(if|elif)(?![A-Za-z0-9_])")


def unguarded_text(template: Any, var: str) -> str:
    """The template's prose that shows whatever ``var`` is: outside every {if}/{elif} chain that tests it.

    Once a chain has tested ``var``, its later branches are guarded too (an
    ``{else}`` after ``{if x == "slain"}`` knows x is not slain). Conditions are
    matched to the template's compiled ones in order, so what they read is exact.
    """
    conditions = iter(template.conditions)
    stack: list[bool] = []  # per open block: has this chain tested var yet?
    guarded = 0  # how many open blocks are guarding
    out: list[str] = []
    source = template.source
    at = 0
    for match in _TAG.finditer(source):
        if not guarded:
            out.append(source[at : match.start()])
        at = match.end()
        content = match.group(1)
        if content is None:  # a literal brace
            continue
        keyword = _BRANCH.match(content)
        word = content.strip()
        if keyword:
            condition = next(conditions, None)
            tests = condition is not None and var in condition.reads
            if keyword.group(1) == "if":
                stack.append(tests)
                guarded += tests
            elif stack and tests and not stack[-1]:
                stack[-1] = True
                guarded += 1
        elif word == "end" and stack:
            guarded -= stack.pop()
        elif word in VARIATION_KINDS:
            stack.append(False)
    if not guarded:
        out.append(source[at:])
    return " ".join(out)


def _sets_gone(effect: Any, gone: frozenset[str], story: Story) -> bool | None:
    """True when the effect may make the slot gone, False when it surely makes it not gone, None: no change."""
    values = possible_values(effect.value.node, story.variables) if effect.op == "=" else None
    if isinstance(values, frozenset) and effect.op == "=":
        return bool(values & gone)
    return True


@dataclass(frozen=True)
class Gone:
    """How a slot can have become gone on a path into a scene: the first setter found."""

    scene: str
    choice: str | None  # None: the scene's on_enter


def _effect_on(effects: Iterable[Any], var: str, gone: frozenset[str], story: Story) -> bool | None:
    """What ``effects`` leave the slot as: True may be gone, False surely not, None untouched."""
    out: bool | None = None
    for effect in effects:
        if effect.target == var:
            out = _sets_gone(effect, gone, story)
    return out


def gone_on_entry(story: Story, var: str, gone: frozenset[str]) -> dict[str, Gone]:
    """Scenes shown while ``var`` may hold a gone value an effect put there a scene or more before.

    A forward may-analysis over the choices: an effect that can assign a gone
    value makes the slot gone from there on, one that surely assigns another
    value brings it back; where paths join, gone on any of them counts. The
    default alone never counts (Halvard and Mirela start slain), and neither
    does the scene the fatal choice (or its own on_enter) leads into: that
    scene is where the death is told.
    """
    scenes = story.scenes
    fresh: dict[str, Gone] = {}  # gone by the step into the scene
    settled: dict[str, Gone] = {}  # gone since an earlier scene
    start = scenes[story.start]
    if _effect_on(start.on_enter, var, gone, story):
        fresh[start.id] = Gone(start.id, None)
    work = [start.id]
    seen = {start.id}
    while work:
        sid = work.pop()
        scene = scenes[sid]
        before = settled.get(sid) or fresh.get(sid)
        if before is None:
            # A stay-choice leads nowhere, but what it does stays with the player
            # when they leave by another choice.
            before = next(
                (Gone(sid, c.id) for c in scene.choices if c.stay and _effect_on(c.effects, var, gone, story)), None
            )
        for choice in scene.choices:
            effect = _effect_on(choice.effects, var, gone, story)
            for target in choice_edges(story, scene, choice):
                entered = _effect_on(scenes[target].on_enter, var, gone, story)
                changed = target not in seen
                seen.add(target)
                if entered is not None:
                    if entered and target not in fresh:
                        fresh[target] = Gone(target, None)
                        changed = True
                elif effect:
                    if target not in fresh:
                        fresh[target] = Gone(sid, choice.id)
                        changed = True
                elif effect is None and before is not None and target not in settled:
                    settled[target] = before
                    changed = True
                if changed:
                    work.append(target)
    return settled


def continuity_findings(story: Story) -> list[tuple[Scene, TrackerSlot, str, Gone]]:
    """(scene, slot, the name used, how the slot got gone) for each unguarded mention of a gone slot."""
    if story.tracker is None:
        return []
    out = []
    for slot in story.tracker.slots:
        if not slot.gone:
            continue
        names = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(slot.names, key=len, reverse=True)) + r")\b")
        for sid, how in gone_on_entry(story, slot.var, frozenset(slot.gone)).items():
            scene = story.scenes[sid]
            templates = [*scene_templates(scene)]
            for choice in scene.choices:
                templates.append(choice.label)
                if choice.locked is not None and not isinstance(choice.locked, str):
                    templates.append(choice.locked)
            for template in templates:
                found = names.search(unguarded_text(template, slot.var))
                if found:
                    out.append((scene, slot, found.group(1), how))
                    break
    return out


def continuity_diagnostics(story: Story) -> list[Diagnostic]:
    """W314 for each scene that names a tracker slot that may already be gone there."""
    out = []
    for scene, slot, name, how in continuity_findings(story):
        where = f"choice '{how.choice}' in '{how.scene}'" if how.choice else f"the on_enter of '{how.scene}'"
        values = " or ".join(f"'{v}'" for v in slot.gone)
        out.append(
            Diagnostic(
                "W314",
                f"{name} may be gone here: '{scene.id}' names {slot.name} outside any condition on "
                f"{slot.var}, but {where} can make it {values} on a path into this scene "
                f"(put the mention under {{if {slot.var} != \"{slot.gone[0]}\"}}…{{end}}, or keep that path out)",
                scene.pos.path,
                scene.pos.line,
                scene.pos.col,
                Severity.WARNING,
            )
        )
    return out
