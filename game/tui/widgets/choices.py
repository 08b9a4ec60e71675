"""The numbered choices: keys 1-9, arrows + Enter, or the mouse.

Locked choices are listed dimmed with their reason. They can be highlighted and
picked like any other, so that the reason can be shown, but the game never takes
them. Each choice is one widget drawn with a hanging indent, and the widgets are
reused from scene to scene rather than remounted: that keeps the choice -> next
frame time low.

When the choices do not fit (six at 80x24, five of them locked with reasons), the
list scrolls to keep the highlighted one in view and its borders say how many are
out of sight above ("▲ 2 more") and below ("▼ 3 more"): a choice is never taken
without being seen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

if TYPE_CHECKING:
    from game.session import ChoiceView


LOCK = "locked: "
INDENT = 3  # "1. "


class ChoiceItem(Widget):
    """One choice: its number, then the label (and a locked choice's reason) wrapped beside it."""

    COMPONENT_CLASSES = {"choice--number", "choice--reason"}

    def __init__(self, index: int) -> None:
        super().__init__(classes="choice")
        self.index = index
        self.view: ChoiceView | None = None
        # The wrapped lines at one width: asked for by the layout (the height) and by
        # the render, more than once a frame.
        self._lines: tuple[int, list[Content]] | None = None
        self._height: tuple[int, int] | None = None  # (width, lines) of the last wrap

    def set_view(self, view: ChoiceView) -> None:
        old = self.view
        self.view = view
        if old is not None and (old.number, old.label, old.available, old.reason) == (
            view.number, view.label, view.available, view.reason
        ):
            return  # drawn the same: no layout (undo, a reload, a scene that loops back)
        drawn = self._height
        self._lines = None
        self.set_class(not view.available, "-locked")
        # A layout reflows the whole screen: only when this choice's height changes
        # (most labels take one line, scene after scene).
        width = self.content_size.width
        same_height = drawn is not None and drawn[0] == width and len(self.lines(width)) == drawn[1]
        self.refresh(layout=not same_height)

    def notify_style_update(self) -> None:
        self._lines = None  # the number and reason styles come from the CSS
        super().notify_style_update()

    def lines(self, width: int) -> list[Content]:
        if self._lines is not None and self._lines[0] == width:
            return self._lines[1]
        lines = self._wrap(width)
        self._lines = (width, lines)
        self._height = (width, len(lines))
        return lines

    def _wrap(self, width: int) -> list[Content]:
        view = self.view
        if view is None or width <= INDENT:
            return [Content("")]
        body = [*Content(view.label).wrap(width - INDENT)]
        if not view.available:
            reason = Content.styled(LOCK + (view.reason or ""), self.get_visual_style("choice--reason"))
            body += reason.wrap(width - INDENT)
        number = f"{view.number}." if view.number <= 9 else ""
        style = self.get_visual_style("choice--number")
        return [
            Content.assemble((f"{number if i == 0 else '':<{INDENT}}", style), line) for i, line in enumerate(body)
        ]

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        parent = self.parent
        if isinstance(parent, ChoiceList) and self.view is not None:
            parent.highlighted = self.index
            parent.post_message(ChoiceList.Picked(parent, self.view))


class ChoiceList(VerticalScroll, can_focus=True, inherit_bindings=False):
    # Not the scroll container's bindings: the arrows move the highlight (the list
    # follows it), and PageUp/PageDown stay with the screen, which scrolls the text.
    BINDINGS = [
        Binding("up", "move(-1)", "Previous choice", show=False, id="choice-up"),
        Binding("down", "move(1)", "Next choice", show=False, id="choice-down"),
        Binding("enter", "pick", "Take the highlighted choice", show=False, id="choice-pick"),
    ]

    class Picked(Message):
        """The player picked a choice (which may be locked: the handler decides)."""

        def __init__(self, choice_list: ChoiceList, view: ChoiceView) -> None:
            super().__init__()
            self.choice_list = choice_list
            self.view = view

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    highlighted: reactive[int] = reactive(0, always_update=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.views: list[ChoiceView] = []
        self._out_of_sight = (0, 0)
        self._retries = 0  # of _follow_highlight, waiting for a layout to catch up

    def set_choices(self, views: list[ChoiceView]) -> None:
        self.views = views
        items = list(self.query_children(ChoiceItem))
        missing = [ChoiceItem(i) for i in range(len(items), len(views))]
        if missing:
            self.mount_all(missing)
            items += missing
        for item, view in zip(items, views, strict=False):
            item.set_view(view)
            item.display = True
        for item in items[len(views):]:
            item.display = False
        self.scroll_home(animate=False, immediate=True)
        # Start on the first choice that can be taken.
        self.highlighted = next((v.number - 1 for v in views if v.available), 0)

    def watch_highlighted(self, index: int) -> None:
        for item in self.query_children(ChoiceItem):
            item.set_class(item.index == index, "-highlight")
        # After the refresh: a new scene's items have their heights only then.
        self.call_after_refresh(self._follow_highlight)

    def on_resize(self) -> None:
        # Items mounted for the first scene get their layout only now (and a smaller
        # terminal can push the highlight out): scroll to it again.
        self.call_after_refresh(self._follow_highlight)

    def _spans(self) -> dict[int, tuple[int, int]]:
        """Each shown item's (top, height) in the list, by index."""
        spans: dict[int, tuple[int, int]] = {}
        y = 0
        for item in self.query_children(ChoiceItem):
            if item.display:
                height = item.outer_size.height
                spans[item.index] = (y, height)
                y += height
        return spans

    def _follow_highlight(self) -> None:
        """Scroll just enough for the highlighted choice to be wholly in the window."""
        if not self.is_mounted:
            return
        span = self._spans().get(self.highlighted)
        if span is not None:
            # From the items' own heights, not scroll_to_widget: deferred, that used the
            # layout from before the bottom border came and left the last choice cut off.
            y, height = span
            top = round(self.scroll_y)
            window = self.scrollable_content_region.height
            if y < top:
                top = y
            elif y + height > top + window:
                top = min(y, y + height - window)
            if top != round(self.scroll_y):
                self.scroll_to(y=top, animate=False, immediate=True)
                if round(self.scroll_y) != top and self._retries < 3:
                    # Clamped to the scroll range of the last layout (the bottom border
                    # has just taken a row): once more when the layout has caught up.
                    self._retries += 1
                    self.call_after_refresh(self._follow_highlight)
                    return
        self._retries = 0
        self._count_out_of_sight()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._count_out_of_sight()

    def _count_out_of_sight(self) -> None:
        """Say on the borders how many choices are (partly) above and below the window."""
        if not self.is_mounted:
            return
        top = round(self.scroll_y)
        bottom = top + self.scrollable_content_region.height
        above = below = total = 0
        for y, height in self._spans().values():
            if y < top:
                above += 1
            elif y + height > bottom:
                below += 1
            total += height
        # The bottom border shows while the list overflows at all, not only while some
        # are below: it takes a row, and a row that came and went would shift the list.
        overflowing = total > bottom - top + (1 if self.has_class("-overflow") else 0)
        if overflowing != self.has_class("-overflow"):
            self.set_class(overflowing, "-overflow")
            # The window is a row shorter (or taller) now: keep the highlight in it.
            self.call_after_refresh(self._follow_highlight)
        if (above, below) != self._out_of_sight:
            self._out_of_sight = (above, below)
            self.border_title = f"▲ {above} more" if above else None
            self.border_subtitle = f"▼ {below} more" if below else None

    def validate_highlighted(self, index: int) -> int:
        return max(0, min(index, len(self.views) - 1)) if self.views else 0

    def action_move(self, step: int) -> None:
        if self.views:
            self.highlighted = (self.highlighted + step) % len(self.views)

    def action_pick(self) -> None:
        if self.views:
            self.post_message(self.Picked(self, self.views[self.highlighted]))
