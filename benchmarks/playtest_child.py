"""Child process for playtest_vs_1147877: random playtests with whatever ``game`` is first on sys.path.

``python -m benchmarks.playtest_child ROOT STORY RUNS`` (ROOT: a checkout, put first on
sys.path) prints one JSON line: the steps, the endings reached (the results for seed
1) and the least CPU seconds of three runs of ``random_runs(story, RUNS, 1)``.
"""

from __future__ import annotations

import gc
import json
import sys
import time

if __name__ == "__main__":
    root, story_dir, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    sys.path.insert(0, root)
    from game.authoring.playtest import random_runs
    from game.loader import load_story

    story = load_story(story_dir)
    tally = random_runs(story, runs, 1)
    best = float("inf")
    for _ in range(3):
        gc.collect()
        start = time.process_time()
        random_runs(story, runs, 1)
        best = min(best, time.process_time() - start)
    endings = tally.endings if isinstance(tally.endings, dict) else {}
    print(json.dumps({"steps": tally.steps, "endings": dict(sorted(endings.items())), "cpu_s": best}))
