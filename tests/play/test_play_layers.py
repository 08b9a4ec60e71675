"""Where game.play sits: under every view, and the views' screens under their app."""

from __future__ import annotations

import ast
from pathlib import Path

GAME = Path(__file__).resolve().parents[2] / "game"


def imported(path: Path) -> set[str]:
    """Every module a file imports, at any depth (inside functions and TYPE_CHECKING too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def offenders(folder: Path, banned: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(GAME.parent)} imports {name}"
        for path in sorted(folder.rglob("*.py"))
        for name in sorted(imported(path))
        if name in banned or name.startswith(tuple(b + "." for b in banned))
    ]


def test_play_imports_no_view_and_no_tool() -> None:
    views = ("textual", "rich", "game.tui", "game.plain", "game.cli", "game.authoring")
    assert offenders(GAME / "play", views) == []


def test_screens_and_widgets_never_import_the_app() -> None:
    # They post Messages and run actions by name; the app imports them, never the reverse.
    assert offenders(GAME / "tui" / "screens", ("game.tui.app",)) == []
    assert offenders(GAME / "tui" / "widgets", ("game.tui.app", "game.tui.screens")) == []


def test_the_check_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from game.tui.app import MetallicRougeApp\n")
    assert imported(sample) == {"game.tui.app"}
