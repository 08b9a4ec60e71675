"""The exhaustive walk: a breadth-first search over the distinct states of play.

States are cut down by a StatePlan (statespace.py) to what can still change
what happens next, so a loop between two scenes is a finite space, and are
remembered only as 64-bit hashes. Breadth-first order finds the shortest
choice sequence to every scene and ending first. The walk stops at its time,
state or memory budget and says so: "complete" only when every state was
expanded.

A step runs the story's own compiled conditions and effects, in the Session's
order and with its random seeding, but without the transitions machine (whose
trigger alone costs more than the rest of a step): a test replays walked paths
through the Session and compares the states, and every path the walk prints
is replayed through the Session before it is shown.
"""

from __future__ import annotations

import gc
import os
import random
import resource
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from game.authoring.statespace import StatePlan
from game.expr import ExprRuntimeError
from game.state import block_key
from game.story import Story
from game.story.model import Choice

DEFAULT_SECONDS = 30.0
DEFAULT_MEMORY_MB = 1024

# A path as a chain of shared links: (previous link, scene id, choice id).
Link = tuple[Any, str, str] | None


class _Ctx:
    """The Context the compiled closures read: the Session's, minus the machine."""

    __slots__ = (
        "vars", "counts", "ref_index", "seed", "turn", "state", "address", "replying",
        "variations", "shown", "tracked", "reached", "_rng", "_salt",
    )

    def __init__(self, seed: int, ref_index: dict[str, int], tracked: dict[str, tuple[tuple[str, int], ...]]) -> None:
        self.vars: dict[str, Any] = {}
        # Visit counts of the scenes some expression names, by the plan's index.
        self.counts: list[int] = [0] * len(ref_index)
        self.ref_index = ref_index
        self.seed = seed
        self.turn = 0
        self.state = ""  # the scene visits() and first_visit() with no argument count
        self.address = ""  # of the text being rendered, as the Session keys its blocks
        self.replying = False
        # Counts of the tracked variation blocks, and those shown in this entry.
        self.variations: dict[str, int] = {}
        self.shown: dict[str, int] = {}
        self.tracked = tracked
        # Every variation block rendered at least once: what the Session's counts hold keys for.
        self.reached: set[str] = set()
        self._rng: random.Random | None = None
        self._salt = 0

    def visits(self, scene_id: str) -> int:
        i = self.ref_index.get(scene_id)
        return 0 if i is None else self.counts[i]

    def random(self, low: int, high: int) -> int:
        # Exactly Session.random: the same seed, turn and salt roll the same numbers.
        if self._rng is None:
            self._rng = random.Random((self.seed * 1_000_003 + self.turn) * 4 + self._salt)
        if low > high:
            low, high = high, low
        return self._rng.randint(low, high)

    def variant(self, block: int) -> tuple[int, str]:
        """Session.variant, for the blocks the plan tracks; a block of plain prose shows its first."""
        key = block_key(self.address, block)
        self.reached.add(key)
        salt = f"{self.seed}:{key}"
        kinds = self.tracked.get(self.address)
        if kinds is None:
            return 0, salt  # which prose shows cannot change what happens next
        if not self.replying and key in self.shown:
            return self.shown[key], salt
        count = self.variations.get(key, 0)
        kind, n = kinds[block]
        # Stored capped where the kind stops telling counts apart (pick() shows the same).
        self.variations[key] = min(count + 1, n - 1) if kind == "seq" else (
            min(count + 1, n) if kind == "once" else (count + 1) % n if kind == "cycle" else count + 1
        )
        if not self.replying:
            self.shown[key] = count
        return count, salt

    def reseed(self, salt: int) -> None:
        self._rng, self._salt = None, salt


@dataclass
class Finding:
    kind: str  # "crash" | "stuck" | "invariant"
    message: str
    scene: str
    path: list[tuple[str, str]]


