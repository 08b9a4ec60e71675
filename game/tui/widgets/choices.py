"""The numbered choices: keys 1-9, arrows + Enter, or the mouse.

Locked choices are listed dimmed with their reason. They can be highlighted and
picked like any other, so that the reason can be shown, but the game never takes
them. Each choice is one widget drawn with a hanging indent, and the widgets are
reused from scene to scene rather than remounted: that keeps the choice -> next
frame time low.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.binding import Binding
from textual.containers import Vertical
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

    def set_view(self, view: ChoiceView) -> None:
        old = self.view
        self.view = view
        if old is not None and (old.number, old.label, old.available, old.reason) == (
            view.number, view.label, view.available, view.reason
        ):
            return  # drawn the same: no layout (undo, a reload, a scene that loops back)
        self.set_class(not view.available, "-locked")
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Content]:
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


class ChoiceList(Vertical, can_focus=True):
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
        # Start on the first choice that can be taken.
        self.highlighted = next((v.number - 1 for v in views if v.available), 0)

    def watch_highlighted(self, index: int) -> None:
        for item in self.query_children(ChoiceItem):
            item.set_class(item.index == index, "-highlight")

    def validate_highlighted(self, index: int) -> int:
        return max(0, min(index, len(self.views) - 1)) if self.views else 0

    def action_move(self, step: int) -> None:
        if self.views:
            self.highlighted = (self.highlighted + step) % len(self.views)

    def action_pick(self) -> None:
        if self.views:
            self.post_message(self.Picked(self, self.views[self.highlighted]))
