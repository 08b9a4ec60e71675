"""Session <-> JSON save data, and bringing old saves forward to an edited story.

A save records scene ids, choice ids and variable names, never positions, so
it survives most edits. What it cannot keep it repairs and says so: a renamed
scene follows the manifest's ``renames``; a removed one falls back to the last
checkpoint the player passed; new variables take their defaults.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from game.session import Session, Step
from game.story.model import Story, Value

FORMAT = "metallic-rouge-save"
FORMAT_VERSION = 1
MAX_HISTORY = 2000


class SaveError(Exception):
    """A save cannot be used; the message says why in the player's terms."""


@dataclass
class Restored:
    notices: list[str] = field(default_factory=list)


def describe(session: Session) -> str:
    scene = session.scene
    parts = [p for p in (scene.chapter, scene.title) if p]
    meters = session.meters()
    if meters:
        first = meters[0]
        parts.append(f"{first.meter.label} {first.value}" + (f" ({first.band})" if first.band else ""))
    if session.ending is not None:
        parts.append(f"Ending: {session.ending.title}")
    return " · ".join(parts)


def to_save(session: Session, slot: str = "") -> dict[str, Any]:
    story = session.story
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "story_id": story.id,
        "story_version": story.version,
        "slot": slot,
        "saved_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "description": describe(session),
        "chapter": session.scene.chapter,
        "scene_title": session.scene.title,
        "state": {
            "scene": session.state,
            "seed": session.seed,
            "turn": session.turn,
            "vars": dict(session.vars),
            "visits": dict(session.visit_counts),
            "taken": sorted([s, c] for s, c in session.taken),
        },
        "history": [
            {
                "scene": s.scene,
                "choice": s.choice,
                "label": s.label,
                "target": s.target,
                "turn": s.turn,
                "once": s.once,
                "changed": s.changed,
            }
            for s in session.history[-MAX_HISTORY:]
        ],
    }


def check_header(data: Any, story: Story | None = None) -> dict[str, Any]:
    """Raise SaveError unless ``data`` looks like a save this game can read."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SaveError("this is not a Metallic Rouge save")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SaveError("the save has no format version")
    if version > FORMAT_VERSION:
        raise SaveError(
            f"the save was written by a newer version of the game (format {version}); update the game to load it"
        )
    if story is not None and data.get("story_id") != story.id:
        raise SaveError(f"the save belongs to another story ({data.get('story_id')!r}), not {story.id!r}")
    if not isinstance(data.get("state"), dict):
        raise SaveError("the save has no game state")
    return data


def _scene(story: Story, scene_id: Any) -> str | None:
    if not isinstance(scene_id, str):
        return None
    seen: set[str] = set()
    while scene_id in story.renames and scene_id not in seen:
        seen.add(scene_id)
        scene_id = story.renames[scene_id]
    return scene_id if scene_id in story.scenes else None


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def restore(session: Session, data: Any) -> Restored:
    """Put the state of a save into ``session``; raise SaveError if it is unusable."""
    data = check_header(data, session.story)
    story = session.story
    state = data["state"]
    result = Restored()
    if data.get("story_version") != story.version:
        result.notices.append(
            f"This save was made with version {data.get('story_version')} of the story; "
            f"it has been brought up to version {story.version}."
        )

    variables: dict[str, Value] = story.defaults()
    raw_vars = state.get("vars") if isinstance(state.get("vars"), dict) else {}
    for name, decl in story.variables.items():
        if name not in raw_vars:
            continue
        value = raw_vars[name]
        if decl.accepts(value):
            variables[name] = decl.clamp(value) if decl.type == "int" else value  # type: ignore[arg-type]
        else:
            result.notices.append(f"'{name}' had a value the story no longer allows; it was reset.")

    history: list[Step] = []
    raw_history = data.get("history") if isinstance(data.get("history"), list) else []
    for raw in raw_history[-MAX_HISTORY:]:
        if not isinstance(raw, dict):
            history = []
            continue
        scene, target = _scene(story, raw.get("scene")), _scene(story, raw.get("target"))
        changed = raw.get("changed") if isinstance(raw.get("changed"), dict) else {}
        if scene is None or target is None:
            # Undo cannot reach back past a scene that no longer exists.
            history = []
            continue
        history.append(
            Step(
                scene=scene,
                choice=str(raw.get("choice", "")),
                label=str(raw.get("label", "")),
                target=target,
                turn=_int(raw.get("turn"), 0),
                once=bool(raw.get("once", False)),
                changed={
                    k: v for k, v in changed.items() if k in story.variables and story.variables[k].accepts(v)
                },
            )
        )

    scene = _scene(story, state.get("scene"))
    if scene is None:
        scene = _fallback(story, raw_history)
        title = story.scenes[scene].title
        result.notices.append(
            f"The scene this save was in is no longer in the story; you resume at '{title}', the nearest checkpoint."
        )
        history = []

    visits: dict[str, int] = {}
    raw_visits = state.get("visits") if isinstance(state.get("visits"), dict) else {}
    for sid, count in raw_visits.items():
        target = _scene(story, sid)
        if target is not None and _int(count, 0) > 0:
            visits[target] = visits.get(target, 0) + _int(count, 0)
    taken: set[tuple[str, str]] = set()
    for pair in state.get("taken") if isinstance(state.get("taken"), list) else []:
        if isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair):
            sid = _scene(story, pair[0])
            if sid is not None:
                taken.add((sid, pair[1]))

    session.seed = _int(state.get("seed"), 0)
    session.turn = _int(state.get("turn"), len(history))
    session.vars = variables
    session.visit_counts = visits
    session.visit_counts.setdefault(scene, 1)
    session.taken = taken
    session.history = history
    session.machine.set_state(scene, model=session)
    return result


def _fallback(story: Story, raw_history: list[Any]) -> str:
    """The last checkpoint the player passed that still exists, else the start."""
    checkpoints = set(story.checkpoints)
    for raw in reversed(raw_history):
        if not isinstance(raw, dict):
            continue
        for key in ("target", "scene"):
            scene = _scene(story, raw.get(key))
            if scene is not None and scene in checkpoints:
                return scene
    return story.start
