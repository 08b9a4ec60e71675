"""Child process for startup_ratio: start an app headless and report when its first frame is up.

``python -m benchmarks.startup_child bare|game [STORY SAVES]`` prints one JSON line with
``time.monotonic()`` stamps (the clock is shared by every process on the machine, so
the parent can subtract the moment it started this one):

- ``painted``: Textual's Ready event, sent once the first frame has been displayed;
- for the game, ``story_ready``: the title screen showing the loaded story (menu enabled).

The app exits as soon as what is measured has happened.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

SIZE = (100, 30)


def bare() -> dict[str, float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    stamps: dict[str, float] = {}

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Metallic Rouge: The Immortal Nine")

        def on_ready(self) -> None:
            stamps["painted"] = time.monotonic()
            self.exit()

    Bare().run(headless=True, size=SIZE)
    return stamps


def game(story: str, saves: str) -> dict[str, float]:
    from game.saves import SaveStore
    from game.tui.app import MetallicRougeApp

    stamps: dict[str, float] = {}

    class Probe(MetallicRougeApp):
        def on_ready(self) -> None:
            stamps["painted"] = time.monotonic()
            super().on_ready()
            self._maybe_done()

        def _story_loaded(self, *args: Any) -> None:
            super()._story_loaded(*args)
            self.call_after_refresh(self._story_shown)

        def _story_shown(self) -> None:
            stamps["story_ready"] = time.monotonic()
            self._maybe_done()

        def _maybe_done(self) -> None:
            if "painted" in stamps and "story_ready" in stamps:
                self.exit()

    Probe(story_dir=Path(story), store=SaveStore(saves)).run(headless=True, size=SIZE)
    return stamps


if __name__ == "__main__":
    result = bare() if sys.argv[1] == "bare" else game(sys.argv[2], sys.argv[3])
    print(json.dumps(result))
