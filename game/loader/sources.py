"""A story folder's files: which they are, how messages name them, and their text read once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MANIFEST_NAME = "story.yaml"


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


def read_text(path: Path, sources: Sources | None) -> str:
    """A story file's text: from ``sources`` when it was read for the cache key, else from disk."""
    data = sources.contents.get(path) if sources is not None else None
    if data is None:
        return path.read_text(encoding="utf-8")
    if isinstance(data, OSError):
        raise data
    text = data.decode("utf-8")
    # What read_text gives: universal newlines, so every position is the same.
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
