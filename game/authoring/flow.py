"""Where a choice can lead and whether it answers the player: the two facts every
agency analysis (funnel, echo, continuity, the exhaustive walk's reachability)
is built on, kept in one place so a new way of routing or replying in the
format is taught to all of them at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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
    for _condition, target in routes(choice):
        yield target


def routes(choice: Choice) -> tuple[tuple[Expr | None, str], ...]:
    """(condition or None, scene) for each way the choice can go, in the order tried.

    A plain ``to:`` is one unconditional route; a stay-choice's is its own scene.
    """
    listed = getattr(choice, "routes", ())
    if listed:
        return tuple((route.condition, route.target) for route in listed)
    return ((None, choice.target),)


def route_conditions(choice: Choice) -> tuple[Expr, ...]:
    """The conditions that pick among a choice's destinations (none for a plain ``to:``)."""
    return tuple(condition for condition, _target in routes(choice) if condition is not None)


def stays(choice: Choice) -> bool:
    """A choice with no ``to:``: the player stays, and the scene is not entered again."""
    return bool(getattr(choice, "stay", False))


def has_reply(choice: Choice) -> bool:
    """True when the choice shows a response of its own once taken."""
    return getattr(choice, "reply", None) is not None


def choice_templates(choice: Choice) -> Iterator[Any]:
    """The templates of a choice the player can read: its label, reply and locked reason."""
    yield choice.label
    for key in ("reply", "locked"):
        template = getattr(choice, key, None)
        if template is not None and not isinstance(template, str):
            yield template


def scene_templates(scene: Scene) -> Iterator[Any]:
    """The templates of a scene itself: its text, and its return-visit text and title if templated."""
    yield scene.text
    for template in (scene.again, scene.title_template):
        if template is not None:
            yield template
