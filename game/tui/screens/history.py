"""Everything read so far: each scene as it read then, and the choice made there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from game.tui.text import SEP, from_save, prose, where
from game.tui.widgets.too_small import TooSmall

if TYPE_CHECKING:
    from game.session import TranscriptEntry


def transcript_content(entries: list[TranscriptEntry]) -> Content:
    """One Content for the whole transcript: one widget lays out faster than hundreds."""
    parts: list[Content] = []
    for n, entry in enumerate(entries, 1):
        scene = entry.scene
        heading = SEP.join(p for p in (where(scene.chapter, scene.location), entry.shown_title) if p)
        parts.append(Content.styled(from_save(f"{n}. {heading}"), "bold $accent"))
        # The text and title show the save's variables, the label and the reply are the
        # save's own: all from a file, so filtered.
        if entry.text:  # a page a stay-choice opened has no text of its own
            parts.append(Content(from_save(prose(entry.text))))
        if entry.choice_label is not None:
            parts.append(Content.assemble(("» You chose: ", "bold"), (from_save(entry.choice_label), "italic")))
            if entry.reply:
                parts.append(Content.styled(from_save(prose(entry.reply)), "italic $text-muted"))
        else:
            parts.append(Content.styled("(you are here)", "italic $text-muted"))
        parts.append(Content(""))
    return Content("\n").join(parts)


class HistoryScreen(Screen[None]):
    AUTO_FOCUS = "#history-scroll"
    BINDINGS = [Binding("escape,h,q", "dismiss", "Back to the game", id="history-close")]

    def __init__(self, entries: list[TranscriptEntry]) -> None:
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        yield Static(Content(f"History: {len(self.entries)} scene(s) read"), id="history-title")
        with VerticalScroll(id="history-scroll"):
            yield Static(transcript_content(self.entries), id="history-text")
        yield Footer()
        yield TooSmall()

    def on_mount(self) -> None:
        # Open at "you are here", the latest scene: what a player usually wants to re-read.
        # Not at once: on mount the text has no layout yet, so the end was row 0 and the
        # history opened at the oldest scene. After the first refresh the height is known.
        self.call_after_refresh(self._to_the_end)

    def _to_the_end(self) -> None:
        self.query_one("#history-scroll", VerticalScroll).scroll_end(animate=False, immediate=True)
