"""``new-scene``: write a valid new scene into a file, optionally linked from another.

The existing file is edited as text, never re-dumped, so the author's comments,
ordering and formatting survive. Nothing of the author's is damaged: every value
written is a quoted YAML scalar (a title such as ``Backstage: the door`` would
otherwise be a syntax error), every refusal comes before any file is touched,
the edited story is loaded in a scratch copy first and refused unless it
still loads, and each file is then replaced atomically (the old file or the new
one, whole, whatever happens). On any refusal the files are byte-identical.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml

from game.loader import check_story
from game.loader.sources import display_path, read_story_file
from game.loader.yaml_source import parse_yaml
from game.paths import atomic_write
from game.story import Story

# Shown to the author in the new scene; story-agnostic, so it names nobody of any one story.
PLACEHOLDER = (
    "Describe what the player sees, hears and notices here, in the second person and\n"
    "the present tense. Keep paragraphs to one to four sentences.\n"
)
MAX_SHOWN_ERRORS = 8


class ScaffoldError(Exception):
    pass


def scalar(value: str) -> str:
    """``value`` as one double-quoted YAML scalar, whatever it holds (':', '#', quotes, 'yes')."""
    return yaml.safe_dump(value, default_style='"', allow_unicode=True, width=2**31 - 1).rstrip("\n")


def scene_block(scene_id: str, target: str, title: str) -> str:
    text = "".join(f"      {line}\n" for line in PLACEHOLDER.splitlines())
    return (
        f"  - id: {scalar(scene_id)}\n"
        f"    title: {scalar(title)}\n"
        "    text: |\n"
        f"{text}"
        "    choices:\n"
        f"      - label: {scalar('Go on.')}\n"
        f"        to: {scalar(target)}\n"
    )


def _choice_block(label: str, target: str, indent: str) -> str:
    return f"{indent}- label: {scalar(label)}\n{indent}  to: {scalar(target)}\n"


def add_scene(story: Story, scene_id: str, file: Path, from_scene: str | None = None, title: str | None = None) -> list[str]:
    """Add the scene; return a list of what was changed, for the author.

    Raises ScaffoldError, or OSError, before any file is written.
    """
    if scene_id in story.scenes:
        existing = story.scenes[scene_id]
        raise ScaffoldError(f"scene '{scene_id}' already exists at {existing.pos}")
    if from_scene is not None and from_scene not in story.scenes:
        raise ScaffoldError(f"there is no scene '{from_scene}' to link from")
    if from_scene is not None and not story.scenes[from_scene].choices:
        raise ScaffoldError(f"'{from_scene}' is an ending; add the choice by hand")
    root = Path(story.root).resolve()
    file = Path(file)
    if not file.resolve().is_relative_to(root):
        raise ScaffoldError(f"{file} is not inside the story folder {display_path(root)}")
    title = title or scene_id.rsplit(".", 1)[-1].replace("_", " ").replace("-", " ").title()
    # The new scene continues where the linking scene's first choice goes, so the
    # story stays connected and valid at once.
    target = story.start
    if from_scene is not None:
        target = story.scenes[from_scene].choices[0].target

    edits: dict[Path, str] = {}  # resolved path -> its new text
    changes: list[str] = []
    if from_scene is not None:
        path, text, line = _link(story, from_scene, scene_id, title)
        edits[path] = text
        changes.append(f"linked it from '{from_scene}' in {display_path(path)} (line {line})")
    block = scene_block(scene_id, target, title)
    key = file.resolve()
    if key in edits or file.exists():
        text = edits.get(key) if key in edits else _read(file)
        assert text is not None
        if "scenes:" not in text:
            text = text.rstrip("\n") + "\nscenes:\n"
        edits[key] = text.rstrip("\n") + "\n\n" + block
    else:
        edits[key] = "scenes:\n" + block
    changes.insert(0, f"added scene '{scene_id}' to {file}")

    _check(root, edits)
    for path, text in edits.items():
        atomic_write(path, text.encode("utf-8"))
    return changes


def _read(path: Path) -> str:
    # Bounded and regular files only, like the loader (a FIFO would hang, /dev/zero never end).
    return read_story_file(path.parent, path).decode("utf-8")


def _check(root: Path, edits: dict[Path, str]) -> None:
    """Raise ScaffoldError unless every edited file parses and the edited story loads."""
    for path, text in edits.items():
        problems = parse_yaml(text).problems
        if problems:
            p = problems[0]
            raise ScaffoldError(
                f"the edit would leave {display_path(path)} unreadable ({p.message} at line {p.line}); nothing was written"
            )
    with tempfile.TemporaryDirectory(prefix="mr-new-scene-") as scratch:
        copy = Path(scratch) / "story"
        shutil.copytree(root, copy, symlinks=True)
        for path, text in edits.items():
            target = copy / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        story, diagnostics = check_story(copy, use_cache=False)
        if story is None:
            shown = display_path(copy)
            errors = [str(d).replace(shown, display_path(root), 1) for d in diagnostics if d.is_error]
            more = f"\n... and {len(errors) - MAX_SHOWN_ERRORS} more" if len(errors) > MAX_SHOWN_ERRORS else ""
            raise ScaffoldError(
                "the story would not load after this edit, so nothing was written:\n"
                + "\n".join(errors[:MAX_SHOWN_ERRORS])
                + more
            )


def _link(story: Story, from_scene: str, scene_id: str, title: str) -> tuple[Path, str, int]:
    """The linking scene's file, its text with the new choice added, and the line it went in at."""
    scene = story.scenes[from_scene]
    path = Path(scene.pos.path)
    if not path.is_absolute():
        path = Path(story.root) / path if not path.exists() else path
    path = path.resolve()
    lines = _read(path).splitlines(keepends=True)
    last = scene.choices[-1]
    # A choice's recorded position is its 'to:' line; its block runs until the
    # next line that is indented no deeper than its '- ' marker.
    to_line = last.pos.line - 1
    if not 0 <= to_line < len(lines):
        raise ScaffoldError(f"'{from_scene}' has changed on disk since it was loaded; run new-scene again")
    dash_line = to_line
    while dash_line > 0 and not lines[dash_line].lstrip().startswith("- "):
        dash_line -= 1
    indent = lines[dash_line][: len(lines[dash_line]) - len(lines[dash_line].lstrip())]
    end = to_line + 1
    while end < len(lines):
        stripped = lines[end].strip()
        current = len(lines[end]) - len(lines[end].lstrip())
        if stripped and current <= len(indent):
            break
        end += 1
    while end > to_line + 1 and not lines[end - 1].strip():
        end -= 1
    if "{" in lines[dash_line] and "}" in lines[dash_line]:
        raise ScaffoldError(f"the choices of '{from_scene}' are written inline; add the choice by hand")
    if end > 0 and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    lines.insert(end, _choice_block(f"Go to {title}.", scene_id, indent))
    return path, "".join(lines), end + 1
