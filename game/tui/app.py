"""The Textual app: owns the Session and the save store, and routes every game action.

Screens ask the app to act (take a choice, save, load, undo...) and the app
updates the Session, the only source of game state, then tells the screens to
show it. Slow work (reading the story, writing and reading saves) runs in
thread workers so the interface never waits on the disk.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from game.tui.settings import DEFAULT_THEME, ENDINGS_FILE, EndingsGallery, Settings, SettingsStore
from game.tui.theme import METALLIC_ROUGE
from game.tui.widgets.too_small import too_small

if TYPE_CHECKING:
    from textual.command import Provider

    from game.saves import SaveStore, SlotInfo
    from game.session import ChoiceView, Session
    from game.story.model import Story

# The engine (saves, session, loader: transitions, YAML, the expression compiler) is
# imported only when first needed, so the title screen paints without waiting for it.
AUTOSAVE = "autosave"  # game.saves.AUTOSAVE, without importing the engine at start-up

STYLES = Path(__file__).parent / "styles"
MAX_LOAD_ERRORS = 8


def _game_commands() -> type[Provider]:
    # Imported when the palette first opens (textual.command is ~25 ms of imports).
    from game.tui.providers import GameCommands

    return GameCommands


def _freeze_heap() -> None:
    """Move everything alive now (the story, the machine, Textual's own objects) out of
    the collector's reach. They live as long as the app, and each full collection
    scanning them cost up to 85 ms in the middle of a choice (measured: 12 full
    passes, 810 ms, during 150 choices on the campaign). Unfreezing first lets the
    collection reclaim what an earlier freeze kept, such as a replaced game's machine."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class MetallicRougeApp(App[int]):
    TITLE = "Metallic Rouge: The Immortal Nine"
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
        self.settings_store = SettingsStore(store.folder)
        self.settings: Settings = self.settings_store.load()
        self.gallery = EndingsGallery(Path(store.folder) / ENDINGS_FILE)  # read with the story
        self.story: Story | None = None
        self.session: Session | None = None
        self.load_errors: list[str] = []
        self.newest: SlotInfo | None = None
        # Choices (and undos) taken, and how many of them the last manual save or load covers:
        # quitting asks for confirmation while these differ.
        self.moves = 0
        self.saved_moves = 0
        # Benchmark hooks: counted once a new scene has reached the screen.
        self.scene_rendered_count = 0
        self.scene_rendered_hooks: list[Callable[[], None]] = []
        self._autosave_lock = threading.Lock()
        self._autosave_seq = 0
        self._autosave_written = 0
        self._backup_pending = False
        self._autosave_failed = False
        self._watcher: Any = None
        self.register_theme(METALLIC_ROUGE)
        self._applying_settings = True
        self.theme = self.settings.theme if self.settings.theme in self.available_themes else DEFAULT_THEME
        self._applying_settings = False

    # -- start-up ------------------------------------------------------------------------
    def get_default_screen(self) -> Screen[Any]:
        from game.tui.screens.title import TitleScreen

        return TitleScreen()

    def on_mount(self) -> None:
        self.set_class(too_small(*self.size), "-too-small")

    def on_ready(self) -> None:
        # Load once the title is on screen: a loading thread started earlier holds
        # the interpreter lock against the first paint (measured ~50 ms later).
        self.load_story()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(too_small(*event.size), "-too-small")

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
        from game.loader import check_story

        story, diagnostics = check_story(self.story_dir)
        gallery = EndingsGallery.open(self.store.folder)
        newest = self.store.newest(story.id) if story is not None else None
        self.call_later(self._story_loaded, story, [str(d) for d in diagnostics if d.is_error], gallery, newest)

    def _story_loaded(
        self, story: Story | None, errors: list[str], gallery: EndingsGallery, newest: SlotInfo | None
    ) -> None:
        self.gallery = gallery
        self.newest = newest
        if story is None:
            shown = errors[:MAX_LOAD_ERRORS]
            if len(errors) > len(shown):
                shown.append(f"... and {len(errors) - len(shown)} more (run metallic-rouge validate)")
            count = f"{len(errors)} error(s)" if errors else "no story files"
            self.load_errors = [f"The story could not be loaded ({count}):", *shown]
        else:
            self.story = story
            _freeze_heap()
        self._refresh_title()
        if story is not None and self.initial_load:
            self.load_slot(self.initial_load)

    def _refresh_title(self) -> None:
        from game.tui.screens.title import TitleScreen

        for screen in self.screen_stack:
            if isinstance(screen, TitleScreen):
                screen.refresh_state()

    @work(thread=True, exclusive=True, group="newest", name="find newest save")
    def find_newest(self) -> None:
        if self.story is not None:
            newest = self.store.newest(self.story.id)
            self.call_later(self._newest_found, newest)

    def _newest_found(self, newest: SlotInfo | None) -> None:
        self.newest = newest
        self._refresh_title()

    # -- the session -----------------------------------------------------------------------
    @property
    def motion(self) -> bool:
        """Anything time-based on screen (flashes, blinking cursors): off in tests and with TEXTUAL_ANIMATIONS=none."""
        return self.effects_allowed and self.animation_level != "none"

    @property
    def effects_enabled(self) -> bool:
        """The meters' reaction to a change: also a player setting."""
        return self.motion and self.settings.effects

    @property
    def in_game(self) -> bool:
        return self.session is not None

    @property
    def unsaved(self) -> int:
        return self.moves - self.saved_moves

    def _ensure_session(self) -> Session | None:
        from game.session import Session, StoryRuntimeError

        assert self.story is not None
        if self.session is None:
            try:
                self.session = Session(self.story, seed=self._new_seed())
            except StoryRuntimeError as exc:
                self.notify(f"The story cannot start: it hit an error {exc}.", severity="error", markup=False)
                return None
            _freeze_heap()
            if self.watch:
                from game.authoring.watch import StoryWatcher

                if self._watcher is None:
                    self.set_interval(1.0, self._poll_watcher, name="watch story")
                self._watcher = StoryWatcher(self.story_dir, self.session)
        return self.session

    def _new_seed(self) -> int:
        return self.seed if self.seed is not None else int.from_bytes(os.urandom(4), "little")

    @work(thread=True, exclusive=True, group="watch", name="reload story")
    def _poll_watcher(self) -> None:
        # Reloading a big story takes a while: it runs here, off the UI thread,
        # and only the switch to the new version happens on the UI thread.
        watcher = self._watcher
        if watcher is None:
            return
        story, messages = watcher.check()
        if messages:
            self.call_from_thread(self._apply_reload, watcher, story, messages)

    def _apply_reload(self, watcher: Any, story: Any, messages: list[str]) -> None:
        if watcher is not self._watcher:
            return
        if story is not None:
            messages = messages + watcher.apply(story)
        self.notify("\n".join(messages), title="Story", markup=False, timeout=8)
        if story is not None and self.session is not None:
            self.story = self.session.story
            self._show_game({})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide game actions while there is no game (in the footer and the command palette)."""
        if action in ("save", "undo", "history"):
            return self.session is not None
        if action in ("new_game", "load", "endings", "continue"):
            return self.story is not None
        return True

    def _game_screen(self) -> Any:
        from game.tui.screens.game import GameScreen

        for screen in self.screen_stack:
            if isinstance(screen, GameScreen):
                return screen
        return None

    def _show_game(self, before: dict[str, object]) -> None:
        """Show the session on the game screen (pushing it if needed), and the ending if it is over."""
        from game.tui.screens.ending import EndingScreen
        from game.tui.screens.game import GameScreen

        session = self.session
        assert session is not None
        game = self._game_screen()
        if game is None:
            self._pop_to_title()
            self.push_screen(GameScreen(session))
        else:
            while self.screen is not game and not isinstance(self.screen, EndingScreen):
                self.pop_screen()
            if isinstance(self.screen, EndingScreen) and not session.is_over:
                self.pop_screen()
            # A game screen pushed by an earlier key of the same burst may not be built
            # yet (found by tests/fuzz/test_fuzz_tui.py): its on_mount shows the
            # session as it is by then.
            if game.is_mounted:
                game.show_scene(before)
        if session.is_over:
            self._reach_ending()

    def _pop_to_title(self) -> None:
        from game.tui.screens.title import TitleScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, TitleScreen):
            self.pop_screen()

    def _reach_ending(self) -> None:
        from game.tui.screens.ending import EndingScreen

        session = self.session
        assert session is not None and session.ending is not None
        if self.gallery.add(session.story.id, session.ending.id):
            self.write_gallery(self.gallery.snapshot())
        if not isinstance(self.screen, EndingScreen):
            self.push_screen(EndingScreen(session))

    def take_choice(self, view: ChoiceView) -> None:
        from game.session import GameError, StoryRuntimeError

        session = self.session
        if session is None:
            return
        if not view.available:
            self.notify(f"Locked: {view.reason}", title=view.label, severity="warning", markup=False)
            return
        before = dict(session.vars)
        try:
            session.choose(view)
        except GameError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        except StoryRuntimeError as exc:
            self.notify(f"The story hit an error {exc}. Try another choice or undo.", severity="error", markup=False)
            return
        self.moves += 1
        self.autosave()
        self._show_game(before)

    # -- actions ---------------------------------------------------------------------------
    def action_new_game(self) -> None:
        from game.session import StoryRuntimeError

        if self.story is None:
            return
        session = self._ensure_session()
        if session is None:
            return
        session.seed = self._new_seed()
        try:
            session.restart()
        except StoryRuntimeError as exc:
            # The session is left as a consistent new game; say what went wrong and go on.
            self.notify(f"The story hit an error {exc}.", severity="error", markup=False)
        # Like plain mode: the first autosave of a new game keeps the old one as autosave-previous.
        self._backup_pending = True
        self.moves = self.saved_moves = 0
        self._show_game({})

    def action_continue(self) -> None:
        """Back to the game in progress, or else the newest save that can be loaded."""
        if self.session is not None:
            self._show_game({})
        elif self.newest is not None:
            self.load_slot(self.newest.name)
        else:
            self.notify("There is no save to continue yet.", severity="warning")

    def action_undo(self) -> None:
        session = self.session
        if session is None:
            return
        if not session.can_undo:
            self.notify("Nothing to undo.", severity="warning")
            return
        before = dict(session.vars)
        step = session.undo()
        self.moves += 1
        self.autosave()
        self._show_game(before)
        self.notify(f"Undone: {step.label}", markup=False, timeout=2)

    def action_save(self) -> None:
        from game.tui.screens.saves import SaveScreen

        if self.session is None:
            return
        self.push_screen(SaveScreen(self.store, self.session.story.id), self._save_chosen)

    def _save_chosen(self, name: str | None) -> None:
        from game.saves import to_save

        if name and self.session is not None:
            self.save_slot(name, to_save(self.session, name), self.moves)

    @work(thread=True, group="save", name="save game")
    def save_slot(self, name: str, data: dict[str, Any], moves: int) -> None:
        from game.saves import SaveError

        try:
            self.store.write(name, data)
        except SaveError as exc:
            self.notify(f"Could not save: {exc}", severity="error", markup=False)
            return
        self.call_later(self._saved, name, moves)

    def _saved(self, name: str, moves: int) -> None:
        self.saved_moves = max(self.saved_moves, moves)
        self.notify(f"Saved to '{name}'.", markup=False, timeout=3)
        self.find_newest()

    def action_load(self) -> None:
        from game.tui.screens.saves import LoadScreen

        if self.story is None:
            return
        self.push_screen(LoadScreen(self.store, self.story.id), self._load_chosen)

    def _load_chosen(self, name: str | None) -> None:
        if name:
            self.load_slot(name)

    @work(thread=True, group="load", name="load game")
    def load_slot(self, name: str) -> None:
        from game.saves import SaveError

        story = self.story
        assert story is not None
        try:
            data = self.store.read(name, story.id)
        except SaveError as exc:
            self.notify(f"Could not load '{name}': {exc}", severity="error", markup=False)
            return
        self.call_later(self._apply_load, name, data)

    def _apply_load(self, name: str, data: dict[str, Any]) -> None:
        from game.saves import SaveError, restore

        fresh = self.session is None
        session = self._ensure_session()
        if session is None:
            return
        try:
            # restore() checks the whole save before it changes the session.
            result = restore(session, data)
        except SaveError as exc:
            if fresh:
                self.session = None
            self.notify(f"Could not load '{name}': {exc}", severity="error", markup=False)
            return
        self._backup_pending = False
        self.moves = self.saved_moves = 0
        self.notify(" ".join([f"Loaded '{name}'.", *result.notices]), markup=False, timeout=4)
        self._show_game({})

    def action_history(self) -> None:
        from game.tui.screens.history import HistoryScreen

        if self.session is not None:
            self.push_screen(HistoryScreen(self.session.transcript()))

    def action_settings(self) -> None:
        from game.tui.screens.settings import SettingsScreen

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
        from game.saves import SaveError

        try:
            self.settings_store.save(settings)
        except SaveError as exc:
            self.notify(f"Settings were not kept: {exc}", severity="warning", markup=False)

    @work(thread=True, exclusive=True, group="gallery", name="write endings")
    def write_gallery(self, data: dict[str, Any]) -> None:
        from game.saves import SaveError

        try:
            self.gallery.save(data)
        except SaveError as exc:
            self.notify(f"The endings gallery was not kept: {exc}", severity="warning", markup=False)

    def action_endings(self) -> None:
        from game.tui.screens.endings import EndingsScreen

        if self.story is not None:
            self.push_screen(EndingsScreen(self.story, self.gallery))

    def action_command_palette(self) -> None:
        # As Textual's own, with a palette that survives a burst of Enters (see palette.py).
        from game.tui.palette import SafeCommandPalette

        if self.use_command_palette and not SafeCommandPalette.is_open(self):
            self.push_screen(SafeCommandPalette(id="--command-palette"))

    def action_help(self) -> None:
        from game.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_title(self) -> None:
        self._pop_to_title()
        self.find_newest()

    async def action_quit(self) -> None:
        from game.tui.screens.confirm import ConfirmScreen

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

    # -- autosave --------------------------------------------------------------------------
    def autosave(self) -> None:
        """Write the autosave slot in a thread: fsync never holds up the next frame."""
        from game.saves import to_save

        if self.session is None:
            return
        self._autosave_seq += 1
        self.write_autosave(self._autosave_seq, to_save(self.session, AUTOSAVE))

    @work(thread=True, group="autosave", name="autosave")
    def write_autosave(self, seq: int, data: dict[str, Any]) -> None:
        from game.saves import SaveError

        with self._autosave_lock:
            # Threads may run out of order: never let an older state overwrite a newer one.
            if seq <= self._autosave_written:
                return
            try:
                if self._backup_pending:
                    self._backup_pending = False
                    self.store.backup(AUTOSAVE)
                self.store.write(AUTOSAVE, data)
                self._autosave_written = seq
            except SaveError as exc:
                if not self._autosave_failed:
                    self._autosave_failed = True
                    # notify() is thread-safe; said once, then play goes on.
                    self.notify(
                        f"Autosave failed: {exc}. Play goes on; save by hand to try elsewhere.",
                        severity="warning",
                        markup=False,
                        timeout=8,
                    )
