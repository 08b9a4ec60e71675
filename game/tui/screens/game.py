"""The game screen: narrative and choices on the left, meters and the tracker on the right."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer

from game.tui.widgets.choices import ChoiceList
from game.tui.widgets.narrative import NarrativeView
from game.tui.widgets.side_panel import SidePanel
from game.tui.widgets.too_small import TooSmall

if TYPE_CHECKING:
    from game.play.game import Game
    from game.session import ChoiceView, Session


SKIP_KEYS = frozenset({"space", "enter"})  # the keys that finish the typewriter's text


@dataclass(frozen=True, slots=True)
class Presentation:
    """How the player wants scenes shown (from the settings), given by the app at each show."""

    typewriter_cps: int = 0  # 0: the text at once
    effects: bool = False  # meters that moved react


class GameScreen(Screen[None]):
    AUTO_FOCUS = "#choices"
    # Below 30 rows (80x24 is the advertised minimum) the side panel is drawn compact.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    BINDINGS = [
        # One binding per number so each has its own id (remappable); the footer shows "1-9" once.
        *(
            Binding(str(n), f"choose({n})", "Choose", show=n == 1, key_display="1-9" if n == 1 else None, id=f"choose-{n}")
            for n in range(1, 10)
        ),
        Binding("u,ctrl+z", "app.undo", "Undo", id="undo", tooltip="Take back your last choice"),
        Binding("r,ctrl+y", "app.redo", "Redo", id="redo", tooltip="Take again the choice you undid"),
        Binding("s", "app.save", "Save", id="save"),
        Binding("l", "app.load", "Load", id="load"),
        Binding("h", "app.history", "History", id="history"),
        Binding("escape", "app.title", "Title", id="title", tooltip="Back to the title screen (the game stays)"),
        Binding("pageup", "scroll_text(-1)", "Scroll the text up", show=False, id="text-up"),
        Binding("pagedown", "scroll_text(1)", "Scroll the text down", show=False, id="text-down"),
    ]

    class Choose(Message):
        """The player picked a choice: by its number on screen (for the scene the game is
        at when the message arrives, like a key typed ahead) or a view (a click)."""

        def __init__(self, pick: int | ChoiceView) -> None:
            super().__init__()
            self.pick = pick

    def __init__(self, game: Game, presentation: Presentation) -> None:
        super().__init__()
        self.game = game
        self.presentation = presentation

    @property
    def session(self) -> Session:
        session = self.game.session
        assert session is not None  # the app shows this screen only with a game in progress
        return session

    def compose(self) -> ComposeResult:
        with Horizontal(id="game-main"):
            with Vertical(id="story-column"):
                yield NarrativeView(id="narrative")
                yield ChoiceList(id="choices")
            yield SidePanel(self.session, id="side")
        yield Footer()
        yield TooSmall()

    def on_mount(self) -> None:
        self.show_scene({}, self.presentation, first=True)

    def show_scene(self, before: dict[str, object], presentation: Presentation, first: bool = False) -> None:
        """Show the session's current scene; meters that moved since ``before`` react."""
        if not first:
            # A notice is about the scene it came with: one left from an earlier scene
            # (a refused choice, a save) is stale once the player has moved on. The notices
            # of this move are still on their way (notify posts a message), so they stay.
            # Not on mount: the notices that came with this screen (a loaded save) may
            # already have arrived.
            self.app.clear_notifications()
        self.presentation = presentation
        session = self.session
        cps = 0 if session.is_over else presentation.typewriter_cps
        self.query_one(NarrativeView).show(session, self.game.text(), typewriter_cps=cps)
        views, problem = self.game.choices()
        if problem is not None:
            self.notify(problem.text, severity=problem.severity, markup=False)
        self.query_one(ChoiceList).set_choices(views)
        self.query_one(SidePanel).set_session(session, before, presentation.effects)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys can reach the screen before it is built (a burst right after it was
        # pushed; found by tests/fuzz/test_fuzz_tui.py): there is nothing to act on yet.
        return self.is_mounted

    async def on_key(self, event: events.Key) -> None:
        if not self.is_mounted:
            return
        # Space and Enter skip the typewriter and do nothing else (Enter would otherwise
        # take a choice the player has not read about yet). Every other key keeps its
        # binding: h, s or a number key pressed while the text types acts at once.
        if event.key in SKIP_KEYS and self.query_one(NarrativeView).complete():
            event.stop()
            event.prevent_default()

    def on_click(self, event: events.Click) -> None:
        # A click on the text skips the typewriter too (a click on a choice takes it:
        # ChoiceItem stops that click before it gets here).
        if self.is_mounted:
            self.query_one(NarrativeView).complete()

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
        self.post_message(self.Choose(number))

    def on_choice_list_picked(self, message: ChoiceList.Picked) -> None:
        message.stop()
        self.post_message(self.Choose(message.view))

    def action_scroll_text(self, direction: int) -> None:
        narrative = self.query_one(NarrativeView)
        if direction < 0:
            narrative.scroll_page_up()
        else:
            narrative.scroll_page_down()
