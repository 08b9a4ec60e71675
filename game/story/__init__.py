"""The immutable Story model that the loader builds and the Session plays."""

from game.story.diagnostics import Diagnostic, Severity, StoryLoadError
from game.story.model import (
    Band,
    Choice,
    Ending,
    Invariant,
    Meter,
    Pos,
    Route,
    Scene,
    Story,
    Tracker,
    TrackerSlot,
    VarDecl,
)

__all__ = [
    "Band",
    "Choice",
    "Diagnostic",
    "Ending",
    "Invariant",
    "Meter",
    "Pos",
    "Route",
    "Scene",
    "Severity",
    "Story",
    "StoryLoadError",
    "Tracker",
    "TrackerSlot",
    "VarDecl",
]