@dataclass
class WalkResult:
    verdict: str  # "complete" | "partial"
    stopped_by: str | None  # None when complete, else "time" | "states" | "memory" | "found"
    expanded: int = 0
    distinct: int = 0
    left: int = 0
    steps: int = 0
    depth: int = 0
    seconds: float = 0.0
    peak_rss_bytes: int = 0
    bytes_per_state: float = 0.0
    endings: dict[str, int] = field(default_factory=dict)
    scenes: set[str] = field(default_factory=set)
    choices: set[tuple[str, str]] = field(default_factory=set)
    branches: set[tuple[str, str, bool]] = field(default_factory=set)
    routes: set[tuple[str, str, str]] = field(default_factory=set)  # (scene, choice, target) a route list took
    # The variation blocks shown (by block key). Exact for a complete walk: a block's
    # template is rendered in every state it can show in, with what decides whether
    # it is reached (the variables and visit counts it reads, the counts of the blocks
    # it sits in) part of the state.
    variations: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    # The first (so shortest) path found to each scene: [(scene, choice id), ...].
    paths: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.verdict == "complete"


def rss_bytes() -> int:
    """The process's resident memory now (Linux), else its peak so far."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def unroll(link: Link) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    while link is not None:
        link, scene, choice = link
        out.append((scene, choice))
    out.reverse()
    return out


def walk(
    story: Story,
    seconds: float = DEFAULT_SECONDS,
    max_states: int | None = None,
    max_memory_mb: float = DEFAULT_MEMORY_MB,
    seed: int = 0,
    progress: Callable[[WalkResult], None] | None = None,
    plan: StatePlan | None = None,
    stop_at: frozenset[str] = frozenset(),
) -> WalkResult:
    """Expand every distinct state reachable from the start, breadth first, within the budgets.

    With ``stop_at``, the walk ends as soon as one of those scenes is first
    reached (breadth first, so by a shortest path): ``stopped_by`` is "found".
    """
    plan = plan or StatePlan(story)
    # The queue holds millions of tuples that form no cycles; the collector's
    # rescans of them cost about a tenth of the walk (measured on the campaign).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _walk(story, seconds, max_states, max_memory_mb, seed, progress, plan, stop_at)
    finally:
        if was_enabled:
            gc.enable()


def _walk(
    story: Story,
    seconds: float,
    max_states: int | None,
    max_memory_mb: float,
    seed: int,
    progress: Callable[[WalkResult], None] | None,
    plan: StatePlan,
    stop_at: frozenset[str],
) -> WalkResult:
    started = time.perf_counter()
    deadline = started + seconds
    base_rss = rss_bytes()
    memory_limit = base_rss + int(max_memory_mb * 1024 * 1024)
    result = WalkResult("partial", None)
    scenes = story.scenes
    ref_index = {name: i for i, name in enumerate(plan.refs)}
    no_counts = [0] * len(ref_index)
    tracked = plan.tracked_variations
    ctx = _Ctx(seed, ref_index, tracked)
    defaults = plan.defaults
    caps = plan.caps
    var_get, var_live = plan.var_get, plan.var_live
    ref_get = plan.ref_get
    ref_live = {sid: tuple(ref_index[n] for n in names) for sid, names in plan.ref_live.items()}
    taken_mask = plan.taken_mask
    uses_random = plan.uses_random
    findings: dict[tuple[str, str, str], Finding] = {}
    # Choices that cannot change a variable (no effects; no on_enter where they
    # can lead) share the state's variables instead of copying them.
    writes = {
        id(choice): bool(choice.effects)
        or (not choice.stay and any(scenes[t].on_enter for t in {choice.target, *(r.target for r in choice.routes)}))
        for scene in scenes.values()
        for choice in scene.choices
    }

    def report(kind: str, scene: str, message: str, link: Link) -> None:
        key = (kind, scene, message)
        if key not in findings:
            findings[key] = Finding(kind, message, scene, unroll(link))

    invariants = story.invariants

    def broken(scene_id: str, link: Link) -> bool:
        """Check the story's invariants now, as playtest does after every step; report each broken one."""
        bad = False
        for invariant in invariants:
            try:
                ok = invariant.check(ctx) is True
                why = invariant.message
            except ExprRuntimeError as exc:
                ok, why = False, f"{invariant.message} (could not be checked: {exc})"
            if not ok:
                # Worded as random play words it; reported once, at the shortest path that breaks it.
                message = f"invariant broken: {why} [{invariant.source}]" if invariant.source else f"invariant broken: {why}"
                if ("invariant", "", message) not in findings:
                    findings[("invariant", "", message)] = Finding("invariant", message, scene_id, unroll(link))
                bad = True
        return bad

    def key_of(target: str, taken: int) -> tuple[Any, ...]:
        return (
            target,
            var_get[target](ctx.vars),
            ref_get[target](ctx.counts),
            taken & taken_mask[target],
            ctx.turn if uses_random else 0,
            (tuple(sorted(ctx.variations.items())), tuple(sorted(ctx.shown.items()))) if tracked else None,
        )

    # The start: a new game, the start scene entered and its on_enter applied.
    ctx.vars = dict(defaults)
    ctx.reseed(0)
    start = story.start
    try:
        _enter(ctx, scenes[start], caps, ref_index)
    except ExprRuntimeError as exc:
        report("crash", start, f"in scene '{start}': {exc}", None)
        result.findings = list(findings.values())
        result.verdict, result.seconds = "complete", time.perf_counter() - started
        return result
    if invariants:
        broken(start, None)
    first = key_of(start, 0)
    seen: set[int] = {hash(first)}
    queue: deque[tuple[tuple[Any, ...], Link, int]] = deque([(first, None, 0)])
    result.paths[start] = []
    peak = base_rss
    next_progress = started + 1.0
    expanded = steps = 0
    stopped: str | None = "found" if start in stop_at else None
    variations: dict[str, int] = {}
    shown: dict[str, int] = {}
    while queue and stopped is None:
        if expanded & 63 == 0:
            now = time.perf_counter()
            if now > deadline:
                stopped = "time"
                break
            if expanded & 4095 == 0:
                peak = max(peak, rss_bytes())
                if peak > memory_limit:
                    stopped = "memory"
                    break
            if progress is not None and now >= next_progress:
                next_progress = now + 1.0
                result.expanded, result.distinct, result.left = expanded, len(seen), len(queue)
                result.seconds = now - started
                progress(result)
        if max_states is not None and expanded >= max_states:
            stopped = "states"
            break
        state, link, depth = queue.popleft()
        expanded += 1
        scene_id, live_values, live_counts, taken, turn, varied = state
        scene = scenes[scene_id]
        vars_ = dict(defaults)
        vars_.update(zip(var_live[scene_id], live_values, strict=True))
        counts = list(no_counts)
        for i, count in zip(ref_live[scene_id], live_counts, strict=True):
            counts[i] = count
        ctx.vars, ctx.counts, ctx.turn, ctx.state = vars_, counts, turn, scene_id
        if varied is not None:
            ctx.variations, ctx.shown = dict(varied[0]), dict(varied[1])
        result.scenes.add(scene_id)
        if depth > result.depth:
            result.depth = depth
        try:
            _render_page(ctx, scene)
            if scene.ending is not None:
                result.endings[scene.ending] = result.endings.get(scene.ending, 0) + 1
                continue
            available = _available(ctx, scene_id, scene.choices, taken, plan, result)
        except ExprRuntimeError as exc:
            report("crash", scene_id, f"in scene '{scene_id}': {exc}", link)
            continue
        if not available:
            report("stuck", scene_id, f"no choice can be taken in '{scene_id}'", link)
            continue
        if tracked:
            variations, shown = ctx.variations, ctx.shown  # as the page and labels left them
        for choice in available:
            result.choices.add((scene_id, choice.id))
            ctx.vars = dict(vars_) if writes[id(choice)] else vars_
            ctx.counts = list(counts)
            ctx.turn = turn
            ctx.state = scene_id
            if tracked:
                ctx.variations, ctx.shown = dict(variations), dict(shown)
            ctx.reseed(2)
            steps += 1
            child_link = (link, scene_id, choice.id)
            try:
                target = _take(ctx, scene_id, choice, caps, ref_index, scenes)
            except ExprRuntimeError as exc:
                report("crash", scene_id, f"in scene '{scene_id}': {exc}", child_link)
                continue
            if choice.routes:
                result.routes.add((scene_id, choice.id, target))
            child = key_of(target, taken | plan.once_bits(scene_id, choice))
            h = hash(child)
            if h in seen:
                continue
            if invariants:
                broken(target, child_link)  # a state already seen was checked when first found
            seen.add(h)
            queue.append((child, child_link, depth + 1))
            if target not in result.paths:
                result.paths[target] = unroll(child_link)
                if target in stop_at:
                    stopped = "found"
                    break
    end = time.perf_counter()
    peak = max(peak, rss_bytes())
    result.verdict = "complete" if not queue and stopped is None else "partial"
    result.stopped_by = None if result.verdict == "complete" else (stopped or "time")
    result.expanded, result.distinct, result.left, result.steps = expanded, len(seen), len(queue), steps
    result.seconds = end - started
    result.peak_rss_bytes = peak
    result.bytes_per_state = (peak - base_rss) / max(1, len(seen))
    result.findings = list(findings.values())
    result.variations = set(ctx.reached)
    return result


