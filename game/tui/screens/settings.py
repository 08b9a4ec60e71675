"""Settings: theme, typewriter, text speed, meter effects. Every change is kept at once."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Select, Static, Switch

from game.tui.settings import TEXT_SPEEDS, Settings
from game.tui.widgets.too_small import TooSmall


def on_off(value: bool) -> Content:
    return Content.styled("on", "bold") if value else Content("off")


class SettingsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss", "Close settings", id="settings-close")]

    class Changed(Message):
        """The player changed a setting; ``settings`` is the whole new set (a copy)."""

        def __init__(self, settings: Settings) -> None:
            super().__init__()
            self.settings = settings

    def __init__(self, settings: Settings, themes: list[str]) -> None:
        super().__init__()
        self.settings = Settings(**vars(settings))
        self._kept = Settings(**vars(settings))
        self.themes = themes

    def compose(self) -> ComposeResult:
        s = self.settings
        with Vertical(classes="dialog settings"):
            yield Static(Content("Settings"), classes="dialog-title")
            with Horizontal(classes="setting"):
                yield Static(Content("Theme"), classes="setting-label")
                yield Select([(Content(t), t) for t in self.themes], value=s.theme, allow_blank=False, id="theme")
            with Horizontal(classes="setting"):
                yield Static(Content("Typewriter text"), classes="setting-label")
                yield Switch(value=s.typewriter, id="typewriter")
                yield Static(on_off(s.typewriter), id="typewriter-state", classes="setting-state")
            with Horizontal(classes="setting"):
                yield Static(Content("Text speed"), classes="setting-label")
                yield Select(
                    [(Content(name.capitalize()), name) for name in TEXT_SPEEDS],
                    value=s.text_speed, allow_blank=False, id="speed",
                )
            with Horizontal(classes="setting"):
                yield Static(Content("Meter effects"), classes="setting-label")
                yield Switch(value=s.effects, id="effects")
                yield Static(on_off(s.effects), id="effects-state", classes="setting-state")
            yield Static(Content("Changes are kept at once · Tab moves · Escape closes"), classes="dialog-hint")
        yield TooSmall()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if not isinstance(event.value, str):
            return
        if event.select.id == "theme":
            self.settings.theme = event.value
        elif event.select.id == "speed":
            self.settings.text_speed = event.value
        self._apply()

    def on_switch_changed(self, event: Switch.Changed) -> None:
        event.stop()
        if event.switch.id == "typewriter":
            self.settings.typewriter = event.value
        elif event.switch.id == "effects":
            self.settings.effects = event.value
        # The switch's state in words: its knob and colour alone say nothing to a
        # monochrome terminal or a screen reader.
        self.query_one(f"#{event.switch.id}-state", Static).update(on_off(event.value))
        self._apply()

    def _apply(self) -> None:
        if vars(self.settings) != vars(self._kept):
            self._kept = Settings(**vars(self.settings))
            self.post_message(self.Changed(Settings(**vars(self.settings))))
