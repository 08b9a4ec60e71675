"""Automated playthroughs, like ChoiceScript's randomtest and quicktest.

Runs play seeded games to an ending through the very Session the game uses,
assembling every scene's text and labels as a player would see them; a
strategy (strategies.py) picks each choice: uniformly at random, greedily for
a meter, first or last. They record coverage, problems and where each meter
sits (meters.py). The exhaustive mode is a breadth-first search over every
distinct state (search.py) with an honest verdict: complete, or partial.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from game.authoring.meters import MeterTally, ends_report, meter_budget, meter_ranges, pinned_report
from game.authoring.search import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, WalkResult, walk
from game.authoring.strategies import Strategy, make_strategy
from game.expr import ExprRuntimeError, Template
from game.expr.nodes import Call
from game.expr.nodes import walk as walk_nodes
from game.session import Session, StoryRuntimeError
from game.state import block_key
from game.story import Scene, Story

DEFAULT_MAX_STEPS = 1000


@dataclass
class Problem:
    kind: str  # "crash" | "stuck" | "loop" | "invariant"
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
    routes: set[tuple[str, str, str]] = field(default_factory=set)  # (scene, choice, target) taken
    variations: set[str] = field(default_factory=set)  # variation blocks shown, by block key
    problems: list[Problem] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)  # invariants already reported (once each)
    states: int = 0
    budget_hit: bool = False
    meters: MeterTally = field(default_factory=MeterTally)
    walk: WalkResult | None = None  # the exhaustive walk's own figures

    def merge(self, other: Tally) -> None:
        self.runs += other.runs
        self.steps += other.steps
        self.words += other.words
        self.choices_made += other.choices_made
        self.endings.update(other.endings)
        self.scenes |= other.scenes
        self.choices |= other.choices
        self.branches |= other.branches
        self.routes |= other.routes
        self.variations |= other.variations
        for problem in other.problems:
            if problem.kind == "invariant":
                if problem.message in self.broken:
                    continue
                self.broken.add(problem.message)
            self.problems.append(problem)
        self.states += other.states
        self.budget_hit = self.budget_hit or other.budget_hit
        self.meters.merge(other.meters)


@lru_cache(maxsize=2048)
def _word_count(text: str) -> int:
    # A scene reads the same way in most playthroughs; splitting ~400 words again
    # at every step was the playtester's largest own cost (profiled).
    return len(text.split())


def _rolls(choice: Any) -> bool:
    """True when the choice's condition calls random(): a second evaluation rolls again."""
    condition = choice.condition
    return condition is not None and any(
        isinstance(node, Call) and node.func == "random" for node in walk_nodes(condition.node)
    )


# Per scene: its choices with a condition (whose outcome the coverage records), and
# whether any of them rolls dice. Worked out once a story, at a scene's first visit.
_Branches = tuple[tuple[Any, ...], bool]


def _branches_of(scene: Scene) -> _Branches:
    conditional = tuple(choice for choice in scene.choices if choice.condition is not None)
    return conditional, any(_rolls(choice) for choice in conditional)


def _observe(session: Session, tally: Tally, scene_id: str, scene: Scene, plans: dict[str, _Branches]) -> list[Any]:
    """Assemble what the player would see now and record coverage; return takeable views."""
    tally.scenes.add(scene_id)
    session.title()
    # Words as a player reads them: the reply that opens the page, then the scene's
    # text, which a stay-choice's page does not show again.
    history = session.history
    arrival = history[-1] if history else None
    if arrival is not None and arrival.reply:
        tally.words += _word_count(arrival.reply)
    if arrival is None or not arrival.stay:
        tally.words += _word_count(session.text())
    views = session.choices()
    takeable = [v for v in views if v.available]
    plan = plans.get(scene_id)
    if plan is None:
        plan = plans[scene_id] = _branches_of(scene)
    conditional, dice = plan
    if conditional:
        if dice:
            # Asked again, as the player's screen would not: the dice roll on from
            # where choices() left them, so the answer can differ (and always did).
            for choice in conditional:
                tally.branches.add((scene_id, choice.id, session.is_available(choice)))
        else:
            # Without dice a condition reads the same twice: a choice is available
            # exactly when choices() offered it open (hidden ones are shut, once-only
            # taken ones too), so its answer is read off the views, not evaluated again.
            open_now = {id(v.choice) for v in takeable}
            branches = tally.branches
            for choice in conditional:
                branches.add((scene_id, choice.id, id(choice) in open_now))
    return takeable


