"""``metallic-rouge playtest``: seeded playthroughs by a strategy, or an exhaustive walk."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from game.cli.common import add_story_arg, load_or_report, story_dir

DESCRIPTION = """\
Plays the story automatically through the game's own Session and reports coverage,
problems and what the meters do. Exits 1 if any problem is found.

Runs (default): --runs seeded games to an ending; --strategy picks each choice:
  random      uniformly among the choices on offer (run i uses seed+i)
  max:VAR     the choice that leaves VAR highest (min:VAR: lowest), ties seeded
  first/last  always the first/last choice on offer
The meter report gives, per meter, the share of steps it sat at its minimum and at
its maximum (overall and per chapter), its p10/p50/p90 at each chapter's end, and
the +=/-= budget each chapter offers. A meter pinned for most steps means its
choices stopped mattering: lower the amounts or add choices that pull back.
--max-pinned SHARE (or --strict, SHARE 0.15) makes a pinned share above SHARE a problem.
The manifest's invariants: are checked after every step of every mode; a broken one
is a problem with the seed and the path to the state that broke it.

--exhaustive: a breadth-first search over every distinct state (scene, the
variables later scenes read, visit counts as far as conditions tell them apart,
once-only choices taken). It ends "complete" when every state was expanded (then
"never reached" is a proof) or "partial (N states left)" when --seconds, --budget
or --max-memory ran out (then nothing is claimed unreachable).
--path-to SCENE_OR_ENDING prints the shortest choice sequence to it and a script
that replays it in plain mode."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "playtest",
        help="play the story automatically and report coverage, meters and problems",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_story_arg(p, positional=True)
    p.add_argument("--runs", type=int, default=1000, help="playthroughs (default 1000)")
    p.add_argument("--seed", type=int, default=1, help="seed of the first run; run i uses seed+i")
    p.add_argument("--strategy", default="random", metavar="S", help="random (default), max:VAR, min:VAR, first, last")
    p.add_argument("--max-pinned", type=float, default=None, metavar="SHARE", help="a meter pinned for more than this share of steps is a problem")
    p.add_argument("--strict", action="store_true", help="same as --max-pinned 0.15 unless given")
    p.add_argument("--exhaustive", action="store_true", help="search every distinct state, breadth first")
    p.add_argument("--seconds", type=float, default=30.0, help="exhaustive: time budget (default 30)")
    p.add_argument("--budget", "--max-states", dest="max_states", type=int, default=None, help="exhaustive: most states to expand")
    p.add_argument("--max-memory", type=float, default=1024, metavar="MB", help="exhaustive: stop when the process grows by this much (default 1024)")
    p.add_argument("--path-to", default=None, metavar="ID", help="shortest choice sequence to this scene or ending")
    p.add_argument("--max-steps", type=int, default=1000, help="a run longer than this is reported as a loop")
    p.add_argument("--jobs", type=int, default=1, help="processes for runs (0 = one per core)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=run)


def _progress(walked: Any) -> None:
    print(
        f"  ... {walked.expanded:,} states expanded, {walked.left:,} waiting, {len(walked.scenes)} scenes, "
        f"{walked.seconds:.0f} s",
        file=sys.stderr,
        flush=True,
    )


def run(args: argparse.Namespace) -> int:
    from game.authoring.playtest import (
        exhaustive,
        parallel_random_runs,
        pinned_problems,
        report,
        timed,
    )
    from game.authoring.strategies import StrategyError, make_strategy

    folder = story_dir(args.story)
    story = load_or_report(folder)
    if story is None:
        return 1
    if args.path_to is not None:
        return _path_to(args, story)
    if args.exhaustive:
        tally, seconds = timed(
            exhaustive, story, args.seconds, args.max_states, args.seed, args.max_memory, _progress
        )
        result = report(story, tally, seconds, "exhaustive")
    else:
        try:
            make_strategy(args.strategy, story)
        except StrategyError as exc:
            print(f"playtest: --strategy {args.strategy}: {exc}", file=sys.stderr)
            return 2
        jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
        tally, seconds = timed(
            parallel_random_runs, str(folder), story, max(1, args.runs), args.seed, jobs, args.max_steps, args.strategy
        )
        result = report(story, tally, seconds, "random" if args.strategy == "random" else "strategy", args.strategy)
        result["jobs"] = jobs
        threshold = args.max_pinned if args.max_pinned is not None else (0.15 if args.strict else None)
        if threshold is not None:
            result["problems"].extend(p.as_dict() for p in pinned_problems(result, threshold))
    if args.format == "json":
        print(json.dumps(result, indent=2))
    else:
        print(format_report(result))
    return 1 if result["problems"] else 0


def _path_to(args: argparse.Namespace, story: Any) -> int:
    from game.authoring.paths import find_path

    found = find_path(story, args.path_to, args.seconds, args.max_memory, args.seed)
    if found is None:
        print(f"playtest: '{args.path_to}' is neither a scene nor an ending of this story", file=sys.stderr)
        return 2
    found["command"] = f"metallic-rouge play --plain --story {args.story or 'scenes'} --seed {args.seed} --saves DIR < path.txt"
    if args.format == "json":
        print(json.dumps(found, indent=2))
    else:
        print(format_path(found))
    return 0 if found["found"] else 1


def format_path(found: dict[str, Any]) -> str:
    if not found["found"]:
        return f"no path to '{found['target']}' {found['why']}"
    lines = [f"shortest path to '{found['target']}': {len(found['steps'])} choice(s)"]
    for i, step in enumerate(found["steps"], 1):
        lines.append(f"  {i}. in {step['scene']}: [{step['number']}] {step['label']}  (choice id: {step['choice']})")
    lines.append(f"replay it in plain mode: {found['command']}, where path.txt is:")
    lines.extend(f"  {line}" for line in found["script"].splitlines())
    return "\n".join(lines)


def format_report(r: dict) -> str:  # type: ignore[type-arg]
    lines = []
    if r["mode"] != "exhaustive":
        who = "random" if r["mode"] == "random" else f"'{r['strategy']}'"
        lines.append(f"{r['runs']} {who} playthroughs, {r['steps']:,} steps in {r['seconds']} s ({r['steps_per_second']:,} steps/s)")
        lines.append(f"  mean length: {r['mean_steps']} choices, {r['mean_words']:,} words")
    else:
        verdict = "complete" if r["verdict"] == "complete" else f"partial ({r['states_left']:,} states left)"
        lines.append(
            f"exhaustive walk: {verdict}: {r['states_expanded']:,} distinct states expanded "
            f"({r['states_per_second'] or 0:,}/s, depth {r['depth']}), {r['steps']:,} steps in {r['seconds']} s"
        )
        lines.append(f"  memory: peak {r['peak_memory_mb']} MB, {r['bytes_per_state']:,} bytes per state")
        if r["verdict"] != "complete":
            lines.append(f"  (stopped by the {r['stopped_by']} budget: nothing below is claimed unreachable)")
    lines.append(
        f"  coverage: scenes {r['scene_coverage']:.1%}, choices {r['choice_coverage']:.1%}, "
        f"condition branches {r['condition_coverage']:.1%}"
        + (f", routes {r['route_coverage']:.1%}" if r.get("route_coverage") is not None else "")
        + (f", variation blocks {r['variation_coverage']:.1%}" if r.get("variation_coverage") is not None else "")
    )
    lines.append("  endings reached:")
    for ending, count in r["endings"].items():
        lines.append(f"    {ending}: {count}")
    for ending in r["endings_missing"]:
        lines.append(f"    {ending}: {r['missing_means']}")
    if r["scenes_never_visited"]:
        shown = ", ".join(r["scenes_never_visited"][:10])
        more = len(r["scenes_never_visited"]) - 10
        lines.append(f"  scenes {r['missing_means']}: {shown}" + (f" and {more} more" if more > 0 else ""))
    if r["mode"] != "exhaustive":
        lines.extend(_meter_lines(r))
    if r["problems"]:
        lines.append(f"  {len(r['problems'])} problem(s):")
        for p in r["problems"][:20]:
            if r["mode"] == "exhaustive":
                where = f"exhaustive, seed {p['seed']}" if p["seed"] is not None else "exhaustive"
            else:
                where = f"seed {p['seed']}" if p["seed"] is not None else "whole run"
            place = f" in '{p['scene']}'" if p["scene"] else ""
            lines.append(f"    {p['kind']}{place} ({where}): {p['message']}")
            if p["path"]:
                lines.append(f"      path: {' > '.join(p['path'][-8:])}")
        if r["mode"] == "exhaustive":
            lines.append("  each path above is the shortest the walk found; play it with --path-to SCENE for a script")
        elif r["problems"][0]["seed"] is not None:
            lines.append(f"  reproduce one: metallic-rouge playtest --runs 1 --seed {r['problems'][0]['seed']}")
    else:
        lines.append("  no problems found")
    return "\n".join(lines)


def _meter_lines(r: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    pinned = r.get("pinned") or {}
    ends = r.get("meter_ends") or {}
    for var, budget in r["meter_budget"].items():
        lines.append(f"  meter {var}:")
        if var in pinned:
            p = pinned[var]
            lines.append(f"    pinned: at minimum {p['min']:.0%} of steps, at maximum {p['max']:.0%}")
        width = max((len(c) for c in budget), default=7)
        lines.append(f"    {'chapter':<{width}}  {'min%':>5} {'max%':>5}  {'p10':>4} {'p50':>4} {'p90':>4}  offered +/-")
        for chapter, offered in budget.items():
            by = pinned.get(var, {}).get("by_chapter", {}).get(chapter)
            end = ends.get(var, {}).get(chapter)
            shares = f"{by['min']:>5.0%} {by['max']:>5.0%}" if by else f"{'-':>5} {'-':>5}"
            spread = f"{end['p10']:>4} {end['p50']:>4} {end['p90']:>4}" if end else f"{'-':>4} {'-':>4} {'-':>4}"
            lines.append(f"    {chapter:<{width}}  {shares}  {spread}  +{offered['plus']}/-{offered['minus']}")
    return lines
