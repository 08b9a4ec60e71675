"""Speed of the expression language: condition evaluation and template rendering.

Run with ``python benchmarks/bench_expr.py``. It only prints numbers; the targets
(1,000,000 condition evaluations in at most 2 s, at least 50,000 renders/s of a
400-word scene) are checked by eye, not asserted, since timings vary by machine.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

try:
    import game.expr  # noqa: F401
except ModuleNotFoundError:  # run from a checkout without an installed package
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.expr import CompileEnv, VarType, compile_condition, compile_template

ENV = CompileEnv(
    {
        "freedom": VarType("int", min=0, max=100),
        "naomi_trust": VarType("int", min=0, max=100),
        "chocolate": VarType("int"),
        "has_pass": VarType("bool"),
        "nine_sara": VarType("str", values=("unknown", "identified", "slain", "spared", "ally")),
    },
    frozenset({"x", "canal.start"}),
)


class Ctx:
    def __init__(self) -> None:
        self.vars: dict[str, int | bool | str] = {
            "freedom": 55,
            "naomi_trust": 61,
            "chocolate": 3,
            "has_pass": False,
            "nine_sara": "spared",
        }
        self.seen: dict[str, int] = {}

    def visits(self, scene_id: str) -> int:
        return self.seen.get(scene_id, 0)

    def random(self, low: int, high: int) -> int:
        return low


def _prose(words: int) -> str:
    base = "the corridor smells of hot dust and hairspray while the drone clicks twice".split()
    return " ".join(base[i % len(base)] for i in range(words))


def bench_condition(n: int = 1_000_000) -> float:
    cond = compile_condition('freedom >= 40 and not visited("x")', ENV)
    ctx = Ctx()
    start = time.perf_counter()
    for _ in range(n):
        cond(ctx)
    return time.perf_counter() - start


def bench_template(seconds: float = 1.0) -> float:
    text = (
        _prose(130)
        + " You have {chocolate} bars of chocolate left. "
        + _prose(130)
        + ' {if naomi_trust >= 60}"You are doing fine," she says.{else}Naomi says nothing.{end} '
        + "Freedom: {freedom}. Sara is {nine_sara}. "
        + _prose(130)
    )
    template = compile_template(text, ENV)
    ctx = Ctx()
    renders = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(1000):
            template.render(ctx)
        renders += 1000
    return renders / elapsed


def main() -> None:
    elapsed = bench_condition()
    print(f"condition  1,000,000 evaluations: {elapsed:.3f} s  (target <= 2 s)")
    rate = bench_template()
    print(f"template   400 words, 3 {{expr}} + 1 {{if}}: {rate:,.0f} renders/s  (target >= 50,000)")


if __name__ == "__main__":
    main()
