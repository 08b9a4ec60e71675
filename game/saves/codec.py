"""SessionState <-> JSON save data.

A save records scene ids, choice ids and variable names, never positions, so
it survives most edits; ``game.state.fit`` brings what it holds to the story
being played and says what it had to repair. The codec knows the state and
the story model only: importing it loads neither the Session nor
``transitions`` (tests/engine/test_layers.py checks).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from game.saves.text import clean
from game.state import SessionState, Step, fit
from game.story.model import Story, Value

FORMAT = "metallic-rouge-save"
# 2: text variation state, and replies and stay-choices in the history (an older
# game would take back a stay-choice as a move, so it must refuse these saves).
# Format 1 saves load: every new field has a default.
FORMAT_VERSION = 2
MAX_HISTORY = 2000


class SaveError(Exception):
    """A save cannot be used; the message says why in the player's terms."""


@dataclass
class Restored:
    state: SessionState
    notices: list[str] = field(default_factory=list)


class Playing(Protocol):
    """What ``to_save`` and ``restore`` need of a game in progress (the Session has it)."""

    @property
    def story(self) -> Story: ...

    def snapshot(self) -> SessionState: ...

    def restore(self, state: SessionState) -> None: ...

    def title(self) -> str: ...


def describe(story: Story, state: SessionState, title: str | None = None) -> str:
    """One line for the saves list: where the game is, the first meter, the ending if reached.

    ``title`` is the scene's title as the player reads it (a templated title is
    filled in by the game); without it, the title as written.
    """
    scene = story.scenes[state.scene]
    parts = [p for p in (scene.chapter, scene.title if title is None else title) if p]
    if story.meters:
        meter = story.meters[0]
        value = state.vars.get(meter.var)
        if isinstance(value, int):
            band = meter.band(value)
            parts.append(f"{meter.label} {value}" + (f" ({band})" if band else ""))
    ending = story.endings.get(scene.ending) if scene.ending else None
    if ending is not None:
        parts.append(f"Ending: {ending.title}")
    return " · ".join(parts)


def encode(story: Story, state: SessionState, slot: str = "", title: str | None = None) -> dict[str, Any]:
    """The save data (JSON-ready) of ``state``, a state of ``story``; ``title`` as for ``describe``."""
    scene = story.scenes[state.scene]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "story_id": story.id,
        "story_version": story.version,
        "slot": slot,
        "saved_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "description": describe(story, state, title),
        "chapter": scene.chapter,
        "scene_title": scene.title if title is None else title,
        "state": {
            "scene": state.scene,
            "seed": state.seed,
            "turn": state.turn,
            "vars": dict(state.vars),
            "visits": dict(state.visits),
            "taken": sorted([s, c] for s, c in state.taken),
            "variations": dict(sorted(state.variations.items())),
            "shown": sorted(state.shown),
        },
        "history": [_step(s) for s in state.history[-MAX_HISTORY:]],
    }


def _step(step: Step) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "scene": step.scene,
        "choice": step.choice,
        "label": step.label,
        "target": step.target,
        "turn": step.turn,
        "once": step.once,
        "changed": dict(step.changed),
    }
    # Only when set: most steps have none of these, and a save keeps 2,000 steps.
    if step.reply is not None:
        entry["reply"] = step.reply
    if step.stay:
        entry["stay"] = True
    if step.shown:
        entry["shown"] = sorted(step.shown)
    if step.varied:
        entry["varied"] = list(step.varied)
    return entry


def to_save(game: Playing, slot: str = "") -> dict[str, Any]:
    """The save data of a game in progress."""
    state = game.snapshot()
    title = None
    if game.story.scenes[state.scene].title_template is not None:
        try:
            title = game.title()
        except Exception:  # noqa: BLE001 - the story's own error (the game tells it); use the title as written
            title = None
    return encode(game.story, state, slot, title)


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


MAX_COUNT = 2**63  # a turn, a seed or a visit count past this did not come from play


def _int(value: Any, default: int) -> int:
    ok = isinstance(value, int) and not isinstance(value, bool) and -MAX_COUNT < value < MAX_COUNT
    return value if ok else default


def _dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    return [item for item in _list(value) if isinstance(item, str)]


def decode(story: Story, data: Any) -> Restored:
    """The state a save holds, brought to ``story``; raise SaveError if it is unusable.

    Anything of the wrong shape is dropped here (a history entry that is not
    an object ends what undo can reach); what the story allows is ``fit``'s
    to check.
    """
    # Control characters and lone surrogates repaired first (game.saves.text):
    # a "\udcff" kept in a label or in ``taken`` would crash the next autosave.
    data = check_header(clean(data), story)
    raw = data["state"]
    notices: list[str] = []
    if data.get("story_version") != story.version:
        notices.append(
            f"This save was made with version {data.get('story_version')} of the story; "
            f"it has been brought up to version {story.version}."
        )
    history: list[Step] = []
    for entry in _list(data.get("history"))[-MAX_HISTORY:]:
        scene = entry.get("scene") if isinstance(entry, dict) else None
        target = entry.get("target") if isinstance(entry, dict) else None
        if not isinstance(scene, str) or not isinstance(target, str):
            history = []
            continue
        changed: dict[str, Value] = {k: v for k, v in _dict(entry.get("changed")).items() if isinstance(k, str)}
        reply = entry.get("reply")
        history.append(
            Step(
                scene=scene,
                choice=str(entry.get("choice", "")),
                label=str(entry.get("label", "")),
                target=target,
                turn=_int(entry.get("turn"), 0),
                once=bool(entry.get("once", False)),
                changed=changed,
                reply=reply if isinstance(reply, str) else None,
                stay=entry.get("stay") is True,
                shown=frozenset(_strings(entry.get("shown"))),
                varied=tuple(_strings(entry.get("varied"))),
            )
        )
    taken = frozenset(
        (pair[0], pair[1])
        for pair in _list(raw.get("taken"))
        if isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
    )
    scene = raw.get("scene")
    state = SessionState(
        scene=scene if isinstance(scene, str) else "",
        vars={k: v for k, v in _dict(raw.get("vars")).items() if isinstance(k, str)},
        visits={k: _int(v, 0) for k, v in _dict(raw.get("visits")).items() if isinstance(k, str)},
        taken=taken,
        history=tuple(history),
        turn=_int(raw.get("turn"), len(history)),
        seed=_int(raw.get("seed"), 0),
        # Absent from format 1 saves: no block has been shown yet.
        variations={k: _int(v, 0) for k, v in _dict(raw.get("variations")).items() if isinstance(k, str)},
        shown=frozenset(_strings(raw.get("shown"))),
    )
    fitted, repaired = fit(state, story)
    return Restored(fitted, notices + repaired)


def restore(game: Playing, data: Any) -> Restored:
    """Put the state of a save into ``game``; raise SaveError (changing nothing) if it is unusable."""
    result = decode(game.story, data)
    game.restore(result.state)
    return result
