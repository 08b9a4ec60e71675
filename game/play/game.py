"""The game, whatever draws it: the Session, the saves, the autosave, the gallery, live reloads.

A view (the Textual app, plain mode, a test driver, the browser) asks ``Game`` to
act and renders the ``Outcome`` it gets back; it holds no rule of its own about
when to autosave, what a load repairs or what the player must be told. Nothing
here waits on a view: disk work comes back as ``Write`` objects the view runs on
whatever thread it likes, and the slow reads (the story, a save, an edited
story) are methods that touch no game state, so a view may call them off its
main thread and hand the result to the method that applies it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from game.loader import check_story
from game.play.autosave import RESERVED, Autosaver, backup_of
from game.play.gallery import EndingsGallery
from game.play.outcome import Move, Notice, Outcome, Status, Write
from game.play.watch import StoryWatcher
from game.saves import SaveError, SaveStore, SlotInfo, check_slot_name, restore, to_save
from game.session import ChoiceView, GameError, Session, StoryRuntimeError
from game.state import SessionState, Step
from game.story.model import Story

MAX_LOAD_ERRORS = 8
AnOutcome = TypeVar("AnOutcome", bound=Outcome)


@dataclass(frozen=True, slots=True)
class SaveRead:
    """A save read from disk (``read``), waiting to be applied (``apply_load``)."""

    name: str
    data: dict[str, Any] | None
    notices: list[Notice] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Reload:
    """An edited story read from disk (``check_reload``), waiting to be applied (``apply_reload``)."""

    watcher: StoryWatcher
    story: Story | None  # None: the edit does not load, the game plays on with the last good version
    messages: list[str]


class Game:
    def __init__(
        self,
        store: SaveStore,
        story: Story | None = None,
        *,
        session: Session | None = None,
        seed: int | None = None,
        story_dir: Path | None = None,
        watch: bool = False,
        autosave: bool = True,
        gallery: EndingsGallery | None = None,
    ) -> None:
        self.store = store
        self.session = session
        self.story = session.story if session is not None else story
        # None: every new game rolls a seed of its own.
        self.seed = seed
        self.story_dir = Path(story_dir) if story_dir is not None else None
        self.watch = watch and self.story_dir is not None
        self.autosaver = Autosaver(store, autosave)
        self.gallery = gallery if gallery is not None else EndingsGallery.open(store.folder)
        self.load_errors: list[str] = []  # why the story could not be loaded, for the player
        self.newest: SlotInfo | None = None  # the save Continue would load
        # Moves (choices and undos) made, and how many of them the last save or load covers.
        self.moves = 0
        self.saved_moves = 0
        # The moves undone since the last choice, the latest last: redo takes them again
        # (Ren'Py's roll-forward). A new choice, a new game, a load or a reload drops them.
        self._redo: list[Step] = []
        self._watcher: StoryWatcher | None = None
        if session is not None:
            self._started(session)

    @classmethod
    def open(cls, story_dir: Path, store: SaveStore, **options: Any) -> Game:
        """Read the story, the gallery and the newest save: disk work, safe off the main thread."""
        story, diagnostics = check_story(story_dir)
        game = cls(store, story, story_dir=story_dir, gallery=EndingsGallery.open(store.folder), **options)
        if story is None:
            errors = [str(d) for d in diagnostics if d.is_error]
            shown = errors[:MAX_LOAD_ERRORS]
            if len(errors) > len(shown):
                shown.append(f"... and {len(errors) - len(shown)} more (run metallic-rouge validate)")
            count = f"{len(errors)} error(s)" if errors else "no story files"
            game.load_errors = [f"The story could not be loaded ({count}):", *shown]
        else:
            game.newest = store.newest(story.id)
        return game

    # -- reading the state -----------------------------------------------------------------
    @property
    def in_game(self) -> bool:
        return self.session is not None

    @property
    def unsaved(self) -> int:
        """Moves made since the last save or load."""
        return self.moves - self.saved_moves

    @property
    def can_redo(self) -> bool:
        return self.session is not None and bool(self._redo)

    @property
    def watching(self) -> bool:
        return self._watcher is not None

    def text(self) -> str:
        """The current scene's text; a story error becomes a note instead of a crash."""
        assert self.session is not None
        try:
            return self.session.text()
        except StoryRuntimeError as exc:
            return f"(This passage could not be shown: the story hit an error {exc}.)"

    def choices(self) -> tuple[list[ChoiceView], Notice | None]:
        """The choices to show now (none at an ending); a story error leaves none and a notice."""
        session = self.session
        if session is None or session.is_over:
            return [], None
        try:
            return session.choices(), None
        except StoryRuntimeError as exc:
            return [], Notice(f"The choices could not be shown: {exc}. Undo or load a save.", "error")

    def find_newest(self) -> SlotInfo | None:
        """The newest loadable save of this story (reads every save: run it off the main thread)."""
        self.newest = self.store.newest(self.story.id) if self.story is not None else None
        return self.newest

    def new_game_warning(self) -> str | None:
        """What starting again would replace, for the view to ask about first; None: nothing to lose."""
        session = self.session
        if session is None or session.is_over or not session.history:
            return None  # no game, a finished one, or one still at its start
        if not self.autosaver.enabled or self.autosaver.failed:
            return f"The game in progress, at '{self._place()}', is not autosaved: save it first to keep it."
        # (The backup is made by the new game's first autosave, at its first choice.)
        return (
            f"The game in progress, at '{self._place()}', is kept: your first choice in the new "
            f"game moves it to '{backup_of(self.autosaver.slot)}', to load from there."
        )

    def load_warning(self, name: str) -> str | None:
        """What loading ``name`` would replace, for the view to ask about first; None: nothing unsaved."""
        session = self.session
        if session is None or self.unsaved <= 0 or (self.autosaver.enabled and name == self.autosaver.slot):
            return None  # (this copy's autosave holds the game in progress already)
        n = self.unsaved
        moves = "one choice" if n == 1 else f"{n} choices"
        if not self.autosaver.enabled or self.autosaver.failed:
            kept = "That game is not autosaved: save it first to keep it."
        else:
            kept = f"That game stays as '{backup_of(self.autosaver.slot)}', to load from there."
        return (
            f"Loading '{name}' leaves '{self._place()}' and the {moves} made since you last "
            f"saved or loaded. {kept}"
        )

    def _place(self) -> str:
        assert self.session is not None
        return self.session.shown_title()

    def ending_text(self, ending_id: str) -> str | None:
        """The text of an ending the player has reached, to reread in the gallery; None for one not reached.

        Drawn on a session of its own at the ending's scene with the story's starting
        values (the gallery keeps which endings were reached, not how the run went), so
        the game in progress is never touched.
        """
        story = self.story
        if story is None or not self.gallery.has(story.id, ending_id):
            return None
        scene = next((s for s in story.scenes.values() if s.ending == ending_id), None)
        if scene is None:
            return None
        try:
            reader = Session(story, seed=0)
            reader.restore(SessionState(scene=scene.id, vars=story.defaults()))
            return reader.text()
        except StoryRuntimeError as exc:
            return f"(This ending could not be shown: the story hit an error {exc}.)"

    def check_save_name(self, name: str) -> str | None:
        """Why ``name`` cannot be a save slot the player writes, or None."""
        try:
            check_slot_name(name)
        except SaveError as exc:
            return str(exc)
        if name.lower() in RESERVED:
            return f"'{name}' is the game's own autosave slot; choose another name."
        return None

    # -- commands --------------------------------------------------------------------------
    def new_game(self) -> Outcome:
        """Start the story from the beginning; the first autosave keeps the old one as a backup."""
        if self.story is None:
            return _refused(Outcome, "There is no story to play.")
        notices: list[Notice] = []
        if self.session is None:
            failure = self._start()
            if failure is not None:
                return failure
        else:
            assert self.session is not None
            self.session.seed = self._new_seed()
            try:
                self.session.restart()
            except StoryRuntimeError as exc:
                # The session is left as a consistent new game: say what went wrong and go on.
                notices.append(Notice(f"The story hit an error {exc}.", "error"))
        self.autosaver.new_game()
        self.moves = self.saved_moves = 0
        self._redo.clear()
        return Outcome(notices=notices, shows=True)

    restart = new_game

    def choose(self, pick: int | ChoiceView) -> Move:
        """Take a choice by its number on screen or its view."""
        session = self.session
        if session is None:
            return _refused(Move, "There is no game in progress.")
        try:
            if isinstance(pick, int):
                if session.is_over:
                    raise GameError("the story has ended; load a save, undo or start again")
                views = session.choices()
                if not 1 <= pick <= len(views):
                    raise GameError(f"choose a number from 1 to {len(views)}")
                pick = views[pick - 1]
            if not pick.available:
                return _refused(Move, f"Locked: {pick.reason}", title=pick.label)
            before = dict(session.vars)
            step = session.choose(pick)
        except GameError as exc:
            return _refused(Move, sentence(str(exc)))
        except StoryRuntimeError as exc:
            return _failed(Move, f"The story hit an error {exc}. Try another choice or undo.")
        self.moves += 1
        self._redo.clear()  # a new choice: the undone ones are another branch now
        out = Move(shows=True, before=before, step=step, reply=step.reply, stayed=step.stay)
        self._autosave(out)
        self._ending(out)
        return out

    def undo(self) -> Move:
        """Take back the last choice (again and again, to the start)."""
        session = self.session
        if session is None:
            return _refused(Move, "There is no game in progress.")
        if not session.can_undo:
            return _refused(Move, "Nothing to undo.")
        before = dict(session.vars)
        step = session.undo()
        self._redo.append(step)
        self.moves += 1
        out = Move(notices=[Notice(f"Undone: {step.label}", timeout=2)], shows=True, before=before, step=step)
        self._autosave(out)
        return out

    def redo(self) -> Move:
        """Take again the choice the last undo took back (again and again, until a new choice).

        The same choice from the same restored state: undo restored the turn, the
        dice's seed and the text variations with it, so the replay reads as it did.
        """
        session = self.session
        if session is None:
            return _refused(Move, "There is no game in progress.")
        if not self._redo:
            return _refused(Move, "Nothing to redo.")
        undone = self._redo[-1]
        choice = next((c for c in session.scene.choices if c.id == undone.choice), None)
        if session.state != undone.scene or choice is None:  # cannot happen while the list is kept right
            self._redo.clear()
            return _refused(Move, "Nothing to redo.")
        before = dict(session.vars)
        try:
            step = session.choose(choice)
        except GameError as exc:
            self._redo.clear()
            return _refused(Move, sentence(str(exc)))
        except StoryRuntimeError as exc:
            self._redo.clear()
            return _failed(Move, f"The story hit an error {exc}.")
        self._redo.pop()
        self.moves += 1
        out = Move(
            notices=[Notice(f"Redone: {step.label}", timeout=2)],
            shows=True, before=before, step=step, reply=step.reply, stayed=step.stay,
        )
        self._autosave(out)
        self._ending(out)
        return out

    def save(self, name: str) -> Outcome:
        """Save the game in slot ``name``; the write is the outcome's to run."""
        session = self.session
        if session is None:
            return _refused(Outcome, "There is no game to save.")
        problem = self.check_save_name(name)
        if problem is not None:
            return _refused(Outcome, f"Could not save: {problem}")
        data = to_save(session, name)
        moves = self.moves

        def write() -> list[Notice]:
            try:
                self.store.write(name, data)
            except SaveError as exc:
                return [Notice(f"Could not save: {exc}", "error")]
            self.saved_moves = max(self.saved_moves, moves)
            return [Notice(f"Saved to '{name}'.", timeout=3)]

        return Outcome(writes=[Write("save", write)])

    def read(self, name: str) -> SaveRead:
        """Read and check save ``name``: disk work that touches no game state."""
        if self.story is None:
            return SaveRead(name, None, [Notice("There is no story to load a save into.", "warning")])
        try:
            return SaveRead(name, self.store.read(name, self.story.id))
        except SaveError as exc:
            return SaveRead(name, None, [Notice(f"Could not load '{name}': {exc}", "error")])

    def apply_load(self, read: SaveRead) -> Outcome:
        """Continue from a save read by ``read``; what it had to repair is said."""
        if read.data is None:
            return Outcome(Status.FAILED, list(read.notices))
        fresh = self.session is None
        if fresh:
            failure = self._start()
            if failure is not None:
                return failure
        assert self.session is not None
        try:
            # restore() checks the whole save before it changes the session.
            result = restore(self.session, read.data)
        except SaveError as exc:
            if fresh:
                self.session, self._watcher = None, None
            return _failed(Outcome, f"Could not load '{read.name}': {exc}")
        # A load is a new current game: the autosave follows it at once, so that Continue
        # (here or after a restart) brings back this game, not the one played before it.
        self.autosaver.loaded(read.name)
        self.moves = self.saved_moves = 0
        self._redo.clear()
        out = Outcome(notices=[Notice(f"Loaded '{read.name}'.", lines=tuple(result.notices), timeout=4)], shows=True)
        self._autosave(out)
        self._ending(out)
        return out

    def load(self, name: str) -> Outcome:
        return self.apply_load(self.read(name))

    def check_reload(self) -> Reload | None:
        """With ``watch``: read the story again if a file changed. Touches no game state."""
        watcher = self._watcher
        if watcher is None:
            return None
        story, messages = watcher.check()
        return Reload(watcher, story, messages) if messages else None

    def apply_reload(self, reload: Reload | None) -> Outcome:
        """Switch the game to the edited story read by ``check_reload``, keeping the player's place."""
        if reload is None or reload.watcher is not self._watcher or self.session is None:
            return Outcome()  # nothing changed, or the game it was read for has been replaced
        messages = list(reload.messages)
        if reload.story is not None:
            messages += reload.watcher.apply(reload.story)
            self.story = self.session.story
            self._redo.clear()  # the undone choices were the old version's
        out = Outcome(
            notices=[Notice(messages[0], title="Story", lines=tuple(messages[1:]), timeout=8)],
            shows=reload.story is not None,
        )
        if reload.story is not None:
            self._ending(out)
        return out

    def reload(self) -> Outcome:
        return self.apply_reload(self.check_reload())

    def close(self) -> None:
        """Done with this game: let another copy on the saves folder have this one's autosave number.

        (Ending the process or collecting the Game does it too; see game.play.lock.)
        """
        self.autosaver.release()

    # -- internals -------------------------------------------------------------------------
    def _new_seed(self) -> int:
        return self.seed if self.seed is not None else int.from_bytes(os.urandom(4), "little")

    def _start(self) -> Outcome | None:
        assert self.story is not None
        try:
            session = Session(self.story, seed=self._new_seed())
        except StoryRuntimeError as exc:
            return _failed(Outcome, f"The story cannot start: it hit an error {exc}.")
        self.session = session
        self._started(session)
        return None

    def _started(self, session: Session) -> None:
        self.autosaver.new_game()
        if self.watch and self.story_dir is not None:
            self._watcher = StoryWatcher(self.story_dir, session)

    def _autosave(self, out: Outcome) -> None:
        assert self.session is not None
        write = self.autosaver.write(to_save(self.session, "autosave"))
        if write is not None:
            out.writes.append(write)

    def _ending(self, out: Outcome) -> None:
        """Note an ending reached in the gallery (and the gallery's write in ``out``)."""
        session = self.session
        if session is None or session.ending is None:
            return
        out.ended = session.ending
        if self.gallery.add(session.story.id, session.ending.id):
            data = self.gallery.snapshot()
            out.writes.append(Write("gallery", lambda: self._write_gallery(data)))

    def _write_gallery(self, data: dict[str, Any]) -> list[Notice]:
        try:
            self.gallery.save(data)
        except SaveError as exc:
            return [Notice(f"The endings gallery was not kept: {exc}", "warning")]
        return []


def sentence(text: str) -> str:
    """An engine message as a sentence: capitalised, with a full stop."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", '"')) else text + "."


def _refused(kind: type[AnOutcome], text: str, title: str | None = None) -> AnOutcome:
    return kind(Status.REFUSED, [Notice(text, "warning", title)])


def _failed(kind: type[AnOutcome], text: str) -> AnOutcome:
    return kind(Status.FAILED, [Notice(text, "error")])
