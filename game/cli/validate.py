"""``metallic-rouge validate``: every problem in a story, as path:line:col."""

from __future__ import annotations

import argparse
import json
import sys

from game.cli.common import add_story_arg, story_dir

VALIDATE_DESCRIPTION = """\
Check a story: the YAML, the schema, expressions and targets, then deep checks:
reachability, dead ends, impossible conditions, unused variables, and agency:
  W312  an unechoed choice: no reply:, no scene its siblings do not reach, and
        nothing it sets is read later (a meter counts only when a condition checks
        it within three scenes). Give it a reply:, its own scene, or a nearby {if}.
  W314  a scene names a tracker slot (name or aliases:) outside any {if} on its
        variable, while a choice on some path into it may have made it gone:.
        Put the mention under {if VAR != "slain"}...{end}, or keep that path out.
Each problem is printed as path:line:col: severity[CODE]: message; the codes are
listed in docs/authoring.md. Exits 0 when there are no errors, 1 otherwise;
--strict also fails on warnings."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "validate",
        help="check a story folder and report every problem with its file and line",
        description=VALIDATE_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_story_arg(p, positional=True)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too, W312/W314 included")
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
