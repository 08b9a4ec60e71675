"""Which running copy of the game this is, among those playing from one saves folder.

Two windows, or two browser tabs (each a ``play --tui`` process), may play from
the same saves folder at once. Each autosaves after every choice; on one slot
they would silently erase each other's game. So each running copy claims a
number: copy 1 autosaves to ``autosave``, copy 2 to ``autosave-2`` and so on.

A claim is a hidden lock file in the saves folder, ``.running-N.lock``, held
with ``fcntl.flock`` for as long as the copy runs and holding its pid (for the
player's message, and for a person looking at the folder). The kernel lets go
of a flock when its process ends, however it ends (``kill -9``, a crash, a
power cut), so a lock left by a dead copy is stale by construction and the
next copy takes it over. Two ``Game`` objects in one process open the file
twice, and flock tells those apart too (a test plays two at once).

Where flock does not exist (Windows), there is no detection and every copy is
copy 1, as before.
"""

from __future__ import annotations

import os
import weakref
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_PATTERN = ".running-{n}.lock"
MAX_COPIES = 9  # a tenth copy shares copy 9's slot rather than fail


@dataclass
class Claim:
    """This copy's number and the pid of another copy playing from the same folder, if any."""

    number: int
    other_pid: int | None = None  # copy 1's (or the first other copy's) pid, for the message
    fd: int | None = None

    def release(self) -> None:
        fd, self.fd = self.fd, None
        if fd is not None:
            try:
                os.close(fd)  # closing the file lets go of the flock
            except OSError:
                pass


def claim(folder: Path) -> Claim:
    """Take the lowest free copy number in ``folder``; never raises (copy 1 when no lock can be made)."""
    if fcntl is None:
        return Claim(1)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Claim(1)
    other: int | None = None
    for n in range(1, MAX_COPIES + 1):
        path = folder / LOCK_PATTERN.format(n=n)
        try:
            # O_NOFOLLOW and O_NONBLOCK: a link or a FIFO planted under that name is
            # neither followed nor waited on (the open fails, the number is skipped).
            fd = os.open(
                path,
                os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0),
                0o600,
            )
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            # Held by a running copy: note whose, and try the next number.
            if other is None:
                other = _pid_in(fd)
            os.close(fd)
            continue
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass  # the pid is for people; the flock is the lock
        return Claim(n, other, fd)
    return Claim(MAX_COPIES, other)


def _pid_in(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() and len(text) < 12 else None


class RunningCopy:
    """The claim of one ``Autosaver``: made at its first autosave, let go when it is collected."""

    def __init__(self, folder: Path) -> None:
        self.claim = claim(Path(folder))
        # Let go when the owner is garbage-collected (a test's Game, a replaced one),
        # not only when the process ends.
        self._finalizer = weakref.finalize(self, self.claim.release)

    @property
    def number(self) -> int:
        return self.claim.number

    def release(self) -> None:
        self._finalizer()
