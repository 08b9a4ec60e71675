"""What the web tests share: a served game, the screen a tab shows, and no process left.

A server is started as a player starts it (``python -m game serve``) on a port
the system picks (--port 0, read back from its first line), with a saves folder
of the test's own; its path in a process's command line is how the tests find
every game the server started, to check that none outlives it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyte

ROOT = Path(__file__).resolve().parents[2]
SCENES = ROOT / "scenes"
ADDRESS_RE = re.compile(r"is at (http://127\.0\.0\.1:(\d+))/")
# How long a server (and every game it started) may take to stop after SIGTERM.
STOP_WITHIN_S = 8.0


def processes_with(marker: str) -> list[int]:
    """The pids of live processes whose command line contains ``marker``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
            with open(f"/proc/{entry}/stat", "rb") as handle:
                state = handle.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in cmdline and state != b"Z":
            found.append(int(entry))
    return found


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    port: int
    saves: Path
    log: Path

    def stop(self) -> float:
        """SIGTERM the server; the seconds until it and every game it started were gone."""
        started = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_WITHIN_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"the server did not stop within {STOP_WITHIN_S} s of SIGTERM") from None
        while processes_with(str(self.saves)) and time.monotonic() - started < STOP_WITHIN_S:
            time.sleep(0.05)
        left = processes_with(str(self.saves))
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        assert not left, f"games left running after the server stopped: {left}"
        return time.monotonic() - started

    def games(self) -> list[int]:
        """The pids of the games this server started that are still running."""
        return [pid for pid in processes_with(str(self.saves)) if pid != self.process.pid]

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def serve(saves: Path, story: Path = SCENES, extra: list[str] | None = None, timeout: float = 30.0) -> Served:
    """Start ``metallic-rouge serve --port 0`` and wait for it to say where it is."""
    log = saves.parent / f"{saves.name}-serve.log"
    saves.mkdir(parents=True, exist_ok=True)
    handle = open(log, "w", encoding="utf-8")  # noqa: SIM115 - the server writes to it until it stops
    process = subprocess.Popen(
        [sys.executable, "-m", "game", "serve", "--port", "0", "--story", str(story), "--saves", str(saves),
         *(extra or [])],
        stdout=subprocess.PIPE,
        stderr=handle,
        stdin=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    handle.close()
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        match = ADDRESS_RE.search(line)
        if match:
            return Served(process, match.group(1), int(match.group(2)), saves, log)
    process.kill()
    process.wait()
    raise AssertionError(f"serve did not start:\n{log.read_text(errors='replace')}")


class Screen:
    """The terminal a tab shows, rebuilt from the bytes the game sends (a VT emulator)."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self._screen = pyte.Screen(width, height)
        self._stream = pyte.ByteStream(self._screen)
        self.received = 0

    def feed(self, data: bytes) -> None:
        self.received += len(data)
        self._stream.feed(data)

    def resize(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self._screen.resize(height, width)

    @property
    def lines(self) -> list[str]:
        return [line.rstrip() for line in self._screen.display]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def find(self, needle: str) -> tuple[int, int] | None:
        """(row, column) where ``needle`` first shows, or None."""
        for row, line in enumerate(self.lines):
            col = line.find(needle)
            if col >= 0:
                return row, col
        return None


def wait_for(condition: Callable[[], object], timeout: float, what: str, pump: Callable[[float], None]) -> object:
    """Call ``pump`` (which lets events arrive) until ``condition()`` is truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        pump(0.05)
