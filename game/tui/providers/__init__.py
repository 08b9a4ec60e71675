"""Command palette providers."""

from game.tui.providers.game_commands import GameCommands

__all__ = ["GameCommands"]
