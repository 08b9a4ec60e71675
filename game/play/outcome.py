"""What a command of the game did, for a view to render: notices, what to show, disk work to run.

Every command of ``Game`` returns an ``Outcome`` (a choice or an undo returns a
``Move``, which adds the step). A view renders the notices its own way (a toast,
a printed line, a status bar), shows the session again when ``shows`` says so,
and runs each ``Write`` wherever suits it: a thread worker in the TUI, inline in
plain mode. New kinds of result are new fields with defaults, so no view breaks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from game.session import Step
    from game.story.model import Ending, Value

Severity = Literal["information", "warning", "error"]


class Status(Enum):
    DONE = "done"
    REFUSED = "refused"  # the player asked for something the game does not allow now
    FAILED = "failed"  # the story or the disk failed; the game goes on as it was


@dataclass(frozen=True, slots=True)
class Notice:
    """A message the player must be told. ``lines`` are the details under ``text``."""

    text: str
    severity: Severity = "information"
    title: str | None = None
    lines: tuple[str, ...] = ()
    timeout: float | None = None  # how long a view that fades messages may keep it, in seconds

    @property
    def full(self) -> str:
        return "\n".join((self.text, *self.lines))


@dataclass(frozen=True, slots=True)
class Write:
    """Disk work a command leaves for the view to run, on any thread.

    ``run`` never raises: a failure comes back as the notices the player must see.
    ``kind`` lets a view group the work (one autosave at a time, saves apart).
    """

    kind: Literal["autosave", "save", "gallery"]
    run: Callable[[], list[Notice]]


@dataclass(slots=True)
class Outcome:
    status: Status = Status.DONE
    notices: list[Notice] = field(default_factory=list)
    # The game's state changed: the view shows the session again.
    shows: bool = False
    # The variables before the command, so that meters that moved can react.
    before: dict[str, Value] = field(default_factory=dict)
    writes: list[Write] = field(default_factory=list)
    # The move reached an ending (the gallery already records it).
    ended: Ending | None = None

    @property
    def ok(self) -> bool:
        return self.status is Status.DONE


@dataclass(slots=True)
class Move(Outcome):
    """A choice taken or undone.

    ``reply`` is what the story answers to the choice just taken, shown right
    after it and before the scene's text (None for an undo and for a choice
    without one). ``stayed``: a stay-choice was taken, the player is still in
    the scene, and its text is not shown again (only the reply and the choices).
    """

    step: Step | None = None
    reply: str | None = None
    stayed: bool = False

