"""What a state of play is, for the exhaustive walk: only what can change what happens next.

Two moments of play that no later expression can tell apart have the same
future, so the walk counts them once. From a scene, that is

- the variables some scene still reachable from it reads (a chapter's flags
  stop counting once no later scene looks at them);
- the visit counts of scenes that ``visited()``/``visits()`` name, each capped
  just above the largest number it is compared with (``visits("x") >= 3``
  makes 3 and 4 the same), exact only when the count is used as a number;
  ``visits()``/``first_visit()`` with no argument, and an ``again:`` text,
  count the scene they belong to;
- the counts of variation blocks whose alternatives evaluate something or
  hold another block (a block of plain prose alternatives cannot change what
  happens next; one nested in a later alternative is shown only once the outer
  block reaches it, which the walk's variation coverage must see);
- which once-only choices of still reachable scenes have been taken;
- the turn, only when the story rolls ``random()`` (rolls depend on it);
- whatever the story's ``invariants:`` read, everywhere (they are checked in every state).

Everything is computed from the story once; the walk itself (search.py)
only slices tuples with the plan's getters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any

from game.authoring.flow import choice_templates, destinations, route_conditions, scene_templates
from game.expr import Effect
from game.expr.nodes import COMPARISONS, Binary, Call, IntLit, Node, Unary
from game.story.model import Choice, Story

_VISITS_CALL = re.compile(r"""visits\(\s*(?:["']([^"']*)["'])?\s*\)""")
Getter = Callable[[Any], tuple[Any, ...]]
# visits() or first_visit() with no argument: the scene's own count matters.
_HERE = re.compile(r"first_visit\(|visits\(\s*\)")


def _getter(indices: list[Any]) -> Getter:
    if not indices:
        return lambda values: ()
    if len(indices) == 1:
        i = indices[0]
        return lambda values: (values[i],)
    return itemgetter(*indices)  # type: ignore[return-value]


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    return ()


def _visit_uses(node: Node, caps: dict[str, int | None], here: str) -> None:
    """Record, for each ``visits(x)`` in ``node``, the cap its uses allow (None: exact).

    ``visits()`` and ``first_visit()`` with no argument count ``here``: the scene
    the expression belongs to (a route's, a reply's and an on_enter's included).
    """
    stack: list[tuple[Node, Node | None]] = [(node, None)]
    while stack:
        current, parent = stack.pop()
        if isinstance(current, Call) and current.func in ("visited", "visits", "first_visit"):
            scene = getattr(current.args[0], "value", None) if current.args else here
            if isinstance(scene, str):
                if current.func == "visited":
                    cap: int | None = 1
                elif current.func == "first_visit":
                    cap = 2  # 1 or more than 1
                elif isinstance(parent, Binary) and parent.op in COMPARISONS:
                    other = parent.right if parent.left is current else parent.left
                    cap = other.value + 1 if isinstance(other, IntLit) else None
                else:
                    cap = None  # used as a number: every count can matter
                _merge_cap(caps, scene, cap)
        for child in _children(current):
            stack.append((child, current))


def _merge_cap(caps: dict[str, int | None], scene: str, cap: int | None) -> None:
    if scene in caps and caps[scene] is None:
        return
    if cap is None:
        caps[scene] = None
    else:
        caps[scene] = max(max(cap, 1), caps.get(scene) or 0)


def _uses_random(node: Node) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Call) and current.func == "random":
            return True
        stack.extend(_children(current))
    return False


def _template_nodes(template: Any) -> Iterator[Node]:
    for expr in template.conditions:
        yield expr.node


def _template_exact_visits(template: Any, here: str) -> set[str]:
    """Scenes whose ``visits()`` a template prints (not only compares): their counts stay exact."""
    source = template.source
    printed = [name or here for name in _VISITS_CALL.findall(source)]
    if not printed:
        return set()
    in_conditions: dict[str, int] = {}
    for expr in template.conditions:
        for name in _VISITS_CALL.findall(expr.source):
            in_conditions[name or here] = in_conditions.get(name or here, 0) + 1
    out = set()
    for name in set(printed):
        if printed.count(name) > in_conditions.get(name, 0):
            out.add(name)
    return out


# A variation keyword tag, or a literal brace: what is left of a template once
# they are removed shows whether its alternatives hold anything that is evaluated.
_VARIATION_OR_BRACE = re.compile(r"\{\{|\}\}|\{\s*(?:seq|cycle|shuffle|once|or|end)\s*\}")


_OPENS = re.compile(r"\{\s*(seq|cycle|shuffle|once|end)\s*\}")


def _varies_dynamically(template: Any) -> bool:
    """True when a template's variation blocks can change what is evaluated (not only the
    prose), or whether another of its blocks is shown at all (a block inside a block)."""
    if not template.variations:
        return False
    source = template.source.replace("{{", "").replace("}}", "")
    if "{" in _VARIATION_OR_BRACE.sub("", source):
        return True
    # Only variation tags are left: {end} closes the innermost block (no {if} to close).
    depth = 0
    for tag in _OPENS.findall(source):
        depth = depth - 1 if tag == "end" else depth + 1
        if depth > 1:
            return True
    return False


def addressed_templates(scene: Any) -> Iterator[tuple[str, Any]]:
    """(address, template) for each of a scene's templates, as the Session keys their variation blocks."""
    sid = scene.id
    yield f"{sid}:text", scene.text
    if scene.again is not None:
        yield f"{sid}:again", scene.again
    if scene.title_template is not None:
        yield f"{sid}:title", scene.title_template
    for choice in scene.choices:
        yield f"{sid}:{choice.id}:label", choice.label
        if choice.locked is not None:
            yield f"{sid}:{choice.id}:locked", choice.locked
        if choice.reply is not None:
            yield f"{sid}:{choice.id}:reply", choice.reply


