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
