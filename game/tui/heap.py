"""When the garbage collector runs while the game is on screen: between choices, never inside one.

Measured on the campaign (150 choices, 100x30): with Python's default thresholds a
choice allocated enough to start ~9 young collections and one middle-generation one
while it was being handled and drawn, ~4 ms a choice on average and up to 10 ms,
all of it between the key and the frame. A full collection after each scene (the
first version) cost 34 ms a choice.

So: while the app runs, the youngest generation's threshold is raised far above what
one choice allocates, and once a scene is on screen (the player is reading) the young
generations are collected and what survived is frozen, so no later collection scans
it again. A new game's first scene, and every ``FULL_EVERY`` scenes, one full
collection reclaims what earlier freezes kept (a replaced game's machine; Textual's
strips, which hold themselves in their caches: ~1,000 objects a scene).
"""

from __future__ import annotations

import gc

# Net new container objects before an automatic young collection. One choice on the
# campaign makes ~6,000; this many is a few MB at most, and the collection after
# each scene resets the count anyway.
YOUNG_THRESHOLD = 50_000
# Scenes frozen after one another before a full collection reclaims the cycles frozen
# with them (~1,000 objects a scene, measured: ~200,000 objects, ~30 MB at most).
FULL_EVERY = 200


class HeapPolicy:
    """The app's collector schedule; ``start``/``stop`` bracket the app's run."""

    def __init__(self) -> None:
        self._saved: tuple[int, int, int] | None = None
        self._settle_next = False
        self._since_full = 0
        self.full_collections = 0

    def start(self) -> None:
        if self._saved is None:
            self._saved = gc.get_threshold()
            _, middle, old = self._saved
            gc.set_threshold(YOUNG_THRESHOLD, middle, old)

    def stop(self) -> None:
        """Back to the thresholds found at start, nothing left frozen (tests run many apps in one process)."""
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None
        gc.unfreeze()

    def settle(self) -> None:
        """One full collection, then freeze everything alive: the story, the machine, Textual's widgets.

        Unfreezing first lets the collection reclaim what an earlier freeze kept."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self._since_full = 0
        self.full_collections += 1

    def new_game(self) -> None:
        """The next scene shown starts a game whose session and screen live as long as it does."""
        self._settle_next = True

    def scene_shown(self) -> None:
        """A scene has reached the screen: collect what the move made while the player reads."""
        self._since_full += 1
        if self._settle_next or self._since_full >= FULL_EVERY:
            self._settle_next = False
            self.settle()
        else:
            # The young generations only (~1 ms): gc.get_freeze_count() is not used
            # to decide anything, it walks the frozen list (15 ms at 100k objects).
            gc.collect(1)
            gc.freeze()
