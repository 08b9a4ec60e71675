"""A cache entry whose checksum is right but whose content does not make a story is rebuilt, never used.

The CRC catches damage; an entry written by hand (or by a buggy engine) with
the right checksum could still name a start scene that is not there or give a
variable a default of the wrong type, and crashed ``validate`` and ``play``
with KeyError or AssertionError. Now any entry that fails to build a
consistent Story is a miss: the story is read again from its YAML.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import threading
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from game.cli import main
from game.loader import check_story, load_story
from game.loader.cache import SUFFIX
from game.session import Session
from tests.conftest import DEMO


def resign(entry: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Edit the entry's JSON and write it back with a checksum that matches, as load() checks it."""
    data = json.loads(entry.read_bytes())
    del data["crc"]
    change(data)
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")[:-1]
    entry.write_bytes(body + b',"crc":"%08x"}' % zlib.crc32(body))


def set_start(data: dict[str, Any]) -> None:
    assert data["story"]["start"] == "brief.hangar"
    data["story"]["start"] = "nowhere"


def wrong_default(data: dict[str, Any]) -> None:
    row = data["variables"][0]
    assert row[1] == "int"
    row[2] = "not a number"


def wrong_target(data: dict[str, Any]) -> None:
    text = json.dumps(data["scenes"])
    assert '"canal.stage"' in text
    data["scenes"] = json.loads(text.replace('"canal.stage"', '"canal.nowhere"', 1))


def drop_scene(data: dict[str, Any]) -> None:
    data["scenes"] = data["scenes"][1:]


def scene_of_wrong_shape(data: dict[str, Any]) -> None:
    data["scenes"][0] = [1, 2, 3]


def unknown_ending(data: dict[str, Any]) -> None:
    text = json.dumps(data["scenes"])
    endings = [s for s in load_story(DEMO, use_cache=False).scenes.values() if s.ending]
    needle = f'"{endings[0].ending}"'
    assert needle in text
    data["scenes"] = json.loads(text.replace(needle, '"no-such-ending"'))


DAMAGE: dict[str, Callable[[dict[str, Any]], None]] = {
    "unknown start scene": set_start,
    "default of the wrong type": wrong_default,
    "choice to a missing scene": wrong_target,
    "a scene left out": drop_scene,
    "a scene of the wrong shape": scene_of_wrong_shape,
    "an ending that is not declared": unknown_ending,
    "story of the wrong shape": lambda data: data.update(story={"x": 1}),
    "a meter of a variable that is not there": lambda data: data["story"]["meters"][0].__setitem__(0, "ghost"),
    "a checkpoint that is not a scene": lambda data: data["story"].update(checkpoints=["nowhere"]),
    "a title art file that is not text": lambda data: data["story"].update(title_art_file=7),
    "an invariant of the wrong shape": lambda data: data["story"].update(invariants=[[1, 2]]),
    "variables not rows": lambda data: data.update(variables=[None]),
}


@pytest.mark.parametrize("name", DAMAGE)
def test_a_resigned_inconsistent_entry_is_rebuilt(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("METALLIC_ROUGE_CACHE", str(tmp_path))
    expected = load_story(DEMO, use_cache=False)
    assert check_story(DEMO)[0] == expected  # writes the entry
    (entry,) = tmp_path.glob(f"*{SUFFIX}")
    good = entry.read_bytes()
    resign(entry, DAMAGE[name])
    assert entry.read_bytes() != good
    story, diagnostics = check_story(DEMO)
    assert story == expected and not diagnostics
    assert entry.read_bytes() == good  # rewritten from the YAML
    # What crashed before: validate, and a game.
    resign(entry, DAMAGE[name])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(["validate", str(DEMO)]) == 0, err.getvalue()
    resign(entry, DAMAGE[name])
    story = load_story(DEMO)
    session = Session(story, seed=1)
    session.choose(session.choices()[0])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
def test_a_fifo_in_place_of_an_entry_is_a_miss_not_a_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("METALLIC_ROUGE_CACHE", str(tmp_path))
    expected = load_story(DEMO, use_cache=False)
    check_story(DEMO)
    (entry,) = tmp_path.glob(f"*{SUFFIX}")
    entry.unlink()
    os.mkfifo(entry)
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(check_story(DEMO)), daemon=True)
    thread.start()
    thread.join(20)
    if thread.is_alive():
        os.close(os.open(entry, os.O_WRONLY | os.O_NONBLOCK))  # let the blocked reader go
        thread.join(5)
        pytest.fail("check_story hung on a FIFO in the cache folder")
    assert result and result[0][0] == expected  # type: ignore[index]
