"""Regression tests for the crashes the fuzzers found in the engine (kept small and exact)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from game.loader import load_story
from game.plain import PlainGame, run_plain
from game.saves import SaveStore, restore, to_save
from game.session import Session, StoryRuntimeError
from tests.conftest import ROOT

ODD_IDS = ["over", "available", "state", "trigger", "may_trigger", "take_choice", "story", "machine", "turn", "history"]


def test_scene_ids_that_look_like_session_attributes(make_story: Callable[..., Path]) -> None:
    # transitions used to bind is_<scene id> on the Session: a scene called "over"
    # collided with Session.is_over and no game of the story could start.
    scenes = "scenes:\n" + "".join(
        f"  - id: {sid}\n    title: {sid.title()}\n    text: At {sid}.\n"
        f"    choices: [{{label: Next, to: {ODD_IDS[i + 1] if i + 1 < len(ODD_IDS) else 'end'}}}]\n"
        for i, sid in enumerate(ODD_IDS)
    ) + "  - {id: end, title: End, text: Done., ending: good}\n"
    manifest = "story:\n  id: odd\n  title: Odd\n  version: 1\n  start: over\n  endings: {good: {title: Good}}\n"
    story = load_story(make_story(scenes, manifest=manifest))
    session = Session(story)
    assert session.state == "over" and session.is_over is False
    for sid in ODD_IDS[1:]:
        session.choose(1)
        assert session.state == sid
    session.choose(1)
    assert session.is_over
    data = to_save(session)
    other = Session(story)
    restore(other, data)
    assert other.state == "end"
    other.undo()
    assert other.state == "history"
    session.replace_story(story)  # a live reload rebinds the machine
    assert session.state == "end"


START_FAILS = """\
story:
  id: broken-start
  title: Broken start
  version: 1
  start: a
  variables:
    n: {type: int, default: 0}
    m: {type: int, default: 5}
  endings: {good: {title: Good}}
"""
START_SCENES = """\
scenes:
  - id: a
    title: A
    on_enter: [m = 7, n = 10 / n]
    text: "m is {m}."
    choices: [{label: Go, to: b}]
  - {id: b, title: B, text: Done., ending: good}
"""


def test_start_scene_whose_on_enter_fails_is_a_story_error_not_a_crash(make_story: Callable[..., Path]) -> None:
    story = load_story(make_story(START_SCENES, manifest=START_FAILS))
    with pytest.raises(StoryRuntimeError, match="division by zero"):
        Session(story)


def test_restart_after_a_failing_start_leaves_a_consistent_game(
    make_story: Callable[..., Path], tmp_path: Path
) -> None:
    story = load_story(make_story(START_SCENES, manifest=START_FAILS))
    # Keep hold of the half-built session to see the state a failed restart leaves:
    # at the start, with the defaults (m = 7 undone), never half an on_enter.
    session = Session.__new__(Session)
    with pytest.raises(StoryRuntimeError):
        Session.__init__(session, story)
    assert session.state == "a" and session.vars == story.defaults()
    out = io.StringIO()
    game = PlainGame(session, SaveStore(tmp_path), out)
    run_plain(game, io.StringIO("restart\nlook\n1\n"))
    text = out.getvalue()
    assert "The story hit an error in scene 'a': division by zero" in text
    assert "THE END: Good." in text


def test_the_command_line_reports_a_story_that_cannot_start(make_story: Callable[..., Path], tmp_path: Path) -> None:
    root = make_story(START_SCENES, manifest=START_FAILS)
    run = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--story", str(root), "--saves", str(tmp_path / "s")],
        input="1\n", capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60,
    )
    assert run.returncode == 1
    assert "The story cannot start: it hit an error in scene 'a': division by zero." in run.stderr
    assert "Traceback" not in run.stderr


def test_playtest_reports_a_story_that_cannot_start(make_story: Callable[..., Path]) -> None:
    from game.authoring.playtest import exhaustive, random_runs

    story = load_story(make_story(START_SCENES, manifest=START_FAILS))
    for tally in (random_runs(story, runs=3, seed=1), exhaustive(story)):
        (problem,) = tally.problems
        assert problem.kind == "crash" and "division by zero" in problem.message and problem.scene == "a"
