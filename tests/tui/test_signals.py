"""SIGTERM and SIGHUP end the game cleanly: in a real pty, the terminal is given back
(alternate screen left, mouse reporting off, cursor shown) and the autosave is kept."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO
from tests.ptyrun import PtyGame

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and ptys")

LEAVE_ALT_SCREEN = b"\x1b[?1049l"
MOUSE_OFF = b"\x1b[?1000l"
SHOW_CURSOR = b"\x1b[?25h"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_tui_gives_the_terminal_back_on_a_signal(sig: signal.Signals, tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    game = PtyGame(["play", "--story", str(DEMO), "--saves", str(saves), "--seed", "1"])
    try:
        game.wait_text("New game")
        # The story loads in a worker after the title paints: 'n' starts a game once it is in.
        game.wait_for(lambda: (game.send("n"), "Eat a square of chocolate" in game.text())[1], what="the first scene")
        game.send("1")
        autosave = saves / "autosave.json"
        game.wait_for(lambda: _readable(autosave), what="the autosave")
        sent_at = len(game.output)
        game.proc.send_signal(sig)
        code = game.finish()
        after = game.output[sent_at:]
    finally:
        game.close()
    assert code == 128 + sig  # an exit of its own, not death by the signal (-sig)
    assert LEAVE_ALT_SCREEN in after and MOUSE_OFF in after and SHOW_CURSOR in after
    assert _readable(autosave)
    assert json.loads(autosave.read_text())["scene_title"] == "Purgatory Viola"  # the move made before the signal


def _readable(path: Path) -> bool:
    try:
        return isinstance(json.loads(path.read_text()), dict)
    except (OSError, ValueError):
        return False
