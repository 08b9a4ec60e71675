"""The endings gallery: the endings a player has reached, per story id, across every run.

It lives as a hidden JSON file in the saves folder (``.endings.json``), so one
folder holds all of a player's data and the save list skips it. A damaged or
missing file never stops the game: the gallery starts empty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.paths import read_bounded
from game.saves.store import atomic_write

ENDINGS_FILE = ".endings.json"
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


@dataclass
class EndingsGallery:
    path: Path
    reached: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def open(cls, folder: Path) -> EndingsGallery:
        gallery = cls(Path(folder) / ENDINGS_FILE)
        data = read_json(gallery.path)
        stories = data.get("stories") if isinstance(data, dict) else None
        if isinstance(stories, dict):
            for story_id, ids in stories.items():
                if isinstance(story_id, str) and isinstance(ids, list):
                    gallery.reached[story_id] = [i for i in ids if isinstance(i, str)]
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
        """Raise SaveError when the file cannot be written."""
        write_json(self.path, data if data is not None else self.snapshot())
