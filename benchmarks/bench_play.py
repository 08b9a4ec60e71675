"""Random playtests on the shipped story: steps a second on one core, and two jobs against one."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import ROOT, WORK, Metric, child_env, cpu_best, shipped_story_or_fallback
from game.authoring.playtest import parallel_random_runs, random_runs
from game.loader import load_story

# Issue 11 asks for playtests at least 1.5x as fast as at this commit, in the same run.
BASELINE = "1147877"


def _baseline_tree() -> Path | None:
    """A worktree of BASELINE under benchmarks/.work (made once), or None without git or the commit."""
    tree = WORK / f"base-{BASELINE}"
    if (tree / "game").is_dir():
        return tree
    WORK.mkdir(parents=True, exist_ok=True)
    made = subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), BASELINE],
        capture_output=True, text=True, check=False,
    )
    return tree if made.returncode == 0 and (tree / "game").is_dir() else None


def _child(root: Path, story: Path, runs: int) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.playtest_child", str(root), str(story), str(runs)],
        cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=600, check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"playtest_child {root} failed:\n{out.stderr[-2000:]}")
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def against_baseline(runs: int = 300, rounds: int = 2) -> list[Metric]:
    """This tree's random playtests against BASELINE's, on BASELINE's campaign (today's does
    not load there), in child processes, interleaved; and the same results for the seed."""
    tree = _baseline_tree()
    if tree is None:  # a checkout without the history, or without git
        print(f"  playtest_vs_{BASELINE} not measured: no git worktree of {BASELINE} could be made", file=sys.stderr)
        return []
    story = tree / "scenes"
    now: list[dict[str, object]] = []
    then: list[dict[str, object]] = []
    for _ in range(rounds):
        then.append(_child(tree, story, runs))
        now.append(_child(ROOT, story, runs))
    best_now = min(float(r["cpu_s"]) for r in now)  # type: ignore[arg-type]
    best_then = min(float(r["cpu_s"]) for r in then)  # type: ignore[arg-type]
    same = all(r["steps"] == then[0]["steps"] and r["endings"] == then[0]["endings"] for r in now + then)
    steps = int(now[0]["steps"])  # type: ignore[call-overload]
    return [
        Metric(
            f"playtest_vs_{BASELINE}",
            best_then / best_now if same else 0.0,
            ">=",
            1.5,
            unit="x",
            raw={
                "story": f"scenes as of {BASELINE} (the campaign since then does not load there)",
                "runs": runs,
                "steps": steps,
                "steps_per_s_now": round(steps / best_now),
                f"steps_per_s_{BASELINE}": round(steps / best_then),
                "same_results_for_seed_1": same,
                "endings": now[0]["endings"],
                "how": f"random_runs(story, {runs}, seed 1) in child processes with each tree first on "
                f"sys.path (benchmarks/.work/base-{BASELINE}, a git worktree), least CPU of 3 runs each, "
                f"{rounds} interleaved rounds; the value is 0 if the steps or endings differ",
            },
        )
    ]


def run(runs: int = 300, repeat: int = 3, rounds: int = 5) -> list[Metric]:
    folder, which = shipped_story_or_fallback()
    story = load_story(folder)
    load_story(folder)  # the workers of the two-job run read it from the cache, as the CLI's do
    tally = random_runs(story, runs, 1)
    steps = tally.steps
    one = cpu_best(lambda: random_runs(story, runs, 1), repeat)
    words = tally.words / max(1, tally.runs)

    # Wall time here: two jobs are about using two cores at once. Interleaved,
    # best of each, with the same seeds (so the same steps) in both.
    big = runs * 4
    serial: list[float] = []
    parallel: list[float] = []
    for _ in range(rounds):  # more rounds than elsewhere: a busy machine hits this one hardest
        start = time.perf_counter()
        serial_tally = random_runs(story, big, 1)
        serial.append(time.perf_counter() - start)
        start = time.perf_counter()
        parallel_tally = parallel_random_runs(str(folder), story, big, 1, jobs=2)
        parallel.append(time.perf_counter() - start)
    assert parallel_tally.steps == serial_tally.steps, "two jobs must play the same games as one"
    return [
        Metric(
            "playtest_steps_per_s",
            steps / one,
            ">=",
            20_000,
            unit="steps/s",
            raw={
                "story": which,
                "runs": runs,
                "steps": steps,
                "cpu_s": round(one, 3),
                "mean_words_per_run": round(words),
                "what": "random_runs, one job: every step renders the scene text and the choice labels",
            },
        ),
        Metric(
            "playtest_jobs2_speedup",
            min(serial) / min(parallel),
            ">=",
            1.8,
            unit="x",
            raw={
                "story": which,
                "runs": big,
                "steps": serial_tally.steps,
                "one_job_wall_s": round(min(serial), 3),
                "two_jobs_wall_s": round(min(parallel), 3),
                "all_rounds": {"one": [round(t, 3) for t in serial], "two": [round(t, 3) for t in parallel]},
            },
        ),
        *against_baseline(),
    ]
