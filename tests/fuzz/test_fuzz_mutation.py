"""Mutation fuzzing of the shipped scene files: the loader and `validate` never raise.

Each case takes a real file (or a run of scenes cut from one), damages it the
ways files really get damaged (bit flips, lost or doubled lines, cut-off
writes, wrong indentation, swapped tokens, hostile YAML) and loads it. Every
case is seeded by its number, so a failure names the case that reproduces it.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import re
from pathlib import Path

import pytest

from game.authoring.checks import validate_story
from game.cli import main
from tests.conftest import DEMO, SCENES
from tests.fuzz._mutate import mutate_bytes, mutate_lines
from tests.fuzz._support import (
    cases,
    check_diagnostics,
    check_validate_output,
    count,
    play_randomly,
    scratch_dir,
)

BATCH = 50
TOTAL = cases(small=150, full=5_000)
BATCHES = max(1, TOTAL // BATCH)


def shipped_files() -> list[Path]:
    files = sorted(SCENES.glob("*.yaml")) + sorted(DEMO.glob("*.yaml"))
    assert files, "no shipped scene files to mutate"
    return files


def excerpt(lines: list[str], rng: random.Random) -> list[str]:
    """The file's header plus a few consecutive scenes, so most cases stay fast."""
    starts = [i for i, line in enumerate(lines) if re.match(r"^  - id:", line)]
    if len(starts) < 4 or rng.random() < 0.2:
        return lines
    header = lines[: starts[0]]
    first = rng.randrange(len(starts))
    last = min(len(starts) - 1, first + rng.randint(1, 5))
    end = starts[last] if last > first else len(lines)
    return header + lines[starts[first] : end]


def build_case(case: int, work: Path) -> str:
    """Write the story folder for case ``case``; return a description of what was done."""
    rng = random.Random(f"mutation-{case}")
    files = shipped_files()
    source = rng.choice(files)
    manifest = source.parent / "story.yaml"
    lines = source.read_text(encoding="utf-8").split("\n")
    if source.name != "story.yaml":
        lines = excerpt(lines, rng)
    steps = []
    for _ in range(rng.randint(1, 5)):
        if rng.random() < 0.75:
            lines = mutate_lines(lines, rng)
            steps.append("line")
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    for _ in range(rng.choice([0, 0, 0, 1, 2])):
        data = mutate_bytes(data, rng)
        steps.append("byte")
    if rng.random() < 0.05:  # the whole file cut off somewhere
        data = data[: rng.randrange(len(data) + 1)]
        steps.append("truncate")
    (work / source.name).write_bytes(data)
    if source.name == "story.yaml":
        # A damaged manifest with the scenes it belongs with (one file of them, for speed).
        partners = [p for p in source.parent.glob("*.yaml") if p.name != "story.yaml"]
        partner = rng.choice(sorted(partners))
        text = partner.read_text(encoding="utf-8").split("\n")
        (work / partner.name).write_text("\n".join(excerpt(text, rng)), encoding="utf-8")
    else:
        (work / "story.yaml").write_bytes(manifest.read_bytes())
    return f"case {case}: {source.name} with {', '.join(steps) or 'no'} mutations"


@pytest.mark.fuzz
@pytest.mark.parametrize("batch", range(BATCHES), ids=lambda b: f"batch{b}-of-{BATCHES}x{BATCH}")
def test_mutated_shipped_files_never_crash_the_loader(batch: int) -> None:
    for case in range(batch * BATCH, (batch + 1) * BATCH):
        with scratch_dir("mut") as work:
            what = build_case(case, work)
            try:
                report = validate_story(work)
                check_diagnostics(report.diagnostics)
                if report.story is not None:
                    play_randomly(report.story, seed=case)
                if case % 5 == 0:
                    out, err = io.StringIO(), io.StringIO()
                    as_json = case % 10 == 0
                    argv = ["validate", str(work)] + (["--format", "json"] if as_json else [])
                    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                        code = main(argv)
                    assert code in (0, 1)
                    if as_json:
                        data = json.loads(out.getvalue())
                        check_diagnostics_json(data["diagnostics"])
                    else:
                        check_validate_output(out.getvalue())
            except BaseException as exc:
                raise AssertionError(f"{what}: {type(exc).__name__}: {exc}") from exc
            count("mutation: shipped scene files")


def check_diagnostics_json(items: list[dict[str, object]]) -> None:
    for item in items:
        assert item["path"] and isinstance(item["line"], int) and item["line"] >= 1
        assert isinstance(item["col"], int) and item["col"] >= 1
        assert re.match(r"^[EW]\d{3}$", str(item["code"]))
