"""The exhaustive walk on the shipped story: distinct states expanded per CPU second, and memory per state.

The memory figure comes from a fresh process (``python -m benchmarks.bench_walk FOLDER SECONDS``
prints one JSON line): in this one, the timed walks' freed memory would be reused and hide the growth.
"""

from __future__ import annotations

import json
import sys

from benchmarks.common import Metric, cpu_best, run_child, shipped_story_or_fallback
from game.authoring.search import walk
from game.authoring.statespace import StatePlan
from game.loader import load_story

STATES = 60_000  # expanded per timed walk: a few seconds, deep enough that the queue is large


def run(repeat: int = 3, memory_seconds: float = 10.0) -> list[Metric]:
    folder, which = shipped_story_or_fallback()
    story = load_story(folder)
    plan = StatePlan(story)
    sample = walk(story, seconds=120, max_states=STATES, plan=plan)
    one = cpu_best(lambda: walk(story, seconds=120, max_states=STATES, plan=plan), repeat)
    # Memory: one longer walk, its resident growth over the states it remembered
    # (hashes, queue entries and their shared paths). Wall time bounds it; the
    # figure is per state, so a busy machine changes how many, not how much each.
    long = json.loads(run_child("benchmarks.bench_walk", str(folder), str(memory_seconds)))
    return [
        Metric(
            "walk_states_per_s",
            sample.expanded / one,
            ">=",
            20_000,
            unit="states/s",
            raw={
                "story": which,
                "expanded": sample.expanded,
                "distinct_found": sample.distinct,
                "steps": sample.steps,
                "cpu_s": round(one, 3),
                "what": "playtest --exhaustive's breadth-first walk, one core: distinct states expanded per CPU second",
            },
        ),
        Metric(
            "walk_bytes_per_state",
            long["bytes_per_state"],
            "<=",
            2048,
            unit="B/state",
            raw={
                "story": which,
                **{k: v for k, v in long.items() if k != "bytes_per_state"},
                "what": "resident memory the walk grew by, over the distinct states it remembered",
            },
        ),
    ]


def _child(folder: str, seconds: float) -> None:
    story = load_story(folder)
    result = walk(story, seconds=seconds)
    print(json.dumps({
        "bytes_per_state": round(result.bytes_per_state, 1),
        "distinct": result.distinct,
        "expanded": result.expanded,
        "peak_rss_mb": round(result.peak_rss_bytes / 2**20, 1),
        "walk_s": round(result.seconds, 1),
        "verdict": result.verdict,
    }))


if __name__ == "__main__":
    _child(sys.argv[1], float(sys.argv[2]))
