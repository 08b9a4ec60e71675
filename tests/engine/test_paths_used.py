"""game.paths holds only what the game uses: a helper nothing calls goes stale unseen
(settings_dir said settings live beside the saves; they live in the config folder)."""

from __future__ import annotations

import inspect
import re

import game.paths
from tests.conftest import ROOT


def test_every_function_of_game_paths_is_used_in_the_game() -> None:
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "game").rglob("*.py"))
    public = [
        name
        for name, obj in vars(game.paths).items()
        if inspect.isfunction(obj) and obj.__module__ == "game.paths" and not name.startswith("_")
    ]
    # Its own ``def`` is one mention: a function used anywhere (paths.py too) has more.
    unused = [name for name in public if len(re.findall(rf"\b{name}\b", sources)) < 2]
    assert public and unused == []
