from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from game.loader import load_story
from game.play.watch import StoryWatcher
from game.session import Session


def touch_later(path: Path, text: str) -> None:
    path.write_text(text)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_reload_keeps_state_and_broken_edit_keeps_last_good(tiny: Path) -> None:
    session = Session(load_story(tiny))
    session.choose(1)
    watcher = StoryWatcher(tiny, session)
    assert watcher.poll() == []
    scenes = tiny / "scenes.yaml"
    original = scenes.read_text()
    touch_later(scenes, original.replace("You defied.", "You defied them all."))
    messages = watcher.poll()
    assert messages and messages[0].startswith("Reloaded")
    assert session.state == "b" and session.text() == "You defied them all."
    assert session.vars["freedom"] == 61
    touch_later(scenes, original.replace("to: bad", "to: nowhere"))
    messages = watcher.poll()
    assert "error(s)" in messages[0] and "E201" in messages[1]
    assert session.text() == "You defied them all."
    session.choose(2)  # the machine still works on the last good version
    assert session.is_over
    session.undo()
    assert session.state == "b"


def _change_id(root: Path, new_id: str) -> None:
    manifest = root / "story.yaml"
    touch_later(manifest, manifest.read_text().replace("id: tiny", f"id: {new_id}"))


def test_game_refuses_a_reload_that_changes_the_story_id(tiny: Path, tmp_path: Path) -> None:
    from game.play.game import Game
    from game.saves import SaveStore

    store = SaveStore(tmp_path / "saves")
    game = Game.open(tiny, store, seed=1, watch=True)
    for write in game.new_game().writes:
        write.run()
    for write in game.choose(1).writes:
        write.run()
    _change_id(tiny, "other")
    out = game.reload()
    assert not out.shows  # nothing switched: the scene is not shown again
    notice = out.notices[0]
    assert "'other'" in notice.text and "last good version" in notice.text
    assert game.session is not None and game.session.story.id == "tiny" and game.story is not None
    assert game.story.id == "tiny"
    # Play goes on with the last good version, and its autosave stays readable.
    for write in game.choose(2).writes:
        assert write.run() == []
    assert game.session.is_over
    assert game.load("autosave").ok
    # Setting the id back lets the next edit reload as usual.
    manifest = tiny / "story.yaml"
    touch_later(manifest, manifest.read_text().replace("id: other", "id: tiny"))
    assert game.reload().notices[0].text.startswith("Reloaded")


class _EditingInput:
    """stdin for ``play --plain --watch`` that edits the story's id before the second line."""

    def __init__(self, lines: list[str], edit: Callable[[], None]) -> None:
        self.lines = lines
        self.edit = edit
        self.read = 0

    def readline(self, limit: int = -1) -> str:
        if self.read == 1:
            self.edit()
        self.read += 1
        return self.lines.pop(0) if self.lines else ""

    def isatty(self) -> bool:
        return False


def test_cli_watch_refuses_an_id_change_and_plays_on(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from game.cli import main

    monkeypatch.setattr("sys.stdin", _EditingInput(["1\n", "2\n", "quit\n"], lambda: _change_id(tiny, "other")))
    saves = tmp_path / "saves"
    code = main(["play", "--plain", "--watch", "--story", str(tiny), "--saves", str(saves), "--seed", "1"])
    out = capsys.readouterr().out
    assert code == 0
    assert "id is now 'other', not 'tiny'" in out
    assert "THE END: Bad." in out  # choice 2 of the last good version was taken
    import json

    assert json.loads((saves / "autosave.json").read_text())["story_id"] == "tiny"
