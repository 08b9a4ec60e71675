"""The engine must never import Textual: the CLI tools and plain mode start fast without it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENGINE = [
    "game", "game.cli", "game.loader", "game.story", "game.expr", "game.session",
    "game.saves", "game.play", "game.play.game", "game.plain", "game.authoring", "game.paths",
]


def engine_modules() -> list[str]:
    """Every module of the package outside the views game/tui and game/web (walk_packages
    would import them itself); game/web brings textual-serve, and with it Rich."""
    names = []
    for path in sorted((ROOT / "game").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "tui" in parts or "web" in parts or parts[-1] == "__main__" or "_data" in parts:
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_engine_imports_no_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {ENGINE!r}: importlib.import_module(name)\n"
        f"for name in {engine_modules()!r}: importlib.import_module(name)\n"
        "from game.cli import build_parser; build_parser()\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'rich')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"engine imported: {out.stdout}"


def test_no_eval_exec_or_pickle_in_the_package() -> None:
    import re

    pattern = re.compile(r"\b(eval|exec)\s*\(|\bimport pickle\b|\bpickle\.|\bmarshal\.loads|yaml\.load\(|yaml\.unsafe_load|\bUnsafeLoader\b|FullLoader")
    offenders = []
    for path in (ROOT / "game").rglob("*.py"):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
