"""Automated playthroughs, like ChoiceScript's randomtest and quicktest, but through
the very Session the game uses, so what passes here plays the same way.

Random mode plays seeded games to an ending, picking uniformly among the
choices on offer and assembling every scene's text and labels as a player
would see them. Exhaustive mode walks every reachable state (scene, variables,
once-only choices taken) depth-first with choose/undo, within a state budget.
"""

from __future__ import annotations

import gc
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from game.session import Session, StoryRuntimeError
from game.story import Story

DEFAULT_MAX_STEPS = 1000


@dataclass
class Problem:
    kind: str  # "crash" | "stuck" | "loop"
    message: str
    scene: str
    seed: int | None
    path: list[str]  # "scene:choice" steps from the start

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "scene": self.scene, "seed": self.seed, "path": self.path}


@dataclass
class Tally:
    """Counts that can be merged across processes."""

    runs: int = 0
    steps: int = 0
    words: int = 0
    choices_made: int = 0
    endings: Counter[str] = field(default_factory=Counter)
    scenes: set[str] = field(default_factory=set)
    choices: set[tuple[str, str]] = field(default_factory=set)
    branches: set[tuple[str, str, bool]] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    states: int = 0
    budget_hit: bool = False

    def merge(self, other: Tally) -> None:
        self.runs += other.runs
        self.steps += other.steps
        self.words += other.words
        self.choices_made += other.choices_made
        self.endings.update(other.endings)
        self.scenes |= other.scenes
        self.choices |= other.choices
        self.branches |= other.branches
        self.problems.extend(other.problems)
        self.states += other.states
        self.budget_hit = self.budget_hit or other.budget_hit


@lru_cache(maxsize=2048)
def _word_count(text: str) -> int:
    # A scene reads the same way in most playthroughs; splitting ~400 words again
    # at every step was the playtester's largest own cost (profiled).
    return len(text.split())


def _observe(session: Session, tally: Tally) -> list[Any]:
    """Assemble what the player would see now and record coverage; return takeable views."""
    scene_id = session.state
    tally.scenes.add(scene_id)
    tally.words += _word_count(session.text())
    views = session.choices()
    for choice in session.scene.choices:
        if choice.condition is not None:
            tally.branches.add((scene_id, choice.id, session.is_available(choice)))
    return [v for v in views if v.available]


def _start_failed(story: Story, exc: StoryRuntimeError, runs: int, seed: int) -> Tally:
    # The start scene's on_enter fails (Session raises it): a story problem to
    # report, like any other crash, not a traceback from the tool.
    tally = Tally(runs=runs)
    tally.problems.append(Problem("crash", str(exc), story.start, seed, []))
    return tally


def random_runs(story: Story, runs: int, seed: int, max_steps: int = DEFAULT_MAX_STEPS, session: Session | None = None) -> Tally:
    if session is None:
        try:
            session = Session(story)
        except StoryRuntimeError as exc:
            return _start_failed(story, exc, runs, seed)
    tally = Tally()
    for i in range(runs):
        run_seed = seed + i
        _one_run(session, run_seed, max_steps, tally)
    return tally


def _one_run(session: Session, run_seed: int, max_steps: int, tally: Tally) -> None:
    picker = random.Random(run_seed)
    session.seed = run_seed
    path: list[str] = []
    tally.runs += 1
    try:
        session.restart()
        for _ in range(max_steps):
            views = _observe(session, tally)
            if session.is_over:
                assert session.scene.ending is not None
                tally.endings[session.scene.ending] += 1
                return
            if not views:
                tally.problems.append(
                    Problem("stuck", f"no choice can be taken in '{session.state}'", session.state, run_seed, path)
                )
                return
            view = views[picker.randrange(len(views))]
            tally.choices.add((session.state, view.choice.id))
            path.append(f"{session.state}:{view.choice.id}")
            session.choose(view)
            tally.steps += 1
            tally.choices_made += 1
        tally.problems.append(
            Problem("loop", f"no ending after {max_steps} steps (a loop without exit?)", session.state, run_seed, path[-20:])
        )
    except StoryRuntimeError as exc:
        tally.problems.append(Problem("crash", str(exc), session.state, run_seed, path))


