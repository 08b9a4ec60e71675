"""The game in a real pseudo-terminal: what a player's terminal receives, byte for byte."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class PtyGame:
    """``python -m game ARGS`` with a pty as its terminal (stdin, stdout and stderr)."""

    def __init__(
        self, args: Sequence[str], env: dict[str, str | None] | None = None, size: tuple[int, int] = (80, 24)
    ) -> None:
        """``env`` adds to (or, with None, removes from) the environment the tests run in."""
        master, slave = pty.openpty()
        cols, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        environment = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
        environment.update({"TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)})
        for key, value in (env or {}).items():
            if value is None:
                environment.pop(key, None)
            else:
                environment[key] = value
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "game", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=environment,
            cwd=ROOT,
            start_new_session=True,  # the pty becomes its controlling terminal, as in a terminal window
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self._out = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: every copy of the slave side is closed
                return
            if not chunk:
                return
            with self._lock:
                self._out += chunk

    @property
    def output(self) -> bytes:
        with self._lock:
            return bytes(self._out)

    def text(self) -> str:
        return self.output.decode("utf-8", "replace")

    def wait_for(self, test: Callable[[], bool], timeout: float = 30.0, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while not test():
            if self.proc.poll() is not None and not test():
                raise AssertionError(f"the game ended ({self.proc.returncode}) before {what}:\n{self.text()[-2000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}:\n{self.text()[-2000:]}")
            time.sleep(0.05)

    def wait_text(self, text: str, timeout: float = 30.0) -> None:
        self.wait_for(lambda: text in self.text(), timeout, repr(text))

    def send(self, data: str) -> None:
        os.write(self.master, data.encode())

    def finish(self, timeout: float = 30.0) -> int:
        """The exit status, once the game has ended and its last bytes are read."""
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self._reader.join(timeout=5)
        try:
            os.close(self.master)
        except OSError:
            pass
