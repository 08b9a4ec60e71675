"""The autosave policy: after every move, one slot, the previous game's kept once.

Writes may run on worker threads and finish out of order; a sequence number
makes sure an older state never overwrites a newer one. The first autosave of a
new game moves the old one to ``autosave-previous`` first, so starting again
never destroys a game in progress. A failure is reported once, then play goes on.
"""

from __future__ import annotations

import threading
from typing import Any

from game.play.outcome import Notice, Write
from game.saves import AUTOSAVE, SaveError, SaveStore

BACKUP = f"{AUTOSAVE}-previous"
RESERVED = frozenset({AUTOSAVE, BACKUP})  # slots the game writes itself; a player never picks them


class Autosaver:
    def __init__(self, store: SaveStore, enabled: bool = True) -> None:
        self.store = store
        self.enabled = enabled
        self.backup_pending = False
        self.failed = False
        self._lock = threading.Lock()
        self._seq = 0
        self._written = 0

    def new_game(self) -> None:
        """The next autosave starts a new game: keep the old one as ``autosave-previous``."""
        self.backup_pending = True

    def loaded(self) -> None:
        """A loaded game continues the autosave as it is (it may be the one just loaded)."""
        self.backup_pending = False

    def write(self, data: dict[str, Any]) -> Write | None:
        """The write of ``data`` to the autosave slot, to run on any thread."""
        if not self.enabled:
            return None
        self._seq += 1
        seq = self._seq
        return Write("autosave", lambda: self._run(seq, data))

    def _run(self, seq: int, data: dict[str, Any]) -> list[Notice]:
        with self._lock:
            if seq <= self._written:
                return []
            try:
                if self.backup_pending:
                    self.backup_pending = False
                    self.store.backup(AUTOSAVE)
                self.store.write(AUTOSAVE, data)
                self._written = seq
            except SaveError as exc:
                if self.failed:
                    return []
                self.failed = True
                return [
                    Notice(
                        f"Autosave failed: {exc}. Play goes on; save by hand to try elsewhere.",
                        "warning",
                        timeout=8,
                    )
                ]
        return []
