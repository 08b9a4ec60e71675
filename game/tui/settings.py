"""The player's settings for the TUI (theme, typewriter, text speed, meter effects), kept between runs.

They live as a hidden JSON file in the saves folder (``.settings.json``), next to
the endings gallery (``game.play.gallery``), written with the same atomic writer;
a damaged file never stops the game: it falls back to defaults.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from game.play.gallery import read_json, write_json

SETTINGS_FILE = ".settings.json"
DEFAULT_THEME = "metallic-rouge"

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


class SettingsStore:
    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / SETTINGS_FILE

    def load(self) -> Settings:
        return Settings.from_json(read_json(self.path))

    def save(self, settings: Settings) -> None:
        """Raise SaveError when the file cannot be written."""
        write_json(self.path, asdict(settings))


__all__ = [
    "DEFAULT_THEME",
    "SETTINGS_FILE",
    "TEXT_SPEEDS",
    "Settings",
    "SettingsStore",
]
