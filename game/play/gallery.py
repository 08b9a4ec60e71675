"""The endings gallery: the endings a player has reached, per story id, across every run.

It lives as a hidden JSON file in the saves folder (``.endings.json``), so one
folder holds all of a player's data and the save list skips it. A damaged or
missing file never stops the game: the gallery starts empty.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from game.paths import read_bounded
from game.saves.store import atomic_write

ENDINGS_FILE = ".endings.json"
LOCK_FILE = ".endings.lock"
MAX_FILE_BYTES = 1024 * 1024


def read_json(path: Path) -> Any:
    """Parsed JSON, or None when the file is missing, too large, damaged or not a regular file."""
    try:
        # (read_bounded refuses a FIFO or device of that name instead of hanging on it.)
        return json.loads(read_bounded(path, MAX_FILE_BYTES).decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` atomically, as the saves are; raise SaveError when it cannot be written."""
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive flock on ``path`` (made if missing) for the block; no lock where none can be had.

    Two windows on one saves folder each read the gallery at their start: without
    the lock and the re-read under it, the second to write erased the first's
    ending.
    """
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK, 0o600)
    except OSError:
        yield  # a read-only folder: the write will fail and say so
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # the other writer holds it for one small write
        except OSError:
            pass
        yield
    finally:
        os.close(fd)


def _stories(data: Any) -> dict[str, list[str]]:
    """The ``stories`` of a gallery file's JSON, keeping only well-typed entries."""
    stories = data.get("stories") if isinstance(data, dict) else None
    out: dict[str, list[str]] = {}
    if isinstance(stories, dict):
        for story_id, ids in stories.items():
            if isinstance(story_id, str) and isinstance(ids, list):
                out[story_id] = [i for i in ids if isinstance(i, str)]
    return out


@dataclass
class EndingsGallery:
    path: Path
    reached: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def open(cls, folder: Path) -> EndingsGallery:
        gallery = cls(Path(folder) / ENDINGS_FILE)
        gallery.reached = _stories(read_json(gallery.path))
        return gallery

    def has(self, story_id: str, ending_id: str) -> bool:
        return ending_id in self.reached.get(story_id, ())

    def add(self, story_id: str, ending_id: str) -> bool:
        """Record an ending; True when it is new (and the file needs writing)."""
        if self.has(story_id, ending_id):
            return False
        self.reached.setdefault(story_id, []).append(ending_id)
        return True

    def snapshot(self) -> dict[str, Any]:
        return {"format": "metallic-rouge-endings", "stories": {k: list(v) for k, v in self.reached.items()}}

    def save(self, data: dict[str, Any] | None = None) -> None:
        """Write the gallery merged with what is on disk now; raise SaveError when it cannot be written.

        Under a lock on ``.endings.lock``, the file is read again and every ending
        it holds is kept, so another window's endings are never erased; what it
        had that this one did not is added here too.
        """
        ours = _stories(data if data is not None else self.snapshot())
        with _locked(self.path.with_name(LOCK_FILE)):
            merged = _stories(read_json(self.path))
            for story_id, ids in ours.items():
                have = merged.setdefault(story_id, [])
                have.extend(i for i in ids if i not in have)
            write_json(self.path, {"format": "metallic-rouge-endings", "stories": merged})
        for story_id, ids in merged.items():
            for ending_id in ids:
                self.add(story_id, ending_id)
