"""Damaged saves and unusable saves folders: a clear message, the other saves untouched, play goes on.

tests/engine/test_saves.py covers the common damage (empty, cut off, not JSON,
a list, a newer format, another story); this file adds the rest and fuzzes the
reader and restore() with saves damaged at random.
"""

from __future__ import annotations

import copy
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.loader import load_story
from game.plain import PlainGame, run_plain
from game.saves import AUTOSAVE, SaveError, SaveStore, restore, to_save
from game.session import GameError, Session, StoryRuntimeError
from tests.conftest import DEMO, ROOT
from tests.fuzz._mutate import mutate_bytes
from tests.fuzz._support import count, hypothesis_settings

STORY = load_story(DEMO, use_cache=False)  # at import: before the private cache is set
HEADER = {"format": "metallic-rouge-save", "format_version": 1, "story_id": STORY.id}


def good_save() -> dict[str, Any]:
    session = Session(STORY, seed=7)
    session.choose(2)
    session.choose(1)
    return to_save(session, "good")


def damaged(name: str) -> bytes:
    """The bytes of a save damaged in one of the ways not covered in tests/engine."""
    good = good_save()
    if name == "huge":
        return b'{"format": "metallic-rouge-save", "pad": "' + b"x" * (10 * 1024 * 1024 + 10) + b'"}'
    if name == "number too long for Python":
        return json.dumps(HEADER).encode()[:-1] + b', "seed": ' + b"9" * 5000 + b"}"
    if name == "nested 100,000 deep":
        return b"[" * 100_000 + b"]" * 100_000
    if name == "JSON null":
        return b"null"
    if name == "a JSON string":
        return b'"metallic-rouge-save"'
    if name == "format version as text":
        return json.dumps(HEADER | {"format_version": "1", "state": {}}).encode()
    if name == "format version true":
        return json.dumps(HEADER | {"format_version": True, "state": {}}).encode()
    if name == "no game state":
        return json.dumps(HEADER).encode()
    if name == "state is a list":
        return json.dumps(HEADER | {"state": []}).encode()
    if name == "far-future version":
        return json.dumps(good | {"format_version": 10**9}).encode()
    if name == "UTF-16":
        return json.dumps(good).encode("utf-16")
    if name == "NUL bytes":
        return b"\x00" * 4096
    raise AssertionError(name)


DAMAGE = {
    "huge": "too large",
    "number too long for Python": "damaged",
    "nested 100,000 deep": "damaged",
    "JSON null": "not a Metallic Rouge save",
    "a JSON string": "not a Metallic Rouge save",
    "format version as text": "no format version",
    "format version true": "no format version",
    "no game state": "no game state",
    "state is a list": "no game state",
    "far-future version": "newer version",
    "UTF-16": "damaged",
    "NUL bytes": "damaged",
}


