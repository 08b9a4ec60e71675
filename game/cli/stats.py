"""``metallic-rouge stats``: words, scenes, choices and endings, per chapter."""

from __future__ import annotations

import argparse
import json

from game.cli.common import add_story_arg, load_or_report, story_dir


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("stats", help="count words, scenes, choices and endings", description="Story statistics, per chapter, with the mean playthrough measured by random play.")
    add_story_arg(p, positional=True)
    p.add_argument("--runs", type=int, default=300, help="random playthroughs used for the per-playthrough means")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from game.authoring.stats import format_stats, story_stats

    story = load_or_report(story_dir(args.story))
    if story is None:
        return 1
    stats = story_stats(story, sample_runs=args.runs)
    print(json.dumps(stats, indent=2) if args.format == "json" else format_stats(stats))
    return 0