def exhaustive(story: Story, budget: int = 200_000, seed: int = 0, per_scene: int = 48) -> Tally:
    """Depth-first over the reachable states, with choose/undo, within ``budget`` states.

    Exact states multiply without end in a long story, so, as coverage-guided
    fuzzers do, a state is explored only if it brings something new to its
    scene: a different set of choices on offer, or some variable on a side of
    a threshold (a constant the story compares it with) not yet seen there, or
    while the scene has been explored fewer than ``per_scene`` times. A small
    story is walked exactly; a long one gets its budget spread over every
    scene instead of spent on the variations of its last chapter.
    """
    try:
        session = Session(story, seed=seed)
    except StoryRuntimeError as exc:
        return _start_failed(story, exc, 1, seed)
    tally = Tally(runs=1)
    seen: set[tuple[Any, ...]] = set()
    patterns: set[tuple[Any, ...]] = set()
    features: set[tuple[str, int, Any]] = set()
    explored: Counter[str] = Counter()
    refs = _visit_refs(story)
    classify = _value_classes(story)
    path: list[str] = []
    # Each frame: the choices still to try from the state it was pushed in.
    stack: list[list[Any]] = []

    def enter() -> None:
        scene_id = session.state
        exact = (scene_id, frozenset(session.taken), tuple(session.visits(s) for s in refs), tuple(session.vars.values()))
        if exact in seen or len(seen) >= budget:
            tally.budget_hit = tally.budget_hit or exact not in seen
            stack.append([])
            return
        seen.add(exact)
        try:
            views = _observe(session, tally)
        except StoryRuntimeError as exc:
            tally.problems.append(Problem("crash", str(exc), session.state, None, list(path)))
            stack.append([])
            return
        pattern = (scene_id, tuple(v.choice.id for v in views))
        new = {(scene_id, i, c) for i, c in enumerate(classify(session.vars))} - features
        if pattern in patterns and not new and explored[scene_id] >= per_scene:
            stack.append([])
            return
        patterns.add(pattern)
        features.update(new)
        explored[scene_id] += 1
        if session.is_over:
            assert session.scene.ending is not None
            tally.endings[session.scene.ending] += 1
        elif not views:
            tally.problems.append(Problem("stuck", f"no choice can be taken in '{session.state}'", session.state, None, list(path)))
        stack.append(list(reversed(views)))

    enter()
    while stack:
        todo = stack[-1]
        if not todo:
            stack.pop()
            if path:
                path.pop()
                session.undo()
            continue
        view = todo.pop()
        tally.choices.add((session.state, view.choice.id))
        path.append(f"{session.state}:{view.choice.id}")
        try:
            session.choose(view)
        except StoryRuntimeError as exc:
            tally.problems.append(Problem("crash", str(exc), session.state, None, list(path)))
            path.pop()
            continue
        tally.steps += 1
        enter()
    tally.states = len(seen)
    return tally


def _value_classes(story: Story) -> Any:
    """Map variable values to the classes the story's conditions can tell apart.

    A whole number matters only as to which side of each constant it is
    compared with (``freedom >= 40``: below 40, 40, above); other values are
    kept as they are.
    """
    from bisect import bisect_right

    from game.expr.nodes import Binary, IntLit, Name, walk

    cuts: dict[str, set[int]] = {name: set() for name, d in story.variables.items() if d.type == "int"}
    exprs = []
    for scene in story.scenes.values():
        exprs.extend(scene.text.conditions)
        for choice in scene.choices:
            exprs.extend(choice.label.conditions)
            if choice.condition is not None:
                exprs.append(choice.condition)
    for expr in exprs:
        for node in walk(expr.node):
            if isinstance(node, Binary):
                for a, b in ((node.left, node.right), (node.right, node.left)):
                    if isinstance(a, Name) and isinstance(b, IntLit) and a.name in cuts:
                        cuts[a.name].update((b.value, b.value + 1))
    plan = [sorted(cuts[name]) if name in cuts else None for name in story.variables]

    def classes(values: dict[str, Any]) -> list[Any]:
        return [v if c is None else bisect_right(c, v) for v, c in zip(values.values(), plan, strict=True)]

    return classes


