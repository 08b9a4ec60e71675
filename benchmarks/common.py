"""Shared helpers: timing, results with targets, and where the benchmarks keep their files."""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(__file__).resolve().parent / ".work"
SCENES = ROOT / "scenes"
DEMO = ROOT / "examples" / "demo"


@dataclass
class Metric:
    """One key of results.json: a value, its target, and the raw numbers behind it."""

    key: str
    value: float
    op: str  # "<=" or ">=", or "report": a figure asked for without a target
    target: float
    unit: str = ""
    raw: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    @property
    def passed(self) -> bool:
        if self.op == "report":
            return True
        return self.value <= self.target if self.op == "<=" else self.value >= self.target

    @property
    def target_text(self) -> str:
        return "(no target)" if self.op == "report" else f"{self.op} {self.target:g}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": round(self.value, 4),
            "unit": self.unit,
            "target": self.target_text,
            "pass": self.passed if self.op != "report" else None,
            **({"note": self.note} if self.note else {}),
            "raw": self.raw,
        }


def cpu_best(fn: Callable[[], Any], repeat: int, collect: bool = True) -> float:
    """The least CPU time (seconds) of ``repeat`` calls.

    CPU time of this process, not wall time: the machines are shared and busy,
    and a load that waits for a core is no slower for it. The collector runs
    between calls so one call's garbage is not billed to the next.
    """
    best = float("inf")
    for _ in range(repeat):
        if collect:
            gc.collect()
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def wall(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.update(extra)
    return env


def run_child(module: str, *args: str, env: dict[str, str] | None = None, timeout: float = 300) -> str:
    """Run ``python -m module args`` and return its last line of standard output."""
    out = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env or child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed ({out.returncode}):\n{out.stderr[-2000:]}")
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def shipped_story_or_fallback() -> tuple[Path, str]:
    """The campaign when it loads, else the demo (the campaign is being written)."""
    from game.loader import check_story

    story, _ = check_story(SCENES)
    if story is not None:
        return SCENES, "scenes (the shipped campaign)"
    return DEMO, "examples/demo (the campaign did not load)"