def _check_invariants(session: Session, tally: Tally, seed: int, path: list[str]) -> None:
    """The manifest's invariants, each reported the first time a run breaks it (with the path there)."""
    for invariant in session.story.invariants:
        try:
            held = invariant.check(session) is True
            why = invariant.message
        except ExprRuntimeError as exc:
            held, why = False, f"{invariant.message} (could not be checked: {exc})"
        if held:
            continue
        message = f"invariant broken: {why} [{invariant.source}]" if invariant.source else f"invariant broken: {why}"
        if message not in tally.broken:
            tally.broken.add(message)
            tally.problems.append(Problem("invariant", message, session.state, seed, list(path)))


def _start_failed(story: Story, exc: StoryRuntimeError, runs: int, seed: int) -> Tally:
    # The start scene's on_enter fails (Session raises it): a story problem to
    # report, like any other crash, not a traceback from the tool.
    tally = Tally(runs=runs)
    tally.problems.append(Problem("crash", str(exc), story.start, seed, []))
    return tally


def random_runs(
    story: Story,
    runs: int,
    seed: int,
    max_steps: int = DEFAULT_MAX_STEPS,
    session: Session | None = None,
    strategy: str = "random",
) -> Tally:
    """``runs`` playthroughs with seeds seed, seed+1, ...; ``strategy`` picks each choice."""
    player = make_strategy(strategy, story)
    if session is None:
        try:
            session = Session(story)
        except StoryRuntimeError as exc:
            return _start_failed(story, exc, runs, seed)
    tally = Tally()
    ranges = meter_ranges(story)
    plans: dict[str, _Branches] = {}
    for i in range(runs):
        run_seed = seed + i
        _one_run(session, player, run_seed, max_steps, tally, ranges, plans)
    return tally


def _one_run(
    session: Session,
    player: Strategy,
    run_seed: int,
    max_steps: int,
    tally: Tally,
    ranges: list[tuple[str, int, int]],
    plans: dict[str, _Branches],
) -> None:
    player.begin(run_seed)
    session.seed = run_seed
    path: list[str] = []
    tally.runs += 1
    meters = tally.meters
    checks = bool(session.story.invariants)
    scenes = session.story.scenes
    try:
        session.restart()
        scene_id = session.state
        scene = scenes[scene_id]
        chapter = scene.chapter
        for _ in range(max_steps):
            if checks:
                _check_invariants(session, tally, run_seed, path)
            views = _observe(session, tally, scene_id, scene, plans)
            if scene.ending is not None:
                tally.endings[scene.ending] += 1
                meters.chapter_end(chapter, session.vars, ranges)
                return
            if not views:
                tally.problems.append(
                    Problem("stuck", f"no choice can be taken in '{scene_id}'", scene_id, run_seed, path)
                )
                return
            meters.step(chapter, session.vars, ranges)
            view = player.pick(session, views)
            choice = view.choice
            tally.choices.add((scene_id, choice.id))
            path.append(f"{scene_id}:{choice.id}")
            step = session.choose(choice)
            if choice.routes:
                tally.routes.add((step.scene, step.choice, step.target))
            tally.steps += 1
            tally.choices_made += 1
            scene_id = session.state
            scene = scenes[scene_id]
            now = scene.chapter
            if now != chapter:
                meters.chapter_end(chapter, session.vars, ranges)
                chapter = now
        tally.problems.append(
            Problem("loop", f"no ending after {max_steps} steps (a loop without exit?)", scene_id, run_seed, path[-20:])
        )
    except StoryRuntimeError as exc:
        tally.problems.append(Problem("crash", str(exc), session.state, run_seed, path))
    finally:
        tally.variations.update(session.variations)


