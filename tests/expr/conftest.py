"""Shared fixtures for the expression-language tests: a small story's variables and a Context."""

from __future__ import annotations

import pytest

from game.expr import CompileEnv, VarType

VARIABLES = {
    "freedom": VarType("int", min=0, max=100),
    "naomi_trust": VarType("int", min=0, max=100),
    "chocolate": VarType("int"),
    "debt": VarType("int", min=0),
    "has_pass": VarType("bool"),
    "met_jill": VarType("bool"),
    "nine_sara": VarType("str", values=("unknown", "identified", "slain", "spared", "ally")),
    "nine_jill": VarType("str", values=("unknown", "slain")),
    "name": VarType("str"),
    "title": VarType("str"),
}
SCENES = frozenset({"pro.start", "canal.start", "canal.stage_door"})


class FakeContext:
    """What the Session supplies; records calls so tests can see what was evaluated."""

    def __init__(self, **overrides: int | bool | str) -> None:
        self.vars: dict[str, int | bool | str] = {
            "freedom": 50,
            "naomi_trust": 60,
            "chocolate": 3,
            "debt": 0,
            "has_pass": False,
            "met_jill": True,
            "nine_sara": "unknown",
            "nine_jill": "unknown",
            "name": "Rouge",
            "title": "Opera Nova",
        }
        self.vars.update(overrides)
        self.state = "pro.start"
        # Variation blocks: how many earlier entries showed each block, by number.
        self.shown: dict[int, int] = {}
        self.variant_calls: list[int] = []
        self.seen: dict[str, int] = {}
        self.visit_calls: list[str] = []
        self.random_calls: list[tuple[int, int]] = []

    def visits(self, scene_id: str) -> int:
        self.visit_calls.append(scene_id)
        return self.seen.get(scene_id, 0)

    def random(self, low: int, high: int) -> int:
        self.random_calls.append((low, high))
        return high

    def variant(self, block: int) -> tuple[int, str]:
        self.variant_calls.append(block)
        return self.shown.get(block, 0), "seed:7/pro.start:text"


@pytest.fixture
def env() -> CompileEnv:
    return CompileEnv(VARIABLES, SCENES)


@pytest.fixture
def ctx() -> FakeContext:
    return FakeContext()


@pytest.fixture
def make_ctx() -> type[FakeContext]:
    return FakeContext
