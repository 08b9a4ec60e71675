"""game.paths.atomic_write: the one atomic write under the saves store and the story cache."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pytest

from game.paths import FolderNotWritable, atomic_write


def test_bytes_or_a_writer_replace_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "entry.json"
    atomic_write(target, b"first")
    assert target.read_bytes() == b"first"

    def pieces(handle: BinaryIO) -> None:
        for chunk in (b"a", b"b", b"c"):
            handle.write(chunk)

    atomic_write(target, pieces, durable=False)
    assert target.read_bytes() == b"abc"
    assert [p.name for p in target.parent.iterdir()] == ["entry.json"]


def test_a_failing_writer_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "entry.json"
    target.write_bytes(b"old")

    def half(handle: BinaryIO) -> None:
        handle.write(b"ne")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError) as caught:
        atomic_write(target, half)
    assert not isinstance(caught.value, FolderNotWritable)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["entry.json"]


def test_a_folder_that_cannot_be_made_is_told_apart(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(FolderNotWritable):
        atomic_write(blocker / "saves" / "slot.json", b"x")
