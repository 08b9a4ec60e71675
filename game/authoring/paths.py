"""``playtest --path-to``: the shortest choice sequence to a scene or an ending.

The exhaustive walk finds it (breadth first, so shortest first); it is then
replayed through the Session the game uses, which gives the labels and the
numbers a player types, and proves the path plays as found.
"""

from __future__ import annotations

from typing import Any

from game.authoring.search import walk
from game.session import Session
from game.story import Story


class ReplayError(AssertionError):
    """A path the walk found does not play the same way through the Session (an engine bug)."""


def replay(story: Story, steps: list[tuple[str, str]], seed: int = 0) -> tuple[Session, list[dict[str, Any]]]:
    """Play ``steps`` ((scene, choice id) pairs) through a Session; each step as shown to the player."""
    session = Session(story, seed=seed)
    shown: list[dict[str, Any]] = []
    for scene_id, choice_id in steps:
        if session.state != scene_id:
            raise ReplayError(f"expected to be in '{scene_id}', but the game is in '{session.state}'")
        session.text()  # read, as a player does: text variation advances when shown
        view = next((v for v in session.choices() if v.choice.id == choice_id and v.available), None)
        if view is None:
            raise ReplayError(f"choice '{choice_id}' is not on offer in '{scene_id}'")
        shown.append({"scene": scene_id, "choice": choice_id, "label": view.label, "number": view.number})
        session.choose(view)
    return session, shown


def find_path(story: Story, target: str, seconds: float, max_memory_mb: float, seed: int = 0) -> dict[str, Any] | None:
    """The shortest path to ``target`` (a scene id or an ending id), or None if it is neither."""
    if target in story.scenes:
        goals = frozenset({target})
    elif target in story.endings:
        goals = frozenset(sid for sid, s in story.scenes.items() if s.ending == target)
    else:
        return None
    result = walk(story, seconds=seconds, max_memory_mb=max_memory_mb, seed=seed, stop_at=goals)
    reached = next((g for g in sorted(goals) if g in result.paths), None)
    out: dict[str, Any] = {"target": target, "found": reached is not None, "states_expanded": result.expanded}
    if reached is None:
        out["why"] = (
            "exists: the walk was complete, so it cannot be reached"
            if result.complete
            else f"was found within the budget (partial walk, {result.left:,} states left; try a larger --seconds)"
        )
        return out
    session, shown = replay(story, result.paths[reached], seed)
    if session.state != reached:
        raise ReplayError(f"the path ends in '{session.state}', not '{reached}'")
    out["scene"] = reached
    out["steps"] = shown
    out["script"] = "".join(f"{step['number']}\n" for step in shown) + "quit\n"
    return out
