"""Hostile YAML is refused quickly with E103, never by running out of time, memory or stack."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from game.loader import check_story
from game.loader.yaml_source import MAX_NESTING, parse_yaml
from tests.conftest import MANIFEST, ROOT
from tests.fuzz._support import TIMINGS, check_diagnostics

# Measured well under 0.1 s each; the bound is generous because the machine is shared.
BOUND_SECONDS = 5.0


def billion_laughs() -> str:
    lines = ['lol0: &lol0 "lol"']
    for i in range(1, 10):
        lines.append(f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 10)}]")
    return "\n".join(lines) + "\nscenes: *lol9\n"


def merge_key_bomb() -> str:
    lines = ["m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}"]
    for i in range(1, 9):
        keys = ", ".join(f"k{j}: *m{i - 1}" for j in range(10))
        lines.append(f"m{i}: &m{i} {{<<: *m{i - 1}, {keys}}}")
    return "\n".join(lines) + "\nscenes: []\n"


def mapping_keys_bomb() -> str:
    # Aliases used as mapping keys: each key must be built (and hashed) to be used.
    lines = ["k0: &k0 [a, b, c, d, e, f, g, h, i, j]"]
    for i in range(1, 9):
        lines.append(f"k{i}: &k{i} [{', '.join([f'*k{i - 1}'] * 10)}]")
    return "\n".join(lines) + "\nscenes: {? *k8 : x}\n"


BOMBS: dict[str, Callable[[], str]] = {
    "billion laughs (10^9 values)": billion_laughs,
    "merge-key bomb": merge_key_bomb,
    "aliases as keys": mapping_keys_bomb,
    "flow nesting 1,000,000 deep": lambda: "scenes: " + "[" * 1_000_000 + "]" * 1_000_000 + "\n",
    "mapping nesting 200,000 deep": lambda: "scenes: " + "{a: " * 200_000 + "1" + "}" * 200_000 + "\n",
    "block nesting 100,000 deep": lambda: "scenes:\n" + "- " * 100_000 + "x\n",
    "indentation 3,000 deep": lambda: "scenes:\n" + "\n".join(" " * (i + 1) + "k:" for i in range(3000)) + "\n",
    "nesting between the limit and Python's stack": lambda: "scenes:\n" + "- " * 1500 + "x\n",
}


@pytest.mark.fuzz
@pytest.mark.parametrize("name", list(BOMBS))
def test_hostile_yaml_is_refused_quickly_with_e103(name: str, tmp_path: Path) -> None:
    root = tmp_path / "story"
    root.mkdir()
    (root / "story.yaml").write_text(MANIFEST)
    (root / "bomb.yaml").write_text(BOMBS[name]())
    start = time.perf_counter()
    story, diagnostics = check_story(root)
    elapsed = time.perf_counter() - start
    TIMINGS[f"refuse: {name}"] = elapsed
    assert story is None
    check_diagnostics(diagnostics)
    (refusal,) = [d for d in diagnostics if d.code == "E103"]
    assert refusal.path.endswith("bomb.yaml") and refusal.line >= 1
    assert elapsed < BOUND_SECONDS, f"{name} took {elapsed:.2f} s"


def test_nesting_within_the_limit_still_loads() -> None:
    # The document's own mapping is the first level.
    depth = MAX_NESTING - 1
    parsed = parse_yaml("a: " + "[" * depth + "]" * depth + "\n" + "#" + "[" * 6000 + "\n")
    assert parsed.problems == [] and parsed.data is not None


def test_deep_nesting_reports_where_it_goes_too_deep() -> None:
    parsed = parse_yaml("a: 1\nb: " + "[" * 50_000 + "]" * 50_000 + "\n")
    (problem,) = parsed.problems
    assert problem.code == "E103" and "nested more than" in problem.message
    # The first list is level 2 (inside the document's mapping), at column 4.
    assert (problem.line, problem.col) == (2, 4 + MAX_NESTING - 2 + 1)


@pytest.mark.fuzz
def test_nesting_that_crashed_libyaml_is_refused_in_a_fresh_process(tmp_path: Path) -> None:
    # Before the nesting guard this input killed the process with SIGSEGV (libyaml's
    # composer recurses in C), so it is checked in a child: a crash fails one test
    # instead of ending the whole run.
    bomb = tmp_path / "deep.yaml"
    bomb.write_text("scenes: " + "[" * 300_000 + "]" * 300_000 + "\n")
    code = (
        "import sys; from game.loader.yaml_source import parse_yaml\n"
        "p = parse_yaml(open(sys.argv[1]).read()); print(p.problems[0].code)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(bomb)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, f"exit {out.returncode}: {out.stderr[-500:]}"
    assert out.stdout.strip() == "E103"


def test_oversized_scene_file_is_refused_before_parsing(tmp_path: Path) -> None:
    root = tmp_path / "story"
    root.mkdir()
    (root / "story.yaml").write_text(MANIFEST)
    with open(root / "big.yaml", "w") as f:
        f.write("scenes: []\n# " + "x" * (9 * 1024 * 1024) + "\n")
    start = time.perf_counter()
    _, diagnostics = check_story(root)
    TIMINGS["refuse: 9 MB scene file"] = time.perf_counter() - start
    assert any(d.code == "E103" and "larger than" in d.message for d in diagnostics)


@pytest.mark.parametrize("levels", [1_200, 6_000, 1_000_000])
def test_nesting_refusal_is_ours_whatever_libyaml_is_installed(levels: int) -> None:
    # PyYAML 6.0.4's libyaml refuses 1,000 levels itself, in its scanner, as a
    # syntax error; 6.0.3's does not. Either way the player sees our E103, at the
    # first value nested too deep (the 101st bracket here: column 8 + 100).
    parsed = parse_yaml("scenes: " + "[" * levels + "]" * levels + "\n")
    assert [(p.code, p.message, p.line, p.col) for p in parsed.problems] == [
        ("E103", f"values are nested more than {MAX_NESTING} levels deep", 1, 8 + MAX_NESTING)
    ]
