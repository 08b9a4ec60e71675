"""``metallic-rouge schema``: the JSON Schema of story files, for editors."""

from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "schema",
        help="print the JSON Schema (draft 2020-12) of story files",
        description="Print the JSON Schema of story files. Save it (metallic-rouge schema > story.schema.json) "
        "and point your editor's YAML extension at it; see docs/authoring.md.",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from game.authoring.schema import story_schema

    print(json.dumps(story_schema(), indent=2))
    return 0
