"""Saves survive story edits, end to end: saved by the v1 game, loaded by the v2 game.

tests/fixtures/edits/v1 -> v2 renames a scene (declared in `renames:`), removes
one (its saves fall back to the nearest checkpoint), adds a variable and adds a
choice. Both games are real `metallic-rouge play --plain` processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

V1 = FIXTURES / "edits" / "v1"
V2 = FIXTURES / "edits" / "v2"


def play(story: Path, saves: Path, script: list[str], load: str | None = None) -> list[str]:
    """Run the plain game; return what it printed after each command (index 0: the opening)."""
    args = [sys.executable, "-m", "game", "play", "--plain", "--story", str(story), "--saves", str(saves), "--seed", "1"]
    if load:
        args += ["--load", load]
    run = subprocess.run(
        args, input="\n".join(script) + "\n", capture_output=True, text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    return run.stdout.split("> ")


@pytest.fixture(scope="module")
def saves(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Saves made by the v1 game at the renamed scene, the removed one and the gate."""
    folder = tmp_path_factory.mktemp("saves")
    out = play(V1, folder, ["1", "1", "save at-warehouse", "1", "save at-roof", "1", "save at-gate", "status", "quit"])
    assert "\nThe Warehouse.\n" in out[2] and "\nThe Roof.\n" in out[4] and "\nThe Gate.\n" in out[6]
    assert "Courage: 35 of 100" in out[8]
    assert "Bribe" not in "".join(out)
    return folder


def test_renamed_scene_is_followed_and_undo_goes_back_through_it(saves: Path) -> None:
    out = play(V2, saves, ["status", "undo", "undo", "undo", "1", "1"], load="at-warehouse")
    opening, status, undo1, undo2, undo3, again, into = out[0], out[1], out[2], out[3], out[4], out[5], out[6]
    assert "made with version 1.0.0 of the story; it has been brought up to version 2.0.0" in opening
    assert "\nThe Depot.\n" in opening and "A key hangs heavy in your pocket." in opening
    assert "Courage: 25 of 100" in status
    assert "Trust: 40 of 100" in status  # the new variable, at its default
    assert "Undone: Slip into the old warehouse." in undo1 and "\nThe Market.\n" in undo1
    assert "Undone: Walk up to the market." in undo2 and "\nThe Dock.\n" in undo2
    assert "Nothing to undo." in undo3
    assert "\nThe Market.\n" in again and "\nThe Depot.\n" in into


def test_removed_scene_resumes_at_the_nearest_checkpoint_with_a_notice(saves: Path) -> None:
    out = play(V2, saves, ["status", "undo", "1", "undo"], load="at-roof")
    opening, status, undo_none, forward, undo = out[0], out[1], out[2], out[3], out[4]
    assert "The scene this save was in is no longer in the story; you resume at 'The Market', the nearest checkpoint." in opening
    assert "\nThe Market.\n" in opening
    assert "Courage: 35 of 100" in status and "Trust: 40 of 100" in status  # progress kept, new default
    # Undo cannot reach back past a scene that no longer exists, and says so...
    assert "Nothing to undo." in undo_none
    # ...but works for everything played from there on.
    assert "\nThe Depot.\n" in forward
    assert "Undone: Slip into the old depot." in undo and "\nThe Market.\n" in undo


def test_added_choice_and_variable_are_there_for_old_saves(saves: Path) -> None:
    out = play(V2, saves, ["2", "status", "undo", "status"], load="at-gate")
    opening, bribe, status_after, undo, status_back = out[0], out[1], out[2], out[3], out[4]
    assert "\nThe Gate.\n" in opening
    assert "2. Bribe the guard." in opening  # the new choice, open thanks to trust's default
    assert "THE END: Over the Wall." in bribe
    assert "Trust: 30 of 100" in status_after
    assert "Undone: Bribe the guard." in undo and "\nThe Gate.\n" in undo
    assert "Trust: 40 of 100" in status_back


def test_loading_inside_the_game_gives_the_same_repairs(saves: Path) -> None:
    out = play(V2, saves, ["load at-roof", "load at-warehouse", "history"])
    assert "Loaded 'at-roof'." in out[1] and "nearest checkpoint" in out[1]
    assert "Loaded 'at-warehouse'." in out[2] and "\nThe Depot.\n" in out[2]
    assert "The Dock: Walk up to the market." in out[3]
    assert "The Market: Slip into the old warehouse." in out[3]
