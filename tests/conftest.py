from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo"
SCENES = ROOT / "scenes"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def private_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test (and every game it starts) keeps the player's settings in a folder of its own,
    never in the real home's config folder (game/tui/settings.py)."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("METALLIC_ROUGE_CONFIG", str(folder / "metallic-rouge"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder / "metallic-rouge"


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target)
    return target


MANIFEST = """\
story:
  id: tiny
  title: Tiny
  version: 1.0.0
  start: a
  variables:
    freedom: {type: int, default: 10, min: 0, max: 100}
    flag: {type: bool, default: false}
    mood: {type: str, default: calm, values: [calm, angry]}
  meters:
    - var: freedom
      label: Freedom
      bands: [{from: 0, label: Gear}, {from: 50, label: Free}]
  endings:
    good: {title: Good}
    bad: {title: Bad}
"""


@pytest.fixture
def make_story(tmp_path: Path) -> Callable[..., Path]:
    """Write a small story folder: a manifest (default MANIFEST) and scene files."""

    counter = iter(range(1000))

    def make(scenes: str | dict[str, str], manifest: str = MANIFEST) -> Path:
        root = tmp_path / f"story{next(counter)}"
        root.mkdir()
        (root / "story.yaml").write_text(textwrap.dedent(manifest))
        files = scenes if isinstance(scenes, dict) else {"scenes.yaml": scenes}
        for name, text in files.items():
            (root / name).write_text(textwrap.dedent(text))
        return root

    return make


TINY_SCENES = """\
scenes:
  - id: a
    title: Start
    text: "Freedom is {freedom}."
    choices:
      - label: Defy
        to: b
        do: [freedom += 50, flag = true]
      - label: Obey
        to: b
        do: [freedom -= 5]
      - label: Ask again
        to: a
        once: true
        do: [mood = "angry"]
  - id: b
    title: Middle
    on_enter: [freedom += 1]
    text: "{if flag}You defied.{else}You obeyed.{end}"
    choices:
      - label: Walk free
        to: good
        if: freedom >= 50
        locked: Not yet.
      - label: Stay
        to: bad
  - id: good
    title: Free
    ending: good
    text: Free.
  - id: bad
    title: Bound
    ending: bad
    text: Bound.
"""


@pytest.fixture
def tiny(make_story: Callable[..., Path]) -> Path:
    return make_story(TINY_SCENES)
