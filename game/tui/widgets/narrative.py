"""The narrative pane: a header (chapter · location, then the title) and the scene text.

Rendered with ``Static`` and plain ``Content``: swapping a scene's text this way
measured 15 ms to the final frame against 95 ms for the Markdown widget, and plain
Content never interprets markup in the story's text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from game.session import StoryRuntimeError
from game.tui.text import paragraphs, plain, prose, where

if TYPE_CHECKING:
    from game.session import Session

TICK = 1 / 30  # typewriter frame interval: smooth enough, cheap enough
REPLY_STYLE = "italic $text-muted"
RULE = "\u2500" * 12  # under a choice's reply, between it and the scene's text


class NarrativeView(VerticalScroll, can_focus=False):
    """Scrollable scene text; never focused, so arrow keys stay with the choices."""

    class Shown(Message):
        """A new scene has reached the screen (the app counts it, the benchmark times it)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._header = Static(id="scene-header")
        self._where = Static(id="scene-where")
        self._text = Static(id="scene-text")
        self._full: Content = Content("")
        self._place: str | None = None
        self._title: str | None = None
        self._shown = 0
        self._cps = 0
        self._timer: Timer | None = None

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._where
        yield self._header
        yield self._text

    @property
    def typing(self) -> bool:
        """True while the typewriter is still revealing the text."""
        return self._timer is not None

    def show(self, session: Session, text: str, typewriter_cps: int = 0) -> None:
        """Show the current scene; ``typewriter_cps`` > 0 reveals it at that many characters a second.

        The reply of the choice that opened the page comes first, set apart in
        italics above a rule; after a stay-choice it is all the page shows (the
        scene's text is on the pages before, and is not shown again).
        """
        scene = session.scene
        self._stop()
        # Each update re-lays out its widget: skip the ones whose text is unchanged
        # (the chapter and place stay the same across most choices).
        place = where(scene.chapter, scene.location)
        if place != self._place:
            self._place = place
            self._where.update(plain(place))
        title = scene.title if scene.title_template is None else _title(session)
        if title != self._title:
            self._title = title
            self._header.update(plain(title))
        arrival = session.arrival
        reply = prose(arrival.reply) if arrival is not None and arrival.reply else ""
        stayed = arrival is not None and arrival.stay
        body = "" if stayed else "\n\n".join(paragraphs(text))
        if reply:
            parts = [plain(reply, REPLY_STYLE)]
            if body:
                parts += [plain(RULE, "$text-muted"), plain(body)]
            self._full = Content("\n\n").join(parts)
            body = self._full.plain
        else:
            self._full = plain(body)
        self.scroll_home(animate=False)
        if typewriter_cps > 0 and body:
            self._cps = typewriter_cps
            self._shown = 0
            self._text.update(Content(""))
            self._timer = self.set_interval(TICK, self._tick)
        else:
            self._text.update(self._full)
        self.call_after_refresh(self._rendered)

    def _rendered(self) -> None:
        # Straight to the app: after-refresh callbacks run in the screen's context, and a
        # message the screen sent stops bubbling at the screen.
        self.app.post_message(self.Shown())

    def _tick(self) -> None:
        self._shown = min(len(self._full), self._shown + max(1, round(self._cps * TICK)))
        self._text.update(self._full[: self._shown])
        if self._shown >= len(self._full):
            self._stop()

    def complete(self) -> bool:
        """Finish the typewriter at once; True if it was running."""
        if self._timer is None:
            return False
        self._stop()
        self._text.update(self._full)
        return True

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None


def _title(session: Session) -> str:
    try:
        return session.title()
    except StoryRuntimeError:
        return session.scene.title  # the text's own error is told with the text
