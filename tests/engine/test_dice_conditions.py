"""A choice whose condition rolls dice is checked on the same dice wherever it is checked.

Before, the list of choices rolled each condition from one stream shared by all
of them and the machine rolled it again from the step's stream when the choice
was taken, so a choice shown as open could be refused ("that choice is not
available now") and playtest crashed on such a story.
"""

from __future__ import annotations

from game.authoring.playtest import random_runs
from game.loader import load_story
from game.session import Session

DICE = """\
scenes:
  - id: a
    title: Start
    text: "A door, and a second door."
    choices:
      - label: Roll for the first door
        if: random(1, 3) > 1
        locked: "It sticks."
        to: b
        do: ["freedom += random(1, 6)"]
      - label: Roll for the second door
        if: random(1, 6) > 3
        to: b
      - label: Walk away
        to: b
  - id: b
    title: End
    ending: good
    text: "Done."
"""


def test_a_choice_offered_on_its_dice_is_taken_on_the_same_dice(make_story) -> None:  # type: ignore[no-untyped-def]
    story = load_story(make_story(DICE))
    opened = refused = 0
    for seed in range(60):
        session = Session(story, seed=seed)
        for view in session.choices():
            if not view.available:
                refused += 1
                continue
            opened += 1
            session.restart()
            again = {v.choice.id: v.available for v in session.choices()}
            assert again[view.choice.id] is True  # the same dice on a second look
            session.choose(view.choice)  # and taken on them: no GameError
            assert session.state == "b"
            session.restart()
    assert opened > 60 and refused > 0  # both doors open on some seeds and stick on others


def test_playtest_plays_a_story_whose_conditions_roll(make_story) -> None:  # type: ignore[no-untyped-def]
    tally = random_runs(load_story(make_story(DICE)), runs=200, seed=3)
    assert tally.problems == []
    assert tally.endings["good"] == 200
