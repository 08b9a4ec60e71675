"""The game's actions in the command palette (ctrl+p)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (what the palette shows, the app action, the help line)
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Save game", "save", "Save the game in a named slot"),
    ("Load game", "load", "Load a saved game"),
    ("Undo last choice", "undo", "Take back your last choice (repeatable)"),
    ("Redo", "redo", "Take again the choice you undid (until you choose anew)"),
    ("History", "history", "Everything read so far, with the choices made"),
    ("New game", "new_game", "Start the story again from the beginning"),
    ("Continue", "continue", "Back to the game, or the newest save"),
    ("Settings", "settings", "Theme, typewriter and text speed"),
    ("Endings gallery", "endings", "The endings you have reached"),
    ("Back to title", "title", "The title screen"),
    ("Help", "help", "The keys"),
    ("Quit", "quit", "Leave the game"),
)


class GameCommands(Provider):
    def _available(self) -> list[tuple[str, str, str]]:
        app = self.app
        return [c for c in COMMANDS if app.check_action(c[1], ()) is True]

    async def discover(self) -> Hits:
        for name, action, help_text in self._available():
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in self._available():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.app.run_action, action), text=name, help=help_text)
