"""The echo rule (validate's W312 and stats' unechoed_choices, one implementation)
and the continuity check (W314), on small stories built for each case."""

from __future__ import annotations

import json

from game.authoring.agency import EchoCheck, unechoed_report
from game.authoring.checks import validate_story
from game.cli import main
from game.loader import load_story

# A hub with four ways on. Each of a..d tests one clause of the rule; the
# scene chain after it puts a condition on freedom 1, 2, 3 or 4 scenes away.
ECHO_SCENES = """\
scenes:
  - id: a
    title: Start
    text: "Pick."
    choices:
      - {id: plain, label: Go, to: b}
      - {id: own, label: Elsewhere, to: c}
      - {id: flag, label: Mark it, to: b, do: [flag = true]}
      - {id: far, label: Push, to: b, do: [freedom += 5]}
      - {id: near, label: Shove, to: m1, do: [freedom += 5]}
      - {id: near2, label: Lean, to: m1, do: [freedom -= 5]}
  - id: b
    title: B
    text: "On."
    choices:
      - {label: Next, to: b2}
  - id: b2
    title: B2
    text: "{if flag}You marked it.{end}"
    choices:
      - {label: Next, to: b3}
  - id: b3
    title: B3
    text: "On."
    choices:
      - {label: Next, to: b4}
  - id: b4
    title: B4
    text: "Late."
    choices:
      - {label: Free, to: good, if: freedom >= 50}
      - {label: End, to: bad}
  - id: m1
    title: M1
    text: "On."
    choices:
      - {label: Next, to: m2}
  - id: m2
    title: M2
    text: "On."
    choices:
      - {label: Free, to: good, if: freedom >= 50}
      - {label: End, to: bad}
  - id: c
    title: C
    text: "Elsewhere."
    choices:
      - {label: Next, to: bad}
  - id: good
    title: Good
    ending: good
    text: Good.
  - id: bad
    title: Bad
    ending: bad
    text: Bad.
"""


def _ids(story) -> set[str]:  # type: ignore[no-untyped-def]
    return {f"{s.id}:{c.id}" for s, c in EchoCheck(story).unechoed()}


def test_each_clause_of_the_echo_rule(make_story) -> None:  # type: ignore[no-untyped-def]
    story = load_story(make_story(ECHO_SCENES))
    # plain: no effect, goes where siblings go. far: freedom is next checked 4 scenes on (b4).
    # own: a scene nobody else leads to. flag: read by b2's text. near/near2: checked at m2, 2 scenes on.
    assert _ids(story) == {"a:plain", "a:far"}


def test_a_meter_check_three_scenes_on_counts_and_four_does_not(make_story) -> None:  # type: ignore[no-untyped-def]
    story = load_story(make_story(ECHO_SCENES.replace("      - {label: Next, to: b4}\n", "      - {label: Next, to: b5}\n").replace(
        "  - id: b4\n", "  - id: b5\n    title: B5\n    text: On.\n    choices:\n      - {label: Next, to: b4}\n  - id: b4\n"
    )))
    assert "a:far" in _ids(story)  # now five scenes on
    story = load_story(make_story(ECHO_SCENES.replace("      - {label: Next, to: b3}\n", "      - {label: Next, to: b4}\n")))
    assert "a:far" not in _ids(story)  # b, b2, b4: the check is the third scene


def test_a_value_computed_from_the_choice_s_variable_and_read_later_echoes_it(make_story) -> None:  # type: ignore[no-untyped-def]
    # 'far' moves freedom; b computes flag from it, and b2's text reads flag.
    scenes = ECHO_SCENES.replace("      - {id: flag, label: Mark it, to: b, do: [flag = true]}\n", "").replace(
        "    title: B\n    text: \"On.\"\n", "    title: B\n    text: \"On.\"\n    on_enter: [flag = freedom > 60]\n"
    )
    assert _ids(load_story(make_story(scenes))) == {"a:plain"}


def test_validate_warns_w312_at_the_choice_and_stats_counts_the_same_choices(make_story, capsys) -> None:  # type: ignore[no-untyped-def]
    root = make_story(ECHO_SCENES)
    report = validate_story(root)
    w312 = [d for d in report.diagnostics if d.code == "W312"]
    assert sorted(d.message.split("'")[3] + ":" + d.message.split("'")[1] for d in w312) == ["a:far", "a:plain"]
    far = next(d for d in w312 if "'far'" in d.message)
    assert far.path.endswith("scenes.yaml") and far.line == 9
    assert "no condition on 'freedom' within 3 scenes" in far.message
    assert not any(d.is_error for d in w312)
    assert main(["validate", str(root)]) == 0
    assert main(["validate", str(root), "--strict"]) == 1
    capsys.readouterr()
    assert main(["stats", str(root), "--runs", "0", "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["unechoed_choices"] == unechoed_report(load_story(root))
    assert set(stats["unechoed_choices"]["ids"]) == {"a:plain", "a:far"}


def test_a_reply_echoes_a_choice_and_a_stay_choice_needs_one(make_story) -> None:  # type: ignore[no-untyped-def]
    scenes = ECHO_SCENES.replace(
        "      - {id: plain, label: Go, to: b}\n",
        "      - {id: plain, label: Go, to: b, reply: You go.}\n      - {id: wait, label: Wait, reply: You wait., once: true}\n",
    )
    story = load_story(make_story(scenes))
    assert _ids(story) == {"a:far"}


ROUTED = """\
scenes:
  - id: a
    title: Start
    text: "Pick."
    choices:
      - label: Go
        do: [flag = true]
        to:
          - {if: flag, to: b}
          - {to: c}
      - {label: Never, to: c, if: freedom > 100}
  - id: b
    title: B
    text: "Routed here."
    choices:
      - {label: End, to: good}
  - id: c
    title: C
    text: "Default."
    choices:
      - {label: End, to: bad}
  - id: good
    title: Good
    ending: good
    text: Good.
  - id: bad
    title: Bad
    ending: bad
    text: Bad.
"""


def test_one_successor_walk_routes_included_and_never_true_choices_left_out(make_story) -> None:  # type: ignore[no-untyped-def]
    from game.authoring.agency import funnel_scenes
    from game.authoring.analysis import reachable, successors

    story = load_story(make_story(ROUTED))
    assert successors(story)["a"] == {"b", "c"}  # both routes; 'Never' leads nowhere
    assert reachable(story) == {"a", "b", "c", "good", "bad"}
    assert "a" not in funnel_scenes(story)
    codes = {d.code for d in validate_story(make_story(ROUTED)).diagnostics}
    assert "W300" not in codes  # b is reached by its route, not by a to: of its own
    never_only = ROUTED.replace("          - {if: flag, to: b}\n          - {to: c}\n", "          - {to: c}\n").replace(
        "      - {label: Never, to: c, if: freedom > 100}\n", "      - {label: Never, to: b, if: freedom > 100}\n"
    )
    # The only way to b can never be taken: a is a funnel into c, and b is unreachable.
    story = load_story(make_story(never_only))
    assert "a" in funnel_scenes(story)
    assert "b" not in reachable(story)
