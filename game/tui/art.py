"""The title art: ``assets/title.txt`` when the game ships one, else this built-in logo."""

from __future__ import annotations

from game.paths import assets_dir

MAX_ART_BYTES = 16 * 1024

LOGO = """\
█▀▄▀█ █▀▀ ▀█▀ ▄▀█ █   █   █ █▀▀   █▀█ █▀█ █ █ █▀▀ █▀▀
█ ▀ █ ██▄  █  █▀█ █▄▄ █▄▄ █ █▄▄   █▀▄ █▄█ █▄█ █▄█ ██▄"""

SUBTITLE = "T H E   I M M O R T A L   N I N E"


def title_art() -> str:
    """The art as plain text; a missing or unreadable asset falls back to the logo."""
    path = assets_dir() / "title.txt"
    try:
        if path.stat().st_size <= MAX_ART_BYTES:
            text = path.read_text(encoding="utf-8").rstrip()
            # Art wider than the minimum terminal would wrap into noise: use the logo instead.
            if text and all(len(line) <= 76 for line in text.splitlines()):
                return text
    except (OSError, UnicodeDecodeError):
        pass
    return LOGO
