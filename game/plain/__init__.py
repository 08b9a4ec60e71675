"""The plain-text view: line-based play for screen readers and scripts."""

from game.plain.mode import PlainGame, run_plain

__all__ = ["PlainGame", "run_plain"]
