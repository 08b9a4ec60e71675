"""The Textual game: what players see.

Only this package imports Textual. ``run_tui`` imports the app lazily so that
``import game.tui`` stays cheap and the engine never pays for Textual.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.saves import SaveStore

__all__ = ["run_tui"]


def run_tui(
    story_dir: Path,
    saves: SaveStore,
    load: str | None = None,
    seed: int | None = None,
    watch: bool = False,
) -> int:
    """Run the game in the terminal; the exit status for the command line."""
    from game.tui import glyphs

    glyphs.choose()  # ASCII boxes and bars for LANG=C, before anything is drawn
    from game.tui.app import MetallicRougeApp

    app = MetallicRougeApp(story_dir=story_dir, store=saves, load=load, seed=seed, watch=watch)
    app.run()
    if app.return_code:  # Textual has already printed the crash
        return app.return_code
    if app.load_errors:
        # The title screen showed them, but they also belong on stderr for authors.
        import sys

        for line in app.load_errors:
            print(line, file=sys.stderr)
        return 1
    return 0
