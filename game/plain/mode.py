"""Plain-text play: line by line on stdin/stdout, for screen readers and scripts.

Every screen is plain sentences and numbered lists, nothing drawn with
characters that a screen reader would spell out. Bad input never ends the game.
"""

from __future__ import annotations

import re
import signal
import sys
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import TextIO

from game.plain.exits import EXIT_NO_INPUT, EXIT_NO_OUTPUT
from game.play.game import Game
from game.play.game import sentence as _sentence
from game.play.outcome import Move, Notice, Outcome, Status
from game.saves import AUTOSAVE, SaveStore, SlotInfo
from game.session import MeterView, Session, StoryRuntimeError

# Scene packs are untrusted, and so is a save someone shared: a control character
# printed as is would be a command to the player's terminal (ESC starts sequences
# that recolour, retitle, or even write the clipboard). Only tab and the newlines
# the game writes itself pass; everything else in C0, DEL and C1 is dropped.
_CONTROL = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)])

# A choice number is ASCII digits only: str.isdigit() also takes '²' (int() fails on
# it) and '١' (int() reads it as 1, a choice the player never typed), and a number
# thousands of digits long stops int() outright. No scene has 10,000 choices.
_NUMBER = re.compile(r"[0-9]+")
MAX_NUMBER_DIGITS = 4
# A command is a word and a save name (64 characters at most): a longer line is
# refused whole rather than read without bound.
MAX_LINE = 1024

class InputLost(Exception):
    """Standard input cannot be read (closed, or an I/O error)."""


class OutputLost(Exception):
    """Standard output cannot be written (closed, or a broken pipe)."""


