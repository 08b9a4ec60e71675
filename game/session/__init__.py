"""A game in progress: the transitions machine and the game state."""

from game.session.session import (
    ChoiceView,
    GameError,
    MeterView,
    Session,
    Step,
    StoryRuntimeError,
    TranscriptEntry,
)

__all__ = [
    "ChoiceView",
    "GameError",
    "MeterView",
    "Session",
    "Step",
    "StoryRuntimeError",
    "TranscriptEntry",
]
