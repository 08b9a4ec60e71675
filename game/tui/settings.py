"""The player's settings for the TUI (theme, typewriter, text speed, meter effects), kept between runs.

They are the player's preferences, not progress: they live in the user's config
folder (platformdirs' ``user_config_dir``, e.g. ``~/.config/metallic-rouge`` on
Linux; ``METALLIC_ROUGE_CONFIG`` or, on Linux, ``XDG_CONFIG_HOME`` moves it) as
``settings.json``, written with the gallery's atomic writer. Older versions kept
them in the saves folder as ``.settings.json``: that file is read once, written
to the new place and removed. The endings gallery is progress and stays with the
saves. A damaged file never stops the game: it falls back to defaults.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from game.paths import APP_NAME
from game.play.gallery import read_json, write_json
from game.saves import SaveError

SETTINGS_FILE = "settings.json"
LEGACY_FILE = ".settings.json"  # in the saves folder, where earlier versions kept the settings
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


def config_dir() -> Path:
    """The folder for the player's settings: METALLIC_ROUGE_CONFIG, else the user's config folder."""
    env = os.environ.get("METALLIC_ROUGE_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


class SettingsStore:
    def __init__(self, folder: Path | None = None, legacy: Path | None = None) -> None:
        """``folder``: where settings.json lives (default ``config_dir()``); ``legacy``: a saves
        folder whose old ``.settings.json`` is moved there on the first load."""
        self.path = (Path(folder) if folder is not None else config_dir()) / SETTINGS_FILE
        self.legacy = Path(legacy) / LEGACY_FILE if legacy is not None else None

    def load(self) -> Settings:
        if self.legacy is not None and not os.path.lexists(self.path) and os.path.lexists(self.legacy):
            return self._migrate(self.legacy)
        return Settings.from_json(read_json(self.path))

    def _migrate(self, legacy: Path) -> Settings:
        """The settings of an older version, moved to the config folder (once: the old file goes)."""
        settings = Settings.from_json(read_json(legacy))
        try:
            self.save(settings)
        except SaveError:
            return settings  # the config folder cannot be written: the old file stays, read again next time
        try:
            legacy.unlink()
        except OSError:
            pass  # the new file is there and is read first from now on
        return settings

    def save(self, settings: Settings) -> None:
        """Raise SaveError when the file cannot be written."""
        write_json(self.path, asdict(settings))


__all__ = [
    "DEFAULT_THEME",
    "LEGACY_FILE",
    "SETTINGS_FILE",
    "TEXT_SPEEDS",
    "Settings",
    "SettingsStore",
    "config_dir",
]
