"""The exhaustive walk: a breadth-first search over distinct states with an honest verdict."""

from __future__ import annotations

import json

import pytest

from game.authoring.paths import replay
from game.authoring.search import walk
from game.authoring.statespace import StatePlan
from game.cli import main
from game.loader import load_story
from tests.conftest import DEMO, SCENES

# Cloak of Darkness in miniature: the foyer's text counts visits, and a player
# who wanders into the dark bar three times loses. One visits() in a text made
# the old walk report the losing ending "never reached".
VISITS_IN_TEXT = """\
scenes:
  - id: foyer
    title: Foyer
    text: 'You have been here {visits("foyer")} time(s). {if visited("bar")}The bar is dark.{end}'
    choices:
      - {label: Go to the bar, to: bar}
      - {label: Hang up the cloak, to: cloakroom}
  - id: cloakroom
    title: Cloakroom
    text: "A hook."
    choices:
      - {label: Hang it, to: lit, if: visits("bar") < 3}
      - {label: Go back, to: foyer}
  - id: bar
    title: Bar
    text: "Dark."
    choices:
      - {label: Stumble about, to: lost, if: visits("bar") >= 3}
      - {label: Back to the foyer, to: foyer}
  - id: lit
    title: Lit
    ending: good
    text: "You read the message."
  - id: lost
    title: Lost
    ending: bad
    text: "You trample the message."
"""

VISITS_MANIFEST = """\
story:
  id: cloak
  title: Cloak
  version: 1.0.0
  start: foyer
  endings:
    good: {title: Good}
    bad: {title: Bad}
"""

DOUBLING = """\
scenes:
  - id: a
    title: Doubling
    text: "{n}"
    choices:
      - {label: Double it, to: a, do: [n = n * 2]}
      - {label: Cash in, to: rich, if: n >= 1000000000000}
      - {label: Give up, to: poor}
  - id: rich
    title: Rich
    ending: good
    text: Rich.
  - id: poor
    title: Poor
    ending: bad
    text: Poor.
"""

DOUBLING_MANIFEST = """\
story:
  id: doubling
  title: Doubling
  version: 1.0.0
  start: a
  variables:
    n: {type: int, default: 1}
  endings:
    good: {title: Good}
    bad: {title: Bad}
"""


def _forty_booleans() -> tuple[str, str]:
    """Six scenes, forty flags set in any order (2^40 states), an ending five choices away."""
    flags = [f"f{i}" for i in range(40)]
    variables = "\n".join(f"    {f}: {{type: bool, default: false}}" for f in flags)
    manifest = f"""\
story:
  id: forty
  title: Forty
  version: 1.0.0
  start: s1
  variables:
{variables}
  endings:
    done: {{title: Done}}
"""
    scenes = ["scenes:"]
    for n in range(1, 6):
        scenes += [f"  - id: s{n}", f"    title: Scene {n}", f"    text: Scene {n}.", "    choices:"]
        for f in flags[(n - 1) * 8 : n * 8]:
            scenes.append(f"      - {{label: Set {f}, to: s{n}, do: [{f} = true], if: not {f}}}")
        scenes.append(f"      - {{label: Go on, to: s{n + 1}}}")
    reads = " ".join(f"{{if {f}}}{f}{{end}}" for f in flags)
    scenes += ["  - id: s6", "    title: End", "    ending: done", f'    text: "{reads}"']
    return manifest, "\n".join(scenes) + "\n"


def test_demo_walk_is_complete_and_covers_everything() -> None:
    result = walk(load_story(DEMO), seconds=10)
    assert result.verdict == "complete" and result.stopped_by is None and result.left == 0
    assert set(result.endings) == {"orders", "song"} and not result.findings
    assert result.distinct == result.expanded


