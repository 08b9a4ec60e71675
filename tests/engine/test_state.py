"""SessionState: the Session's whole state as data, and the save codec that turns it into JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from game.loader import load_story
from game.saves import decode, encode
from game.session import Session
from game.state import SessionState, fit
from tests.conftest import ROOT


@pytest.fixture
def session(tiny: Path) -> Session:
    return Session(load_story(tiny), seed=7)


def test_snapshot_is_the_whole_state_and_restore_brings_it_back(session: Session) -> None:
    session.choose(3)  # once-only, loops to a
    mid = session.snapshot()
    assert mid == SessionState(
        scene="a",
        vars={"freedom": 10, "flag": False, "mood": "angry"},
        visits={"a": 2},
        taken=frozenset({("a", "ask-again")}),
        history=tuple(session.history),
        turn=1,
        seed=7,
    )
    session.choose(1)
    assert session.state == "b" and session.snapshot() != mid
    session.restore(mid)
    assert session.snapshot() == mid
    assert [v.label for v in session.choices()] == ["Defy", "Obey"]
    # the restored game plays on and undoes as the original did
    session.undo()
    assert session.state == "a" and session.vars["mood"] == "calm" and session.visit_counts == {"a": 1}


def test_snapshot_shares_nothing_with_the_session(session: Session) -> None:
    snap = session.snapshot()
    session.choose(1)
    assert snap.scene == "a" and snap.vars["freedom"] == 10 and snap.visits == {"a": 1} and snap.history == ()
    session.restore(snap)
    session.vars["freedom"] = 99
    assert snap.vars["freedom"] == 10


def test_restore_refuses_a_state_of_another_story(session: Session) -> None:
    with pytest.raises(ValueError, match="nowhere"):
        session.restore(replace(session.snapshot(), scene="nowhere"))
    with pytest.raises(ValueError, match="freedom"):
        session.restore(replace(session.snapshot(), vars={"flag": True, "mood": "calm"}))
    assert session.state == "a"


def test_codec_round_trip_through_json(session: Session) -> None:
    session.choose(3)
    session.choose(2)
    story = session.story
    data = json.loads(json.dumps(encode(story, session.snapshot(), "slot")))
    restored = decode(story, data)
    assert restored.notices == []
    assert restored.state == session.snapshot()


def test_fit_follows_renames_and_resets_what_the_story_no_longer_allows(session: Session) -> None:
    story = session.story
    renamed = replace(story, renames={"old-a": "a"})
    state = SessionState(
        scene="old-a",
        vars={"freedom": 500, "flag": "yes", "mood": "calm"},
        visits={"old-a": 2, "gone": 1, "b": -3},
        taken=frozenset({("old-a", "ask-again"), ("gone", "x")}),
    )
    fitted, notices = fit(state, renamed)
    assert fitted.scene == "a"
    assert fitted.vars == {"freedom": 100, "flag": False, "mood": "calm"}  # clamped; reset to default
    assert fitted.visits == {"a": 2}
    assert fitted.taken == frozenset({("a", "ask-again")})
    assert notices == ["'flag' had a value the story no longer allows; it was reset."]


def test_importing_the_saves_loads_neither_the_session_nor_transitions() -> None:
    code = (
        "import sys, game.saves, game.saves.codec, game.state\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(('game.session', 'transitions')))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"importing game.saves loaded: {out.stdout.strip()}"


VARIED = """\
scenes:
  - id: a
    title: Start
    text: "{seq}one{or}two{or}three{end}"
    choices:
      - {label: Again, to: a}
      - {label: Leave, to: b}
  - id: b
    title: Bound
    ending: bad
    text: "{cycle}x{or}y{end}"
"""


def test_variation_state_goes_through_the_codec_and_old_saves_default(make_story) -> None:  # type: ignore[no-untyped-def]
    s = Session(load_story(make_story(VARIED)), seed=4)
    for _ in range(2):
        s.text()
        s.choose(1)
    page = s.text()
    assert page == "three"
    state = s.snapshot()
    assert state.variations == {"a:text#0": 3} and state.shown == frozenset({"a:text#0"})
    assert [step.shown for step in state.history] == [frozenset({"a:text#0"})] * 2
    data = json.loads(json.dumps(encode(s.story, state, "slot")))
    restored = decode(s.story, data)
    assert restored.state == state
    t = Session(s.story, seed=0)
    t.restore(restored.state)
    assert t.text() == page  # the same page: the block is not counted again
    t.undo()
    assert t.text() == "two"
    # A format 1 save has no variation state: nothing has been shown yet.
    del data["state"]["variations"], data["state"]["shown"]
    for entry in data["history"]:
        entry.pop("shown", None)
    old = decode(s.story, data | {"format_version": 1}).state
    assert old.variations == {} and old.shown == frozenset()
    assert all(step.shown == frozenset() for step in old.history)


def test_fit_follows_renames_in_variation_keys(session: Session) -> None:
    renamed = replace(session.story, renames={"old-a": "a"})
    state = SessionState(
        scene="old-a",
        vars=session.story.defaults(),
        visits={"old-a": 1},
        variations={"old-a:text#0": 2, "gone:text#0": 1, "a:x:reply#1": 0, "nonsense": 4},
        shown=frozenset({"old-a:text#0", "gone:text#0"}),
    )
    fitted, _ = fit(state, renamed)
    assert fitted.variations == {"a:text#0": 2}
    assert fitted.shown == frozenset({"a:text#0"})
