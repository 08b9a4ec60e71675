"""Player settings and the endings gallery, kept between runs.

Both live as hidden JSON files in the saves folder (``.settings.json`` and
``.endings.json``): one folder holds all of a player's data, and the save list
skips hidden files. They are written with the saves' atomic writer, and a
damaged file never stops the game: it falls back to defaults.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

SETTINGS_FILE = ".settings.json"
ENDINGS_FILE = ".endings.json"
DEFAULT_THEME = "metallic-rouge"
MAX_FILE_BYTES = 1024 * 1024

# Characters a second for the typewriter reveal.
TEXT_SPEEDS: dict[str, int] = {"slow": 40, "normal": 90, "fast": 240}


@dataclass
class Settings:
    theme: str = DEFAULT_THEME
    typewriter: bool = False
    text_speed: str = "normal"
    effects: bool = True  # the meters' brief highlight when a choice moves them

    @property
    def chars_per_second(self) -> int:
        return TEXT_SPEEDS.get(self.text_speed, TEXT_SPEEDS["normal"])

    @classmethod
    def from_json(cls, data: Any) -> Settings:
        """Settings from parsed JSON, keeping only well-typed known keys."""
        settings = cls()
        if not isinstance(data, dict):
            return settings
        for f in fields(cls):
            value = data.get(f.name)
            default = getattr(settings, f.name)
            # Exact types: JSON's true must not pass for a string, nor 1 for a bool.
            if type(value) is type(default):
                setattr(settings, f.name, value)
        if settings.text_speed not in TEXT_SPEEDS:
            settings.text_speed = "normal"
        if not settings.theme or len(settings.theme) > 64:
            settings.theme = DEFAULT_THEME
        return settings


def _read_json(path: Path) -> Any:
    """Parsed JSON, or None when the file is missing, too large or damaged."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        return json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None


def _write_json(path: Path, data: Any) -> None:
    # Imported here: game.saves brings the whole engine, not needed to read settings at start-up.
    from game.saves import atomic_write

    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))


class SettingsStore:
    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / SETTINGS_FILE

    def load(self) -> Settings:
        return Settings.from_json(_read_json(self.path))

    def save(self, settings: Settings) -> None:
        """Raise SaveError when the file cannot be written."""
        _write_json(self.path, asdict(settings))


@dataclass
class EndingsGallery:
    """The endings a player has reached, per story id, across every run."""

    path: Path
    reached: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def open(cls, folder: Path) -> EndingsGallery:
        gallery = cls(Path(folder) / ENDINGS_FILE)
        data = _read_json(gallery.path)
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
        _write_json(self.path, data if data is not None else self.snapshot())


__all__ = [
    "DEFAULT_THEME",
    "ENDINGS_FILE",
    "SETTINGS_FILE",
    "TEXT_SPEEDS",
    "EndingsGallery",
    "Settings",
    "SettingsStore",
]