def test_visits_in_text_reaches_both_endings_completely(make_story) -> None:  # type: ignore[no-untyped-def]
    story = load_story(make_story(VISITS_IN_TEXT, VISITS_MANIFEST))
    plan = StatePlan(story)
    assert plan.caps["bar"] == 4 and plan.caps["foyer"] is None  # printed: exact
    result = walk(story, seconds=10, max_states=50_000)
    assert set(result.endings) == {"good", "bad"}
    # The foyer's printed count grows without end: a finite walk cannot finish.
    assert result.verdict == "partial" and result.stopped_by == "states"


def test_visits_compared_only_make_a_finite_space(make_story) -> None:  # type: ignore[no-untyped-def]
    scenes = VISITS_IN_TEXT.replace('You have been here {visits("foyer")} time(s). ', "")
    story = load_story(make_story(scenes, VISITS_MANIFEST))
    result = walk(story, seconds=10)
    assert result.verdict == "complete" and set(result.endings) == {"good", "bad"}
    # bar visits 0..4 (capped) x scenes: a handful of states, not an endless loop
    assert result.distinct < 40
    assert len(result.paths["lost"]) == 6  # (foyer, bar) three times, the third bar visit stumbles


def test_doubling_to_a_trillion_is_solved(make_story) -> None:  # type: ignore[no-untyped-def]
    story = load_story(make_story(DOUBLING, DOUBLING_MANIFEST))
    result = walk(story, seconds=10)
    assert set(result.endings) == {"good", "bad"}
    assert len(result.paths["rich"]) == 41  # 2^40 > 10^12 after forty doublings, then cash in
    # n keeps doubling past the cash-in line until the language's limit stops it:
    # a crash the walk reports with its path, and then the space is complete.
    assert result.verdict == "complete"
    assert [(f.kind, len(f.path)) for f in result.findings] == [("crash", 50)]
    assert "out of range" in result.findings[0].message


def test_doubling_with_a_second_move_is_partial_within_the_time(make_story) -> None:  # type: ignore[no-untyped-def]
    scenes = DOUBLING.replace("      - {label: Give up, to: poor}", "      - {label: Add one, to: a, do: [n += 1]}\n      - {label: Give up, to: poor}")
    story = load_story(make_story(scenes, DOUBLING_MANIFEST))
    result = walk(story, seconds=1.5)
    assert result.verdict == "partial" and result.stopped_by == "time" and result.left > 0
    assert result.seconds < 3


def test_forty_booleans_are_partial_and_the_near_ending_is_found(make_story) -> None:  # type: ignore[no-untyped-def]
    manifest, scenes = _forty_booleans()
    story = load_story(make_story(scenes, manifest))
    result = walk(story, seconds=2)
    assert result.verdict == "partial" and result.left > 0
    assert "done" in result.endings and len(result.paths["s6"]) == 5


def test_memory_bound_stops_the_walk(make_story) -> None:  # type: ignore[no-untyped-def]
    manifest, scenes = _forty_booleans()
    result = walk(load_story(make_story(scenes, manifest)), seconds=30, max_memory_mb=8)
    assert result.verdict == "partial" and result.stopped_by == "memory"
    assert result.bytes_per_state > 0


def test_paths_are_shortest_and_replay_through_the_session() -> None:
    story = load_story(DEMO)
    result = walk(story, seconds=10)
    assert set(result.paths) == set(story.scenes)
    for scene_id, path in result.paths.items():
        session, _ = replay(story, path)
        assert session.state == scene_id


@pytest.mark.parametrize("seconds", [3.0])
def test_campaign_paths_replay_through_the_session(seconds: float) -> None:
    # The walk's step runs without the transitions machine: every path it finds
    # must play the same way through the Session, state for state.
    story = load_story(SCENES)
    plan = StatePlan(story)
    result = walk(story, seconds=seconds, plan=plan)
    assert len(result.paths) > 10 and not result.findings
    for scene_id, path in result.paths.items():
        session, _ = replay(story, path)
        assert session.state == scene_id


