"""Loading 10,000 scenes: bare YAML parse, cold load, cached load, machine build, peak RSS."""

from __future__ import annotations

import gc
import json
import os
import shutil
import tempfile
from pathlib import Path

import yaml

from benchmarks import synth
from benchmarks.common import Metric, child_env, cpu_best, run_child
from game.loader import cache as story_cache
from game.loader import check_story
from game.loader.sources import story_files
from game.session import Session

SIZES = (100, 1_000, 10_000)


def bare_parse(files: list[Path]) -> None:
    """What the loader is compared with: reading and parsing each file, nothing else."""
    for path in files:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def bare_parse_without_collector(files: list[Path]) -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        bare_parse(files)
    finally:
        if was:
            gc.enable()


def run(repeat: int = 2) -> list[Metric]:
    stories = {n: synth.story(n) for n in SIZES}
    big = stories[10_000]
    files = story_files(big)
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    # Peak memory first, in children started while this process is still small
    # (Linux reports the larger of a child's and its parent's peak in ru_maxrss).
    # The "first" child's cache entry then serves the cached runs below.
    cache_folder = Path(tempfile.mkdtemp(prefix="bench-cache-", dir=synth.WORK))
    no_cache = Path(tempfile.mkdtemp(prefix="bench-nocache-", dir=synth.WORK))
    rss = {}
    for mode, folder in (("cold", no_cache), ("first", cache_folder), ("cached", cache_folder)):
        env = child_env(**{story_cache.ENV_VAR: str(folder)})
        rss[mode] = json.loads(run_child("benchmarks.rss_child", str(big), mode, env=env))
    shutil.rmtree(no_cache, ignore_errors=True)
    os.environ[story_cache.ENV_VAR] = str(cache_folder)

    story, diagnostics = check_story(big, use_cache=False)
    assert story is not None, [str(d) for d in diagnostics if d.is_error][:5]
    check_story(big)  # a hit: the entry the child wrote
    entry_mb = sum(p.stat().st_size for p in cache_folder.glob("*.json")) / 1e6

    # Interleaved rounds, least CPU time of each: the machine is shared and noisy.
    times: dict[str, list[float]] = {"bare": [], "bare_nogc": [], "cold": [], "cached": []}
    for _ in range(repeat):
        times["bare"].append(cpu_best(lambda: bare_parse(files), 1))
        times["bare_nogc"].append(cpu_best(lambda: bare_parse_without_collector(files), 1))
        times["cold"].append(cpu_best(lambda: check_story(big, use_cache=False), 1))
        times["cached"].append(cpu_best(lambda: check_story(big), 1))
    bare, bare_nogc = min(times["bare"]), min(times["bare_nogc"])
    cold, cached = min(times["cold"]), min(times["cached"])

    small = {}
    for n in (100, 1_000):
        files_n = story_files(stories[n])
        small[n] = {
            "bare_parse_s": round(cpu_best(lambda f=files_n: bare_parse(f), 3), 4),
            "cold_load_s": round(cpu_best(lambda s=stories[n]: check_story(s, use_cache=False), 3), 4),
            "cached_load_s": round(cpu_best(lambda s=stories[n]: check_story(s), 3), 4),
        }

    build = cpu_best(lambda: Session(story), repeat + 1)
    common = {
        "story": f"synthetic, {len(story.scenes):,} scenes, {len(files)} files, {size_mb:.1f} MB of YAML",
        "bare_parse_s": round(bare, 3),
        "bare_parse_collector_off_s": round(bare_nogc, 3),
        "timing": "CPU seconds of this process, least of interleaved rounds",
    }
    shutil.rmtree(cache_folder, ignore_errors=True)
    return [
        Metric(
            "cold_load_ratio",
            cold / bare,
            "<=",
            1.2,
            raw={
                **common,
                "cold_load_s": round(cold, 3),
                "ratio_to_parse_with_collector_off": round(cold / bare_nogc, 3),
                "smaller_stories": small,
            },
            note="load + validate without the cache / yaml.load(CSafeLoader) of each file as called by default; "
            "the loader turns the collector off, so its ratio to a parse with the collector off is also given",
        ),
        Metric(
            "cached_load_ratio",
            cached / bare,
            "<=",
            0.1,
            raw={
                **common,
                "cached_load_s": round(cached, 3),
                "cache_entry_mb": round(entry_mb, 1),
                "ratio_to_parse_with_collector_off": round(cached / bare_nogc, 3),
            },
        ),
        Metric(
            "machine_build_s_10k",
            build,
            "<=",
            0.5,
            unit="s",
            raw={"what": "Session(story): the transitions Machine, one state per scene, one transition per choice",
                 "transitions": sum(len(s.choices) for s in story.scenes.values())},
        ),
        Metric(
            "peak_rss_mb_10k",
            max(r["peak_rss_mb"] for r in rss.values()),
            "<=",
            300,
            unit="MB",
            raw={
                "no_cache": rss["cold"],
                "cache_miss_then_write": rss["first"],
                "cache_hit": rss["cached"],
                "how": "peak RSS (VmHWM, else ru_maxrss) of a child process that imports the engine, "
                "loads the story and builds a Session; the value is the largest of the three ways "
                "a load can go",
            },
        ),
    ]
