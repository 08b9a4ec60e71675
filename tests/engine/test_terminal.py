"""What the game does on terminals that cannot show everything: TERM=dumb gets plain
mode (unless the TUI is asked for, as 'serve' does), LANG=C gets ASCII boxes and bars."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX ptys")

ALT_SCREEN = b"\x1b[?1049h"
# Box drawing, block elements and geometric shapes, and the tracker's symbols.
DRAWING = re.compile("[\u2500-\u25ff\u2665\u271d\u2605\u00bb]")


def _game(args: list[str], tmp_path: Path, **env: str | None):  # type: ignore[no-untyped-def]
    from tests.ptyrun import PtyGame

    return PtyGame([*args, "--story", str(DEMO), "--saves", str(tmp_path / "saves"), "--seed", "1"], env=env)


def test_dumb_terminal_says_so_and_plays_in_plain_text(tmp_path: Path) -> None:
    game = _game(["play"], tmp_path, TERM="dumb")
    try:
        game.wait_text("> ")
        game.send("1\nquit\n")
        code = game.finish()
        text = game.text()
    finally:
        game.close()
    assert code == 0
    assert "need a capable terminal (this one is TERM=dumb); playing in plain text instead" in text
    assert "1. Memorise the file and go." in text and "Goodbye" in text
    assert ALT_SCREEN not in game.output


def test_dumb_terminal_still_gets_the_tui_when_asked(tmp_path: Path) -> None:
    # 'serve' runs 'play --tui' (game/cli/serve.py), whatever TERM the server has.
    game = _game(["play", "--tui"], tmp_path, TERM="dumb")
    try:
        game.wait_text("New game")
        game.send("\x11")  # Ctrl+Q
        assert game.finish() == 0
    finally:
        game.close()
    assert ALT_SCREEN in game.output and b"capable terminal" not in game.output


def _drawn(tmp_path: Path, **env: str | None) -> str:
    """The TUI's output through the title and a first scene (meters, the Nine, panels)."""
    game = _game(["play"], tmp_path, LC_ALL=None, LC_CTYPE=None, **env)
    try:
        game.wait_text("New game")
        game.wait_for(lambda: (game.send("n"), "Eat a square of chocolate" in game.text())[1], what="the first scene")
        game.send("\x11")
        assert game.finish() == 0
        return game.text()
    finally:
        game.close()


@pytest.mark.parametrize("lang", ["C", "POSIX"])
def test_c_locale_draws_boxes_and_bars_in_ascii(lang: str, tmp_path: Path) -> None:
    text = _drawn(tmp_path, LANG=lang)
    assert "\x1b[?1049h" in text  # still the TUI
    assert "Freedom" in text and "#" in text  # the meter's bar, in ASCII
    assert DRAWING.findall(text) == []
    assert "Immortal" in text  # the art is not ASCII: the title, in plain letters, stands in


def test_utf8_locale_keeps_the_unicode_glyphs(tmp_path: Path) -> None:
    text = _drawn(tmp_path, LANG="C.UTF-8")
    assert "█" in text or "░" in text
    assert DRAWING.search(text)


@pytest.mark.parametrize(
    ("env", "encoding", "utf8_mode", "unicode"),
    [
        ({"LANG": "C.UTF-8"}, "utf-8", False, True),
        ({"LANG": "en_GB.UTF-8"}, "utf-8", False, True),
        # Python's C-locale coercion: LANG=C, LC_CTYPE rewritten to C.UTF-8, UTF-8 mode on by itself.
        ({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, "utf-8", True, False),
        ({"LC_ALL": "C"}, "utf-8", True, False),
        ({"LANG": "POSIX", "LC_CTYPE": "C.UTF-8"}, "utf-8", True, False),
        ({}, "utf-8", True, False),
        # A UTF-8 locale that is not installed: Python falls back to C, the terminal is UTF-8.
        ({"LANG": "fr_FR.UTF-8", "LC_CTYPE": "C.UTF-8"}, "utf-8", True, True),
        ({"LANG": "en_US.ISO-8859-1"}, "iso8859-1", False, False),
        ({"LANG": "C", "PYTHONUTF8": "1"}, "utf-8", True, True),
        ({"LANG": "C", "TEXTUAL_DRIVER": "textual_serve.web_driver:WebDriver"}, "utf-8", True, True),
    ],
)
def test_unicode_terminal(env: dict[str, str], encoding: str, utf8_mode: bool, unicode: bool) -> None:
    from game.tui.glyphs import unicode_terminal

    assert unicode_terminal(env, encoding, utf8_mode) is unicode
