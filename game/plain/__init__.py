"""The plain-text view: line-based play for screen readers and scripts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from game.plain.mode import PlainGame, run_plain

__all__ = ["PlainGame", "run_plain"]


def __getattr__(name: str) -> Any:
    # Lazy, so that ``game.plain.exits`` can be imported without the engine.
    if name in __all__:
        from game.plain import mode

        return getattr(mode, name)
    raise AttributeError(f"module 'game.plain' has no attribute {name!r}")
