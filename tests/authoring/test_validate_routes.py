"""validate's reachability and interval checks on routes and stay-choices."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from game.authoring.analysis import reachable
from game.authoring.checks import validate_story
from game.loader import load_story
from tests.conftest import MANIFEST

ROUTED_MANIFEST = MANIFEST.replace('    mood: {type: str, default: calm, values: [calm, angry]}\n', "")

MakeStory = Callable[..., Path]

ROUTED = """\
scenes:
  - id: a
    title: Start
    text: A.
    choices:
      - label: Ask
        reply: "No answer."
        once: true
      - label: Go
        to:
          - {if: flag, to: good}
          - {if: freedom >= 50, to: mid}
          - {to: bad}
  - id: mid
    title: Middle
    text: M.
    choices:
      - {label: Onward, to: good}
      - {label: Flag it, to: a, do: [flag = true]}
  - id: good
    title: Good
    ending: good
    text: G.
  - id: bad
    title: Bad
    ending: bad
    text: B.
"""


def codes(folder: Path) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for d in validate_story(folder).diagnostics:
        out.setdefault(d.code, []).append(d.line)
    return out


def test_every_route_target_is_reached_and_the_story_is_clean(make_story: MakeStory) -> None:
    root = make_story(ROUTED, ROUTED_MANIFEST)
    assert reachable(load_story(root)) == {"a", "mid", "good", "bad"}
    assert codes(root) == {}


def test_a_scene_reached_only_by_a_never_true_route_is_unreachable(make_story: MakeStory) -> None:
    root = make_story(ROUTED.replace("if: freedom >= 50", "if: freedom > 100"))
    found = codes(root)
    assert found["W303"] == [12]  # at the route
    assert "W300" in found  # mid can no longer be reached


def test_routes_after_an_always_true_one_are_never_tried(make_story: MakeStory) -> None:
    root = make_story(ROUTED.replace("if: freedom >= 50", "if: freedom >= 0"))
    found = codes(root)
    assert found["W313"] == [12]
    # bad is reached by no live route now, and its ending by no reached scene
    assert "W300" in found and "W306" in found
    assert reachable(load_story(root)) == {"a", "mid", "good"}


def test_a_stay_choice_is_not_a_way_on(make_story: MakeStory) -> None:
    # A scene whose only choices stay: the player reads replies and can never leave.
    scenes = ROUTED + """\
  - id: chat
    title: Chat
    text: C.
    choices:
      - {label: Ask, reply: Nothing.}
      - {label: Ask again, reply: Still nothing., once: true}
"""
    root = make_story(scenes.replace("{to: bad}", "{to: chat}"))
    found = codes(root)
    assert "E302" in found and "E301" not in found
    assert "W310" not in found  # staying is not re-entering: nothing loops back


def test_once_only_stays_beside_a_way_out_are_not_w310(make_story: MakeStory) -> None:
    scenes = ROUTED.replace("      - {label: Onward, to: good}", "      - {label: Onward, to: good, once: true}")
    scenes = scenes.replace("      - {label: Flag it, to: a, do: [flag = true]}", "      - {label: Wonder, reply: Hm., once: true}")
    assert "W310" not in codes(make_story(scenes))
    looped = scenes.replace("      - {label: Wonder, reply: Hm., once: true}", "      - {label: Wonder, to: mid, once: true}")
    assert codes(make_story(looped))["W310"]


def test_route_conditions_replies_and_locked_reasons_are_reads(make_story: MakeStory) -> None:
    manifest = MANIFEST.replace("    mood:", "    told: {type: bool, default: false}\n    heard: {type: int, default: 0, min: 0, max: 9}\n    mood:")
    scenes = ROUTED.replace("{if: flag, to: good}", "{if: told, to: good}")
    scenes = scenes.replace('reply: "No answer."', 'reply: "No answer{if heard > 2}, again{end}."\n        do: [told = true, heard += 1, mood = "angry"]')
    found = codes(make_story(scenes, manifest))
    # told (line 9) is read by a route, heard (10) by a reply; flag (8) and mood (11) are set and never read
    assert found["W311"] == [8, 11]
    assert "W305" not in found and "W304" not in found


def test_graph_draws_each_route_with_its_condition_and_stays_as_loops(make_story: MakeStory) -> None:
    from game.authoring.graph import to_dot, to_mermaid

    story = load_story(make_story(ROUTED))
    dot = to_dot(story)
    assert '"a" -> "good" [label="Go\\n(if flag)"' in dot
    assert '"a" -> "mid" [label="Go\\n(if freedom >= 50)"' in dot
    assert '"a" -> "bad" [label="Go\\n(otherwise)"' in dot
    assert '"a" -> "a" [label="Ask\\n(stays)"' in dot
    mermaid = to_mermaid(story)
    assert 's_a -->|"Go (if freedom >= 50)"| s_mid' in mermaid and 's_a -->|"Ask (stays)"| s_a' in mermaid


def test_stats_count_routes_stays_and_replies(make_story: MakeStory) -> None:
    from game.authoring.stats import story_stats

    stats = story_stats(load_story(make_story(ROUTED)), sample_runs=0)
    assert (stats["route_choices"], stats["routes"], stats["stay_choices"], stats["replies"], stats["again_texts"]) == (1, 3, 1, 1, 0)
    assert stats["words"] == 4 and stats["reply_words"] == 2 and stats["again_words"] == 0
    assert stats["consequence_share"] == 1.0  # the reply answers; the routes lead three ways


def test_an_again_text_no_path_returns_to_is_w315(make_story: MakeStory) -> None:
    never = ROUTED.replace("    text: M.\n", "    text: M.\n    again: M again.\n")
    looped = never.replace("    text: A.\n", "    text: A.\n    again: A again.\n")
    # a and mid lead into each other (mid by a route of a), so both can be entered again
    assert "W315" not in codes(make_story(looped, ROUTED_MANIFEST))
    cut = never.replace("      - {label: Flag it, to: a, do: [flag = true]}\n", "      - {label: Flag it, to: bad, do: [flag = true]}\n")
    found = codes(make_story(cut, ROUTED_MANIFEST))
    assert found["W315"] == [14]  # at mid's id
