"""The sdist builds, holds the licence, and installs into a folder of its own as a working game."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_sdist_builds_and_installs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--sdist", "-o", str(dist), str(ROOT)],
                   check=True, capture_output=True, text=True, timeout=300)
    (sdist,) = dist.glob("metallic_rouge-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"LICENSE", "pyproject.toml", "scenes/story.yaml", "game/web/templates/index.html"} <= names
    target = tmp_path / "site"
    # The dependencies are this test's own (no network of the test's making): only the game installs.
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(sdist)],
                   check=True, capture_output=True, text=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = ("import game.paths as p, pathlib; print(p.default_story_dir()); "
            "assert (p.default_story_dir() / 'story.yaml').is_file(); assert not p.is_checkout()")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True,
                         capture_output=True, text=True, timeout=60)
    assert str(target) in out.stdout
    validate = subprocess.run([sys.executable, "-m", "game", "validate"], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)
    assert validate.returncode == 0, validate.stdout + validate.stderr
