"""The title screen's art: the story's own (the file its manifest's ``title_art:`` names), else its title.

The engine ships no banner of its own: every story, the campaign included,
brings its art in its folder (the loader reads and checks the file), so a new
story never opens under another story's name.
"""

from __future__ import annotations

from game.tui import glyphs

# The smallest terminal the game supports is 80 columns; the screen keeps a margin.
MAX_ART_WIDTH = 76


def fits(art: str) -> bool:
    return all(len(line) <= MAX_ART_WIDTH for line in art.splitlines())


def title_art(art: str | None, title: str) -> str:
    """What the title screen shows above its menu: the story's art when it fits, else its title.

    Under an ASCII-only locale (LANG=C) art drawn with other characters would
    come out as noise, so the title in plain letters stands in for it.
    """
    if art is not None and art.strip() and fits(art):
        if glyphs.current is glyphs.UNICODE or art.isascii():
            return art
    return title  # in plain letters: the screen wraps a long one
