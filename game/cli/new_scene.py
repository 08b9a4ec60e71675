"""``metallic-rouge new-scene``: scaffold a valid scene, optionally linked from another."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.cli.common import load_or_report, story_dir


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "new-scene",
        help="add a new scene to a file, optionally linked from an existing scene",
        description="Write a new, valid scene into FILE (created if needed). With --from, a choice leading "
        "to it is added to that scene, and the new scene continues where that scene's first choice goes.",
    )
    p.add_argument("id", help="the new scene's id")
    p.add_argument("--file", type=Path, required=True, help="the scene file to add it to")
    p.add_argument("--from", dest="from_scene", default=None, metavar="SCENE", help="link it from this scene")
    p.add_argument("--title", default=None, help="the scene's title (default: from the id)")
    p.add_argument("--story", type=Path, default=None, metavar="DIR", help="the story folder (default: the file's folder)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from game.authoring.scaffold import ScaffoldError, add_scene
    from game.loader import check_story

    folder = args.story or _story_root(args.file)
    story = load_or_report(story_dir(folder))
    if story is None:
        return 1
    try:
        changes = add_scene(story, args.id, args.file, args.from_scene, args.title)
    except (ScaffoldError, OSError) as exc:
        print(f"new-scene: {exc}", file=sys.stderr)
        return 1
    for change in changes:
        print(change)
    checked, diagnostics = check_story(story.root)
    if checked is None:
        for d in diagnostics:
            if d.is_error:
                print(d, file=sys.stderr)
        return 1
    print("The story still validates.")
    return 0


def _story_root(file: Path) -> Path:
    for folder in [file.parent, *file.parent.parents]:
        if (folder / "story.yaml").is_file():
            return folder
    return file.parent
