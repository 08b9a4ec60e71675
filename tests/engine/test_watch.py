from __future__ import annotations

import os
from pathlib import Path

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
