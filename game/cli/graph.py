"""``metallic-rouge graph``: the story map as Graphviz DOT or Mermaid."""

from __future__ import annotations

import argparse

from game.cli.common import add_story_arg, load_or_report, story_dir


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "graph",
        help="print the story map (dot or mermaid)",
        description="Print the scenes and choices as a graph. Endings are marked; locked choices are dashed. "
        "Render with: metallic-rouge graph | dot -Tsvg > map.svg",
    )
    add_story_arg(p, positional=True)
    p.add_argument("--format", choices=("dot", "mermaid"), default="dot")
    p.add_argument("--chapter", default=None, help="only scenes whose chapter contains this text or whose id starts with it")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from game.authoring.graph import to_dot, to_mermaid

    story = load_or_report(story_dir(args.story))
    if story is None:
        return 1
    render = to_dot if args.format == "dot" else to_mermaid
    print(render(story, args.chapter), end="")
    return 0
