"""The autosave policy: after every move, one slot, the previous game's kept once.

Writes may run on worker threads and finish out of order; a sequence number
makes sure an older state never overwrites a newer one. The first autosave of a
new game moves the old one to ``autosave-previous`` first, so starting again
never destroys a game in progress. A failure is reported once, then play goes on.

Each running copy of the game on one saves folder has a slot of its own
(``game.play.lock``): the first autosaves to ``autosave``, a second one, in
another window or browser tab, to ``autosave-2`` (backup ``autosave-2-previous``),
and is told so once, in a notice that does not stop play.
"""

from __future__ import annotations

import threading
from typing import Any

from game.play.lock import MAX_COPIES, RunningCopy
from game.play.outcome import Notice, Write
from game.saves import AUTOSAVE, SaveError, SaveStore

BACKUP = f"{AUTOSAVE}-previous"


def slot_of(copy: int) -> str:
    """The autosave slot of running copy ``copy`` (1: ``autosave``)."""
    return AUTOSAVE if copy <= 1 else f"{AUTOSAVE}-{copy}"


def backup_of(slot: str) -> str:
    return f"{slot}-previous"


# Slots the game writes itself; a player never picks them.
RESERVED = frozenset(
    name for n in range(1, MAX_COPIES + 1) for name in (slot_of(n), backup_of(slot_of(n)))
)


class Autosaver:
    def __init__(self, store: SaveStore, enabled: bool = True) -> None:
        self.store = store
        self.enabled = enabled
        self.backup_pending = False
        # The slot a loaded game came from: loading this copy's own autosave keeps no
        # backup of it (that would push the real previous game out of ``autosave-previous``).
        self.loaded_from: str | None = None
        self.failed = False
        self._lock = threading.Lock()
        self._seq = 0
        self._written = 0
        # Claimed at the first autosave, so a Game that never autosaves (tests,
        # autosave off) never takes a number from one that does.
        self._copy: RunningCopy | None = None

    @property
    def slot(self) -> str:
        """The slot this copy autosaves to (``autosave`` until another copy is found running)."""
        return slot_of(self._copy.number) if self._copy is not None else AUTOSAVE

    def new_game(self) -> None:
        """The next autosave starts a new game: keep the old one as ``autosave-previous``."""
        self.backup_pending = True
        self.loaded_from = None

    def loaded(self, slot: str) -> None:
        """A game loaded from ``slot`` is the new current game: the next autosave (written at
        once, by the load) keeps the old one as ``autosave-previous``, unless ``slot`` is this
        copy's own autosave, which is the game loaded already."""
        self.backup_pending = True
        self.loaded_from = slot

    def release(self) -> None:
        """Give up this copy's number (the process ending or the object being collected does it too)."""
        with self._lock:
            if self._copy is not None:
                self._copy.release()
                self._copy = None

    def write(self, data: dict[str, Any]) -> Write | None:
        """The write of ``data`` to the autosave slot, to run on any thread."""
        if not self.enabled:
            return None
        self._seq += 1
        seq = self._seq
        return Write("autosave", lambda: self._run(seq, data))

    def _claim(self) -> list[Notice]:
        self._copy = RunningCopy(self.store.folder)
        if self._copy.number == 1:
            return []
        who = f" (process {self._copy.claim.other_pid})" if self._copy.claim.other_pid else ""
        return [
            Notice(
                f"Another copy of the game{who} is playing from this saves folder. So that neither erases "
                f"the other's game, this one autosaves to '{self.slot}'.",
                "warning",
                timeout=10,
            )
        ]

    def _run(self, seq: int, data: dict[str, Any]) -> list[Notice]:
        with self._lock:
            if seq <= self._written:
                return []
            notices = self._claim() if self._copy is None else []
            slot = self.slot
            try:
                if self.backup_pending:
                    self.backup_pending = False
                    # The slot is known only now (claimed at the first write).
                    if self.loaded_from != slot:
                        self.store.backup(slot)
                self.store.write(slot, {**data, "slot": slot})
                self._written = seq
            except SaveError as exc:
                if self.failed:
                    return notices
                self.failed = True
                notices.append(
                    Notice(
                        f"Autosave failed: {exc}. Play goes on; save by hand to try elsewhere.",
                        "warning",
                        timeout=8,
                    )
                )
        return notices
