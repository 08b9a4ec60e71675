"""Exit codes of ``play`` (documented in the README's plain-text section).

A module of its own, importing nothing: the command line checks its streams
before it knows which view it starts, and the TUI must not pay for the engine's
imports before its first frame.
"""

from __future__ import annotations

EXIT_STORY = 1  # the story cannot be loaded or started
EXIT_NO_INPUT = 3  # stdin closed or unreadable
EXIT_NO_OUTPUT = 4  # stdout closed, or a broken pipe