def _visit_refs(story: Story) -> tuple[str, ...]:
    """Scenes whose visit counts some expression reads: part of the state."""
    refs: set[str] = set()
    for scene in story.scenes.values():
        refs |= scene.text.scene_refs
        for choice in scene.choices:
            refs |= choice.label.scene_refs
            if choice.condition is not None:
                refs |= choice.condition.scene_refs
            for effect in choice.effects:
                refs |= effect.scene_refs
        for effect in scene.on_enter:
            refs |= effect.scene_refs
    return tuple(sorted(refs))


# The story of the parallel run in progress: forked workers inherit it as it is,
# already loaded and compiled, instead of each loading and compiling it again.
_PARENT_STORY: tuple[str, Story] | None = None


@lru_cache(maxsize=1)
def _worker_story(folder: str) -> Story:
    if _PARENT_STORY is not None and _PARENT_STORY[0] == folder:
        return _PARENT_STORY[1]
    from game.loader import load_story  # spawned workers (no fork): read it again

    return load_story(folder)


def _worker(args: tuple[str, int, int, int]) -> Tally:
    folder, runs, seed, max_steps = args
    return random_runs(_worker_story(folder), runs, seed, max_steps)


def parallel_random_runs(folder: str, story: Story, runs: int, seed: int, jobs: int, max_steps: int = DEFAULT_MAX_STEPS) -> Tally:
    """Split ``runs`` across processes; the same seeds give the same totals as one job."""
    if jobs <= 1 or runs < jobs * 4:
        return random_runs(story, runs, seed, max_steps)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # A few chunks per job rather than one: playthroughs differ in length, and a
    # worker that finishes early takes the next chunk instead of waiting.
    parts = min(jobs * 4, max(jobs, runs // 4))
    share, extra = divmod(runs, parts)
    chunks, start = [], seed
    for j in range(parts):
        n = share + (1 if j < extra else 0)
        chunks.append((folder, n, start, max_steps))
        start += n
    methods = multiprocessing.get_all_start_methods()
    # fork shares the already-imported engine with the workers; spawn elsewhere.
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    total = Tally()
    # Frozen objects are never scanned by the collector: without this, each forked
    # worker's collections walk (and so copy, page by page) the parent's whole heap.
    global _PARENT_STORY
    _PARENT_STORY = (folder, story)
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            for part in pool.map(_worker, chunks):
                total.merge(part)
    finally:
        gc.unfreeze()
        _PARENT_STORY = None
    return total


def report(story: Story, tally: Tally, seconds: float, mode: str) -> dict[str, Any]:
    all_choices = {(s.id, c.id) for s in story.scenes.values() for c in s.choices}
    conditional = {(s.id, c.id) for s in story.scenes.values() for c in s.choices if c.condition is not None}
    branch_total = 2 * len(conditional)
    return {
        "mode": mode,
        "runs": tally.runs,
        "steps": tally.steps,
        "seconds": round(seconds, 3),
        "steps_per_second": round(tally.steps / seconds) if seconds > 0 else None,
        "endings": dict(sorted(tally.endings.items())),
        "endings_missing": sorted(set(story.endings) - set(tally.endings)),
        "scene_coverage": round(len(tally.scenes) / len(story.scenes), 4) if story.scenes else 1.0,
        "choice_coverage": round(len(tally.choices & all_choices) / len(all_choices), 4) if all_choices else 1.0,
        "condition_coverage": round(len(tally.branches) / branch_total, 4) if branch_total else 1.0,
        "scenes_never_visited": sorted(set(story.scenes) - tally.scenes),
        "mean_steps": round(tally.choices_made / tally.runs, 2) if tally.runs and mode == "random" else None,
        "mean_words": round(tally.words / tally.runs, 1) if tally.runs and mode == "random" else None,
        "states": tally.states if mode == "exhaustive" else None,
        "budget_exhausted": tally.budget_hit,
        "problems": [p.as_dict() for p in tally.problems],
    }


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Tally, float]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start
