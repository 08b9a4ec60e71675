"""A story folder's files: which they are, how messages name them, and their text read once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from game.loader.yaml_source import MAX_FILE_BYTES
from game.paths import FileTooLarge, NotARegularFile, read_bounded

MANIFEST_NAME = "story.yaml"


class StoryFileRefused(OSError):
    """A story file the loader will not read; ``code`` and the message are its diagnostic's.

    The message never quotes the file: a link out of the folder may point at
    anything (a private key, /etc/shadow), and diagnostics are printed.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


def read_story_file(root: Path, path: Path) -> bytes:
    """The bytes of one story file, refused (StoryFileRefused) rather than read without bound.

    The size is checked before anything is read (a 3 GB file costs one fstat,
    not a minute and gigabytes) and at most the limit + 1 byte is read; a FIFO or
    a device is never opened for a blocking read; a file that resolves outside
    the story folder (a symlink to /etc/shadow) is refused unread. Raises
    OSError when the file cannot be read at all.
    """
    try:
        inside = path.resolve(strict=True).is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (before 3.13)
        raise StoryFileRefused("E100", "cannot read file: it is a broken or looping link") from None
    if not inside:
        raise StoryFileRefused("E100", "cannot read file: it is a link to a file outside the story folder (not read)")
    try:
        return read_bounded(path, MAX_FILE_BYTES)
    except FileTooLarge:
        raise StoryFileRefused("E103", f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB (not read)") from None
    except NotARegularFile:
        raise StoryFileRefused("E100", "cannot read file: it is not a regular file (a pipe, a device or a folder)") from None


def display_path(path: Path) -> str:
    """A path as an author would type it: relative to the working folder when below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def story_files(root: Path) -> list[Path]:
    files = [p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


@dataclass
class Sources:
    """A story folder read once: the cache key and, on a miss, what the loader parses."""

    root: Path
    files: list[Path]
    contents: dict[Path, bytes | OSError]
    key: str

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def read_text(path: Path, sources: Sources | None, root: Path | None = None) -> str:
    """A story file's text: from ``sources`` when it was read for the cache key, else from disk.

    Read through ``read_story_file`` (with ``root``, the story folder; the
    file's own folder if not given). Raises OSError (StoryFileRefused with the
    diagnostic's code) or UnicodeDecodeError.
    """
    data = sources.contents.get(path) if sources is not None else None
    if data is None:
        data = read_story_file(root if root is not None else path.parent, path)
    if isinstance(data, OSError):
        raise data
    text = data.decode("utf-8")
    # Universal newlines, as open() gives, so every position is the same.
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
