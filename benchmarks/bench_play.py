"""Random playtests on the shipped story: steps a second on one core, and two jobs against one."""

from __future__ import annotations

import time

from benchmarks.common import Metric, cpu_best, shipped_story_or_fallback
from game.authoring.playtest import parallel_random_runs, random_runs
from game.loader import load_story


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
    ]