@pytest.mark.parametrize("name", list(DAMAGE))
def test_damaged_save_has_a_clear_message_and_spares_the_others(name: str, tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    store.write("good", good_save())
    before = (tmp_path / "good.json").read_bytes()
    (tmp_path / "bad.json").write_bytes(damaged(name))
    with pytest.raises(SaveError, match=DAMAGE[name]):
        store.read("bad", STORY.id)
    slots = {s.name: s for s in store.list(STORY.id)}
    assert set(slots) == {"good", "bad"}
    assert not slots["bad"].ok and DAMAGE[name].split()[0] in slots["bad"].error
    assert slots["good"].ok
    assert (tmp_path / "good.json").read_bytes() == before
    assert store.newest(STORY.id) == slots["good"]
    # In the game: a message, then play goes on from where it was.
    out = io.StringIO()
    game = PlainGame(Session(STORY, seed=1), store, out, autosave=False)
    code = run_plain(game, io.StringIO("load bad\nsaves\n1\nload good\n"))
    text = out.getvalue()
    assert code == 0
    (problem,) = [line for line in text.splitlines() if "Could not load 'bad':" in line]
    assert DAMAGE[name] in problem
    assert "bad: damaged - " in text and "Loaded 'good'." in text
    assert "Traceback" not in text


def test_a_folder_named_like_a_save_is_listed_as_damaged(tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    store.write("good", good_save())
    (tmp_path / "odd.json").mkdir()
    with pytest.raises(SaveError, match="not a save file"):
        store.read("odd")
    slots = {s.name: s for s in store.list(STORY.id)}
    assert not slots["odd"].ok and slots["good"].ok


def test_a_save_file_with_an_unusable_name_is_listed_but_not_loadable(tmp_path: Path) -> None:
    # Put there by hand or by another program: shown as damaged, never opened by a name
    # that check_slot_name would refuse.
    store = SaveStore(tmp_path)
    (tmp_path / "con.json").write_text(json.dumps(good_save()))
    (slot,) = store.list(STORY.id)
    assert not slot.ok and "reserved" in slot.error


# --- restore() and the reader under random damage ------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.text(max_size=12)
    | st.sampled_from(["brief.hangar", "canal.stage", "gone.scene", "freedom", "unknown", "slain"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += paths(value, (*prefix, i))
    return out


def replace(data: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    if not path:
        return value
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return data


@given(
    picks=st.lists(st.tuples(st.integers(0, 10**6), json_values, st.booleans()), min_size=1, max_size=4),
    moves=st.integers(0, 6),
)
@hypothesis_settings(small=100, full=2_000)
@pytest.mark.fuzz
def test_restore_repairs_or_refuses_any_damaged_save(picks: list[tuple[int, Any, bool]], moves: int) -> None:
    session = Session(STORY, seed=3)
    rng = random.Random(moves)
    for _ in range(moves):
        views = [v for v in session.choices() if v.available]
        if not views:
            break
        session.choose(rng.choice(views))
    data = to_save(session, "x")
    for where, value, delete in picks:
        spots = paths(data)
        spot = spots[where % len(spots)]
        data = replace(copy.deepcopy(data), spot, value, delete and bool(spot))
    data = json.loads(json.dumps(data))  # only what a JSON file can hold
    target = Session(STORY, seed=1)
    try:
        result = restore(target, data)
    except SaveError as exc:
        assert str(exc)
        count("saves: damaged saves restored (refused)")
        return
    assert all(isinstance(n, str) and n for n in result.notices)
    # Whatever was repaired, the game is a consistent one that can be played and undone.
    assert target.state in STORY.scenes
    for name, decl in STORY.variables.items():
        assert decl.accepts(target.vars[name]), (name, target.vars[name])
    target.text()
    target.choices()
    target.transcript()
    while target.can_undo:
        target.undo()
        assert target.state in STORY.scenes
    views = [v for v in target.choices() if v.available]
    if views and not target.is_over:
        try:
            target.choose(views[0])
        except (GameError, StoryRuntimeError):
            pass
    count("saves: damaged saves restored (repaired)")


@given(seed=st.integers(0, 2**32 - 1), rounds=st.integers(1, 6))
@hypothesis_settings(small=100, full=1_500)
@pytest.mark.fuzz
def test_reading_randomly_damaged_bytes_never_raises_anything_else(seed: int, rounds: int) -> None:
    rng = random.Random(seed)
    payload = json.dumps(good_save()).encode()
    for _ in range(rounds):
        payload = mutate_bytes(payload, rng)
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / f"mr-bytes-{os.getpid()}"
    store = SaveStore(folder)
    folder.mkdir(exist_ok=True)
    (folder / "slot.json").write_bytes(payload)
    try:
        data = store.read("slot", STORY.id)
    except SaveError as exc:
        assert str(exc)
    else:
        try:
            restore(Session(STORY), data)
        except SaveError:
            pass
    (slot,) = store.list(STORY.id)
    assert slot.name == "slot"
    count("saves: randomly damaged save files")


# --- a saves folder that cannot be used -----------------------------------------------


def blocked_store(tmp_path: Path, how: str) -> SaveStore:
    """A store whose folder cannot be written, even as root (chmod would not stop root)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    if how == "below a file":
        return SaveStore(blocker / "saves")
    if how == "folder is a file":
        return SaveStore(blocker)
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["below a file", "folder is a file"])
def test_unusable_saves_folder_says_so_once_and_play_goes_on(tmp_path: Path, how: str) -> None:
    store = blocked_store(tmp_path, how)
    out = io.StringIO()
    game = PlainGame(Session(STORY, seed=1), store, out)
    code = run_plain(game, io.StringIO("1\n1\nsave mine\nsaves\nload mine\n1\n1\n1\n"))
    text = out.getvalue()
    assert code == 0
    assert text.count("Autosave failed:") == 1
    assert "Play goes on" in text
    assert "Could not save: cannot write to the saves folder" in text
    assert "No saves yet in" in text
    assert "THE END: Orders Kept." in text  # all five choices were taken


def test_missing_saves_folder_is_created_by_the_first_autosave(tmp_path: Path) -> None:
    store = SaveStore(tmp_path / "not" / "yet" / "there")
    assert store.list() == [] and store.newest() is None
    out = io.StringIO()
    run_plain(PlainGame(Session(STORY, seed=1), store, out), io.StringIO("1\n"))
    assert "Autosave failed" not in out.getvalue()
    assert store.read(AUTOSAVE, STORY.id)["story_id"] == STORY.id


def test_unusable_saves_folder_through_the_command_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    run = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--story", str(DEMO), "--saves", str(blocker / "saves"),
         "--seed", "1", "--load", "anything"],
        input="1\n1\n1\n1\n1\n", capture_output=True, text=True, env=env, timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "Could not load 'anything'" in run.stdout and "Starting a new game instead" in run.stdout
    assert run.stdout.count("Autosave failed:") == 1
    assert "THE END: Orders Kept." in run.stdout
    assert "Traceback" not in run.stderr
