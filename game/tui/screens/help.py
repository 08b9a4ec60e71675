"""F1: the keys. Each row reads its keys from the bindings themselves (by id), so the list never drifts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.tui.screens.game import GameScreen
from game.tui.widgets.choices import ChoiceList
from game.tui.widgets.too_small import TooSmall

KEY_WIDTH = 14

# (binding ids, what they do): rows that share a purpose share a line, to fit 80x24.
SECTIONS: tuple[tuple[str, tuple[tuple[tuple[str, ...], str], ...]], ...] = (
    (
        "While playing",
        (
            (("choose-1",), "Take a choice by its number"),
            (("choice-up", "choice-down"), "Move between the choices"),
            (("choice-pick",), "Take the highlighted choice"),
            (("undo",), "Undo the last choice (again and again)"),
            (("redo",), "Redo: take again what you undid"),
            (("save", "load"), "Save / load the game"),
            (("history",), "Everything read so far"),
            (("text-up", "text-down"), "Scroll the text"),
            (("focus-next", "focus-previous"), "Focus the side panel (arrows scroll it) and back"),
            (("title",), "Back to the title (the game stays)"),
        ),
    ),
    (
        "Everywhere",
        (
            (("help",), "This help"),
            (("command-palette",), "Command palette: every action by name"),
            (("quit",), "Quit (asks first if you have unsaved choices)"),
        ),
    ),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close help", id="help-close")]

    def compose(self) -> ComposeResult:
        lines: list[Content] = []
        keys = self._keys_by_id()
        for title, rows in SECTIONS:
            # No blank line between sections (their titles stand out): all of it fits 80x24.
            lines.append(Content.styled(title, "bold $accent"))
            for ids, description in rows:
                shown = " ".join(keys[i] for i in ids if i in keys)
                if shown:
                    lines.append(Content.assemble((f"  {shown:<{KEY_WIDTH}}", "bold"), description))
        with Vertical(classes="dialog help"):
            yield Static(Content("Keys"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(Content("\n").join(lines))
            yield Static(Content("In dialogs Tab moves and Escape cancels. F1 or Escape closes this."), classes="dialog-hint")
        yield TooSmall()

    def _keys_by_id(self) -> dict[str, str]:
        """How each binding's keys are shown, by binding id, for the keymap in force."""
        app = self.app
        keys: dict[str, str] = {}
        for owner in (GameScreen, ChoiceList, type(app)):
            for binding in getattr(owner, "BINDINGS", []):
                if isinstance(binding, Binding) and binding.id:
                    keys[binding.id] = binding.key_display or " ".join(
                        app.get_key_display(Binding(k.strip(), "")) for k in binding.key.split(",")
                    )
        keys["command-palette"] = app.get_key_display(Binding(app.COMMAND_PALETTE_BINDING, ""))
        # Textual's own focus keys (Screen.BINDINGS, which carry no ids).
        keys["focus-next"] = app.get_key_display(Binding("tab", ""))
        keys["focus-previous"] = app.get_key_display(Binding("shift+tab", ""))
        return keys
