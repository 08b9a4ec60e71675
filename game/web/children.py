"""One browser tab's game: a child process speaking textual-serve's packet protocol.

textual-serve's AppService starts its command through a shell and, to stop it,
asks the app to quit and then waits for as long as the app takes. A game that
never answers (stuck, or a plain-mode prompt waiting for input) kept the server
from stopping on SIGTERM. Here the child is started directly (no shell between
us and the game, so its pid is the game's) in a session of its own, and a stop
that is not answered in time ends the child's whole process group.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import signal
from asyncio.subprocess import Process
from collections.abc import Sequence
from typing import Any

from textual_serve.app_service import AppService

# How long a game gets to quit by itself (it only has to finish an autosave), and
# then to die of SIGTERM, before SIGKILL.
QUIT_GRACE_S = 2.0
TERM_GRACE_S = 1.0


class GameProcess(AppService):
    """AppService for an argument vector, with a stop that always ends the child."""

    def __init__(self, argv: Sequence[str], **kwargs: Any) -> None:
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = list(argv)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        # Overrides textual-serve's shell start (pinned to 1.1.x in pyproject.toml).
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            start_new_session=True,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        """Ask the game to quit; past QUIT_GRACE_S end its process group."""
        process = self._process
        if self._task is not None:
            try:
                # shield: on a time-out textual-serve's stop goes on waiting for the
                # reader task, which ends once the killed child's pipe closes.
                await asyncio.wait_for(asyncio.shield(super().stop()), QUIT_GRACE_S)
            except (TimeoutError, ConnectionError, RuntimeError):
                pass
        if process is not None:
            await end_process(process)

    async def send_bytes(self, data: bytes) -> bool:
        if self._stdin is None:  # a message that came before the child was started
            return False
        return await super().send_bytes(data)

    async def send_meta(self, data: dict[str, str | None | int | bool]) -> bool:
        if self._stdin is None:
            return False
        return await super().send_meta(data)


async def end_process(process: Process) -> None:
    """Wait briefly for ``process`` to exit, then SIGTERM and SIGKILL its process group."""
    for sig, grace in ((None, 0.2), (signal.SIGTERM, TERM_GRACE_S), (signal.SIGKILL, 5.0)):
        if process.returncode is not None:
            break
        if sig is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                # The child leads its own session, so its group id is its pid.
                os.killpg(process.pid, sig)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), grace)