def _enter(ctx: _Ctx, scene: Any, caps: dict[str, int | None], ref_index: dict[str, int]) -> None:
    """Session's entry: count the visit (capped as the plan allows), a new page, run on_enter."""
    i = ref_index.get(scene.id)
    if i is not None:
        cap = caps[scene.id]
        count = ctx.counts[i] + 1
        ctx.counts[i] = count if cap is None or count < cap else cap
    ctx.state = scene.id
    if ctx.shown:
        ctx.shown = {}
    for effect in scene.on_enter:
        effect(ctx)


def _take(ctx: _Ctx, scene_id: str, choice: Choice, caps: dict[str, int | None], ref_index: dict[str, int], scenes: Any) -> str:
    """Session.choose without the machine: effects, the turn, the reply, the route, the entry.

    Returns the scene the player is in afterwards (a stay-choice's own, not entered again).
    """
    for effect in choice.effects:
        effect(ctx)
    ctx.turn += 1
    reply = choice.reply
    if reply is not None and not reply.is_static:
        ctx.address = f"{scene_id}:{choice.id}:reply"
        ctx.replying = True
        try:
            reply.render(ctx)
        finally:
            ctx.replying = False
    if choice.stay:
        return scene_id
    target = choice.target
    for n, route in enumerate(choice.routes, 1):
        if route.condition is None:
            target = route.target
            break
        try:
            if route.condition(ctx) is True:
                target = route.target
                break
        except ExprRuntimeError as exc:
            raise ExprRuntimeError(f"route {n} (to '{route.target}'): {exc}") from exc
    _enter(ctx, scenes[target], caps, ref_index)
    return target


