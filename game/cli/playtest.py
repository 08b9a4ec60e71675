"""``metallic-rouge playtest``: seeded random playthroughs, or an exhaustive walk."""

from __future__ import annotations

import argparse
import json
import os

from game.cli.common import add_story_arg, load_or_report, story_dir


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "playtest",
        help="play the story automatically and report coverage and problems",
        description="Random mode (default) plays --runs seeded games to an ending through the game's own "
        "Session, assembling every scene's text. --exhaustive walks every reachable state instead, "
        "within --budget states. Exits 1 if any problem (crash, stuck, loop) is found.",
    )
    add_story_arg(p, positional=True)
    p.add_argument("--runs", type=int, default=1000, help="random playthroughs (default 1000)")
    p.add_argument("--seed", type=int, default=1, help="seed of the first run; run i uses seed+i")
    p.add_argument("--exhaustive", action="store_true", help="explore every reachable state (like quicktest)")
    p.add_argument("--budget", type=int, default=200_000, help="exhaustive: most distinct states to visit")
    p.add_argument("--max-steps", type=int, default=1000, help="a run longer than this is reported as a loop")
    p.add_argument("--jobs", type=int, default=1, help="processes to use (0 = one per core)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from game.authoring.playtest import exhaustive, parallel_random_runs, report, timed

    folder = story_dir(args.story)
    story = load_or_report(folder)
    if story is None:
        return 1
    if args.exhaustive:
        tally, seconds = timed(exhaustive, story, args.budget, args.seed)
        result = report(story, tally, seconds, "exhaustive")
    else:
        jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
        tally, seconds = timed(parallel_random_runs, str(folder), story, max(1, args.runs), args.seed, jobs, args.max_steps)
        result = report(story, tally, seconds, "random")
        result["jobs"] = jobs
    if args.format == "json":
        print(json.dumps(result, indent=2))
    else:
        print(format_report(result))
    return 1 if result["problems"] else 0


def format_report(r: dict) -> str:  # type: ignore[type-arg]
    lines = []
    if r["mode"] == "random":
        lines.append(f"{r['runs']} random playthroughs, {r['steps']:,} steps in {r['seconds']} s ({r['steps_per_second']:,} steps/s)")
        lines.append(f"  mean length: {r['mean_steps']} choices, {r['mean_words']:,} words")
    else:
        lines.append(f"exhaustive walk: {r['states']:,} states, {r['steps']:,} steps in {r['seconds']} s")
        if r["budget_exhausted"]:
            lines.append("  (the state budget ran out: raise --budget for a fuller walk)")
    lines.append(
        f"  coverage: scenes {r['scene_coverage']:.1%}, choices {r['choice_coverage']:.1%}, "
        f"condition branches {r['condition_coverage']:.1%}"
    )
    lines.append("  endings reached:")
    for ending, count in r["endings"].items():
        lines.append(f"    {ending}: {count}")
    for ending in r["endings_missing"]:
        lines.append(f"    {ending}: never reached")
    if r["scenes_never_visited"]:
        shown = ", ".join(r["scenes_never_visited"][:10])
        more = len(r["scenes_never_visited"]) - 10
        lines.append(f"  scenes never visited: {shown}" + (f" and {more} more" if more > 0 else ""))
    if r["problems"]:
        lines.append(f"  {len(r['problems'])} problem(s):")
        for p in r["problems"][:20]:
            where = f"seed {p['seed']}" if p["seed"] is not None else "exhaustive"
            lines.append(f"    {p['kind']} in '{p['scene']}' ({where}): {p['message']}")
            if p["path"]:
                lines.append(f"      path: {' > '.join(p['path'][-8:])}")
        if r["problems"][0]["seed"] is not None:
            lines.append(f"  reproduce one: metallic-rouge playtest --runs 1 --seed {r['problems'][0]['seed']}")
    else:
        lines.append("  no problems found")
    return "\n".join(lines)