class Stopped(Exception):
    """SIGTERM or SIGHUP arrived: play stops (between commands, never inside a save)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


HELP = """Commands:
  1, 2, 3 ...   take that choice
  continue      pick up the game you autosaved last time (before you play on)
  undo          take back your last choice (repeatable)
  redo          take again a choice you undid (until you choose anew)
  save NAME     save the game in slot NAME
  load NAME     load the game from slot NAME
  saves         list your saves
  status        show the meters{tracker}
  history       show the choices you have made
  look          show the current scene again
  restart       start a new game
  help          show this list
  quit          leave the game (your progress is autosaved)"""

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip


class PlainGame:
    """Plain mode over a ``Game``: reads commands, prints what the game's outcomes say."""

    def __init__(
        self,
        session: Session,
        store: SaveStore,
        out: TextIO,
        width: int = 80,
        autosave: bool = True,
        watch: Path | None = None,
    ) -> None:
        # The session's own seed for every restart: a seeded script replays the same.
        self.game = Game(
            store, session=session, seed=session.seed, story_dir=watch, watch=watch is not None, autosave=autosave
        )
        self.out = out
        self.width = max(40, width)
        # While a command runs (its autosave included) a stop signal waits for it to finish.
        self.busy = False
        self.pending_signal: int | None = None
        # Nothing played yet in this run: the autosave on disk is still the last run's game.
        self.fresh = True

    @property
    def session(self) -> Session:
        session = self.game.session
        assert session is not None  # plain mode always has a game: it starts with one
        return session

    # -- output ----------------------------------------------------------------------------
    def say(self, text: str = "") -> None:
        try:
            self.out.write(text.translate(_CONTROL) + "\n")
        except (OSError, ValueError) as exc:  # ValueError: the stream was closed under us
            raise OutputLost(str(exc)) from exc

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

    def greet(self, offer_continue: bool = True) -> None:
        """The story's name and how to get help; the autosave from last time, if there is one."""
        self.say(f"{_sentence(self.session.story.title)} Type help for the list of commands.")
        autosave = self._autosave_slot() if offer_continue else None
        if autosave is not None:
            where = f", at {autosave.scene_title}" if autosave.scene_title else ""
            self.say(
                f"You have an autosave from {when(autosave)}{where}. Type continue to pick it up, or load autosave."
            )

    def _autosave_slot(self) -> SlotInfo | None:
        for slot in self.game.store.list(self.session.story.id):
            if slot.name == AUTOSAVE and slot.ok:
                return slot
        return None

    def show_scene(self) -> None:
        s = self.session
        scene = s.scene
        title = s.shown_title()
        self.say()
        # Headings as sentences: a screen reader reads "== X ==" as "equals equals", and
        # spells out or shouts a title in capitals.
        self.say(_sentence(title))
        where = " ".join(_sentence(p) for p in (scene.chapter, scene.location) if p)
        if where:
            self.say(where)
        self.say()
        self.wrap(s.text())
        self.show_choices()

    def show_choices(self) -> None:
        """The ending, or the meter line and the choices: what follows the scene's text."""
        s = self.session
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
        """One short sentence a line: each meter (the first as the scene shows it), then each of the tracker's."""
        s = self.session
        for view in s.meters():
            self.say(self.meter_line([view]))
        tracker = s.story.tracker
        if tracker is not None:
            self.say(f"{_sentence(tracker.title)}")
            for slot in tracker.slots:
                form = f", {slot.form}" if slot.form else ""
                self.say(f"  {slot.name}{form}: {s.vars.get(slot.var)}.")

    def show_changes(self, before: dict[str, object]) -> None:
        for view in self.session.meters():
            old = before.get(view.meter.var)
            if isinstance(old, int) and old != view.value:
                delta = view.value - old
                band = f", {view.band}" if view.band else ""
                self.say(f"{view.meter.label} {delta:+d}: now {view.value}{band}.")

    def render(self, out: Outcome, show: bool = True) -> None:
        """Print an outcome: its notices, the meters a move changed, the scene; run its writes."""
        for notice in out.notices:
            self.notice(notice)
        # A choice's reply comes first, straight after the choice, before what it changed.
        move = out if isinstance(out, Move) else None
        if move is not None and move.reply:
            self.say()
            self.wrap(move.reply)
        if out.shows and out.before:
            self.show_changes(out.before)
        # Plain mode waits for the disk: the next prompt comes once the game is on it.
        for write in out.writes:
            for notice in write.run():
                self.notice(notice)
        if out.shows and show:
            if move is not None and move.stayed:
                self.show_choices()  # still the same scene: its text is not printed again
            else:
                self.show_scene()

    def notice(self, notice: Notice) -> None:
        text = _sentence(notice.text) if notice.severity != "information" else notice.text
        self.say(text)
        for line in notice.lines:
            self.say(line)

    def handle(self, line: str) -> bool:
        """Run one line of input; False when the player quits."""
        words = line.strip().split(maxsplit=1)
        if not words:
            return True
        cmd, arg = words[0].lower(), (words[1].strip() if len(words) > 1 else "")
        # --watch: an edited story is switched to before the command; its scene shows with the next look.
        self.busy = True
        try:
            self.render(self.game.reload(), show=False)
            return self._dispatch(cmd, arg)
        except StoryRuntimeError as exc:
            # Showing the scene can still meet the story's own error (its text, a condition).
            self.say(f"The story hit an error {exc}. Try another choice or undo.")
            return True
        finally:
            self.busy = False
            if self.pending_signal is not None:
                raise Stopped(self.pending_signal)

    def saved_note(self) -> str:
        """Whether the game is kept, as the end of a sentence: for goodbyes and stops."""
        game = self.game
        if not game.autosaver.enabled:
            return "autosave is off, so only the games you saved by name are kept"
        if game.autosaver.failed:
            return "the autosave failed, so only the games you saved by name are kept"
        if game.moves == 0:
            return "no choice was made, so nothing new was saved"
        return "your progress is in the autosave"

    def _dispatch(self, cmd: str, arg: str) -> bool:
        if _NUMBER.fullmatch(cmd):
            digits = cmd.lstrip("0") or "0"
            # Too long to be any choice: 0 gets the game's own "choose a number from 1 to N".
            self.played(self.game.choose(int(digits) if len(digits) <= MAX_NUMBER_DIGITS else 0))
        elif cmd in ("quit", "exit", "q"):
            return False
        elif cmd == "continue":
            self.resume()
        elif cmd == "help" or cmd == "?":
            tracker = self.session.story.tracker
            self.say(HELP.format(tracker=f" and {tracker.title}" if tracker is not None else ""))
        elif cmd == "undo":
            self.played(self.game.undo())
        elif cmd == "redo":
            self.played(self.game.redo())
        elif cmd == "save":
            self.render(self.game.save(arg) if arg else refusal("give the save a name: save NAME"))
        elif cmd == "load":
            self.played(self.game.load(arg) if arg else refusal("which save? load NAME (type saves for the list)"))
        elif cmd == "saves":
            self.list_saves()
        elif cmd == "status":
            self.show_status()
        elif cmd == "history":
            self.show_history()
        elif cmd == "look":
            self.show_scene()
        elif cmd == "restart":
            self.played(self.game.new_game())
        else:
            self.say(f"Unknown command '{cmd}'. Type a choice number, or help.")
        return True

    def played(self, out: Outcome) -> None:
        """Render a move, load or restart; once one works, the autosave is this run's game."""
        self.render(out)
        if out.ok:
            self.fresh = False

    def resume(self) -> None:
        if not self.fresh:
            self.say(
                "You are already playing on: your game is autosaved after every choice. "
                "Type saves for the list, or load NAME."
            )
        elif self._autosave_slot() is None:
            self.say("There is no autosave to continue yet.")
        else:
            self.played(self.game.load(AUTOSAVE))

    def list_saves(self) -> None:
        slots = self.game.store.list(self.session.story.id)
        if not slots:
            self.say(f"No saves yet in {self.game.store.folder}.")
            return
        for slot in slots:
            if slot.ok:
                # The description's " · " separators are read aloud as "dot": commas instead.
                description = slot.description.replace(" · ", ", ")
                said = f"{_stop(description)} Saved {when(slot)}." if description else f"Saved {when(slot)}."
                self.say(f"  {slot.name}: {said}")
            else:
                self.say(f"  {slot.name}: damaged - {slot.error}")

    def farewell(self) -> None:
        """Goodbye, and whether the game is kept (on quit and at the end of the input alike)."""
        autosaved = self.game.autosaver.enabled and not self.game.autosaver.failed and self.game.moves > 0
        hint = " Type continue next time to pick it up." if autosaved else ""
        self.say(f"Goodbye. {_sentence(self.saved_note())}{hint}")

    def start_from(self, name: str) -> None:
        """``play --load NAME``: that save, or a new game saying why not."""
        loaded = self.game.load(name)
        if loaded.ok:
            self.fresh = False
            self.render(loaded, show=False)
        else:
            for notice in loaded.notices:
                self.say(f"{notice.text}. Starting a new game instead.")

    def show_history(self) -> None:
        if not self.session.history:
            self.say("No choices made yet.")
            return
        for i, entry in enumerate(self.session.transcript()[:-1], 1):
            self.say(f"  {i}. {entry.shown_title}: {entry.choice_label}")
            if entry.reply:
                self.say(textwrap.fill(entry.reply, self.width, initial_indent="     ", subsequent_indent="     "))


def when(slot: SlotInfo, now: datetime | None = None) -> str:
    """When a save was made, as said aloud: "today 17:01", "yesterday 09:12", "3 March 17:01"."""
    try:
        made = datetime.strptime(slot.saved_at, "%Y-%m-%dT%H:%M:%S%z").astimezone()
    except ValueError:
        if not slot.mtime:
            return "at a time not known"
        made = datetime.fromtimestamp(slot.mtime).astimezone()
    now = (now if now is not None else datetime.now()).astimezone()  # both days in local time
    day, today, clock = made.date(), now.date(), made.strftime("%H:%M")
    if day == today:
        return f"today {clock}"
    if day == today - timedelta(days=1):
        return f"yesterday {clock}"
    date = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{date} {clock}" if day.year == today.year and day < today else f"{date} {day.year} {clock}"


def _stop(text: str) -> str:
    """``text`` ending with a full stop (as written otherwise: a save's description is the player's)."""
    return text if text.endswith((".", "!", "?", '"')) else text + "."


def refusal(text: str) -> Outcome:
    return Outcome(Status.REFUSED, [Notice(text, "warning")])


def read_line(inp: TextIO) -> str | None:
    """One line of at most MAX_LINE characters; "" at the end of input, None for a longer line
    (its rest is read and dropped, in bounded pieces). Raises InputLost."""
    try:
        line = inp.readline(MAX_LINE + 1)
        if len(line) <= MAX_LINE or line.endswith("\n"):
            return line
        while line and not line.endswith("\n"):
            line = inp.readline(MAX_LINE)
        return None
    except (OSError, ValueError) as exc:
        raise InputLost(str(exc)) from exc


