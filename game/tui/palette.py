"""Textual's command palette, made safe against keys that arrive in a burst."""

from __future__ import annotations

from typing import Any

from textual.await_complete import AwaitComplete
from textual.command import CommandPalette


class SafeCommandPalette(CommandPalette):
    """A command palette that is dismissed at most once.

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
