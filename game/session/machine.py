"""The `transitions` state machine behind a Session: scenes are states, choices transitions.

One generic ``take_choice`` trigger carries the picked Choice; each transition's
first condition checks it is the one picked, the second is the choice's own
compiled condition. Measured on our machines: one named trigger per choice costs
2.5x the build time and memory at 10,000 scenes, and auto transitions (the
library default) add N^2 of them, so both are avoided.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from transitions import Machine

from game.story.model import Choice, Story

if TYPE_CHECKING:
    from transitions.core import EventData

# transitions logs every trigger at DEBUG through a module logger; silencing it
# keeps a trigger from building log records nobody reads.
logging.getLogger("transitions").setLevel(logging.ERROR)

TRIGGER = "take_choice"


class _Picked:
    """Condition: this transition belongs to the choice the player picked."""

    __slots__ = ("choice",)

    def __init__(self, choice: Choice) -> None:
        self.choice = choice

    def __call__(self, event: EventData) -> bool:
        return event.kwargs.get("choice") is self.choice


class _Machine(Machine):  # type: ignore[misc]
    """A Machine that binds no ``is_<scene id>`` helper on the model.

    transitions adds one per state; scene ids are the story's data, so a scene
    called "over" collided with Session.is_over and crashed every game of that
    story. Nothing reads these helpers (the Session compares ``state``).
    """

    def _add_model_to_state(self, state: Any, model: Any) -> None:
        return None


def build_machine(
    model: Any,
    story: Story,
    allowed: Callable[[EventData], bool],
    before: Callable[[EventData], None],
    on_enter: Callable[[EventData], None],
) -> Machine:
    """Attach a Machine to ``model`` with one state per scene and one transition per choice."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        machine = _Machine(
            model=model,
            states=list(story.scenes),
            initial=story.start,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=False,
            model_attribute="state",
        )
        for scene in story.scenes.values():
            state = machine.get_state(scene.id)
            state.on_enter.append(on_enter)
        transitions = [
            {
                "trigger": TRIGGER,
                "source": scene.id,
                "dest": choice.target,
                "conditions": [_Picked(choice), allowed],
                "before": [before],
            }
            for scene in story.scenes.values()
            for choice in scene.choices
            if choice.target in story.scenes
        ]
        machine.add_transitions(transitions)
    finally:
        if was_enabled:
            gc.enable()
    return machine
