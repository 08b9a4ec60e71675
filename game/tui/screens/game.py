"""The game screen: narrative and choices on the left, meters and the tracker on the right."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer

from game.session import Session, StoryRuntimeError
from game.tui.text import scene_text
from game.tui.widgets.choices import ChoiceList
from game.tui.widgets.narrative import NarrativeView
from game.tui.widgets.side_panel import SidePanel
from game.tui.widgets.too_small import TooSmall

if TYPE_CHECKING:
    from game.tui.app import MetallicRougeApp


class GameScreen(Screen[None]):
    AUTO_FOCUS = "#choices"
    BINDINGS = [
        # One binding per number so each has its own id (remappable); the footer shows "1-9" once.
        *(
            Binding(str(n), f"choose({n})", "Choose", show=n == 1, key_display="1-9" if n == 1 else None, id=f"choose-{n}")
            for n in range(1, 10)
        ),
        Binding("u,ctrl+z", "app.undo", "Undo", id="undo", tooltip="Take back your last choice"),
        Binding("s", "app.save", "Save", id="save"),
        Binding("l", "app.load", "Load", id="load"),
        Binding("h", "app.history", "History", id="history"),
        Binding("escape", "app.title", "Title", id="title", tooltip="Back to the title screen (the game stays)"),
        Binding("pageup", "scroll_text(-1)", "Scroll the text up", show=False, id="text-up"),
        Binding("pagedown", "scroll_text(1)", "Scroll the text down", show=False, id="text-down"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    @property
    def game_app(self) -> MetallicRougeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Horizontal(id="game-main"):
            with Vertical(id="story-column"):
                yield NarrativeView(id="narrative")
                yield ChoiceList(id="choices")
            yield SidePanel(self.session, id="side")
        yield Footer()
        yield TooSmall()

    def on_mount(self) -> None:
        self.show_scene({})

    def show_scene(self, before: dict[str, object]) -> None:
        """Show the session's current scene; meters that moved since ``before`` react."""
        app = self.game_app
        session = self.session
        settings = app.settings
        cps = settings.chars_per_second if settings.typewriter and not session.is_over else 0
        self.query_one(NarrativeView).show(session, scene_text(session), typewriter_cps=cps)
        try:
            views = [] if session.is_over else session.choices()
        except StoryRuntimeError as exc:
            views = []
            app.notify(f"The choices could not be shown: {exc}. Undo or load a save.", severity="error", markup=False)
        self.query_one(ChoiceList).set_choices(views)
        self.query_one(SidePanel).set_session(session, before, app.effects_enabled)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys can reach the screen before it is built (a burst right after it was
        # pushed; found by tests/fuzz/test_fuzz_tui.py): there is nothing to act on yet.
        return self.is_mounted

    async def on_key(self, event: events.Key) -> None:
        if not self.is_mounted:
            return
        # Any key completes the typewriter; that key does nothing else.
        if self.query_one(NarrativeView).complete():
            event.stop()
            event.prevent_default()

    def action_choose(self, number: int) -> None:
        choices = self.query_one(ChoiceList)
        if not 1 <= number <= len(choices.views):
            self.app.bell()
            return
        view = choices.views[number - 1]
        if not view.available:
            # A refused choice stays on screen: point at it while its reason shows.
            # (A taken one is replaced by the next scene, so moving it would be wasted work.)
            choices.highlighted = number - 1
        self.game_app.take_choice(view)

    def on_choice_list_picked(self, message: ChoiceList.Picked) -> None:
        message.stop()
        self.game_app.take_choice(message.view)

    def action_scroll_text(self, direction: int) -> None:
        narrative = self.query_one(NarrativeView)
        if direction < 0:
            narrative.scroll_page_up()
        else:
            narrative.scroll_page_down()