def test_cli_verdicts_and_path_to(make_story, capsys) -> None:  # type: ignore[no-untyped-def]
    root = make_story(VISITS_IN_TEXT.replace('You have been here {visits("foyer")} time(s). ', ""), VISITS_MANIFEST)
    assert main(["playtest", str(root), "--exhaustive"]) == 0
    captured = capsys.readouterr()
    assert "exhaustive walk: complete" in captured.out
    manifest, scenes = _forty_booleans()
    root = make_story(scenes, manifest)
    assert main(["playtest", str(root), "--exhaustive", "--seconds", "1.5"]) == 0
    captured = capsys.readouterr()
    assert "exhaustive walk: partial (" in captured.out and "states left)" in captured.out
    assert "never reached" not in captured.out
    assert "states expanded" in captured.err  # progress on stderr
    assert main(["playtest", str(DEMO), "--path-to", "orders", "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["found"] and found["script"].endswith("quit\n")
    assert [s["number"] for s in found["steps"]] == [int(n) for n in found["script"].split()[:-1]]


# The format's new ways of moving: a stay-choice (no entry, so no visit and no
# on_enter), a route list picked after the effects, visits()/first_visit() with
# no argument, an again: text, and a {seq} whose last alternative divides by
# (3 - visits()): the third entry into the hub crashes.
FORMAT_MANIFEST = """\
story:
  id: moves
  title: Moves
  version: 1.0.0
  start: hub
  variables:
    n: {type: int, default: 0, min: 0, max: 10}
    waited: {type: bool, default: false}
  endings:
    win: {title: Win}
    lose: {title: Lose}
"""

FORMAT_SCENES = """\
scenes:
  - id: hub
    title: Hub
    on_enter: [n += 1]
    text: "{seq}First.{or}Again: {10 / (3 - visits())}.{end}"
    again: "{seq}Back.{or}Back again: {10 / (3 - visits())}.{end}"
    choices:
      - label: Wait
        reply: "You wait{if first_visit()} for the first time{end}."
        once: true
        do: [waited = true]
      - {label: Loop, to: hub}
      - label: Leave
        to:
          - {if: waited and n >= 2, to: win}
          - {to: lose}
  - id: win
    title: Win
    ending: win
    text: Won.
  - id: lose
    title: Lose
    ending: lose
    text: Lost.
"""


def test_stays_routes_again_and_variation_walked_as_the_session_plays_them(make_story) -> None:  # type: ignore[no-untyped-def]
    story = load_story(make_story(FORMAT_SCENES, FORMAT_MANIFEST))
    result = walk(story, seconds=10)
    assert result.verdict == "complete" and set(result.endings) == {"win", "lose"}
    # Wait stays (n stays 1), Loop enters again (n = 2), Leave routes to win. Had
    # the stay entered the hub again, wait+leave would be a shorter way to win.
    assert result.paths["win"] == [("hub", "wait"), ("hub", "loop"), ("hub", "leave")]
    session, _ = replay(story, result.paths["win"])
    assert session.state == "win" and session.vars["n"] == 2
    # The again: text's seq shows its second alternative on the third entry: 10 / 0.
    crashes = [f for f in result.findings if f.kind == "crash"]
    assert crashes and all(f.scene == "hub" for f in crashes)
    shortest = min(crashes, key=lambda f: len(f.path))
    assert shortest.path == [("hub", "loop"), ("hub", "loop")] and "zero" in shortest.message
    session, _ = replay(story, shortest.path)
    with pytest.raises(Exception, match="zero"):
        session.text()
    for scene_id, path in result.paths.items():
        assert replay(story, path)[0].state == scene_id


def test_invariants_are_checked_in_every_state_of_the_walk(make_story, capsys) -> None:  # type: ignore[no-untyped-def]
    # n counts entries into the hub; the invariant says it never passes 2,
    # which the third entry breaks (before its text would crash).
    manifest = FORMAT_MANIFEST.replace(
        "  endings:\n",
        '  invariants:\n    - {check: "n <= 2", message: "the hub is entered at most twice"}\n  endings:\n',
    )
    root = make_story(FORMAT_SCENES, manifest)
    story = load_story(root)
    plan = StatePlan(story)
    result = walk(story, seconds=10, plan=plan, seed=7)
    broken = [f for f in result.findings if f.kind == "invariant"]
    assert len(broken) == 1  # once, however many states break it
    (finding,) = broken
    assert finding.message == "invariant broken: the hub is entered at most twice [n <= 2]"
    assert finding.scene == "hub" and finding.path == [("hub", "loop"), ("hub", "loop")]
    session, _ = replay(story, finding.path)
    assert session.vars["n"] == 3
    assert main(["playtest", str(root), "--exhaustive", "--seed", "7", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    (problem,) = [p for p in data["problems"] if p["kind"] == "invariant"]
    assert problem["seed"] == 7 and problem["path"] == ["hub:loop", "hub:loop"]


def test_invariant_variables_stay_in_the_state_where_no_scene_reads_them(make_story) -> None:  # type: ignore[no-untyped-def]
    # Nothing in the scenes reads 'spent'; only the invariant does. Were it cut
    # from the state, the walk would merge the loop's states and never see 4.
    manifest = """\
story:
  id: spend
  title: Spend
  version: 1.0.0
  start: shop
  variables:
    spent: {type: int, default: 0, min: 0, max: 10}
  invariants:
    - {check: "spent < 4", message: "never spend four"}
  endings:
    done: {title: Done}
"""
    scenes = """\
scenes:
  - id: shop
    title: Shop
    text: A shop.
    choices:
      - {label: Buy, to: shop, do: [spent += 1]}
      - {label: Leave, to: out}
  - id: out
    title: Out
    ending: done
    text: Out.
"""
    story = load_story(make_story(scenes, manifest))
    result = walk(story, seconds=10)
    assert result.complete
    (finding,) = [f for f in result.findings if f.kind == "invariant"]
    assert len(finding.path) == 4


def test_locked_reasons_render_before_labels_and_an_empty_one_hides_the_choice(make_story) -> None:  # type: ignore[no-untyped-def]
    # The reason is empty while n >= 0, and the Session hides a choice whose
    # reason is empty without rendering its label, so the label's 10 / n never runs.
    scenes = """\
scenes:
  - id: hub
    title: Hub
    text: "Here."
    choices:
      - label: "{10 / n}"
        to: win
        if: n > 5
        locked: "{if n < 0}Not yet.{end}"
      - {label: Again, to: hub}
      - {label: Leave, to: lose}
  - id: win
    title: Win
    ending: win
    text: Won.
  - id: lose
    title: Lose
    ending: lose
    text: Lost.
"""
    story = load_story(make_story(scenes, FORMAT_MANIFEST))
    result = walk(story, seconds=10)
    # n is 0: the locked reason is empty, so the label (10 / 0) is never rendered.
    assert result.complete and not result.findings, [f.message for f in result.findings]


def test_a_cycle_shows_what_the_session_shows_so_no_false_crash(make_story) -> None:  # type: ignore[no-untyped-def]
    # Entry k shows alternative (k - 1) % 2 with n = k: the division by (n - 2)
    # is only ever shown when n is odd. A walk that always showed the first
    # alternative would report a crash at n = 2 that no player can meet.
    scenes = """\
scenes:
  - id: hub
    title: Hub
    on_enter: [n += 1]
    text: "{cycle}{10 / (n - 2)}{or}Even {n}.{end}"
    choices:
      - {label: Again, to: hub}
      - {label: Leave, to: lose}
  - id: lose
    title: Lose
    ending: lose
    text: Lost.
"""
    story = load_story(make_story(scenes, FORMAT_MANIFEST))
    assert StatePlan(story).tracked_variations == {"hub:text": (("cycle", 2),)}
    result = walk(story, seconds=10)
    assert result.complete and not result.findings, [f.message for f in result.findings]
    assert result.distinct < 30  # n stops at its max and the cycle's count is kept mod 2
