"""A yes/no question, answered with y / n / Escape or the buttons."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from game.tui.widgets.too_small import TooSmall


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, title: str, message: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(classes="dialog-screen")
        self.question = title
        self.message = message
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm"):
            yield Static(Content(self.question), classes="dialog-title")
            yield Static(Content(self.message), classes="dialog-text")
            with Horizontal(classes="buttons"):
                yield Button(Content(f"{self.yes} (y)"), id="yes", variant="error")
                yield Button(Content(f"{self.no} (n)"), id="no", variant="default")
        yield TooSmall()

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_answer(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        # Once only: a second key queued before the pop finished would pop the screen below.
        if self.app.screen is self:
            self.dismiss(yes)
