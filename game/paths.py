"""Where the shipped story and the saves live, from a checkout or an installed wheel."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

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


class FolderNotWritable(OSError):
    """atomic_write could not make the folder or a temporary file in it (nothing was written)."""


def atomic_write(path: Path, content: bytes | Callable[[BinaryIO], None], *, durable: bool = True) -> None:
    """Write ``path`` so that a reader or a crash sees the old file or the new one, whole.

    ``content`` is the bytes, or a function that writes them to the open file
    (so a big file can be written piece by piece, never held whole in memory).
    The bytes go to a temporary file in the same folder (its name starts with
    "." and ends with ".tmp"), then it is renamed over ``path``. ``durable``
    also fsyncs the file and the folder, so the new file survives a power cut:
    saves want that; a cache, which can always be rebuilt, does not pay for it.
    Raises OSError (FolderNotWritable before anything was written); the
    temporary file never outlives a failure.
    """
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise FolderNotWritable(exc.errno, exc.strerror or str(exc), str(folder)) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(content, bytes):
                handle.write(content)
            else:
                content(handle)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        sync_folder(folder)


def sync_folder(folder: Path) -> None:
    # The rename itself is only durable once the folder's entry is on disk.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
