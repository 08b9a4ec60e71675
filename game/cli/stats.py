"""``metallic-rouge stats``: words, scenes, choices and endings, per chapter."""

from __future__ import annotations

import argparse
import json

from game.cli.common import add_story_arg, load_or_report, story_dir

STATS_DESCRIPTION = """\
Story statistics, per chapter, with the mean playthrough measured by random play, and
three measures of agency from the story's structure:
  funnel share      scenes with choices whose options (routes included) all lead to
                    one scene: whatever the player picks, the same page comes next
  forks             scenes only some paths reach (not on every path from the start to
                    an ending); few forks means one story with detours
  unechoed choices  choices the player cannot tell from their siblings, the ones
                    validate warns about as W312 (--format json lists their ids)"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "stats",
        help="count words, scenes, choices and endings, and measure how much choices matter",
        description=STATS_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
