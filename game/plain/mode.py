"""Plain-text play: line by line on stdin/stdout, for screen readers and scripts.

Every screen is plain sentences and numbered lists, nothing drawn with
characters that a screen reader would spell out. Bad input never ends the game.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TextIO

from game.saves import AUTOSAVE, SaveError, SaveStore, restore, to_save
from game.session import GameError, MeterView, Session, StoryRuntimeError

# Scene packs are untrusted, and so is a save someone shared: a control character
# printed as is would be a command to the player's terminal (ESC starts sequences
# that recolour, retitle, or even write the clipboard). Only tab and the newlines
# the game writes itself pass; everything else in C0, DEL and C1 is dropped.
_CONTROL = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)])

HELP = """Commands:
  1, 2, 3 ...   take that choice
  undo          take back your last choice (repeatable)
  save NAME     save the game in slot NAME
  load NAME     load the game from slot NAME
  saves         list your saves
  status        show the meters and the Immortal Nine
  history       show the choices you have made
  look          show the current scene again
  restart       start a new game
  help          show this list
  quit          leave the game (your progress is autosaved)"""


class PlainGame:
    def __init__(
        self,
        session: Session,
        store: SaveStore,
        out: TextIO,
        width: int = 80,
        autosave: bool = True,
        reload: Callable[[], list[str]] | None = None,
    ) -> None:
        self.session = session
        self.store = store
        self.out = out
        self.width = max(40, width)
        self.autosave = autosave
        self.autosave_failed = False
        # A new game keeps the previous autosave as a backup instead of overwriting it.
        self.backup_pending = autosave
        # Called before each command; returns messages (used by --watch to reload scenes).
        self.reload = reload

    # -- output ----------------------------------------------------------------------------
    def say(self, text: str = "") -> None:
        self.out.write(text.translate(_CONTROL) + "\n")

    def wrap(self, text: str) -> None:
        for para in text.split("\n\n"):
            lines = [line.strip() for line in para.strip("\n").split("\n")]
            joined = " ".join(line for line in lines if line)
            if joined:
                self.say(textwrap.fill(joined, self.width))
                self.say()

    def meter_line(self, views: list[MeterView]) -> str:
        parts = []
        for view in views:
            band = f", {view.band}" if view.band else ""
            parts.append(f"{view.meter.label}: {view.value} of {view.meter.max}{band}")
        return ". ".join(parts) + "." if parts else ""

    def show_scene(self) -> None:
        s = self.session
        scene = s.scene
        where = " - ".join(p for p in (scene.chapter, scene.location) if p)
        self.say()
        if where:
            self.say(f"== {where} ==")
        self.say(scene.title.upper())
        self.say()
        self.wrap(s.text())
        if s.is_over:
            ending = s.ending
            assert ending is not None
            self.say(f"THE END: {ending.title}.")
            if ending.description:
                self.wrap(ending.description)
            self.say("Type undo, load NAME, restart or quit.")
            return
        meters = s.meters()
        if meters:
            self.say(self.meter_line(meters[:1]))
        for view in s.choices():
            if view.available:
                self.say(f"  {view.number}. {view.label}")
            else:
                self.say(f"  {view.number}. (locked) {view.label} - {view.reason}")

    def show_status(self) -> None:
        s = self.session
        self.say(self.meter_line(s.meters()))
        tracker = s.story.tracker
        if tracker is not None:
            self.say(f"{tracker.title}:")
            for slot in tracker.slots:
                form = f" ({slot.form})" if slot.form else ""
                self.say(f"  {slot.name}{form}: {s.vars.get(slot.var)}")

    def show_changes(self, before: dict[str, object]) -> None:
        for view in self.session.meters():
            old = before.get(view.meter.var)
            if isinstance(old, int) and old != view.value:
                delta = view.value - old
                band = f", {view.band}" if view.band else ""
                self.say(f"[{view.meter.label} {delta:+d}: now {view.value}{band}]")

    # -- commands ---------------------------------------------------------------------------
    def do_autosave(self) -> None:
        if not self.autosave:
            return
        try:
            if self.backup_pending:
                self.backup_pending = False
                self.store.backup(AUTOSAVE)
            self.store.write(AUTOSAVE, to_save(self.session, AUTOSAVE))
        except SaveError as exc:
            if not self.autosave_failed:
                self.say(f"Autosave failed: {exc}. Play goes on; use save NAME to try another way.")
            self.autosave_failed = True

    def handle(self, line: str) -> bool:
        """Run one line of input; False when the player quits."""
        words = line.strip().split(maxsplit=1)
        if not words:
            return True
        cmd, arg = words[0].lower(), (words[1].strip() if len(words) > 1 else "")
        if self.reload is not None:
            for message in self.reload():
                self.say(message)
        try:
            if cmd.isdigit():
                self.take(int(cmd))
            elif cmd in ("quit", "exit", "q"):
                return False
            elif cmd == "help" or cmd == "?":
                self.say(HELP)
            elif cmd == "undo":
                step = self.session.undo()
                self.say(f"Undone: {step.label}")
                self.show_scene()
            elif cmd == "save":
                self.save(arg)
            elif cmd == "load":
                self.load(arg)
            elif cmd == "saves":
                self.list_saves()
            elif cmd == "status":
                self.show_status()
            elif cmd == "history":
                self.show_history()
            elif cmd == "look":
                self.show_scene()
            elif cmd == "restart":
                self.session.restart()
                self.do_autosave()
                self.show_scene()
            else:
                self.say(f"Unknown command '{cmd}'. Type a choice number, or help.")
        except GameError as exc:
            self.say(_sentence(str(exc)))
        except SaveError as exc:
            self.say(_sentence(f"Save problem: {exc}"))
        except StoryRuntimeError as exc:
            self.say(f"The story hit an error {exc}. Try another choice or undo.")
        return True

    def take(self, number: int) -> None:
        views = self.session.choices()
        if self.session.is_over:
            raise GameError("the story has ended; type undo, load NAME, restart or quit")
        if not 1 <= number <= len(views):
            raise GameError(f"choose a number from 1 to {len(views)}")
        view = views[number - 1]
        if not view.available:
            raise GameError(f"locked: {view.reason}")
        before = dict(self.session.vars)
        self.session.choose(view)
        self.show_changes(before)
        self.do_autosave()
        self.show_scene()

    def save(self, name: str) -> None:
        if not name:
            raise GameError("give the save a name: save NAME")
        path = self.store.write(name, to_save(self.session, name))
        self.say(f"Saved to slot '{name}' ({path}).")

    def load(self, name: str) -> None:
        if not name:
            raise GameError("which save? load NAME (type saves for the list)")
        data = self.store.read(name, self.session.story.id)
        result = restore(self.session, data)
        self.backup_pending = False
        self.say(f"Loaded '{name}'.")
        for notice in result.notices:
            self.say(notice)
        self.show_scene()

    def list_saves(self) -> None:
        slots = self.store.list(self.session.story.id)
        if not slots:
            self.say(f"No saves yet in {self.store.folder}.")
            return
        for slot in slots:
            if slot.ok:
                self.say(f"  {slot.name}: {slot.description} ({slot.saved_at})")
            else:
                self.say(f"  {slot.name}: damaged - {slot.error}")

    def show_history(self) -> None:
        if not self.session.history:
            self.say("No choices made yet.")
            return
        for i, step in enumerate(self.session.history, 1):
            title = self.session.story.scenes[step.scene].title
            self.say(f"  {i}. {title}: {step.label}")


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", '"')) else text + "."


def run_plain(game: PlainGame, inp: TextIO) -> int:
    game.show_scene()
    while True:
        game.out.write("> ")
        game.out.flush()
        line = inp.readline()
        if not line:
            game.say()
            return 0
        if not game.handle(line):
            game.say("Goodbye.")
            return 0
