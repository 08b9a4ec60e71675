"""Where the shipped story and the saves live, from a checkout or an installed wheel."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent
APP_NAME = "metallic-rouge"


def is_checkout() -> bool:
    return (CHECKOUT / "scenes" / "story.yaml").is_file() and (CHECKOUT / "pyproject.toml").is_file()


def default_story_dir() -> Path:
    if is_checkout():
        return CHECKOUT / "scenes"
    return PACKAGE / "_data" / "scenes"


def assets_dir() -> Path:
    if is_checkout():
        return CHECKOUT / "assets"
    return PACKAGE / "_data" / "assets"


def default_saves_dir() -> Path:
    env = os.environ.get("METALLIC_ROUGE_SAVES")
    if env:
        return Path(env).expanduser()
    if is_checkout():
        return CHECKOUT / "saves"
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "saves"


def settings_dir() -> Path:
    """Settings and the endings gallery: beside the saves, so one folder holds a player's data."""
    return default_saves_dir()
