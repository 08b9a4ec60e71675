"""A seeded playtest of a story with every path a step can take, pinned to the figure.

The figures were measured with the playtester as it was before its hot path was
reworked for speed (issue 11: a choice's trigger run directly, a condition's
coverage read off the choices on screen, open views made once). Titles, texts
and replies with variation blocks, dice in effects and text, stays, a once-only
stay, routes, a locked reason that renders empty, visits() and first_visit() in
conditions: a shortcut that skips a render, a roll, a block's count or a check
changes a figure here, and a seed would no longer replay the game it reported.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from game.authoring.playtest import random_runs
from game.loader import load_story

MANIFEST = """\
story:
  id: every
  title: Every path
  version: 1.0.0
  start: gate
  variables:
    grit: {type: int, default: 0, min: 0, max: 30}
    keys: {type: int, default: 0, min: 0, max: 5}
    calm: {type: bool, default: true}
  meters:
    - var: grit
      label: Grit
  endings:
    out: {title: Out}
    kept: {title: Kept}
    lost: {title: Lost}
"""

SCENES = """\
scenes:
  - id: gate
    title: "Gate {keys}"
    on_enter: ["grit += random(0, 2)"]
    text: "{seq}A gate.{or}The gate again.{or}The gate, still.{end} Grit {grit}, roll {random(1, 6)}. {shuffle}Wind.{or}Rain.{or}Nothing.{end}"
    again: "{cycle}Back at the gate.{or}The gate once more.{end} Keys {keys}."
    choices:
      - label: "Push ({grit})"
        to: hall
        do: [grit += 3]
        reply: "{once}It gives, the first time.{end}It gives."
      - label: Listen
        reply: "{cycle}Steps far off.{or}Silence.{end}"
        once: true
        do: [calm = false]
      - label: Search
        reply: "{if keys < 2}A key!{else}Nothing more.{end}"
        do: [keys += 1]
        if: keys < 3
      - label: Wait
        to: gate
        if: visits('gate') < 5
        locked: "{if grit > 20}You cannot wait any longer.{end}"
  - id: hall
    title: Hall
    text: "{if calm}A quiet hall.{else}The hall echoes.{end} {seq}First time here.{or}{end}"
    choices:
      - label: Back
        to: gate
        if: grit < 18
        locked: Too tired.
      - label: Unlock
        to:
          - {if: keys >= 3, to: end-out}
          - {if: keys >= 1, to: end-kept}
          - {to: hall}
        if: keys > 0
      - label: Sit
        to: end-lost
        if: first_visit() == false
  - id: end-out
    title: Out
    text: Out.
    ending: out
  - id: end-kept
    title: Kept
    text: Kept.
    ending: kept
  - id: end-lost
    title: Lost
    text: Lost.
    ending: lost
"""

GATE_AND_HALL = [
    ("gate", "search", False), ("gate", "search", True), ("gate", "wait", False), ("gate", "wait", True),
    ("hall", "back", False), ("hall", "back", True), ("hall", "sit", False), ("hall", "sit", True),
    ("hall", "unlock", False), ("hall", "unlock", True),
]
BLOCKS = ["gate:again#0", "gate:listen:reply#0", "gate:push-grit:reply#0", "gate:text#0", "gate:text#1", "hall:text#0"]


def fingerprint(folder: Path, strategy: str, runs: int) -> tuple[object, ...]:
    tally = random_runs(load_story(folder), runs, 7, strategy=strategy)
    return (
        tally.steps,
        tally.words,
        dict(tally.endings),
        len(tally.scenes),
        len(tally.choices),
        sorted(tally.branches),
        sorted(tally.routes),
        sorted(tally.variations),
        tally.problems,
    )


def test_random_runs_play_the_same_games(make_story: Callable[..., Path]) -> None:
    assert fingerprint(make_story(SCENES, MANIFEST), "random", 300) == (
        2394, 13810, {"kept": 115, "lost": 134, "out": 51}, 5, 7, GATE_AND_HALL,
        [("hall", "unlock", "end-kept"), ("hall", "unlock", "end-out")], BLOCKS, [],
    )


def test_first_and_last_play_the_same_games(make_story: Callable[..., Path]) -> None:
    folder = make_story(SCENES, MANIFEST)
    assert fingerprint(folder, "first", 3) == (
        30, 192, {"lost": 3}, 3, 3,
        [b for b in GATE_AND_HALL if b not in {("gate", "search", False), ("hall", "unlock", True)}],
        [], [k for k in BLOCKS if k != "gate:listen:reply#0"], [],
    )
    assert fingerprint(folder, "last", 3) == (
        30, 159, {"out": 3}, 3, 5,
        [b for b in GATE_AND_HALL if b not in {("hall", "back", False), ("hall", "sit", True), ("hall", "unlock", False)}],
        [("hall", "unlock", "end-out")], BLOCKS, [],
    )
