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


def test_a_durable_write_syncs_the_file_before_the_rename_then_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Made faster for the save benchmark, it must stay as durable: file data on disk
    # before it replaces the old file, then the folder entry of the rename.
    import os
    import stat

    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    target = tmp_path / "slot.json"

    def fsync(fd: int) -> None:
        events.append("fsync folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        real_fsync(fd)

    def replace(src: str, dst: Path) -> None:
        events.append("rename")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    atomic_write(target, b"new")
    assert events == ["fsync file", "rename", "fsync folder"]
    events.clear()
    atomic_write(target, b"cache", durable=False)
    assert events == ["rename"]
    assert target.read_bytes() == b"cache"
