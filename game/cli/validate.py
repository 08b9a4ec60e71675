"""``metallic-rouge validate``: every problem in a story, as path:line:col."""

from __future__ import annotations

import argparse
import json
import sys

from game.cli.common import add_story_arg, story_dir


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "validate",
        help="check a story folder and report every problem with its file and line",
        description="Check a story: the YAML, the schema, expressions, targets, and (deep checks) "
        "reachability, dead ends, impossible conditions and unused variables. Exits 0 when "
        "there are no errors, 1 otherwise.",
    )
    add_story_arg(p, positional=True)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from game.authoring.checks import validate_story

    folder = story_dir(args.story)
    report = validate_story(folder)
    failed = report.errors > 0 or (args.strict and report.warnings > 0)
    if args.format == "json":
        print(json.dumps(report.as_dict() | {"ok": not failed}, indent=2))
    else:
        for d in report.diagnostics:
            print(d)
        print(
            f"{report.errors} error(s), {report.warnings} warning(s) in {report.files} file(s), "
            f"{report.scenes} scene(s).",
            file=sys.stderr if report.diagnostics else sys.stdout,
        )
    return 1 if failed else 0
