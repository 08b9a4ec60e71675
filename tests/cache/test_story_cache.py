"""The compiled-story cache gives exactly what the YAML gives (correctness only, no timings)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.synth import write_story
from game.authoring.playtest import random_runs
from game.loader import cache as story_cache
from game.loader import check_story, load_story
from game.story import Story
from tests.conftest import DEMO, SCENES, TINY_SCENES


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(story_cache.ENV_VAR, str(folder))
    return folder


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{story_cache.SUFFIX}"))


def positions(story: Story) -> list[object]:
    """Every position in a story (positions are left out of the model's equality)."""
    out: list[object] = [d.pos for d in story.variables.values()]
    for scene in story.scenes.values():
        out.append(scene.pos)
        out.extend((c.pos, c.condition_pos) for c in scene.choices)
    return out


def assert_same(root: Path, cache_dir: Path) -> None:
    plain, plain_diags = check_story(root, use_cache=False)
    assert entries(cache_dir) == []
    first, first_diags = check_story(root)  # a miss: written to the cache
    assert len(entries(cache_dir)) == 1
    cached, cached_diags = check_story(root)  # a hit
    assert cached_diags == first_diags == plain_diags
    assert cached == first == plain
    if plain is not None:
        assert cached is not None
        assert positions(cached) == positions(plain)
        assert cached.files == plain.files and cached.root == plain.root
        # Deferred texts, labels, conditions and effects play exactly as compiled ones.
        assert random_runs(cached, 20, 5).__dict__ == random_runs(plain, 20, 5).__dict__
        for scene in plain.scenes.values():
            other = cached.scenes[scene.id]
            assert other.text.reads == scene.text.reads
            assert other.text.conditions == scene.text.conditions
            for mine, theirs in zip(other.choices, scene.choices, strict=True):
                assert [e.reads for e in mine.effects] == [e.reads for e in theirs.effects]


def test_demo_is_the_same_from_the_cache(cache_dir: Path) -> None:
    assert_same(DEMO, cache_dir)


def test_a_synthetic_story_is_the_same_from_the_cache(tmp_path: Path, cache_dir: Path) -> None:
    assert_same(write_story(120, tmp_path / "synth"), cache_dir)


def test_the_shipped_story_is_the_same_from_the_cache(tmp_path: Path, cache_dir: Path) -> None:
    # A copy: the loads compared must read the same bytes even while the story is being edited.
    copy = tmp_path / "scenes"
    shutil.copytree(SCENES, copy)
    assert_same(copy, cache_dir)


def test_warnings_and_errors_come_back_from_the_cache(make_story: Callable[..., Path], cache_dir: Path) -> None:
    broken = TINY_SCENES.replace("to: bad", "to: bda").replace("freedom -= 5", "fredom -= 5")
    root = make_story({"scenes.yaml": broken, "empty.yaml": ""})
    assert_same(root, cache_dir)
    story, diagnostics = check_story(root)
    assert story is None
    assert {d.code for d in diagnostics} >= {"E201", "E221", "W100"}
    assert all(d.path.startswith(str(root)) or not Path(d.path).is_absolute() for d in diagnostics)


def test_a_missing_manifest_is_reported_from_the_cache(tmp_path: Path, cache_dir: Path) -> None:
    root = tmp_path / "nomanifest"
    root.mkdir()
    (root / "scenes.yaml").write_text(TINY_SCENES)
    assert_same(root, cache_dir)


def test_editing_a_file_invalidates_the_entry(demo_copy: Path, cache_dir: Path) -> None:
    first = load_story(demo_copy)
    scene_file = demo_copy / "02-canal.yaml"
    scene_file.write_text(scene_file.read_text().replace("Backstage", "Behind the curtain"))
    second = load_story(demo_copy)
    assert second.scenes["canal.stage"].title == "Behind the curtain"
    assert first.scenes["canal.stage"].title == "Backstage"
    assert len(entries(cache_dir)) == 2
    assert second == load_story(demo_copy, use_cache=False)


def test_adding_or_renaming_a_file_invalidates_the_entry(demo_copy: Path, cache_dir: Path) -> None:
    load_story(demo_copy)
    (demo_copy / "02-canal.yaml").rename(demo_copy / "03-canal.yaml")
    story = load_story(demo_copy)
    assert any(name.endswith("03-canal.yaml") for name in story.files)
    assert len(entries(cache_dir)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b"\x80\x81 binary",
        b'{"format": %d}' % story_cache.FORMAT,
        b"[1, 2, 3]",
        b'{"format": %d, "key": "x", "files": [], "diagnostics": [], "story": null}' % story_cache.FORMAT,
    ],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(demo_copy: Path, cache_dir: Path, damage: bytes) -> None:
    good = load_story(demo_copy)
    (entry,) = entries(cache_dir)
    entry.write_bytes(damage)
    assert load_story(demo_copy) == good
    assert json.loads(entry.read_bytes())["story"]["id"] == good.id  # written again


def test_an_entry_with_the_right_key_but_wrong_shape_is_ignored(demo_copy: Path, cache_dir: Path) -> None:
    good = load_story(demo_copy)
    (entry,) = entries(cache_dir)
    data = json.loads(entry.read_bytes())
    data["scenes"][0] = ["too", "short"]
    entry.write_text(json.dumps(data))
    assert load_story(demo_copy) == good


def test_entries_are_plain_json_keyed_by_content(demo_copy: Path, cache_dir: Path) -> None:
    load_story(demo_copy)
    (entry,) = entries(cache_dir)
    data = json.loads(entry.read_text(encoding="utf-8"))
    assert data["format"] == story_cache.FORMAT and entry.name.startswith(data["key"])
    # The same files elsewhere are the same entry: the key is the content, not the place.
    other = demo_copy.parent / "elsewhere"
    shutil.copytree(demo_copy, other)
    story = load_story(other)
    assert len(entries(cache_dir)) == 1
    assert story.root == other and all("elsewhere" in name for name in story.files)


def test_use_cache_false_neither_reads_nor_writes(demo_copy: Path, cache_dir: Path) -> None:
    load_story(demo_copy, use_cache=False)
    assert entries(cache_dir) == []


def test_the_cache_can_be_turned_off(demo_copy: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(story_cache.ENV_VAR, "off")
    load_story(demo_copy)
    assert not cache_dir.exists()


def test_an_unwritable_cache_folder_is_no_error(demo_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(story_cache.ENV_VAR, str(blocker / "cache"))
    assert load_story(demo_copy) == load_story(demo_copy, use_cache=False)


def test_old_entries_are_pruned(tmp_path: Path, cache_dir: Path, make_story: Callable[..., Path]) -> None:
    for i in range(story_cache.MAX_ENTRIES + 3):
        load_story(make_story(TINY_SCENES.replace("Start", f"Start {i}")))
    assert len(entries(cache_dir)) == story_cache.MAX_ENTRIES
