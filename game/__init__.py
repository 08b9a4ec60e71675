"""Metallic Rouge: The Immortal Nine - the game and the engine it runs on.

The engine (everything here except ``game.tui``) never imports Textual, so the
command-line tools start fast and the story can be played without a TUI.
"""

__version__ = "0.1.0"
