"""Seeded playtests give the same games, step for step, whatever the engine's insides.

The figures below were measured at commit 1147877, before the machine and the
Session were reworked (issue 11): a change that makes them differ changes what
a seed plays, which breaks reproducing a playtest's reported problem by its
seed. They are the fingerprint of the run: steps, endings, words read,
coverage, and the exhaustive walk's states.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from game.authoring.playtest import exhaustive, random_runs, report
from game.loader import load_story
from tests.conftest import DEMO

# Dice in effects, text and labels, a once-only self-loop, visits() in a
# condition, on_enter effects and a locked choice: every path of a step.
DICE_MANIFEST = """\
story:
  id: dice
  title: Dice
  version: 1.0.0
  start: hub
  variables:
    freedom: {type: int, default: 50, min: 0, max: 100}
    luck: {type: int, default: 0}
    mood: {type: str, default: calm, values: [calm, angry]}
  meters:
    - var: freedom
      label: Freedom
  endings:
    free: {title: Free}
    gear: {title: Gear}
    lost: {title: Lost}
"""

DICE_SCENES = """\
scenes:
  - id: hub
    title: Hub
    on_enter: ["luck += random(0, 3)"]
    text: "Luck {luck}, roll {random(1, 6)}, visit {visits('hub')}."
    choices:
      - label: "Defy ({freedom})"
        to: road
        do: ["freedom += random(5, 15)"]
      - label: Obey
        to: road
        do: ["freedom -= random(5, 15)"]
      - label: Wait once
        to: hub
        once: true
        do: [mood = "angry"]
      - label: Wait again
        to: hub
        if: visits('hub') < 4
  - id: road
    title: Road
    on_enter: [freedom += 1]
    text: "{if mood == 'angry'}You seethe.{else}You walk.{end}"
    choices:
      - label: Back
        to: hub
        if: luck < 12
        locked: Out of luck.
      - label: Run free
        to: end-free
        if: freedom >= 70
      - label: Give in
        to: end-gear
        if: freedom <= 30
      - label: Wander
        to: end-lost
        if: luck >= 6
  - id: end-free
    title: Free
    text: Free.
    ending: free
  - id: end-gear
    title: Gear
    text: Gear.
    ending: gear
  - id: end-lost
    title: Lost
    text: Lost.
    ending: lost
"""


def summary(folder: Path) -> dict[str, object]:
    story = load_story(folder)
    tally = random_runs(story, 300, 5)
    result = report(story, tally, 1.0, "random")
    walk = report(story, exhaustive(story, max_states=5000), 1.0, "exhaustive")
    return {
        "steps": tally.steps,
        "words": tally.words,
        "endings": result["endings"],
        "coverage": (result["choice_coverage"], result["condition_coverage"]),
        "problems": result["problems"],
        "walk": (walk["steps"], walk["states"], walk["endings"]),
    }


def test_a_seeded_playtest_of_the_demo_plays_the_same_games() -> None:
    assert summary(DEMO) == {
        "steps": 1900,
        "words": 114_973,  # the words read include replies (the demo has one) and skip a stay's repeated text
        "endings": {"orders": 290, "song": 10},
        "coverage": (1.0, 1.0),
        "problems": [],
        "walk": (61, 39, {"orders": 1, "song": 1}),  # breadth-first over distinct states (issue 13)
    }


def test_a_seeded_playtest_with_dice_plays_the_same_games(make_story: Callable[..., Path]) -> None:
    assert summary(make_story(DICE_SCENES, DICE_MANIFEST)) == {
        "steps": 2481,
        "words": 11_146,
        "endings": {"free": 53, "gear": 32, "lost": 215},
        "coverage": (1.0, 1.0),
        "problems": [],
        "walk": (11547, 5953, {"free": 12, "gear": 10, "lost": 8}),  # the old walk missed gear
    }
