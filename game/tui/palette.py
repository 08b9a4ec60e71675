"""Textual's command palette, made safe against keys that arrive in a burst."""

from __future__ import annotations

from typing import Any

from textual.await_complete import AwaitComplete
from textual.command import CommandPalette


class SafeCommandPalette(CommandPalette):
    """A command palette that is dismissed at most once and ignores page keys it cannot take yet.

    Textual's palette dismisses itself once per Enter: two Enters queued before
    it closes (key repeat, pasted input, a fast typist) popped it and then the
    screen below it, or crashed the app with ScreenStackError when that was the
    last screen. The same happens on a bare Textual App; found by
    tests/fuzz/test_fuzz_tui.py. A dismiss once the palette is no longer the top
    screen is ignored.
    """

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if not self.is_attached or self.app.screen is not self:
            return AwaitComplete()
        return super().dismiss(result)

    def _action_command_list(self, action: str) -> None:
        # The list's page keys read its line map, which lags behind its options while
        # the search replaces them as you type: a page key in that moment raised
        # KeyError (on a bare App too; found by tests/fuzz/test_fuzz_tui.py). Such a
        # key is dropped: the lookup fails before anything has changed.
        try:
            super()._action_command_list(action)
        except KeyError:
            pass
