"""playtest and the scene format: invariants checked after every step, routes and
variation blocks in the coverage figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from game.authoring.playtest import (
    exhaustive,
    random_runs,
    report,
    route_branches,
    variation_blocks,
)
from game.expr import CompileEnv, VarType, compile_condition
from game.loader import load_story
from game.session import Session
from game.story.model import Invariant, Story
from tests.engine.test_session import GO, ROUTES, _hall


def _with_invariants(story: Story, *checks: tuple[str, str]) -> Story:
    env = CompileEnv({n: VarType(d.type, d.values, d.min, d.max) for n, d in story.variables.items()})
    return replace(story, invariants=tuple(Invariant(compile_condition(src, env), msg, src) for src, msg in checks))


def test_a_broken_invariant_is_a_problem_with_its_seed_and_path(make_story: Callable[..., Path]) -> None:
    story = _with_invariants(
        _hall(make_story), ("freedom <= 20", "freedom never passes 20 in the hall"), ("freedom >= 0", "never negative")
    )
    tally = random_runs(story, 40, 1)
    result = report(story, tally, 1.0, "random")
    broken = [p for p in result["problems"] if p["kind"] == "invariant"]
    assert len(broken) == 1  # reported once, however many runs break it
    [problem] = broken
    assert problem["message"] == "invariant broken: freedom never passes 20 in the hall [freedom <= 20]"
    # Replaying the seed and the path through a Session breaks it at the end of the path, not before.
    s = Session(story, seed=problem["seed"])
    for n, step in enumerate(problem["path"]):
        assert s.vars["freedom"] <= 20, n
        scene, choice = step.split(":")
        assert s.state == scene
        s.choose(next(c for c in s.scene.choices if c.id == choice))
    assert s.vars["freedom"] > 20 and s.state == problem["scene"]


def test_an_invariant_that_holds_is_silent_and_one_that_fails_to_evaluate_is_reported(make_story: Callable[..., Path]) -> None:
    story = _with_invariants(_hall(make_story), ("freedom >= 0", "never negative"))
    assert report(story, random_runs(story, 20, 1), 1.0, "random")["problems"] == []
    story = _with_invariants(_hall(make_story), ("10 / (freedom - 11) >= 0 or true", "odd"))
    [problem] = report(story, random_runs(story, 5, 1), 1.0, "random")["problems"]
    assert problem["kind"] == "invariant" and "could not be checked" in problem["message"] and problem["path"] == []


def test_coverage_counts_route_branches_and_variation_blocks(make_story: Callable[..., Path]) -> None:
    story = _hall(make_story, (GO, ROUTES), ("    text: Free.\n", '    text: "{once}Free at last.{end}"\n'))
    assert route_branches(story) == {("hall", "go", "free"), ("hall", "go", "flagged"), ("hall", "go", "cell")}
    assert variation_blocks(story) == {"hall:text#0", "hall:chat:reply#0", "free:text#0"}
    result = report(story, random_runs(story, 30, 1), 1.0, "random")
    # flag is never set and freedom never reaches 60 in the hall: only the default route is
    # taken, and the scene behind the route to "free" (with a block of its own) is never shown.
    assert result["route_coverage"] == round(1 / 3, 4)
    assert result["routes_never_taken"] == ["hall:go -> flagged", "hall:go -> free"]
    assert result["variation_coverage"] == round(2 / 3, 4)
    assert result["variations_never_shown"] == ["free:text#0"]
    # The walk follows the same routes and renders the same text. This hall has no end of
    # states (it prints its visit count), so a bounded walk gives what it reached: breadth
    # first, it finds the 35 walks around the hall that take freedom to 60, and so the free
    # scene and its block; the flag is set nowhere.
    walked = report(story, exhaustive(story, max_states=2000), 1.0, "exhaustive")
    assert walked["verdict"] == "partial"
    assert walked["route_coverage"] == round(2 / 3, 4) and walked["routes_never_taken"] == ["hall:go -> flagged"]
    assert walked["variation_coverage"] == 1.0 and walked["variations_never_shown"] == []


NESTED = """\
scenes:
  - id: a
    title: A
    text: "{seq}First.{or}{cycle}Second.{or}Third.{end}{end}"
    choices:
      - {label: Again, to: a, once: true}
      - label: Leave
        to: [{if: freedom >= 60, to: c}, {to: b}]
  - {id: b, title: B, text: "{once}Only once.{end}", ending: good}
  - {id: c, title: C, text: "{cycle}Never.{or}Ever.{end}", ending: bad}
"""


def test_the_walk_sees_a_block_nested_in_a_later_alternative(make_story: Callable[..., Path]) -> None:
    """The inner {cycle} shows from the second entry into 'a' on: the walk must count the entries.

    Freedom never moves, so the route to 'c' (and its block) is never taken: a complete
    walk proves it, where random runs only fail to find it."""
    story = load_story(make_story(NESTED))
    assert variation_blocks(story) == {"a:text#0", "a:text#1", "b:text#0", "c:text#0"}
    walked = report(story, exhaustive(story), 1.0, "exhaustive")
    assert walked["verdict"] == "complete" and walked["missing_means"] == "never reached"
    assert walked["routes_never_taken"] == ["a:leave -> c"] and walked["route_coverage"] == 0.5
    assert walked["variations_never_shown"] == ["c:text#0"] and walked["variation_coverage"] == 0.75
    # Without the way back into 'a', its inner block is never shown, in play or in the walk.
    once = load_story(make_story(NESTED.replace("      - {label: Again, to: a, once: true}\n", "")))
    for tally in (exhaustive(once), random_runs(once, 20, 1)):
        assert report(once, tally, 1.0, "random")["variations_never_shown"] == ["a:text#1", "c:text#0"]


def test_words_read_count_replies_and_not_a_stays_repeated_text(make_story: Callable[..., Path]) -> None:
    scenes = """\
scenes:
  - id: a
    title: A
    text: one two three
    choices:
      - {label: Ask, reply: four five, once: true}
      - {label: Go, to: good, reply: six}
  - id: good
    title: Good
    ending: good
    text: seven
"""
    story = load_story(make_story(scenes))
    tally = random_runs(story, 1, 1, strategy="first")
    assert tally.steps == 2 and dict(tally.endings) == {"good": 1}
    # "one two three", then the stay's page: "four five" (the text is not shown again),
    # then "six" and "seven".
    assert tally.words == 3 + 2 + 1 + 1
