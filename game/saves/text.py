"""Text that came from a save file, made safe to show and to write again.

A save is the player's file, but one someone shared, or one damaged, can hold
anything JSON can: ESC and the other control characters (an OSC 52 clipboard
write, a title change, a screen clear once they reach the terminal) and lone
surrogates (``"\\udcff"``), which no UTF-8 stream can carry, so the next
autosave or ``print`` of them would crash. No string the game writes into a
save holds either (the loader refuses control characters in a story, E104),
so repairing them loses nothing a real save had.

``printable`` is the one sanitizer: the saves store runs every string of a save
through it as it reads one (``clean``), and the views run what they show from a
save through it again (``game.tui.text.from_save``).
"""

from __future__ import annotations

import re
from typing import Any

# C0 but tab and newline, DEL, C1: commands to a terminal, not text.
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_SURROGATE = "\ud800-\udfff"
_UNSAFE = re.compile(f"[{_CONTROL}{_SURROGATE}]")
_CONTROL_TABLE = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)])
REPLACEMENT = "\ufffd"


def is_printable(text: str) -> bool:
    """True when ``text`` has no control character (but tab and newline) and no lone surrogate."""
    return _UNSAFE.search(text) is None


def printable(text: str) -> str:
    """``text`` without control characters (tab and newline stay), each lone surrogate shown as U+FFFD."""
    if _UNSAFE.search(text) is None:
        return text
    text = text.translate(_CONTROL_TABLE)
    return re.sub(f"[{_SURROGATE}]", REPLACEMENT, text)


def clean(data: Any) -> Any:
    """Parsed JSON with every string (keys too) made ``printable``, repaired in place.

    Walked with an explicit stack, so a deeply nested save cannot exhaust the
    recursion limit here.
    """
    if isinstance(data, str):
        return printable(data)
    if not isinstance(data, dict | list):
        return data
    root: list[Any] = [data]
    stack: list[tuple[Any, Any]] = [(root, 0)]
    while stack:
        parent, key = stack.pop()
        value = parent[key]
        if isinstance(value, str):
            if _UNSAFE.search(value) is not None:
                parent[key] = printable(value)
        elif isinstance(value, list):
            stack.extend((value, i) for i in range(len(value)))
        elif isinstance(value, dict):
            if any(isinstance(k, str) and _UNSAFE.search(k) is not None for k in value):
                # Rebuilt in order; two keys that repair alike keep the later value, as JSON does.
                repaired = {printable(k) if isinstance(k, str) else k: v for k, v in value.items()}
                value.clear()
                value.update(repaired)
            stack.extend((value, k) for k in value)
    return root[0]
