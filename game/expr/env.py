"""What the compiler knows about the story, and what the game supplies at run time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

Value = int | bool | str

# Limits promised to authors in docs/authoring.md ("Expressions").
MAX_SOURCE = 500
MAX_DEPTH = 32
MAX_INT = 10**15
MAX_STR = 10_000

TYPES = ("int", "bool", "str")


@dataclass(frozen=True)
class VarType:
    type: str
    values: tuple[str, ...] | None = None
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True)
class CompileEnv:
    variables: Mapping[str, VarType]
    # None while scenes are still being collected: visited() names go unchecked.
    scene_ids: frozenset[str] | None = None
    # Compiled results (or the ExprError) by (kind, source). Compiling is a pure
    # function of the source and this env, and stories repeat themselves: the
    # campaign has 1,279 effects but 269 distinct ones. See compile.memoized.
    memo: dict[tuple[str, str], Any] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )


class Context(Protocol):
    vars: dict[str, Value]
    # The scene being played: what visits() and first_visit() without an argument
    # count. While a choice's reply is shown, the scene the choice belongs to.
    state: str

    def visits(self, scene_id: str) -> int: ...

    def random(self, low: int, high: int) -> int: ...

    def variant(self, block: int) -> tuple[int, str]:
        """For variation block ``block`` of the text being rendered: how many earlier
        entries into its scene showed it, and a salt naming the block in this game
        (the seed and the text's address) for ``{shuffle}``."""
        ...
