"""Save and load, as modal dialogs over the game.

Both list the slots in a thread worker (reading every save file is disk work).
Damaged saves are listed, marked and never loadable, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from game.play.autosave import RESERVED, backup_of, slot_of
from game.play.lock import MAX_COPIES
from game.saves import SaveError, check_slot_name
from game.tui.screens.confirm import ConfirmScreen
from game.tui.text import SEP, from_save, short_date
from game.tui.widgets.too_small import TooSmall

if TYPE_CHECKING:
    from game.saves import SaveStore, SlotInfo


def has_slot_name(slot: SlotInfo) -> bool:
    """True when the slot's file is named as a slot can be (the store shows others' names filtered)."""
    try:
        check_slot_name(slot.path.stem)
    except SaveError:
        return False
    return True


# The game's own slots, pinned at the top in this order: each copy's autosave, then its backup.
PINNED = tuple(name for n in range(1, MAX_COPIES + 1) for name in (slot_of(n), backup_of(slot_of(n))))


def slot_order(slots: list[SlotInfo]) -> list[SlotInfo]:
    """A stable order: the autosaves pinned first, then named saves newest first, damaged ones last.

    By time alone, the autosave (rewritten after every choice) jumped to the top and
    pushed the rest down between two visits to the list.
    """

    def key(slot: SlotInfo) -> tuple[int, int, float, str]:
        if not slot.ok:
            return (2, 0, -slot.mtime, slot.name)
        if slot.name in PINNED:
            return (0, PINNED.index(slot.name), 0.0, slot.name)
        return (1, 0, -slot.mtime, slot.name)

    return sorted(slots, key=key)


def slot_prompt(slot: SlotInfo) -> Content:
    """Two lines: the name (and date), then chapter, scene and freedom, or why it is damaged."""
    # Every string here comes from the save file or its name: filtered before it reaches the terminal.
    name = from_save(slot.name)
    if not slot.ok:
        return Content.assemble((name, "bold"), ("  DAMAGED", "bold $error"), "\n  ", (from_save(slot.error), "italic"))
    date = from_save(short_date(slot.saved_at))
    return Content.assemble(
        (name, "bold"),
        (f"  {date}" if date else "", "$text-muted"),
        "\n  ",
        from_save(slot.description or SEP.join(p for p in (slot.chapter, slot.scene_title) if p)),
    )


class SlotDialog(ModalScreen[str | None]):
    """What the save and load dialogs share: a title, a list of slots read in a worker."""

    heading = ""
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="slots-cancel")]

    def __init__(self, store: SaveStore, story_id: str) -> None:
        super().__init__()
        self.store = store
        self.story_id = story_id
        self.slots: list[SlotInfo] = []

    def on_mount(self) -> None:
        self.read_slots()

    @work(thread=True, exclusive=True, name="list saves")
    def read_slots(self) -> None:
        slots = self.store.list(self.story_id)
        # call_later is thread-safe, and does nothing once the dialog has closed.
        self.call_later(self.show_slots, slots)

    def show_slots(self, slots: list[SlotInfo]) -> None:
        self.slots = slot_order([s for s in slots if self.wanted(s)])
        menu = self.query_one(OptionList)
        # A file whose name is no slot name has no id: its name was filtered for the
        # screen, two may now read alike, and OptionList refuses two options with one id.
        menu.set_options(
            Option(slot_prompt(s), id=s.name if has_slot_name(s) else None, disabled=not self.can_pick(s))
            for s in self.slots
        )
        menu.display = bool(self.slots)
        self.query_one(".empty", Static).display = not self.slots
        # The first usable entry is highlighted, so that Enter acts at once, as the hint says.
        menu.action_first()
        self.on_slots_shown()

    def on_slots_shown(self) -> None:
        """Subclasses: the slot list has been filled."""

    def wanted(self, slot: SlotInfo) -> bool:
        return True

    def can_pick(self, slot: SlotInfo) -> bool:
        return True

    def action_cancel(self) -> None:
        self.close(None)

    def close(self, result: str | None) -> None:
        """Dismiss once: a second Enter or Escape queued before the first one's pop
        finished reaches this screen after it left the stack, and dismissing it
        again would pop the screen below it (or raise ScreenStackError)."""
        if self.app.screen is self:
            self.dismiss(result)


class SaveScreen(SlotDialog):
    def __init__(self, store: SaveStore, story_id: str, check: Callable[[str], str | None]) -> None:
        super().__init__(store, story_id)
        # The game's own rule for a name the player may save to (Game.check_save_name).
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog saves"):
            yield Static(Content("Save game"), classes="dialog-title")
            yield Input(placeholder="A name for a new save", id="save-name", max_length=64)
            yield Static(Content(""), id="save-error", classes="error")
            yield Static(Content("Or pick a save to overwrite:"), classes="dialog-text")
            yield OptionList(id="save-slots")
            yield Static(Content("No saves yet."), classes="empty")
            yield Static(Content("Enter saves · Escape cancels"), classes="dialog-hint")
        yield TooSmall()

    def on_mount(self) -> None:
        super().on_mount()
        name = self.query_one("#save-name", Input)
        name.cursor_blink = bool(getattr(self.app, "motion", True))
        name.focus()

    def wanted(self, slot: SlotInfo) -> bool:
        # The autosave slots are the game's, rewritten after every choice: not offered here.
        return slot.name not in RESERVED

    def can_pick(self, slot: SlotInfo) -> bool:
        # A file whose name is no slot name (listed as damaged) cannot be saved over by that name.
        return has_slot_name(slot) and self.check(slot.name) is None

    def show_error(self, message: str) -> None:
        error = self.query_one("#save-error", Static)
        error.update(Content(message))
        error.display = bool(message)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_error("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        problem = self.check(name)
        if problem is not None:
            self.show_error(problem)
            return
        self.choose(name)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.choose(event.option.id)

    def choose(self, name: str) -> None:
        if not self.store.exists(name):
            self.close(name)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.close(name)

        self.app.push_screen(
            ConfirmScreen("Overwrite?", f"There is already a save called '{name}'. Replace it with this game?",
                          yes="Overwrite", no="Keep it"),
            answered,
        )


class LoadScreen(SlotDialog):
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog saves"):
            yield Static(Content("Load game"), classes="dialog-title")
            yield Static(Content("Reading the saves…"), classes="empty")
            yield OptionList(id="load-slots")
            yield Static(Content("Enter loads · Escape cancels"), classes="dialog-hint")
        yield TooSmall()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(OptionList).focus()

    def on_slots_shown(self) -> None:
        self.query_one(".empty", Static).update(Content(f"No saves yet in {self.store.folder}."))

    def can_pick(self, slot: SlotInfo) -> bool:
        return slot.ok

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.close(event.option.id)