def _render_page(ctx: _Ctx, scene: Any) -> None:
    """Session.text and Session.title: what a player reads on arriving, for the errors it can raise."""
    again = scene.again
    if again is not None and ctx.visits(scene.id) >= 2:
        text, ctx.address = again, f"{scene.id}:again"
    else:
        text, ctx.address = scene.text, f"{scene.id}:text"
    if not text.is_static:
        ctx.reseed(0)
        text.render(ctx)
    if scene.title_template is not None:
        ctx.reseed(3)
        ctx.address = f"{scene.id}:title"
        scene.title_template.render(ctx)


def _available(
    ctx: _Ctx, scene_id: str, choices: tuple[Choice, ...], taken: int, plan: StatePlan, result: WalkResult
) -> list[Choice]:
    """Session.choices: the takeable choices, checking conditions and labels in its order."""
    ctx.reseed(1)
    out = []
    for choice in choices:
        if choice.once and taken & plan.once_bits(scene_id, choice):
            continue
        condition = choice.condition
        if condition is None:
            ok = True
        else:
            try:
                ok = condition(ctx) is True
            except ExprRuntimeError as exc:
                raise ExprRuntimeError(f"condition of '{choice.id}': {exc}") from exc
            result.branches.add((scene_id, choice.id, ok))
        if not ok:
            locked = choice.locked
            if locked is None:
                continue
            # The reason first, as the Session does: one that renders empty hides the choice.
            ctx.address = f"{scene_id}:{choice.id}:locked"
            if not locked.render(ctx):
                continue
        if not choice.label.is_static:
            ctx.address = f"{scene_id}:{choice.id}:label"
            choice.label.render(ctx)
        if ok:
            out.append(choice)
    return out
