"""Strategy players and the meter report they feed."""

from __future__ import annotations

import json

import pytest

from game.authoring.meters import meter_budget
from game.authoring.playtest import parallel_random_runs, random_runs, report
from game.authoring.strategies import Strategy, StrategyError, make_strategy, register
from game.cli import main
from game.loader import load_story
from tests.conftest import DEMO, TINY_SCENES


def test_random_strategy_is_todays_random_play() -> None:
    story = load_story(DEMO)
    a = random_runs(story, 200, 11)
    b = random_runs(story, 200, 11, strategy="random")
    assert (a.endings, a.steps, a.words, a.choices) == (b.endings, b.steps, b.words, b.choices)
    # what random play gave for these seeds before strategies existed (commit 9992926); the
    # words have since grown by the demo's one reply, which a player reads (75,664 then)
    assert (a.steps, a.words, dict(a.endings)) == (1265, 76613, {"orders": 195, "song": 5})


def test_greedy_players_push_their_meter(make_story) -> None:  # type: ignore[no-untyped-def]
    story = load_story(make_story(TINY_SCENES))
    high = random_runs(story, 20, 1, strategy="max:freedom")
    low = random_runs(story, 20, 1, strategy="min:freedom")
    assert ("a", "defy") in high.choices and ("a", "obey") not in high.choices
    assert ("a", "obey") in low.choices and ("a", "defy") not in low.choices
    # In b neither choice moves freedom: a tie, broken by the run's seed, both ways.
    assert ("b", "walk-free") in high.choices and ("b", "stay") in high.choices


def test_first_and_last_are_deterministic() -> None:
    story = load_story(DEMO)
    first = random_runs(story, 5, 1, strategy="first")
    assert len(first.endings) == 1 and first.steps % 5 == 0
    again = random_runs(story, 5, 99, strategy="first")
    assert first.endings == again.endings and first.steps == again.steps
    last = random_runs(story, 5, 1, strategy="last")
    assert last.choices != first.choices


@pytest.mark.parametrize("spec", ["max:freedom", "first", "random"])
def test_jobs_agree_with_one_process(spec: str) -> None:
    story = load_story(DEMO)
    one = random_runs(story, 64, 3, strategy=spec)
    two = parallel_random_runs(str(DEMO), story, 64, 3, jobs=2, strategy=spec)
    assert (one.endings, one.steps, one.runs) == (two.endings, two.steps, two.runs)
    assert one.meters.at_max == two.meters.at_max and one.meters.chapter_steps == two.meters.chapter_steps


def test_bad_strategies_say_why() -> None:
    story = load_story(DEMO)
    for spec, words in [("max", "which variable"), ("max:nope", "not a variable"), ("sideways", "unknown strategy"), ("first:x", "takes no")]:
        with pytest.raises(StrategyError, match=words):
            make_strategy(spec, story)


def test_authors_can_add_a_strategy() -> None:
    class SecondOrFirst(Strategy):
        def pick(self, session, views):  # type: ignore[no-untyped-def]
            return views[min(1, len(views) - 1)]

    register("second", lambda arg, story: SecondOrFirst())
    story = load_story(DEMO)
    tally = random_runs(story, 3, 1, strategy="second")
    assert tally.runs == 3 and sum(tally.endings.values()) == 3


def test_meter_report_pins_and_budget(make_story) -> None:  # type: ignore[no-untyped-def]
    story = load_story(make_story(TINY_SCENES))
    tally = random_runs(story, 50, 1, strategy="min:freedom")
    result = report(story, tally, 1.0, "strategy", "min:freedom")
    freedom = result["pinned"]["freedom"]
    # Obey (freedom -5) from 10, then b's on_enter +1: 6; never at 0 or 100.
    assert freedom["min"] == 0.0 and freedom["max"] == 0.0
    assert set(freedom["by_chapter"]) == {""}
    ends = result["meter_ends"]["freedom"][""]
    assert ends["p10"] == ends["p50"] == ends["p90"] and ends["runs"] == 50
    assert meter_budget(story) == {"freedom": {"": {"plus": 51, "minus": 5, "other": 0}}}


def test_pinned_threshold_makes_a_problem(make_story, capsys) -> None:  # type: ignore[no-untyped-def]
    scenes = TINY_SCENES.replace("do: [freedom -= 5]", "do: [freedom -= 50]").replace("    on_enter: [freedom += 1]\n", "")
    root = make_story(scenes)
    assert main(["playtest", str(root), "--strategy", "min:freedom", "--runs", "20", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["pinned"]["freedom"]["min"] > 0.15
    assert main(["playtest", str(root), "--strategy", "min:freedom", "--runs", "20", "--strict"]) == 1
    out = capsys.readouterr().out
    assert "pinned" in out and "meter 'freedom' sits at its minimum" in out
    assert main(["playtest", str(root), "--strategy", "min:freedom", "--runs", "20", "--max-pinned", "0.99"]) == 0
    capsys.readouterr()
    assert main(["playtest", str(root), "--strategy", "max:nothing", "--runs", "2"]) == 2
    assert "not a variable" in capsys.readouterr().err


def test_stats_reports_funnels_forks_and_unechoed_choices(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["stats", str(DEMO), "--format", "json", "--runs", "0"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["funnel_share"] == 0.5  # 4 of the demo's 8 scenes with choices
    assert data["forks"]["count"] == 6 and data["forks"]["on_every_path"] == 4
    # Its one choice that only nudged a full meter has a reply of its own now.
    assert data["unechoed_choices"] == {"count": 0, "ids": []}


def test_every_strategy_checks_the_invariants_with_seed_and_path(make_story) -> None:  # type: ignore[no-untyped-def]
    from game.authoring.playtest import parallel_random_runs, random_runs
    from game.loader import load_story
    from tests.conftest import MANIFEST, TINY_SCENES

    manifest = MANIFEST.replace(
        "  endings:\n", '  invariants:\n    - {check: "freedom < 60", message: "freedom stays under 60"}\n  endings:\n'
    )
    root = make_story(TINY_SCENES, manifest=manifest)
    story = load_story(root)
    # Defying adds 50 to freedom's 10, and b's on_enter one more: 61 on arrival in b.
    for strategy in ("max:freedom", "first", "random"):
        tally = random_runs(story, 20, 5, strategy=strategy)
        broken = [p for p in tally.problems if p.kind == "invariant"]
        assert len(broken) == 1, strategy
        assert broken[0].seed is not None and broken[0].seed >= 5
        assert broken[0].path[-1] == "a:defy" and broken[0].scene == "b"
    assert not [p for p in random_runs(story, 20, 5, strategy="min:freedom").problems if p.kind == "invariant"]
    jobs = parallel_random_runs(str(root), story, 40, 5, jobs=2, strategy="max:freedom")
    assert len([p for p in jobs.problems if p.kind == "invariant"]) == 1
