"""``new-scene``: write a valid new scene into a file, optionally linked from another.

The existing file is edited as text, never re-dumped, so the author's comments,
ordering and formatting survive.
"""

from __future__ import annotations

from pathlib import Path

from game.story import Story


class ScaffoldError(Exception):
    pass


def scene_block(scene_id: str, target: str, title: str) -> str:
    return (
        f"  - id: {scene_id}\n"
        f"    title: {title}\n"
        "    text: |\n"
        "      Describe what Rouge sees, hears and notices here, in the second person and the\n"
        "      present tense. Keep paragraphs to one to four sentences.\n"
        "    choices:\n"
        f"      - label: Go on.\n"
        f"        to: {target}\n"
    )


def _choice_block(label: str, target: str, indent: str) -> str:
    return f"{indent}- label: {label}\n{indent}  to: {target}\n"


def add_scene(story: Story, scene_id: str, file: Path, from_scene: str | None = None, title: str | None = None) -> list[str]:
    """Add the scene; return a list of what was changed, for the author."""
    if scene_id in story.scenes:
        existing = story.scenes[scene_id]
        raise ScaffoldError(f"scene '{scene_id}' already exists at {existing.pos}")
    if from_scene is not None and from_scene not in story.scenes:
        raise ScaffoldError(f"there is no scene '{from_scene}' to link from")
    title = title or scene_id.rsplit(".", 1)[-1].replace("_", " ").replace("-", " ").title()
    # The new scene continues where the linking scene's first choice goes, so the
    # story stays connected and valid at once.
    target = story.start
    if from_scene is not None and story.scenes[from_scene].choices:
        target = story.scenes[from_scene].choices[0].target
    changes = []
    block = scene_block(scene_id, target, title)
    if file.exists():
        text = file.read_text(encoding="utf-8")
        if "scenes:" not in text:
            text = text.rstrip("\n") + "\nscenes:\n"
        file.write_text(text.rstrip("\n") + "\n\n" + block, encoding="utf-8")
    else:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text("scenes:\n" + block, encoding="utf-8")
    changes.append(f"added scene '{scene_id}' to {file}")
    if from_scene is not None:
        changes.append(_link(story, from_scene, scene_id, title))
    return changes


def _link(story: Story, from_scene: str, scene_id: str, title: str) -> str:
    scene = story.scenes[from_scene]
    path = Path(scene.pos.path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if not scene.choices:
        raise ScaffoldError(f"'{from_scene}' is an ending; add the choice by hand")
    last = scene.choices[-1]
    # A choice's recorded position is its 'to:' line; its block runs until the
    # next line that is indented no deeper than its '- ' marker.
    to_line = last.pos.line - 1
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
    lines.insert(end, _choice_block(f"Go to {title}.", scene_id, indent))
    path.write_text("".join(lines), encoding="utf-8")
    return f"linked it from '{from_scene}' in {path} (line {end + 1})"
