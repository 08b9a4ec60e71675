"""The TUI: start-up against a bare Textual app, and choice key -> next scene on screen."""

from __future__ import annotations

import asyncio
import gc
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, Metric, child_env, median, percentile, shipped_story_or_fallback


def _start(kind: str, *args: str, env: dict[str, str]) -> dict[str, float]:
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.startup_child", kind, *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"startup_child {kind} failed:\n{out.stderr[-2000:]}")
    stamps = json.loads([line for line in out.stdout.splitlines() if line.startswith("{")][-1])
    return {key: value - started for key, value in stamps.items()}


def startup(rounds: int = 9) -> Metric:
    folder, which = shipped_story_or_fallback()
    with tempfile.TemporaryDirectory(prefix="bench-tui-") as tmp:
        env = child_env(METALLIC_ROUGE_CACHE=str(Path(tmp) / "cache"), TEXTUAL_ANIMATIONS="none")
        saves = str(Path(tmp) / "saves")
        _start("game", str(folder), saves, env=env)  # warms the story cache, as any second start
        bare: list[float] = []
        painted: list[float] = []
        ready: list[float] = []
        for _ in range(rounds):  # interleaved, medians
            bare.append(_start("bare", env=env)["painted"])
            game = _start("game", str(folder), saves, env=env)
            painted.append(game["painted"])
            ready.append(game["story_ready"])
    # Least of the rounds for the ratio: start-up is a fixed amount of work, and the
    # least time is the one least disturbed by whatever else the machine is doing.
    return Metric(
        "startup_ratio",
        min(painted) / min(bare),
        "<=",
        1.3,
        unit="x",
        raw={
            "story": which,
            "game_title_painted_s": {"least": round(min(painted), 3), "median": round(median(painted), 3)},
            "bare_app_painted_s": {"least": round(min(bare), 3), "median": round(median(bare), 3)},
            "game_story_on_title_s": {"least": round(min(ready), 3), "median": round(median(ready), 3)},
            "story_on_title_ratio": round(min(ready) / min(bare), 3),
            "ratio_of_medians": round(median(painted) / median(bare), 3),
            "rounds": rounds,
            "how": "wall time from spawning `python -m` to Textual's Ready event (first frame), headless "
            "100x30, warm story cache; the title paints while the story loads in a worker",
        },
    )


class _CollectorClock:
    """Time spent in each generation of the garbage collector while it is installed."""

    def __init__(self) -> None:
        self.started = 0.0
        self.spent: dict[int, list[float]] = {0: [], 1: [], 2: []}

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.spent[info["generation"]].append(time.perf_counter() - self.started)

    def summary(self) -> dict[str, dict[str, float]]:
        return {
            f"generation_{g}": {
                "collections": len(times),
                "total_ms": round(sum(times) * 1000, 1),
                "max_ms": round(max(times, default=0) * 1000, 1),
            }
            for g, times in self.spent.items()
        }


async def _choices(
    folder: Path, count: int, saves: Path, clock: _CollectorClock, cpu: list[float]
) -> tuple[list[float], int]:
    from game.saves import SaveStore
    from game.tui.app import MetallicRougeApp
    from game.tui.screens.game import GameScreen

    app = MetallicRougeApp(story_dir=folder, store=SaveStore(saves), seed=11)
    rendered: list[float] = []
    cpu_at: list[float] = []

    def shown() -> None:
        rendered.append(time.perf_counter())
        cpu_at.append(time.thread_time())

    app.scene_rendered_hooks.append(shown)
    latencies: list[float] = []
    games = 0
    picker = random.Random(11)
    async with app.run_test(headless=True, size=(100, 30)) as pilot:
        while app.story is None:
            await pilot.pause(0.01)

        async def new_game() -> None:
            nonlocal games
            games += 1
            rendered.clear()
            app.action_new_game()
            while not rendered or not isinstance(app.screen, GameScreen):
                await pilot.pause(0.005)

        await new_game()
        gc.callbacks.append(clock)
        while len(latencies) < count:
            session = app.session
            assert session is not None
            views = [v for v in session.choices() if v.available and v.number <= 9] if not session.is_over else []
            if not views:
                await new_game()
                continue
            view = picker.choice(views)
            rendered.clear()
            cpu_at.clear()
            start = time.perf_counter()
            cpu_start = time.thread_time()
            await pilot.press(str(view.number))
            while not rendered:
                await pilot.pause(0.001)
            # The hook runs after the refresh that put the new scene on screen.
            latencies.append(rendered[0] - start)
            cpu.append(cpu_at[0] - cpu_start)
        gc.callbacks.remove(clock)
    return latencies, games


def choice_render(count: int = 150) -> Metric:
    folder, which = shipped_story_or_fallback()
    with tempfile.TemporaryDirectory(prefix="bench-tui-") as tmp:
        clock = _CollectorClock()
        cpu: list[float] = []
        latencies, games = asyncio.run(_choices(folder, count, Path(tmp), clock, cpu))
    ms = [t * 1000 for t in latencies]
    cpu_ms = [t * 1000 for t in cpu]
    return Metric(
        "choice_render_p95_ms",
        percentile(ms, 95),
        "<=",
        20,
        unit="ms",
        raw={
            "story": which,
            "choices": len(ms),
            "games": games,
            "median_ms": round(median(ms), 2),
            "p95_ms": round(percentile(ms, 95), 2),
            "max_ms": round(max(ms), 2),
            # The UI thread's own CPU time over the same spans: the work, without the
            # waits for a core that a busy machine adds to the wall time.
            "ui_thread_cpu_ms": {"median": round(median(cpu_ms), 2), "p95": round(percentile(cpu_ms, 95), 2)},
            "garbage_collector_during_the_choices": clock.summary(),
            "how": "headless 100x30 under Pilot; from sending the digit key to the narrative's "
            "after-refresh hook for the new scene (app.scene_rendered_hooks), not Pilot's idle waits",
        },
    )


def run() -> list[Metric]:
    return [startup(), choice_render()]


