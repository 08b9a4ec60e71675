"""Turning story strings into Textual content without ever parsing markup.

Scene text, labels and save descriptions come from story files and save files:
they are shown exactly as written. Everything here builds ``Content`` from plain
strings (``Content(str)`` and ``Content.styled``), never ``Content.from_markup``,
so ``[@click=app.quit]`` in a scene is just characters.
"""

from __future__ import annotations

from textual.content import Content

from game.saves.text import printable

SEP = " · "


def from_save(text: str) -> str:
    """Text that came from a save (a slot's name, its description, a history label), safe to show.

    The one sanitizer (``game.saves.text.printable``, which the saves store and
    plain mode's output also rely on): control characters dropped, so an ESC
    in a save cannot clear the screen, set the title or write the clipboard
    (OSC 52); lone surrogates shown as U+FFFD, which the terminal can encode.
    """
    return printable(text)


def paragraphs(text: str) -> list[str]:
    """A scene's paragraphs: blank lines separate them, single newlines are soft."""
    out = []
    for para in text.replace("\r\n", "\n").split("\n\n"):
        joined = " ".join(line.strip() for line in para.split("\n") if line.strip())
        if joined:
            out.append(joined)
    return out


def prose(text: str) -> str:
    """The scene text re-flowed: paragraphs separated by one blank line."""
    return "\n\n".join(paragraphs(text))


def plain(text: str, style: str = "") -> Content:
    """Content for a story string: literal characters, one optional style for all of it."""
    return Content.styled(text, style) if style else Content(text)


def short_date(saved_at: str) -> str:
    """'2026-11-22T00:24:06+0000' -> '2026-11-22 00:24' (leave odd values as they are)."""
    if len(saved_at) >= 16 and saved_at[10] == "T":
        return f"{saved_at[:10]} {saved_at[11:16]}"
    return saved_at


def where(chapter: str, location: str) -> str:
    return SEP.join(p for p in (chapter, location) if p)