class StatePlan:
    """How to cut a state of play down to its distinguishing parts, scene by scene."""

    def __init__(self, story: Story, extra_reads: Iterable[str] = ()) -> None:
        self.story = story
        self.names: list[str] = list(story.variables)
        self.defaults: dict[str, Any] = story.defaults()
        index = {name: i for i, name in enumerate(self.names)}
        caps: dict[str, int | None] = {}
        uses_random = False
        once: list[tuple[str, str]] = []
        local_vars: dict[str, set[str]] = {}
        local_refs: dict[str, set[str]] = {}
        succ: dict[str, set[str]] = {}
        everywhere = set(extra_reads)
        # Invariants are checked in every state: what they read is always live.
        invariant_refs: set[str] = set()
        for invariant in story.invariants:
            everywhere |= invariant.check.reads
            invariant_refs |= invariant.check.scene_refs
            _visit_uses(invariant.check.node, caps, "")
        tracked: dict[str, tuple[tuple[str, int], ...]] = {}
        for scene in story.scenes.values():
            sid = scene.id
            reads: set[str] = set(everywhere)
            refs: set[str] = set(invariant_refs)
            exprs: list[Any] = list(scene.on_enter)
            templates: list[Any] = list(scene_templates(scene))
            for choice in scene.choices:
                templates.extend(choice_templates(choice))
                if choice.condition is not None:
                    exprs.append(choice.condition)
                exprs.extend(route_conditions(choice))
                exprs.extend(choice.effects)
                if choice.once:
                    once.append((sid, choice.id))
            for template in templates:
                reads |= template.reads
                refs |= template.scene_refs
                for node in _template_nodes(template):
                    _visit_uses(node, caps, sid)
                    uses_random = uses_random or _uses_random(node)
                for name in _template_exact_visits(template, sid):
                    caps[name] = None
                if "first_visit(" in template.source:
                    _merge_cap(caps, sid, 2)
                uses_random = uses_random or "random(" in template.source
            for expr in exprs:
                node = expr.value.node if isinstance(expr, Effect) else expr.node
                reads |= expr.reads
                refs |= expr.scene_refs
                _visit_uses(node, caps, sid)
                uses_random = uses_random or _uses_random(node)
            if scene.again is not None:
                _merge_cap(caps, sid, 2)  # the again: text from the second visit on
            if _HERE.search(" ".join(t.source for t in templates) + " ".join(e.source for e in exprs)) or scene.again:
                refs.add(sid)
            for address, template in addressed_templates(scene):
                if _varies_dynamically(template):
                    tracked[address] = template.variations
            local_vars[sid] = reads
            local_refs[sid] = refs
            succ[sid] = {t for c in scene.choices for t in destinations(story, scene, c)}
        # Variation blocks whose alternatives evaluate something: their counts are
        # part of the state (capped where the kind stops telling them apart).
        self.tracked_variations: dict[str, tuple[tuple[str, int], ...]] = tracked
        for name in list(caps):  # a visited() of an unknown scene was a load error
            if name not in story.scenes:
                del caps[name]
        self.refs: list[str] = sorted(caps)
        self.caps: dict[str, int | None] = caps
        self.uses_random = uses_random
        self.once_bit: dict[tuple[str, str], int] = {key: 1 << i for i, key in enumerate(once)}
        ref_index = {name: i for i, name in enumerate(self.refs)}
        local_once = {sid: 0 for sid in story.scenes}
        for (sid, _cid), bit in self.once_bit.items():
            local_once[sid] |= bit
        var_mask = _fixpoint(
            succ, {sid: _mask(index[n] for n in names if n in index) for sid, names in local_vars.items()}
        )
        ref_mask = _fixpoint(
            succ, {sid: _mask(ref_index[n] for n in names if n in ref_index) for sid, names in local_refs.items()}
        )
        self.taken_mask: dict[str, int] = _fixpoint(succ, local_once)
        self.var_get: dict[str, Getter] = {}
        self.var_live: dict[str, tuple[str, ...]] = {}
        self.ref_get: dict[str, Getter] = {}
        self.ref_live: dict[str, tuple[str, ...]] = {}
        for sid in story.scenes:
            vi = _bits(var_mask[sid])
            ri = _bits(ref_mask[sid])
            self.var_get[sid] = _getter([self.names[i] for i in vi])  # read from the variables' dict by name
            self.var_live[sid] = tuple(self.names[i] for i in vi)
            self.ref_get[sid] = _getter(ri)
            self.ref_live[sid] = tuple(self.refs[i] for i in ri)

    def once_bits(self, scene_id: str, choice: Choice) -> int:
        return self.once_bit.get((scene_id, choice.id), 0) if choice.once else 0


def _mask(indices: Iterable[int]) -> int:
    out = 0
    for i in indices:
        out |= 1 << i
    return out


def _bits(mask: int) -> list[int]:
    out, i = [], 0
    while mask:
        if mask & 1:
            out.append(i)
        mask >>= 1
        i += 1
    return out


def _fixpoint(succ: dict[str, set[str]], local: dict[str, int]) -> dict[str, int]:
    """live[s] = local[s] | live[t] for every successor t, until nothing changes."""
    pred: dict[str, list[str]] = {sid: [] for sid in succ}
    for sid, targets in succ.items():
        for t in targets:
            pred[t].append(sid)
    live = dict(local)
    work = list(succ)
    queued = set(work)
    while work:
        sid = work.pop()
        queued.discard(sid)
        value = local[sid]
        for t in succ[sid]:
            value |= live[t]
        if value != live[sid]:
            live[sid] = value
            for p in pred[sid]:
                if p not in queued:
                    queued.add(p)
                    work.append(p)
    return live
