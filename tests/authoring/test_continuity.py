"""The continuity check (W314): a scene that names a tracker slot the player may already have seen gone."""

from __future__ import annotations

from game.authoring.agency import continuity_findings, unguarded_text
from game.authoring.checks import validate_story
from game.loader import load_story
from tests.conftest import FIXTURES

MANIFEST = """\
story:
  id: gone
  title: Gone
  version: 1.0.0
  start: a
  variables:
    foe: {type: str, default: unknown, values: [unknown, slain, spared]}
    ghost: {type: str, default: slain, values: [slain, spared]}
  tracker:
    title: Foes
    slots:
      - {name: Vel Kor, var: foe, aliases: [Vel], gone: [slain]}
      - {name: Old Ghost, var: ghost, gone: [slain]}
  endings:
    end: {title: End}
"""

SCENES = """\
scenes:
  - id: a
    title: A
    text: "Vel Kor stands before you. Old Ghost is long dead, and Old Ghost still haunts you."
    choices:
      - {id: kill, label: Kill him, to: death, do: [foe = "slain"]}
      - {id: spare, label: Spare him, to: b, do: [foe = "spared"]}
  - id: death
    title: Death
    text: "Vel falls, and does not get up."
    choices:
      - {label: Walk, to: b}
  - id: b
    title: B
    text: "{if foe == \\"slain\\"}The square is quiet.{else}Vel waves from the square.{end}"
    choices:
      - {label: Walk, to: c}
  - id: c
    title: C
    text: "Vel waits at the gate."
    choices:
      - {label: Leave, to: fin}
  - id: fin
    title: End
    ending: end
    text: Done.
"""


def _flagged(story) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(scene.id, slot.var) for scene, slot, _name, _how in continuity_findings(story)}


def test_the_aerkos_fixture_is_flagged_where_he_sits_on_venus_after_he_was_slain_on_earth() -> None:
    report = validate_story(FIXTURES / "aerkos")
    w314 = [d for d in report.diagnostics if d.code == "W314"]
    assert len(w314) == 1, [str(d) for d in w314]
    (d,) = w314
    assert d.path.endswith("08-venus.yaml") and d.line == 464
    assert "may be gone here" in d.message and "'venus.cell'" in d.message
    assert "'take-the-id' in 'earth.aerkos_verdict'" in d.message


def test_only_unguarded_mentions_after_the_scene_that_tells_the_death(make_story) -> None:  # type: ignore[no-untyped-def]
    story = load_story(make_story(SCENES, manifest=MANIFEST))
    # death tells the death (exempt); b guards its mention; c does not. Old
    # Ghost starts slain, so naming him is never a slip.
    assert _flagged(story) == {("c", "foe")}
    (finding,) = continuity_findings(story)
    assert finding[2] == "Vel" and finding[3].scene == "a" and finding[3].choice == "kill"


def test_a_slot_brought_back_by_a_sure_assignment_is_not_gone_any_more(make_story) -> None:  # type: ignore[no-untyped-def]
    scenes = SCENES.replace("      - {label: Walk, to: c}\n", "      - {label: Walk, to: c, do: [foe = \"spared\"]}\n")
    assert _flagged(load_story(make_story(scenes, manifest=MANIFEST))) == set()


def test_a_slot_made_gone_by_on_enter_counts_from_the_next_scene(make_story) -> None:  # type: ignore[no-untyped-def]
    scenes = SCENES.replace('do: [foe = "slain"]', "do: []").replace(
        "    title: Death\n", "    title: Death\n    on_enter: [foe = \"slain\"]\n"
    )
    assert _flagged(load_story(make_story(scenes, manifest=MANIFEST))) == {("c", "foe")}


def test_unguarded_text_keeps_only_what_shows_whatever_the_slot_is(make_story) -> None:  # type: ignore[no-untyped-def]
    text = (
        '{if x > 1}A{elif foe == \\"slain\\"}B{else}C{end} D {if foe != \\"slain\\"}E{if x > 2}F{end}{end}'
        " {seq}G{or}H{end} {{I}}"
    )
    manifest = MANIFEST.replace("    ghost:", "    x: {type: int, default: 0}\n    ghost:")
    scenes = SCENES.replace('"Vel waits at the gate."', f'"{text}"')
    story = load_story(make_story(scenes, manifest=manifest))
    shown = unguarded_text(story.scenes["c"].text, "foe")
    # A precedes the test on foe; B and C follow it; E and F sit inside it.
    assert shown.split() == ["A", "D", "G", "H", "I"]


def test_a_stay_choice_that_kills_counts_when_the_player_leaves(make_story) -> None:  # type: ignore[no-untyped-def]
    scenes = SCENES.replace(
        '      - {id: kill, label: Kill him, to: death, do: [foe = "slain"]}\n',
        '      - {id: kill, label: Kill him, reply: He falls., once: true, do: [foe = "slain"]}\n      - {id: walk, label: Walk on, to: c}\n',
    )
    story = load_story(make_story(scenes, manifest=MANIFEST))
    assert ("c", "foe") in _flagged(story)
