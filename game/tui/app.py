"""The Textual app: a thin view over ``game.play.game.Game``.

Screens post Messages (a choice picked, settings changed, the title shown) and
run the app's actions by name; the app asks the Game to act and renders the
Outcome it gets back: notices as toasts, the session on the game screen, the
ending screen, and the disk work in thread workers so the interface never waits
on the disk. No rule of the game lives here: plain mode plays by the same ones.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from game.saves import SaveError
from game.tui.heap import HeapPolicy
from game.tui.screens.confirm import ConfirmScreen
from game.tui.screens.ending import EndingScreen
from game.tui.screens.endings import EndingsScreen
from game.tui.screens.game import GameScreen, Presentation
from game.tui.screens.help import HelpScreen
from game.tui.screens.history import HistoryScreen
from game.tui.screens.saves import LoadScreen, SaveScreen
from game.tui.screens.settings import SettingsScreen
from game.tui.screens.title import TitleScreen, TitleState
from game.tui.settings import DEFAULT_THEME, Settings, SettingsStore
from game.tui.theme import METALLIC_ROUGE
from game.tui.widgets.narrative import NarrativeView
from game.tui.widgets.too_small import too_small

if TYPE_CHECKING:
    from textual.command import Provider

    from game.play.game import Game, Reload, SaveRead
    from game.play.outcome import Notice, Outcome, Write
    from game.saves import SaveStore
    from game.session import Session
    from game.story.model import Story

STYLES = Path(__file__).parent / "styles"


def _game_commands() -> type[Provider]:
    # textual.command is ~25 ms of imports: Textual takes a callable here so that the
    # palette's code loads when it first opens, not before the title paints.
    from game.tui.providers import GameCommands

    return GameCommands


class MetallicRougeApp(App[int]):
    # Until the story loads (a worker, after the first frame): the engine plays any
    # story, so its window names none; then the story's own title (_story_loaded).
    TITLE = "Interactive fiction"
    CSS_PATH = [STYLES / "app.tcss", STYLES / "title.tcss", STYLES / "game.tcss", STYLES / "dialogs.tcss"]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit", tooltip="Leave the game"),
        Binding("f1", "help", "Help", id="help", tooltip="Show the keys"),
        Binding("ctrl+c", "help_quit", "How to quit", show=False, system=True, id="help-quit"),
    ]
    COMMANDS = App.COMMANDS | {_game_commands}
    # A wider side panel from 110 columns (see game.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    def __init__(
        self,
        story_dir: Path,
        store: SaveStore,
        load: str | None = None,
        seed: int | None = None,
        watch: bool = False,
        effects: bool = True,
    ) -> None:
        super().__init__()
        self.story_dir = Path(story_dir)
        self.store = store
        self.initial_load = load
        self.seed = seed
        self.watch = watch
        # Tests and snapshots pass effects=False: no meter flashes, nothing time-dependent.
        self.effects_allowed = effects
        # The config folder; an older version's settings in the saves folder move there once.
        self.settings_store = SettingsStore(legacy=store.folder)
        self.settings: Settings = self.settings_store.load()
        # The game arrives with the story, read in a worker once the title is on screen.
        self.game: Game | None = None
        # Benchmark hooks: counted once a new scene has reached the screen.
        self.scene_rendered_count = 0
        self.scene_rendered_hooks: list[Callable[[], None]] = []
        self._watching = False
        # When the garbage collector runs: never in the middle of a choice (see game/tui/heap.py).
        self.heap = HeapPolicy()
        self.register_theme(METALLIC_ROUGE)
        self._applying_settings = True
        self.theme = self.settings.theme if self.settings.theme in self.available_themes else DEFAULT_THEME
        self._applying_settings = False

    # -- what the game holds, for the screens and tests --------------------------------------
    @property
    def story(self) -> Story | None:
        return self.game.story if self.game is not None else None

    @property
    def session(self) -> Session | None:
        return self.game.session if self.game is not None else None

    @property
    def load_errors(self) -> list[str]:
        return self.game.load_errors if self.game is not None else []

    @property
    def in_game(self) -> bool:
        return self.session is not None

    @property
    def unsaved(self) -> int:
        return self.game.unsaved if self.game is not None else 0

    @property
    def motion(self) -> bool:
        """Anything time-based on screen (flashes, blinking cursors): off in tests and with TEXTUAL_ANIMATIONS=none."""
        return self.effects_allowed and self.animation_level != "none"

    @property
    def effects_enabled(self) -> bool:
        """The meters' reaction to a change: also a player setting."""
        return self.motion and self.settings.effects

    def presentation(self) -> Presentation:
        s = self.settings
        return Presentation(s.chars_per_second if s.typewriter else 0, self.effects_enabled)

    # -- start-up ------------------------------------------------------------------------
    def get_default_screen(self) -> Screen[Any]:
        # A save in the folder means Continue is the likely pick: one directory read, cheap
        # before the first frame (the title corrects it if none of them can be loaded).
        try:
            has_save = any(p.suffix == ".json" and not p.name.startswith(".") for p in self.store.folder.iterdir())
        except OSError:
            has_save = False
        return TitleScreen(continue_first=has_save)

    def on_mount(self) -> None:
        self.heap.start()
        self.set_class(too_small(*self.size), "-too-small")
        self._exit_on_signals()

    def _exit_on_signals(self) -> None:
        """SIGTERM (kill, a service stop, serve ending a tab) and SIGHUP (the terminal
        window closed) end the app as Ctrl+Q does. Python's default for both ends the
        process on the spot, leaving the terminal in the alternate screen with mouse
        reporting on and the cursor hidden. The autosave needs nothing more: it is
        written after every move, atomically, and a write under way finishes first
        (asyncio.run waits for the worker threads). Headless (tests) the handlers would
        be the whole test process's, so they are left alone; the loop's close removes them."""
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()
        for sig in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)):
            if sig is not None:
                try:
                    loop.add_signal_handler(sig, lambda sig=sig: self.exit(return_code=128 + sig))
                except (NotImplementedError, RuntimeError, ValueError):  # no signals here (Windows, a thread)
                    pass

    def on_unmount(self) -> None:
        self.heap.stop()

    def on_ready(self) -> None:
        # Load once the title is on screen: a loading thread started earlier holds
        # the interpreter lock against the first paint (measured ~50 ms later).
        self.load_story()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(too_small(*event.size), "-too-small")

    def watch_app_focus(self, focus: bool) -> None:
        # In a browser (textual-serve's web driver) the app starts blurred, and Textual
        # skips a screen's AUTO_FOCUS while it is: the title menu was never focused, so
        # Enter and the arrow keys went nowhere (only letter bindings worked). Textual's
        # own watcher, which runs first, gives focus back only to a widget that had it
        # before the blur; when none did, focus the screen's AUTO_FOCUS widget now.
        # Synchronous set_focus, not widget.focus(): the key that woke the app is
        # dispatched right after this and must reach the menu.
        if not focus or not self.screen_stack:
            return
        screen = self.screen
        if screen.focused is None and screen.AUTO_FOCUS:
            for widget in screen.query(screen.AUTO_FOCUS):
                if widget.focusable:
                    screen.set_focus(widget, scroll_visible=False)
                    break

    async def on_event(self, event: events.Event) -> None:
        # While the terminal is too small nothing of the game is shown and Textual's
        # widgets have no layout to act on: page keys on an OptionList crashed the app
        # (found by tests/fuzz/test_fuzz_tui.py). Keys would act blind, so only
        # Ctrl+Q (named on the too-small message) goes through until the terminal grows.
        if isinstance(event, events.Key) and self.has_class("-too-small") and event.key != "ctrl+q":
            event.stop()
            return
        await super().on_event(event)

    @work(thread=True, exclusive=True, group="story", name="load story")
    def load_story(self) -> None:
        # The game (and with it the loader and the engine) is imported here, in the
        # worker after the first frame: the title paints without waiting for it.
        from game.play.game import Game

        game = Game.open(self.story_dir, self.store, seed=self.seed, watch=self.watch)
        self.call_later(self._story_loaded, game)

    def _story_loaded(self, game: Game) -> None:
        self.game = game
        if game.story is not None:
            self.title = game.story.title
            self.heap.settle()
        self._refresh_title()
        if game.story is not None and self.initial_load:
            self.load_slot(self.initial_load)

    def _title_state(self) -> TitleState:
        game = self.game
        if game is None:
            return TitleState()
        session = game.session
        return TitleState(
            errors=tuple(game.load_errors),
            story_title=game.story.title if game.story is not None else None,
            art=game.story.title_art if game.story is not None else None,
            in_game=session.shown_title() if session is not None else None,
            newest=game.newest,
        )

    def _refresh_title(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, TitleScreen):
                screen.show_state(self._title_state())

    @on(TitleScreen.Shown)
    def _title_shown(self, message: TitleScreen.Shown) -> None:
        message.stop()
        message.screen.show_state(self._title_state())

    @work(thread=True, exclusive=True, group="newest", name="find newest save")
    def find_newest(self) -> None:
        if self.game is not None:
            self.game.find_newest()
            self.call_later(self._refresh_title)

    # -- rendering outcomes ----------------------------------------------------------------
    def render_outcome(self, out: Outcome) -> None:
        """Show what a command of the game did: its notices, its disk work, the game."""
        for notice in out.notices:
            self._notify(notice)
        for write in out.writes:
            self._run_write(write)
        if self.game is not None and self.game.watching and not self._watching:
            self._watching = True
            self.set_interval(1.0, self._poll_watcher, name="watch story")
        if out.shows:
            self._show_game(out.before)
        # What the footer offers may have changed with the game (Redo comes with an undo).
        self.screen.refresh_bindings()

    def _notify(self, notice: Notice) -> None:
        self.notify(
            notice.full, title=notice.title or "", severity=notice.severity, timeout=notice.timeout, markup=False
        )

    def _run_write(self, write: Write) -> None:
        # One group per kind: autosaves, saves and the gallery never wait on each other.
        self.run_worker(lambda: self._write(write), thread=True, group=write.kind, name=write.kind)

    def _write(self, write: Write) -> None:
        notices = write.run()
        for notice in notices:
            self._notify(notice)  # notify() is thread-safe
        if write.kind == "save" and not any(n.severity == "error" for n in notices):
            self.call_later(self.find_newest)

    def _started(self, session: Session | None) -> None:
        if self.session is not session and self.session is not None:
            self.heap.new_game()

    @on(NarrativeView.Shown)
    def _scene_shown(self, message: NarrativeView.Shown) -> None:
        message.stop()
        self.scene_rendered_count += 1
        for hook in self.scene_rendered_hooks:
            hook()
        self.heap.scene_shown()

    def _show_game(self, before: dict[str, object]) -> None:
        """Show the session on the game screen (pushing it if needed), and the ending if it is over."""
        game = self.game
        assert game is not None and game.session is not None
        screen = self._game_screen()
        if screen is None:
            self._pop_to_title()
            self.push_screen(GameScreen(game, self.presentation()))
        else:
            while self.screen is not screen and not isinstance(self.screen, EndingScreen):
                self.pop_screen()
            if isinstance(self.screen, EndingScreen) and not game.session.is_over:
                self.pop_screen()
            # A game screen pushed by an earlier key of the same burst may not be built
            # yet (found by tests/fuzz/test_fuzz_tui.py): its on_mount shows the
            # session as it is by then.
            if screen.is_mounted:
                screen.show_scene(before, self.presentation())
        if game.session.is_over and not isinstance(self.screen, EndingScreen):
            self.push_screen(EndingScreen(game))

    def _game_screen(self) -> GameScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, GameScreen):
                return screen
        return None

    def _pop_to_title(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, TitleScreen):
            self.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide game actions while there is no game (in the footer and the command palette)."""
        if action in ("save", "undo", "history"):
            return self.session is not None
        if action == "redo":
            # Hidden (not greyed) until there is something to redo: the footer stays short at 80 columns.
            return self.game is not None and self.game.can_redo
        if action in ("new_game", "load", "endings", "continue"):
            return self.story is not None
        return True

    # -- what the screens ask for ----------------------------------------------------------
    @on(GameScreen.Choose)
    def _choose(self, message: GameScreen.Choose) -> None:
        message.stop()
        if self.game is not None:
            self.render_outcome(self.game.choose(message.pick))

    @on(SettingsScreen.Changed)
    def _settings_changed(self, message: SettingsScreen.Changed) -> None:
        message.stop()
        self.apply_settings(message.settings)

    # -- actions ---------------------------------------------------------------------------
    def action_new_game(self) -> None:
        if self.game is None:
            return
        warning = self.game.new_game_warning()
        if warning is None:
            self._new_game()
        elif not isinstance(self.screen, ConfirmScreen):
            self.push_screen(
                ConfirmScreen("Start a new game?", warning, yes="New game", no="Keep playing"),
                lambda yes: self._new_game() if yes else None,
            )

    def _new_game(self) -> None:
        if self.game is None:
            return
        session = self.session
        out = self.game.new_game()
        self._started(session)
        self.render_outcome(out)

    def action_continue(self) -> None:
        """Back to the game in progress, or else the newest save that can be loaded."""
        game = self.game
        if game is None:
            return
        if game.session is not None:
            self._show_game({})
        elif game.newest is not None:
            self.load_slot(game.newest.name)
        else:
            self.notify("There is no save to continue yet.", severity="warning")

    def action_undo(self) -> None:
        if self.game is not None and self.game.session is not None:
            self.render_outcome(self.game.undo())

    def action_redo(self) -> None:
        if self.game is not None and self.game.session is not None:
            self.render_outcome(self.game.redo())

    def action_save(self) -> None:
        game = self.game
        if game is None or game.session is None:
            return
        self.push_screen(SaveScreen(self.store, game.session.story.id, game.check_save_name), self._save_chosen)

    def _save_chosen(self, name: str | None) -> None:
        if name and self.game is not None:
            self.render_outcome(self.game.save(name))

    def action_load(self) -> None:
        if self.story is None:
            return
        self.push_screen(LoadScreen(self.store, self.story.id), self._load_chosen)

    def _load_chosen(self, name: str | None) -> None:
        if not name or self.game is None:
            return
        warning = self.game.load_warning(name)
        if warning is None:
            self.load_slot(name)
        elif not isinstance(self.screen, ConfirmScreen):
            self.push_screen(
                ConfirmScreen(f"Load '{name}'?", warning, yes="Load", no="Keep playing"),
                lambda yes: self.load_slot(name) if yes else None,
            )

    @work(thread=True, group="load", name="load game")
    def load_slot(self, name: str) -> None:
        assert self.game is not None
        self.call_later(self._apply_load, self.game.read(name))

    def _apply_load(self, read: SaveRead) -> None:
        assert self.game is not None
        session = self.session
        out = self.game.apply_load(read)
        self._started(session)
        self.render_outcome(out)

    @work(thread=True, exclusive=True, group="watch", name="reload story")
    def _poll_watcher(self) -> None:
        # Reloading a big story takes a while: it is read here, off the UI thread,
        # and only the switch to the new version happens on the UI thread.
        game = self.game
        reload = game.check_reload() if game is not None else None
        if reload is not None:
            self.call_from_thread(self._apply_reload, reload)

    def _apply_reload(self, reload: Reload) -> None:
        if self.game is not None:
            self.render_outcome(self.game.apply_reload(reload))

    def action_history(self) -> None:
        if self.session is not None:
            self.push_screen(HistoryScreen(self.session.transcript()))

    def action_settings(self) -> None:
        self.push_screen(SettingsScreen(self.settings, sorted(self.available_themes)))

    def apply_settings(self, settings: Settings) -> None:
        self.settings = settings
        if settings.theme != self.theme and settings.theme in self.available_themes:
            self._applying_settings = True
            self.theme = settings.theme
            self._applying_settings = False
        self.write_settings(Settings(**vars(settings)))

    def watch_theme(self, theme: str) -> None:
        # A theme picked from the command palette is kept too.
        if not self._applying_settings and theme != self.settings.theme:
            self.settings.theme = theme
            self.write_settings(Settings(**vars(self.settings)))

    @work(thread=True, exclusive=True, group="settings", name="write settings")
    def write_settings(self, settings: Settings) -> None:
        try:
            self.settings_store.save(settings)
        except SaveError as exc:
            self.notify(f"Settings were not kept: {exc}", severity="warning", markup=False)

    def action_endings(self) -> None:
        if self.game is not None and self.game.story is not None:
            self.push_screen(EndingsScreen(self.game.story, self.game.gallery, self.game.ending_text))

    def action_command_palette(self) -> None:
        # As Textual's own, with a palette that survives a burst of Enters (see palette.py);
        # imported on first use for the reason given at _game_commands.
        from game.tui.palette import SafeCommandPalette

        if self.use_command_palette and not SafeCommandPalette.is_open(self):
            self.push_screen(SafeCommandPalette(id="--command-palette"))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_title(self) -> None:
        self._pop_to_title()
        self.find_newest()

    async def action_quit(self) -> None:
        if self.session is None or self.unsaved <= 0:
            self.exit(0)
            return
        if isinstance(self.screen, ConfirmScreen):
            return
        n = self.unsaved
        moves = "one choice" if n == 1 else f"{n} choices"
        message = (
            f"You have made {moves} since you last saved or loaded. "
            "The autosave keeps your progress: Continue on the title screen brings you back here."
        )
        self.push_screen(ConfirmScreen("Quit the game?", message, yes="Quit", no="Stay"), self._quit_answered)

    def _quit_answered(self, yes: bool | None) -> None:
        if yes:
            self.exit(0)
