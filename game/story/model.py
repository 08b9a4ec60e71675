"""Frozen dataclasses for a loaded story: nothing here changes after loading."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.expr import Effect, Expr, Template

Value = int | bool | str


@dataclass(frozen=True, slots=True)
class Pos:
    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class VarDecl:
    name: str
    type: str
    default: Value
    min: int | None = None
    max: int | None = None
    values: tuple[str, ...] | None = None
    description: str = ""
    pos: Pos = field(default=Pos("?"), compare=False)

    def clamp(self, value: int) -> int:
        if self.min is not None and value < self.min:
            return self.min
        if self.max is not None and value > self.max:
            return self.max
        return value

    def accepts(self, value: object) -> bool:
        """True when ``value`` is a legal value of this variable (used on old saves)."""
        if self.type == "bool":
            return isinstance(value, bool)
        if self.type == "int":
            return isinstance(value, int) and not isinstance(value, bool)
        if not isinstance(value, str):
            return False
        return self.values is None or value in self.values


@dataclass(frozen=True, slots=True)
class Route:
    """One way a choice can go: tried in order, the first whose condition holds wins."""

    target: str
    condition: Expr | None = None  # None only on the last route, the default
    pos: Pos = field(default=Pos("?"), compare=False)


@dataclass(frozen=True, slots=True)
class Choice:
    """A choice on offer in a scene.

    ``target`` is where a plain ``to:`` leads; for a route list it is the last
    (default) route's scene, and for a stay-choice (a ``reply:`` and no ``to:``)
    the choice's own scene, so code that only needs "some destination" keeps working.
    ``routes`` is the whole route list, default included, and empty for a plain ``to:``.
    """

    id: str
    label: Template
    target: str
    condition: Expr | None = None
    locked: Template | None = None  # the reason shown while the condition is false
    effects: tuple[Effect, ...] = ()
    once: bool = False
    index: int = 0
    pos: Pos = field(default=Pos("?"), compare=False)  # of its target
    condition_pos: Pos | None = field(default=None, compare=False)
    reply: Template | None = None  # shown right after the choice is taken
    routes: tuple[Route, ...] = ()
    stay: bool = False  # no ``to:``: the player stays and the scene is not entered again

    @property
    def shows_locked(self) -> bool:
        return self.locked is not None


@dataclass(frozen=True, slots=True)
class Scene:
    id: str
    title: str
    text: Template
    chapter: str = ""
    location: str = ""
    on_enter: tuple[Effect, ...] = ()
    choices: tuple[Choice, ...] = ()
    ending: str | None = None
    checkpoint: bool = False
    pos: Pos = field(default=Pos("?"), compare=False)
    again: Template | None = None  # shown instead of ``text`` on a return visit (visits >= 2)
    title_template: Template | None = None  # set when ``title`` holds an expression

    @property
    def is_ending(self) -> bool:
        return self.ending is not None


@dataclass(frozen=True, slots=True)
class Band:
    start: int
    label: str


@dataclass(frozen=True, slots=True)
class Meter:
    var: str
    label: str
    min: int = 0
    max: int = 100
    group: str = ""
    bands: tuple[Band, ...] = ()

    def band(self, value: int) -> str:
        label = ""
        for band in self.bands:
            if value >= band.start:
                label = band.label
        return label


@dataclass(frozen=True, slots=True)
class TrackerSlot:
    name: str
    var: str
    form: str = ""
    aliases: tuple[str, ...] = ()  # other names the text uses for this character
    gone: tuple[str, ...] = ()  # values of ``var`` that mean out of the story (continuity checks)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Tracker:
    title: str
    slots: tuple[TrackerSlot, ...]


@dataclass(frozen=True, slots=True)
class Ending:
    id: str
    title: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Invariant:
    """A manifest ``invariants:`` entry: checked after every playtest step, never shown to players."""

    check: Expr
    message: str
    source: str = ""  # the expression as written, for reports
    pos: Pos = field(default=Pos("?"), compare=False)


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    title: str
    version: str
    start: str
    variables: Mapping[str, VarDecl]
    scenes: Mapping[str, Scene]
    endings: Mapping[str, Ending]
    meters: tuple[Meter, ...] = ()
    tracker: Tracker | None = None
    checkpoints: tuple[str, ...] = ()
    renames: Mapping[str, str] = field(default_factory=dict)
    author: str = ""
    root: Path = Path(".")
    files: tuple[str, ...] = ()
    invariants: tuple[Invariant, ...] = ()
    title_art: str | None = None  # the text of the file the manifest's ``title_art:`` names
    title_art_file: str | None = None  # that file, relative to the story folder (the cache checks it is unchanged)

    def defaults(self) -> dict[str, Value]:
        return {name: decl.default for name, decl in self.variables.items()}

    def chapters(self) -> list[str]:
        """Chapter names in the order their first scene appears."""
        seen: dict[str, None] = {}
        for scene in self.scenes.values():
            seen.setdefault(scene.chapter, None)
        return list(seen)
