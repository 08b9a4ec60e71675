"""Where a choice can lead and whether it answers the player: the two facts every
agency analysis (funnel, echo, continuity, the exhaustive walk's reachability)
is built on, kept in one place so a new way of routing or replying in the
format is taught to all of them at once.
"""

from __future__ import annotations

from collections.abc import Iterator

from game.expr import Expr
from game.story.model import Choice, Scene, Story


def destinations(story: Story, scene: Scene, choice: Choice) -> tuple[str, ...]:
    """Every scene taking ``choice`` in ``scene`` can lead to, in order, without repeats.

    Only scenes of the story: a target the loader already reported missing leads nowhere.
    """
    out: list[str] = []
    for target in _targets(scene, choice):
        if target in story.scenes and target not in out:
            out.append(target)
    return tuple(out)


def _targets(scene: Scene, choice: Choice) -> Iterator[str]:
    yield choice.target


def route_conditions(choice: Choice) -> tuple[Expr, ...]:
    """The conditions that pick among a choice's destinations (none for a plain ``to:``)."""
    return ()


def has_reply(choice: Choice) -> bool:
    """True when the choice shows a response of its own once taken."""
    return getattr(choice, "reply", None) is not None


def choice_templates(choice: Choice) -> Iterator[object]:
    """The templates of a choice the player can read (its label, and its reply when it has one)."""
    yield choice.label
    reply = getattr(choice, "reply", None)
    if reply is not None:
        yield reply
