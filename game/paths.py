"""Where the shipped story and the saves live, from a checkout or an installed wheel."""

from __future__ import annotations

import os
import stat
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


def default_saves_dir() -> Path:
    env = os.environ.get("METALLIC_ROUGE_SAVES")
    if env:
        return Path(env).expanduser()
    if is_checkout():
        return CHECKOUT / "saves"
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "saves"


class FileRefused(OSError):
    """``read_bounded`` would not read a file; ``reason`` says why in a player's or an author's terms."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class NotARegularFile(FileRefused):
    """A pipe, a device, a socket or a folder where a file was expected."""


class FileTooLarge(FileRefused):
    """More bytes than the caller's limit (``size`` is what was seen: at least limit + 1)."""

    def __init__(self, path: Path, size: int, limit: int) -> None:
        super().__init__(path, f"it is larger than {_size(limit)}")
        self.size = size
        self.limit = limit


def _size(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KB"
    return f"{n:,} bytes"


# Opening a FIFO for reading blocks until a writer comes; O_NONBLOCK makes the
# open return at once, so fstat can tell what it is. (Windows has no FIFOs to
# fear and no O_NONBLOCK.) O_NOCTTY: opening a terminal device must never make
# it the game's controlling terminal.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_CHUNK = 1024 * 1024


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, never more than ``limit`` of them.

    Every file the game reads from a folder someone else may have filled (saves,
    settings, the gallery, story files, the cache) comes through here, so none
    can hang it or fill its memory: the file is opened without blocking and
    refused unless fstat says it is a regular file (a FIFO or a device named
    ``x.json`` raises NotARegularFile), then refused when it is larger than
    ``limit`` (FileTooLarge); at most ``limit`` + 1 bytes are read whatever fstat
    said, since a size can lie (/proc) or grow while it is read. A symlink is
    followed, and what it points to is checked the same way. Raises OSError
    (FileNotFoundError and the rest) when it cannot be opened or read.
    """
    fd = os.open(path, _READ_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(path, "it is not a regular file (a pipe, a device or a folder)")
        if info.st_size > limit:
            raise FileTooLarge(path, info.st_size, limit)
        if hasattr(os, "set_blocking"):
            # Reads of a regular file never block; clear the flag so no platform
            # answers EAGAIN for one.
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, _CHUNK, max(info.st_size + 1, 64 * 1024)))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise FileTooLarge(path, len(data), limit)
        return data
    finally:
        os.close(fd)


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
    fd, tmp = _temporary(folder, path.stem)
    try:
        try:
            if isinstance(content, bytes):
                _write_all(fd, content)
            else:
                with open(fd, "wb", closefd=False) as handle:
                    content(handle)  # flushed when the handle closes, before the fsync
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        sync_folder(folder)


def _temporary(folder: Path, stem: str) -> tuple[int, str]:
    """A new temporary file in ``folder`` (made if missing), open for writing."""
    try:
        try:
            # The folder is there on every write but the first: making it only when the
            # temporary file cannot be created saves two system calls a save.
            return tempfile.mkstemp(prefix=f".{stem}.", suffix=".tmp", dir=folder)
        except FileNotFoundError:
            folder.mkdir(parents=True, exist_ok=True)
            return tempfile.mkstemp(prefix=f".{stem}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise FolderNotWritable(exc.errno, exc.strerror or str(exc), str(folder)) from exc


def _write_all(fd: int, data: bytes) -> None:
    # os.write straight to the descriptor: no buffered file object for bytes written once.
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


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