def exhaustive(
    story: Story,
    seconds: float = DEFAULT_SECONDS,
    max_states: int | None = None,
    seed: int = 0,
    max_memory_mb: float = DEFAULT_MEMORY_MB,
    progress: Callable[[WalkResult], None] | None = None,
) -> Tally:
    """A breadth-first walk over every distinct state (search.py), as a Tally for report()."""
    result = walk(story, seconds=seconds, max_states=max_states, max_memory_mb=max_memory_mb, seed=seed, progress=progress)
    tally = Tally(runs=1, steps=result.steps, states=result.distinct, budget_hit=not result.complete)
    tally.endings.update(result.endings)
    tally.scenes = set(result.scenes)
    tally.choices = set(result.choices)
    tally.branches = set(result.branches)
    tally.routes = set(result.routes)
    tally.variations = set(result.variations)
    for finding in result.findings:
        steps = [f"{scene}:{choice}" for scene, choice in finding.path]
        tally.problems.append(Problem(finding.kind, finding.message, finding.scene, seed, steps))
    tally.walk = result
    return tally


# The story of the parallel run in progress: forked workers inherit it as it is,
# already loaded and compiled, instead of each loading and compiling it again.
_PARENT_STORY: tuple[str, Story] | None = None


@lru_cache(maxsize=1)
def _worker_story(folder: str) -> Story:
    if _PARENT_STORY is not None and _PARENT_STORY[0] == folder:
        return _PARENT_STORY[1]
    from game.loader import load_story  # spawned workers (no fork): read it again

    return load_story(folder)


def _worker(args: tuple[str, int, int, int, str]) -> Tally:
    folder, runs, seed, max_steps, strategy = args
    return random_runs(_worker_story(folder), runs, seed, max_steps, strategy=strategy)


