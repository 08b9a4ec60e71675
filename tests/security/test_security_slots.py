"""Slot names can never reach outside the saves folder (tests/engine/test_saves.py has the basics)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.loader import load_story
from game.saves import SaveError, SaveStore, check_slot_name, to_save
from game.session import Session
from tests.conftest import DEMO, ROOT
from tests.fuzz._support import count, hypothesis_settings

REFUSED = [
    "..", ".", "...", "./x", "x/..", "..\\x", "a\\b", "C:\\x", "C:x", "\\\\server\\share", "//server/share",
    "a\n", "a\r", "a\nb", "\n", "a\tb", " lead", "trail ", "-dash-first", "_underscore_first",
    "a／b", "a∕b", "a⁄b", "．．", "a\u2024b", "é", "ｓａｖｅ", "a\u202eb", "a\u200bb", "\ufeffa", "a\U0001f600",
    "x" * 65, "x" * 10_000, "con", "CON ", "con.json", "Aux.tar.gz", "nul", "NUL.txt", "com1", "COM9.x",
    "lpt1", "COM¹", "conin$", "~", "~/x", "$HOME", "%APPDATA%", "a*b", "a?b", "a|b", 'a"b', "a<b", "a>b", "a:b",
]
ACCEPTED = ["slot one", "a.b", "x" * 64, "autosave-previous", "Chapter_2.final", "console", "com10", "1"]


@pytest.mark.parametrize("name", REFUSED)
def test_names_that_could_escape_or_misbehave_are_refused(name: str, tmp_path: Path) -> None:
    store = SaveStore(tmp_path / "saves")
    with pytest.raises(SaveError):
        check_slot_name(name)
    with pytest.raises(SaveError):
        store.write(name, {"format": "metallic-rouge-save"})
    with pytest.raises(SaveError):
        store.read(name)
    assert not any(p for p in tmp_path.rglob("*") if p.is_file())


@pytest.mark.parametrize("name", ACCEPTED)
def test_ordinary_names_are_accepted(name: str, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    assert store.path_for(name) == tmp_path / f"{name}.json"


@given(name=st.text(max_size=80) | st.text(st.sampled_from("./\\:~ ..aA0\x00\n-_"), max_size=12))
@hypothesis_settings(small=200, full=2_000)
@pytest.mark.fuzz
def test_any_name_stays_in_the_folder_or_is_refused(name: str) -> None:
    folder = Path("/nonexistent/saves-folder")
    try:
        path = SaveStore(folder).path_for(name)
    except SaveError as exc:
        assert str(exc)
    else:
        assert path.parent == folder and path.name == f"{name}.json"
        assert os.path.normpath(path) == str(path)  # nothing for the OS to resolve
        assert name.isascii() and name.isprintable()
    count("security: random slot names")


def test_a_symlinked_slot_is_replaced_not_followed_when_saving(tmp_path: Path) -> None:
    # Something outside the folder that a slot file points to is never written to.
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    folder = tmp_path / "saves"
    folder.mkdir()
    (folder / "evil.json").symlink_to(outside)
    store = SaveStore(folder)
    with pytest.raises(SaveError):
        store.read("evil")  # the target is not a save: "not valid JSON", not a crash
    store.write("evil", to_save(Session(load_story(DEMO))))
    assert outside.read_text() == "keep me"
    assert not (folder / "evil.json").is_symlink()
    assert json.loads((folder / "evil.json").read_text())["format"] == "metallic-rouge-save"


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "..", "con"])
def test_the_command_line_refuses_such_names_and_starts_a_new_game(name: str, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--story", str(DEMO), "--saves", str(tmp_path), "--load", name],
        input=f"save {name}\nload {name}\nquit\n", capture_output=True, text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert f"Could not load '{name}'" in run.stdout and "Starting a new game instead" in run.stdout
    # Refused twice in the game (save and load), once at the start (--load).
    assert run.stdout.count("Could not save:") == 1 and run.stdout.count(f"Could not load '{name}'") == 2
    assert "root:" not in run.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == []
