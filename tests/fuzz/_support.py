"""Shared helpers for the fuzz tests: case counts, the properties every diagnostic must have.

The counts come from the environment so that ``make test`` runs a few hundred
cases quickly while ``make fuzz`` (FUZZ_FULL=1) runs the full ten thousand and
more. Every fuzzer records how many cases it ran; tests/fuzz/conftest.py prints
the totals at the end of the session.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from game.story import Diagnostic

FULL = os.environ.get("FUZZ_FULL", "") not in ("", "0")

# Cases run by each fuzzer in this session (name -> count), printed by conftest.py.
COUNTS: Counter[str] = Counter()
# Informative counts that are part of a fuzzer's cases (not added to the total).
DETAILS: Counter[str] = Counter()
# Measured times worth showing (name -> seconds), printed by conftest.py too.
TIMINGS: dict[str, float] = {}

CODE_RE = re.compile(r"^[EW]\d{3}$")
# How `validate` prints a diagnostic: path:line:col: severity[CODE]: message
LINE_RE = re.compile(r"^.+:[1-9]\d*:[1-9]\d*: (error|warning)\[[EW]\d{3}\]: .+$")


def cases(small: int, full: int) -> int:
    """The number of cases to run: ``small`` in make test, ``full`` under FUZZ_FULL."""
    return full if FULL else small


def hypothesis_settings(small: int, full: int) -> settings:
    # derandomize: the same examples every run, so a pass or a failure is reproducible
    # and make test is never flaky; deadline off because the machine is shared and noisy.
    return settings(
        max_examples=cases(small, full),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def count(name: str, n: int = 1) -> None:
    COUNTS[name] += n


def detail(name: str, n: int = 1) -> None:
    DETAILS[name] += n


@contextmanager
def scratch_dir(prefix: str = "fuzz") -> Iterator[Path]:
    """A fresh folder per case: hypothesis runs many examples inside one test call,
    so pytest's tmp_path (one per test) cannot be used."""
    path = Path(tempfile.mkdtemp(prefix=f"mr-{prefix}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _printable(text: str) -> bool:
    return not any(ord(c) < 32 and c not in "\t" for c in text)


def check_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    """Every diagnostic names a place an author can go to and a stable code."""
    for d in diagnostics:
        assert isinstance(d.path, str) and d.path, d
        assert isinstance(d.line, int) and d.line >= 1, d
        assert isinstance(d.col, int) and d.col >= 1, d
        assert CODE_RE.match(d.code), d
        assert isinstance(d.message, str) and d.message, d
        rendered = str(d)
        assert rendered.startswith(f"{d.path}:{d.line}:{d.col}: "), rendered


def check_validate_output(text: str) -> None:
    """Each line `validate` prints is a diagnostic or the closing summary."""
    for line in text.splitlines():
        if not line or line.endswith("scene(s).") or line.startswith("  "):
            continue
        assert LINE_RE.match(line), repr(line)


def play_randomly(story: object, seed: int, steps: int = 25) -> None:
    """Play a loaded story at random: only the story's own errors may come out.

    A story that loads without errors is one a player may start; any other
    exception here would be a crash in front of the player.
    """
    import random

    from game.session import GameError, Session, StoryRuntimeError
    from game.story import Story

    assert isinstance(story, Story)
    rng = random.Random(seed)
    try:
        session = Session(story, seed=seed)
    except StoryRuntimeError:
        return
    for _ in range(steps):
        try:
            session.text()
            views = [v for v in session.choices() if v.available]
            if session.is_over or not views:
                if session.can_undo and rng.random() < 0.5:
                    session.undo()
                else:
                    session.restart()
                continue
            session.choose(rng.choice(views))
            if rng.random() < 0.1 and session.can_undo:
                session.undo()
        except (GameError, StoryRuntimeError):
            continue


@pytest.fixture(autouse=True, scope="session")
def private_story_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A compiled-story cache of the run's own (child processes inherit it).

    Thousands of generated stories would otherwise each leave an entry in the
    developer's cache folder, and entries from other runs could decide a case.
    The cache stays on: a case's first load writes an entry, and the in-process
    `validate` of the same folder reads it back, so both paths are fuzzed.
    """
    old = os.environ.get("METALLIC_ROUGE_CACHE")
    os.environ["METALLIC_ROUGE_CACHE"] = str(tmp_path_factory.mktemp("story-cache"))
    yield
    if old is None:
        os.environ.pop("METALLIC_ROUGE_CACHE", None)
    else:
        os.environ["METALLIC_ROUGE_CACHE"] = old
