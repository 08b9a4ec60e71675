"""Save slots on disk: one JSON file a slot, written atomically.

A save is written to a temporary file in the same folder, flushed and fsynced,
then renamed over the old one, so a crash at any moment leaves either the old
save or the new one, whole. Slot names are checked so that no name can reach
outside the saves folder.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.paths import FileTooLarge, FolderNotWritable, NotARegularFile, read_bounded, sync_folder
from game.paths import atomic_write as write_whole
from game.saves.codec import SaveError, check_header
from game.saves.text import clean, printable

AUTOSAVE = "autosave"
SUFFIX = ".json"
MAX_SAVE_BYTES = 10 * 1024 * 1024
_SLOT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.\-]{0,63}$")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


@dataclass(frozen=True, slots=True)
class SlotInfo:
    name: str
    path: Path
    ok: bool
    description: str = ""
    saved_at: str = ""
    chapter: str = ""
    scene_title: str = ""
    error: str = ""  # why a damaged save cannot be loaded
    mtime: float = 0.0


def check_slot_name(name: str) -> str:
    """Return the slot name if it is safe as a file name in the saves folder."""
    if not isinstance(name, str) or not name or "\x00" in name:
        raise SaveError("a save name cannot be empty")
    # fullmatch, not match: "$" would also accept a name ending in a newline.
    if not _SLOT_RE.fullmatch(name) or ".." in name or name.endswith((".", " ")):
        raise SaveError(
            f"'{printable(name[:40])}' is not a usable save name: use letters, digits, spaces, '-', '_' or '.' (at most 64)"
        )
    if name.split(".")[0].strip().lower() in _RESERVED:
        raise SaveError(f"'{name}' is a reserved name on some systems; choose another")
    return name


# Compact, and built once: json.dumps with any non-default argument makes a new encoder
# at every call. The save data is plain dicts and lists made by the codec, never cyclic.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def atomic_write(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` durably and atomically (game.paths.atomic_write), as a SaveError."""
    try:
        write_whole(path, payload)
    except FolderNotWritable as exc:
        raise SaveError(f"cannot write to the saves folder {path.parent}: {exc.strerror or exc}") from exc
    except OSError as exc:
        raise SaveError(f"could not save to {path.name}: {exc.strerror or exc}") from exc


class SaveStore:
    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def path_for(self, name: str) -> Path:
        return self.folder / (check_slot_name(name) + SUFFIX)

    def write(self, name: str, data: dict[str, Any]) -> Path:
        path = self.path_for(name)
        atomic_write(path, _ENCODER.encode(data).encode("utf-8"))
        return path

    def read(self, name: str, story_id: str | None = None) -> dict[str, Any]:
        return self._read_path(self.path_for(name), story_id)

    def _read_path(self, path: Path, story_id: str | None) -> dict[str, Any]:
        try:
            raw = read_bounded(path, MAX_SAVE_BYTES)
        except FileNotFoundError as exc:
            raise SaveError(f"there is no save called '{path.stem}'") from exc
        except NotARegularFile as exc:
            # A FIFO or a device named like a save: opening it for a real read would hang or never end.
            raise SaveError("this is not a save file (a pipe, a device or a folder has its name)") from exc
        except FileTooLarge as exc:
            raise SaveError(
                f"the save is too large to be a save (over {MAX_SAVE_BYTES // (1024 * 1024)} MB)"
            ) from exc
        except OSError as exc:
            raise SaveError(f"cannot read the save: {exc.strerror or exc}") from exc
        if not raw.strip():
            raise SaveError("the save is empty (it may have been cut off)")
        try:
            # Every string repaired as it is read: a control character or a lone
            # surrogate must reach neither the screen nor the next autosave.
            data = clean(json.loads(raw.decode("utf-8")))
        except (ValueError, RecursionError) as exc:
            # ValueError covers bad UTF-8 and bad JSON, and also numbers longer than
            # Python's 4,300-digit limit, which json.loads refuses with a bare ValueError.
            raise SaveError("the save is damaged (not valid JSON; it may have been cut off)") from exc
        check_header(data)
        if story_id is not None and data.get("story_id") != story_id:
            raise SaveError(f"the save belongs to another story ({data.get('story_id')!r})")
        return data  # type: ignore[no-any-return]

    def list(self, story_id: str | None = None) -> list[SlotInfo]:
        """Every slot, newest first; damaged ones are listed with the reason."""
        try:
            paths = [p for p in self.folder.iterdir() if p.suffix == SUFFIX and not p.name.startswith(".")]
        except OSError:
            return []
        slots: list[SlotInfo] = []
        for path in paths:
            try:
                mtime = path.stat().st_mtime
            except OSError:
                continue
            try:
                check_slot_name(path.stem)
            except SaveError as exc:
                # Any file name at all (an ESC in it, bytes that are not UTF-8): shown, never loaded.
                slots.append(SlotInfo(printable(path.stem), path, False, error=str(exc), mtime=mtime))
                continue
            try:
                data = self._read_path(path, story_id)
            except SaveError as exc:
                slots.append(SlotInfo(path.stem, path, False, error=str(exc), mtime=mtime))
                continue
            slots.append(
                SlotInfo(
                    path.stem,
                    path,
                    True,
                    description=str(data.get("description", "")),
                    saved_at=str(data.get("saved_at", "")),
                    chapter=str(data.get("chapter", "")),
                    scene_title=str(data.get("scene_title", "")),
                    mtime=mtime,
                )
            )
        slots.sort(key=lambda s: s.mtime, reverse=True)
        return slots

    def newest(self, story_id: str | None = None) -> SlotInfo | None:
        for slot in self.list(story_id):
            if slot.ok:
                return slot
        return None

    def backup(self, name: str) -> Path | None:
        """Keep the current contents of a slot as ``NAME-previous`` (used before a new game)."""
        path = self.path_for(name)
        if not path.exists():
            return None
        target = self.path_for(f"{name}-previous")
        try:
            os.replace(path, target)
        except OSError as exc:
            raise SaveError(f"could not keep a backup of '{name}': {exc.strerror or exc}") from exc
        sync_folder(self.folder)
        return target

    def exists(self, name: str) -> bool:
        return self.path_for(name).exists()

    def delete(self, name: str) -> None:
        try:
            self.path_for(name).unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise SaveError(f"cannot delete the save: {exc.strerror or exc}") from exc
