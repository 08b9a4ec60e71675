"""One save (serialise, then the atomic write) against a raw write + fsync + rename of the same bytes."""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from pathlib import Path

from benchmarks.common import Metric, median, shipped_story_or_fallback
from game.loader import load_story
from game.saves import SaveStore, to_save
from game.session import Session


def _raw_write(path: Path, payload: bytes) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _mid_game(story_dir: Path) -> Session:
    """A game some way in, with history to undo: a save as a player would make it."""
    session = Session(load_story(story_dir), seed=3)
    picker = random.Random(3)
    for _ in range(60):
        views = [v for v in session.choices() if v.available]
        if session.is_over or not views:
            break
        session.choose(picker.choice(views))
    return session


def run(rounds: int = 200) -> list[Metric]:
    folder, which = shipped_story_or_fallback()
    session = _mid_game(folder)
    with tempfile.TemporaryDirectory(prefix="bench-saves-") as tmp:
        store = SaveStore(Path(tmp) / "saves")
        raw_path = Path(tmp) / "raw.json"
        store.write("warmup", to_save(session, "warmup"))  # creates the folder
        payload = json.dumps(to_save(session, "slot"), ensure_ascii=False, separators=(",", ":")).encode()
        saves: list[float] = []
        raws: list[float] = []
        for _ in range(rounds):  # interleaved, medians: fsync times wander
            start = time.perf_counter()
            store.write("slot", to_save(session, "slot"))
            saves.append(time.perf_counter() - start)
            start = time.perf_counter()
            _raw_write(raw_path, payload)
            raws.append(time.perf_counter() - start)
    save, raw = median(saves), median(raws)
    return [
        Metric(
            "save_ratio",
            save / raw,
            "<=",
            2,
            unit="x",
            raw={
                "story": which,
                "save_bytes": len(payload),
                "history_steps": len(session.history),
                "save_median_ms": round(save * 1000, 3),
                "raw_write_fsync_rename_median_ms": round(raw * 1000, 3),
                "what": "to_save + SaveStore.write (temp file, fsync, rename, folder fsync) / "
                "open + write + fsync + rename of the same bytes",
            },
        )
    ]
