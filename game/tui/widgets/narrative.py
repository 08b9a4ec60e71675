"""The narrative pane: where the scene is (chapter · location), its title, then the scene text.

One Line-API widget (a ``ScrollView``) that wraps the scene once per width and
hands the compositor cached strips, instead of a scrolling container of three
``Static`` widgets: those were wrapped twice a frame (height, then render), each
was a layer the compositor cut every line by, and the container's virtual size
changing after each layout asked for a second layout of the whole screen. Plain
``Content`` still never interprets markup in the story's text.

Laid out as the three widgets were: a blank line, the place (muted), the title
(bold, the primary colour), a blank line, the text, a blank line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.visual import Visual

from game.tui.text import paragraphs, plain, prose, where

if TYPE_CHECKING:
    from game.session import Session

TICK = 1 / 30  # typewriter frame interval: smooth enough, cheap enough
REPLY_STYLE = "italic $text-muted"
RULE = "\u2500" * 12  # under a choice's reply, between it and the scene's text
_BLANK = Strip([])


class NarrativeView(ScrollView, can_focus=False):
    """Scrollable scene text; never focused, so arrow keys stay with the choices."""

    COMPONENT_CLASSES = {"narrative--where", "narrative--title"}

    class Shown(Message):
        """A new scene has reached the screen (the app counts it, the benchmark times it)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._place = Content("")
        self._title = Content("")
        self._full = Content("")
        # The typewriter: cells of the body revealed so far, or None for all of it.
        self._revealed: int | None = None
        self._entry: tuple[str, int] | None = None  # the entry shown last, whose text was read
        self._cps = 0
        self._timer: Timer | None = None
        # Head and body strips by width, wrapped once per scene and width (the two widths:
        # with and without the scrollbar), and those drawn now.
        self._by_width: dict[int, tuple[list[Strip], list[Strip]]] = {}
        self._wrapped: tuple[int, list[Strip], list[Strip]] | None = None
        self._scrolls = True  # the last scene needed the scrollbar: most do

    @property
    def text(self) -> str:
        """The page's text (a choice's reply, then the scene's), unwrapped (for tests and tools)."""
        return self._full.plain

    @property
    def shown_text(self) -> str:
        """The scene text revealed so far, unwrapped: all of it unless the typewriter is running.

        While it runs, the first as many characters as cells are revealed: never more
        than is on screen (a wrapped line's dropped space is not counted)."""
        return self._full.plain if self._revealed is None else self._full.plain[: self._revealed]

    @property
    def typing(self) -> bool:
        """True while the typewriter is still revealing the text."""
        return self._timer is not None

    def show(self, session: Session, text: str, typewriter_cps: int = 0) -> None:
        """Show the current scene; ``typewriter_cps`` > 0 reveals it at that many characters a second.

        The reply of the choice that opened the page comes first, set apart in
        italics above a rule. After a stay-choice taken on this scene's page it is
        all the page shows: the scene's text was just read and is not shown again.
        Arriving at such a page any other way (a load, an undo from another
        entry) shows the text under the reply, or the player would have none.
        """
        scene = session.scene
        self._stop()
        self._place = plain(where(scene.chapter, scene.location))
        self._title = plain(session.shown_title())
        arrival = session.arrival
        reply = prose(arrival.reply) if arrival is not None and arrival.reply else ""
        # Which entry into which scene this page belongs to: a stay keeps the entry.
        entry = (scene.id, session.visits(scene.id))
        stayed = arrival is not None and arrival.stay and self._entry == entry
        self._entry = entry
        body = "" if stayed else "\n\n".join(paragraphs(text))
        if reply:
            parts = [plain(reply, REPLY_STYLE)]
            if body:
                parts += [plain(RULE, "$text-muted"), plain(body)]
            self._full = Content("\n\n").join(parts)
        else:
            self._full = plain(body)
        self._by_width.clear()
        self._wrapped = None
        self.scroll_home(animate=False)
        if typewriter_cps > 0 and self._full:
            self._cps = typewriter_cps
            self._revealed = 0
            self._timer = self.set_interval(TICK, self._tick)
        else:
            self._revealed = None
        self._fit()
        self.refresh()
        self.call_after_refresh(self._rendered)

    def _rendered(self) -> None:
        # Straight to the app: after-refresh callbacks run in the screen's context, and a
        # message the screen sent stops bubbling at the screen.
        self.app.post_message(self.Shown())

    # -- wrapping and size -----------------------------------------------------------------
    def _wrap(self, width: int) -> tuple[list[Strip], list[Strip]]:
        wrapped = self._by_width.get(width)
        if wrapped is None:
            place = self._strips(self._place, width, "narrative--where")
            title = self._strips(self._title, width, "narrative--title")
            wrapped = [_BLANK, *place, *title, _BLANK], [*self._strips(self._full, width, None), _BLANK]
            self._by_width[width] = wrapped
        return wrapped

    def _strips(self, content: Content, width: int, component: str | None) -> list[Strip]:
        style = self.get_visual_style(component) if component else self.visual_style
        # As a Static draws its Content; an empty one still takes its line.
        return Visual.to_strips(self, content, width, None, style, apply_selection=False) or [_BLANK]

    def _fit(self) -> None:
        """Wrap for the current size; the virtual size (and so a layout) changes only if the height does."""
        full, height = self.content_size
        if full <= 0:
            return  # not laid out yet: on_resize fits it
        # When it scrolls, the vertical scrollbar takes its column from the text. Tried
        # first as the last scene was, so that most scenes are wrapped once.
        narrow = max(1, full - self.styles.scrollbar_size_vertical)
        for width in (narrow, full) if self._scrolls else (full, narrow):
            head, body = self._wrap(width)
            scrolls = len(head) + len(body) > height
            if scrolls == (width == narrow):
                break
        else:
            width, scrolls = narrow, True  # scrolls only when narrowed: keep the scrollbar
            head, body = self._wrap(width)
        self._scrolls = scrolls
        self._wrapped = (width, head, body)
        self.virtual_size = Size(width, len(head) + len(body))

    def on_resize(self) -> None:
        self._fit()

    def notify_style_update(self) -> None:
        # The place's and title's styles come from the CSS (a theme change).
        self._by_width.clear()
        self._wrapped = None
        super().notify_style_update()
        if self.is_mounted:
            self._fit()

    # -- drawing ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        if self._wrapped is None:
            return _BLANK
        _, head, body = self._wrapped
        row = self.scroll_offset.y + y
        if row < len(head):
            return head[row]
        row -= len(head)
        if row >= len(body):
            return _BLANK
        if self._revealed is None:
            return body[row]
        left = self._revealed - sum(strip.cell_length for strip in body[:row])
        if left <= 0:
            return _BLANK
        strip = body[row]
        return strip if left >= strip.cell_length else strip.crop(0, left)

    # -- the typewriter --------------------------------------------------------------------
    def _body_cells(self) -> int:
        return sum(strip.cell_length for strip in self._wrapped[2]) if self._wrapped is not None else 0

    def _tick(self) -> None:
        if self._revealed is None:
            return
        self._revealed += max(1, round(self._cps * TICK))
        if self._wrapped is not None and self._revealed >= self._body_cells():
            self._stop()
            self._revealed = None
        self.refresh()

    def complete(self) -> bool:
        """Finish the typewriter at once; True if it was running."""
        if self._timer is None:
            return False
        self._stop()
        self._revealed = None
        self.refresh()
        return True

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
