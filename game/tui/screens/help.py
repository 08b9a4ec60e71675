"""F1: the keys, read from the bindings themselves so the list never drifts from them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.tui.widgets.too_small import TooSmall

KEY_WIDTH = 14


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close help", id="help-close")]

    def compose(self) -> ComposeResult:
        from game.tui.screens.game import GameScreen
        from game.tui.widgets.choices import ChoiceList

        app = self.app
        sections: list[tuple[str, list[Binding]]] = [
            ("While playing", [*_bindings(GameScreen), *_bindings(ChoiceList)]),
            ("Everywhere", [*_bindings(type(app)), Binding(app.COMMAND_PALETTE_BINDING, "", "Command palette: every action by name")]),
            ("In lists and dialogs", [Binding("tab", "", "Next field"), Binding("escape", "", "Close or cancel")]),
        ]
        lines: list[Content] = []
        for title, bindings in sections:
            lines.append(Content.styled(title, "bold $accent"))
            seen: set[str] = set()
            for binding in bindings:
                if binding.system or binding.description in seen:
                    continue
                seen.add(binding.description)
                keys = binding.key_display or " / ".join(app.get_key_display(Binding(k, "")) for k in binding.key.split(","))
                lines.append(Content.assemble((f"  {keys:<{KEY_WIDTH}}", "bold"), binding.description))
            lines.append(Content(""))
        with Vertical(classes="dialog help"):
            yield Static(Content("Keys"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(Content("\n").join(lines))
            yield Static(Content("Escape or F1 closes this."), classes="dialog-hint")
        yield TooSmall()


def _bindings(owner: type) -> list[Binding]:
    return [b for b in getattr(owner, "BINDINGS", []) if isinstance(b, Binding)]
