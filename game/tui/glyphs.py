"""Box and bar glyphs: Unicode, or ASCII where the terminal cannot show it.

The game draws meters with block characters, marks the Nine with symbols and
frames its panels with Textual's box-drawing borders. A terminal in the C/POSIX
locale (``LANG=C``) or a non-UTF-8 one shows those as noise, so ``choose()``
picks ASCII there before the app starts: ``#``/``-`` bars, letter marks, and
every Textual border drawn as ``+-|`` (scrollbar thumbs as plain colour). The
game is still the TUI; only the drawing changes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Glyphs:
    filled: str  # a meter's filled cells
    empty: str  # and its empty ones: a different shape as well as a colour, for colour-blind players
    marks: Mapping[str, str] = field(default_factory=dict)  # the tracker's mark per status
    other_mark: str = "."  # for a status without a mark of its own


UNICODE = Glyphs(
    "█", "░", {"unknown": "?", "identified": "◆", "spared": "♥", "slain": "✝", "ally": "★", "fled": "»"}, "·"
)
ASCII = Glyphs(
    "#",
    "-",
    {"unknown": "?", "identified": "*", "spared": "+", "slain": "x", "ally": "!", "fled": ">"},
    ".",
)

current = UNICODE


def unicode_terminal(
    environ: Mapping[str, str] | None = None,
    encoding: str | None = None,
    utf8_mode: bool | None = None,
) -> bool:
    """Whether the terminal shows Unicode, judged from the locale the player set.

    Python itself runs in UTF-8 under the C and POSIX locales (PEP 538 and 540: it
    switches on its UTF-8 mode and rewrites LC_CTYPE to C.UTF-8), so its stream
    encoding says nothing there; its UTF-8 mode switched on by itself does, and then
    the locale names set (LC_ALL, LC_CTYPE unless rewritten, LANG) decide.
    """
    env = os.environ if environ is None else environ
    if "web_driver" in env.get("TEXTUAL_DRIVER", ""):
        return True  # a browser (serve): always UTF-8
    stream_encoding = encoding if encoding is not None else (getattr(sys.__stdout__, "encoding", None) or "")
    if stream_encoding.lower().replace("-", "").replace("_", "") not in ("utf8", "utf8sig"):
        return False  # a latin-1 or ASCII locale Python took at its word
    asked = env.get("PYTHONUTF8") == "1" or "utf8" in getattr(sys, "_xoptions", {})
    auto_utf8 = (sys.flags.utf8_mode if utf8_mode is None else utf8_mode) and not asked
    if not auto_utf8:
        return True
    # Python found the C/POSIX locale (or one not installed) at start-up.
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = env.get(name, "")
        if name == "LC_CTYPE" and value == "C.UTF-8":
            continue  # Python's own rewrite (PEP 538), not the player's
        if value:
            return "utf-8" in value.lower() or "utf8" in value.lower()
    return False


def choose(unicode: bool | None = None) -> Glyphs:
    """Set the glyphs for this run (before the app is built); ASCII also redraws Textual's borders."""
    global current
    if unicode is None:
        unicode = unicode_terminal()
    current = UNICODE if unicode else ASCII
    if not unicode:
        _ascii_textual()
    return current


def _ascii_textual() -> None:
    from textual import _border
    from textual.scrollbar import ScrollBarRender

    # Textual keeps no public switch for this; its border table and scrollbar glyphs
    # are plain module data (textual is pinned in requirements.lock).
    plain = _border.BORDER_CHARS["ascii"]
    for name in list(_border.BORDER_CHARS):
        if name not in ("", "none", "hidden", "blank", "ascii"):
            _border.BORDER_CHARS[name] = plain
    _border.get_box.cache_clear()
    ScrollBarRender.VERTICAL_BARS = [" "] * len(ScrollBarRender.VERTICAL_BARS)
    ScrollBarRender.HORIZONTAL_BARS = [" "] * len(ScrollBarRender.HORIZONTAL_BARS)
