"""A damaged compiled-story cache entry is never used: the story is read again from its YAML.

Damage that still parses as JSON (a flipped digit in a default, a letter in a
scene id or in an expression that is compiled only on first use) once loaded a
different story, or failed in the middle of a game; the entry's checksum now
turns any damage into a cache miss.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from game.loader import check_story, load_story
from game.loader.cache import SUFFIX
from tests.conftest import DEMO
from tests.fuzz._mutate import mutate_bytes
from tests.fuzz._support import cases, count, detail, play_randomly


@pytest.mark.fuzz
def test_damaged_cache_entries_are_rebuilt_never_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("METALLIC_ROUGE_CACHE", str(tmp_path))
    expected = load_story(DEMO, use_cache=False)
    assert check_story(DEMO)[0] == expected  # writes the entry
    (entry,) = tmp_path.glob(f"*{SUFFIX}")
    good = entry.read_bytes()
    for case in range(cases(small=100, full=1_500)):
        rng = random.Random(f"cache-{case}")
        data = good
        if rng.random() < 0.5:  # one character changed, the way a bad sector or a hand edit would
            i = rng.randrange(len(good))
            data = good[:i] + bytes([rng.choice(b"0123456789abcdefxyz_.{}[]\",:")]) + good[i + 1 :]
        else:
            for _ in range(rng.randint(1, 3)):
                data = mutate_bytes(data, rng)
        entry.write_bytes(data)
        story, diagnostics = check_story(DEMO)
        assert story == expected and not diagnostics, f"case {case}"
        play_randomly(story, seed=case, steps=30)
        if entry.read_bytes() == good:
            detail("damaged cache entries rewritten whole")
        count("cache: damaged entries")


def test_an_edited_entry_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("METALLIC_ROUGE_CACHE", str(tmp_path))
    check_story(DEMO)
    (entry,) = tmp_path.glob(f"*{SUFFIX}")
    raw = entry.read_bytes()
    assert b'"start":"brief.hangar"' in raw
    entry.write_bytes(raw.replace(b'"start":"brief.hangar"', b'"start":"canal.stage"'))
    story, _ = check_story(DEMO)
    assert story is not None and story.start == "brief.hangar"


def _resign(entry: Path, data: dict[str, object]) -> None:
    import json
    import zlib

    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")[:-1]
    entry.write_bytes(body + b',"crc":"%08x"}' % zlib.crc32(body))


def _slots(node: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every place in the parsed entry a value sits (the key, format and crc excepted)."""
    out: list[tuple[object, ...]] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if path or k not in ("format", "key", "crc"):
                out.append((*path, k))
                out.extend(_slots(v, (*path, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.append((*path, i))
            out.extend(_slots(v, (*path, i)))
    return out


@pytest.mark.fuzz
def test_resigned_entries_with_any_content_never_crash_a_load_a_validate_or_a_game(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry's structure or references changed, its checksum redone: a consistent Story or a rebuild.

    Texts and expression sources are left alone: they are compiled on first use
    and only the checksum vouches for them (SECURITY.md says so); everything
    else (ids, targets, types, shapes, numbers) may become anything.
    """
    import contextlib
    import copy
    import io
    import json

    from game.cli import main

    monkeypatch.setenv("METALLIC_ROUGE_CACHE", str(tmp_path))
    expected = load_story(DEMO, use_cache=False)
    check_story(DEMO)
    (entry,) = tmp_path.glob(f"*{SUFFIX}")
    good = json.loads(entry.read_bytes())
    del good["crc"]
    ids = sorted({*expected.scenes, *expected.endings})
    strings = [*ids, *expected.variables, "", "int", "bool", "str"]

    def at(path: tuple[object, ...]) -> object:
        node: object = good
        for step in path:
            node = node[step]  # type: ignore[index]
        return node

    # Every place but a text's or an expression's source (a string that is no id);
    # a list of sources may become empty or something else, never a list of other strings.
    places = [p for p in _slots(good) if not isinstance(at(p), str) or at(p) in ids]
    for case in range(cases(small=150, full=3_000)):
        rng = random.Random(f"resigned-{case}")
        data = copy.deepcopy(good)
        for _ in range(rng.randint(1, 3)):
            *parent_path, last = rng.choice(places)
            parent: object = data
            try:
                for step in parent_path:
                    parent = parent[step]  # type: ignore[index]
                parent[last]  # type: ignore[index]
            except (KeyError, IndexError, TypeError):
                continue  # an earlier change in this case moved it
            # A string only where an id was, so no text becomes an expression source.
            was = parent[last]  # type: ignore[index]
            choices: list[object] = [rng.randint(-5, 10**16), None, True, 1.5, [], {}]
            if isinstance(was, str):
                choices += [rng.choice(strings), ""] * 3
            parent[last] = rng.choice(choices)  # type: ignore[index]
        _resign(entry, data)
        story, _ = check_story(DEMO)
        if story == expected:
            detail("resigned entries rebuilt or unchanged")
        if story is not None:
            play_randomly(story, seed=case, steps=20)
        _resign(entry, data)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert main(["validate", str(DEMO)]) in (0, 1), f"case {case}"
        count("cache: resigned entries")
