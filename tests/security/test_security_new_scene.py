"""``new-scene`` never damages an author's files: valid YAML always, byte-identical files on any refusal.

Before: ``--title 'Backstage: the door'`` wrote the title unquoted, leaving the
file with a YAML syntax error while exiting 1, and ``--from <an ending>``
refused only after it had appended the scene.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from game.authoring.scaffold import scene_block
from game.cli import main
from game.loader import load_story
from tests.conftest import DEMO, SCENES


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target)
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    "title",
    ["Backstage: the door", "#hash", "yes", 'She said "no"', "- dash", "a: b: c", "[list]", "50% off", "\\back"],
)
def test_any_title_is_written_as_valid_yaml(title: str, demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["new-scene", "canal.door", "--file", str(demo / "03-extra.yaml"), "--from", "canal.song",
                 "--title", title])
    assert code == 0, capsys.readouterr()
    story = load_story(demo, use_cache=False)
    assert story.scenes["canal.door"].title == title
    assert any(c.target == "canal.door" for c in story.scenes["canal.song"].choices)
    yaml.safe_load((demo / "03-extra.yaml").read_text())


def test_linking_from_an_ending_refuses_before_touching_anything(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    story = load_story(demo, use_cache=False)
    ending = next(s.id for s in story.scenes.values() if s.ending)
    before = snapshot(demo)
    for file in ("03-extra.yaml", "02-canal.yaml"):  # a new file, and an existing one
        code = main(["new-scene", "canal.after", "--file", str(demo / file), "--from", ending])
        assert code == 1
        assert "is an ending" in capsys.readouterr().err
        assert snapshot(demo) == before


def test_an_edit_that_would_not_load_is_refused_and_leaves_the_files_byte_identical(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(demo)
    # A title with a template error ({ opens an expression), and an id the loader refuses.
    for args in (["canal.bad", "--title", "The {door"], ["Not An Id!"], ["canal.song"]):
        code = main(["new-scene", *args, "--file", str(demo / "02-canal.yaml"), "--from", "canal.truth"])
        assert code == 1
        err = capsys.readouterr().err
        assert "new-scene:" in err and "Traceback" not in err
        assert snapshot(demo) == before


def test_a_file_outside_the_story_folder_is_refused(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "elsewhere.yaml"
    code = main(["new-scene", "canal.far", "--file", str(outside), "--story", str(demo)])
    assert code == 1 and not outside.exists()
    assert "not inside the story folder" in capsys.readouterr().err


def test_the_edit_is_atomic_no_temporary_file_is_left(demo: Path) -> None:
    assert main(["new-scene", "canal.roof", "--file", str(demo / "02-canal.yaml"), "--from", "canal.song"]) == 0
    assert not [p for p in demo.iterdir() if p.name.endswith(".tmp")]
    story = load_story(demo, use_cache=False)
    assert "canal.roof" in story.scenes


def test_the_placeholder_names_nobody_of_this_campaign() -> None:
    campaign = load_story(SCENES, use_cache=False)
    names = {"Rouge", "Naomi", "Jean", "Noid"}
    if campaign.tracker is not None:
        for slot in campaign.tracker.slots:
            names.update(slot.name.split())
            names.update(alias for alias in slot.aliases)
    block = scene_block("x.y", "x.z", "Title")
    words = set(re.findall(r"[A-Za-z]+", block))
    assert not {n for n in names if n[:1].isupper() and len(n) > 2} & words