def parallel_random_runs(
    folder: str,
    story: Story,
    runs: int,
    seed: int,
    jobs: int,
    max_steps: int = DEFAULT_MAX_STEPS,
    strategy: str = "random",
) -> Tally:
    """Split ``runs`` across processes; the same seeds give the same totals as one job."""
    make_strategy(strategy, story)  # a bad name fails here, not in every worker
    if jobs <= 1 or runs < jobs * 4:
        return random_runs(story, runs, seed, max_steps, strategy=strategy)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # A few chunks per job rather than one: playthroughs differ in length, and a
    # worker that finishes early takes the next chunk instead of waiting.
    parts = min(jobs * 4, max(jobs, runs // 4))
    share, extra = divmod(runs, parts)
    chunks, start = [], seed
    for j in range(parts):
        n = share + (1 if j < extra else 0)
        chunks.append((folder, n, start, max_steps, strategy))
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


def report(story: Story, tally: Tally, seconds: float, mode: str, strategy: str | None = None) -> dict[str, Any]:
    """The figures every mode gives, plus the mode's own (meters for runs, the verdict for a walk)."""
    all_choices = {(s.id, c.id) for s in story.scenes.values() for c in s.choices}
    conditional = {(s.id, c.id) for s in story.scenes.values() for c in s.choices if c.condition is not None}
    branch_total = 2 * len(conditional)
    all_routes = route_branches(story)
    all_blocks = variation_blocks(story)
    runs = mode != "exhaustive"
    walked = tally.walk
    out: dict[str, Any] = {
        "mode": mode,
        "strategy": strategy if runs else None,
        "runs": tally.runs,
        "steps": tally.steps,
        "seconds": round(seconds, 3),
        "steps_per_second": round(tally.steps / seconds) if seconds > 0 else None,
        "endings": dict(sorted(tally.endings.items())),
        "endings_missing": sorted(set(story.endings) - set(tally.endings)),
        "scene_coverage": round(len(tally.scenes) / len(story.scenes), 4) if story.scenes else 1.0,
        "choice_coverage": round(len(tally.choices & all_choices) / len(all_choices), 4) if all_choices else 1.0,
        "condition_coverage": round(len(tally.branches) / branch_total, 4) if branch_total else 1.0,
        "route_coverage": _share(tally.routes, all_routes),
        "routes_never_taken": sorted(f"{s}:{c} -> {t}" for s, c, t in all_routes - tally.routes),
        "variation_coverage": _share(tally.variations, all_blocks),
        "variations_never_shown": sorted(all_blocks - tally.variations),
        "scenes_never_visited": sorted(set(story.scenes) - tally.scenes),
        "mean_steps": round(tally.choices_made / tally.runs, 2) if tally.runs and runs else None,
        "mean_words": round(tally.words / tally.runs, 1) if tally.runs and runs else None,
        "states": tally.states if not runs else None,
        "budget_exhausted": tally.budget_hit,
        # Only a complete walk proves a scene or ending cannot be reached.
        "missing_means": "never reached" if walked is not None and walked.complete else (
            "not reached within the budget" if walked is not None else f"not reached in {tally.runs} runs"
        ),
        "meter_budget": meter_budget(story),
    }
    if runs:
        out["pinned"] = pinned_report(story, tally.meters)
        out["meter_ends"] = ends_report(story, tally.meters)
    if walked is not None:
        out.update(
            verdict=walked.verdict,
            stopped_by=walked.stopped_by,
            states_left=walked.left,
            states_expanded=walked.expanded,
            states_per_second=round(walked.expanded / walked.seconds) if walked.seconds > 0 else None,
            depth=walked.depth,
            peak_memory_mb=round(walked.peak_rss_bytes / 2**20, 1),
            bytes_per_state=round(walked.bytes_per_state),
        )
    out["problems"] = [p.as_dict() for p in tally.problems]
    return out


def route_branches(story: Story) -> set[tuple[str, str, str]]:
    """Every (scene, choice, target) a route list can take."""
    return {(s.id, c.id, r.target) for s in story.scenes.values() for c in s.choices for r in c.routes}


def variation_blocks(story: Story) -> set[str]:
    """The key of every variation block in the story's shown text (see Session.variant)."""
    keys: set[str] = set()

    def add(address: str, template: Template | None) -> None:
        if template is not None and "{" in template.source:  # no tags, no blocks: left uncompiled
            keys.update(block_key(address, n) for n in range(len(template.variations)))

    for scene in story.scenes.values():
        add(f"{scene.id}:text", scene.text)
        add(f"{scene.id}:again", scene.again)
        add(f"{scene.id}:title", scene.title_template)
        for choice in scene.choices:
            for key, template in (("label", choice.label), ("locked", choice.locked), ("reply", choice.reply)):
                add(f"{scene.id}:{choice.id}:{key}", template)
    return keys


def _share(seen: set[Any], every: set[Any]) -> float:
    return round(len(seen & every) / len(every), 4) if every else 1.0


def pinned_problems(result: dict[str, Any], threshold: float) -> list[Problem]:
    """A meter that sits at its minimum or maximum for more than ``threshold`` of the steps."""
    out = []
    for var, shares in result.get("pinned", {}).items():
        for end in ("min", "max"):
            if shares[end] > threshold:
                worst = max(shares["by_chapter"].items(), key=lambda kv: kv[1][end], default=(None, None))
                where = f"; worst in {worst[0]!r} ({worst[1][end]:.0%})" if worst[0] is not None else ""
                message = (
                    f"meter '{var}' sits at its {'minimum' if end == 'min' else 'maximum'} for "
                    f"{shares[end]:.0%} of the steps (threshold {threshold:.0%}){where}"
                )
                out.append(Problem("pinned", message, "", None, []))
    return out


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Tally, float]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start