@contextmanager
def stop_on_signals(game: PlainGame) -> Iterator[None]:
    """SIGTERM and SIGHUP raise Stopped, at once while plain mode waits for input, or
    once the command under way (and its autosave) is done. Python's default ends
    the process on the spot, with no word for the player."""
    signums = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None]
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if game.busy:
            game.pending_signal = signum
        else:
            raise Stopped(signum)

    previous = {signum: signal.signal(signum, handler) for signum in signums}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def run_plain(
    game: PlainGame, inp: TextIO | None, err: TextIO | None = None, signals: bool = False, load: str | None = None
) -> int:
    """Play until quit or the end of input; the exit code. A closed or broken stdin or
    stdout ends play with one line on ``err`` (stderr) and EXIT_NO_INPUT / EXIT_NO_OUTPUT;
    with ``signals``, SIGTERM or SIGHUP with one line and 128 + the signal's number.
    ``load``: start from that save (``play --load``)."""
    try:
        if signals:
            with stop_on_signals(game):
                return _play(game, inp, err, load)
        return _play(game, inp, err, load)
    except Stopped as exc:
        _complain(err, f"metallic-rouge: stopped by {exc}; {game.saved_note()}.")
        return 128 + exc.signum


def _play(game: PlainGame, inp: TextIO | None, err: TextIO | None, load: str | None) -> int:
    try:
        if inp is None:
            raise InputLost("no standard input")
        # The greeting first, then what --load did; continue is offered only without --load.
        game.greet(offer_continue=load is None)
        if load:
            game.start_from(load)
        game.show_scene()
        while True:
            try:
                game.out.write("> ")
                game.out.flush()
            except (OSError, ValueError) as exc:
                raise OutputLost(str(exc)) from exc
            line = read_line(inp)
            if line is None:
                game.say(f"That line is longer than {MAX_LINE} characters; it was ignored.")
                continue
            if not line:
                game.say()
                game.farewell()
                return 0
            if not game.handle(line):
                game.farewell()
                return 0
    except InputLost as exc:
        _complain(err, f"metallic-rouge: cannot read the input ({exc or 'closed'}); the game stops here, and {game.saved_note()}.")
        return EXIT_NO_INPUT
    except OutputLost as exc:
        _complain(err, f"metallic-rouge: cannot write the output ({exc or 'closed'}); the game stops here, and {game.saved_note()}.")
        return EXIT_NO_OUTPUT


def _complain(err: TextIO | None, text: str) -> None:
    stream = err if err is not None else sys.stderr
    if stream is None:  # stderr closed too: the exit code says it
        return
    try:
        stream.write(text + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass
