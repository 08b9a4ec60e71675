"""The state of a game in progress, as plain data: what a save holds and what undo restores.

It sits between the story model and the Session on purpose: the save codec
turns a ``SessionState`` into JSON and back without importing the Session or
``transitions`` (a test checks), and the Session can be rebuilt from one
(``Session.restore``) whatever happened to it in between.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from game.expr.env import MAX_INT, MAX_STR
from game.story.model import Story, Value, VarDecl


@dataclass(slots=True)
class Step:
    """One choice taken: enough to undo it exactly and to show it in the history.

    Never changed once made (snapshots share them); not frozen only because a
    frozen dataclass costs three times as much to make, and one is made a step.
    """

    scene: str
    choice: str
    label: str  # as the player read it when taking it
    target: str
    turn: int  # the turn before the choice
    once: bool
    changed: Mapping[str, Value] = field(default_factory=dict)  # variable -> value before
    reply: str | None = None  # the choice's reply, as the player read it
    # A stay-choice: the player stayed in ``scene`` (``target`` is ``scene``) and
    # did not enter it again, so undo takes back no visit.
    stay: bool = False
    # Variation blocks (see SessionState.variations): those shown in the scene's
    # current entry when the choice was taken, and those the reply advanced.
    shown: frozenset[str] = frozenset()
    varied: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SessionState:
    """Everything that makes one moment of one game, and nothing of the story itself.

    The dice are part of it through ``seed`` and ``turn``: a roll depends only on
    those (and on what is being evaluated), so restoring them rolls the same
    numbers again. The mappings are the snapshot's own copies; nothing should
    change them.
    """

    scene: str
    vars: Mapping[str, Value]
    visits: Mapping[str, int] = field(default_factory=dict)
    taken: frozenset[tuple[str, str]] = frozenset()  # (scene, choice) of once-only choices taken
    history: tuple[Step, ...] = ()
    turn: int = 0
    seed: int = 0
    # Text variation ({seq}, {cycle}, {shuffle}, {once}): how many entries have
    # shown each block, by block key ("scene:text#0", "scene:choice:reply#1"; see
    # Session.variant), and the blocks already shown in the current entry, which
    # show the same alternative however often the scene is drawn again.
    variations: Mapping[str, int] = field(default_factory=dict)
    shown: frozenset[str] = frozenset()


def fit(state: SessionState, story: Story) -> tuple[SessionState, list[str]]:
    """``state`` brought to ``story``, with what had to change said for the player.

    A state made with another version of the story (an old save, a live edit)
    names scenes, choices and variables, never positions, so most of it carries
    over. What cannot is repaired: a renamed scene follows the story's
    ``renames``; a removed one falls back to the last checkpoint passed (undo
    cannot reach back past it); new variables take their defaults; a value the
    story no longer allows is reset. Every value is checked, so ``state`` may
    come from a file.
    """
    notices: list[str] = []
    variables: dict[str, Value] = story.defaults()
    for name, decl in story.variables.items():
        if name not in state.vars:
            continue
        value = _allowed(decl, state.vars[name])
        if value is not None:
            variables[name] = value
        else:
            notices.append(f"'{name}' had a value the story no longer allows; it was reset.")

    history: list[Step] = []
    for step in state.history:
        scene, target = follow(story, step.scene), follow(story, step.target)
        if scene is None or target is None:
            history = []  # undo cannot reach back past a scene that no longer exists
            continue
        # Checked like the variables: a value undo puts back must be one play could
        # have made (a 400-digit int here crashed play after undo).
        changed: dict[str, Value] = {}
        for k, v in step.changed.items():
            value = _allowed(story.variables[k], v) if k in story.variables else None
            if value is not None:
                changed[k] = value
        history.append(
            Step(
                scene,
                step.choice,
                step.label,
                target,
                step.turn,
                step.once,
                changed,
                step.reply,
                step.stay and scene == target,
                frozenset(_block_keys(story, step.shown)),
                tuple(_block_keys(story, step.varied)),
            )
        )

    scene = follow(story, state.scene)
    if scene is None:
        scene = _fallback(story, state.history)
        checkpoint = story.scenes[scene]
        # A templated title is filled in by the game, which this layer is below: its
        # source is never shown, the checkpoint then goes unnamed.
        where = f"'{checkpoint.title}', " if checkpoint.title_template is None else ""
        notices.append(f"The scene this save was in is no longer in the story; you resume at {where}the nearest checkpoint.")
        history = []

    visits: dict[str, int] = {}
    for sid, count in state.visits.items():
        target = follow(story, sid)
        if target is not None and isinstance(count, int) and not isinstance(count, bool) and 0 < count <= MAX_INT:
            visits[target] = visits.get(target, 0) + count
    visits.setdefault(scene, 1)
    taken: set[tuple[str, str]] = set()
    for sid, choice in state.taken:
        target = follow(story, sid)
        if target is not None:
            taken.add((target, choice))
    variations: dict[str, int] = {}
    for key, count in state.variations.items():
        if isinstance(count, int) and not isinstance(count, bool) and count > 0:
            for moved in _block_keys(story, (key,)):
                variations[moved] = variations.get(moved, 0) + count
    # A block counted as shown in this entry has been counted: keep the two in step.
    shown = frozenset(k for k in _block_keys(story, state.shown) if k in variations)
    if scene != follow(story, state.scene):
        shown = frozenset()  # resumed at a checkpoint: a fresh page
    fitted = SessionState(
        scene, variables, visits, frozenset(taken), tuple(history), state.turn, state.seed, variations, shown
    )
    return fitted, notices


def block_key(address: str, block: int) -> str:
    """The key of variation block ``block`` of the text at ``address`` ("scene:key" or
    "scene:choice:key"): scene and choice ids never hold ':' or '#'."""
    return f"{address}#{block}"


def _block_keys(story: Story, keys: Iterable[object]) -> Iterator[str]:
    """``keys`` with their scene followed through the story's renames; gone scenes dropped."""
    for key in keys:
        if not isinstance(key, str) or ":" not in key:
            continue
        scene, rest = key.split(":", 1)
        target = follow(story, scene)
        if target is not None:
            yield f"{target}:{rest}"


def _allowed(decl: VarDecl, value: object) -> Value | None:
    """``value`` as this variable may hold it (an int clamped to its range), or None if it may not.

    Within the language's limits too (±10^15, 10,000 characters): play never
    makes a value past them, so one from a file would only crash later.
    """
    if not decl.accepts(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        value = decl.clamp(value)
        return value if -MAX_INT <= value <= MAX_INT else None
    assert isinstance(value, str)
    return value if len(value) <= MAX_STR else None


def follow(story: Story, scene_id: object) -> str | None:
    """The id ``scene_id`` has in ``story`` (through its renames), or None if it is gone."""
    if not isinstance(scene_id, str):
        return None
    seen: set[str] = set()
    while scene_id in story.renames and scene_id not in seen:
        seen.add(scene_id)
        scene_id = story.renames[scene_id]
    return scene_id if scene_id in story.scenes else None


def _fallback(story: Story, history: tuple[Step, ...]) -> str:
    """The last checkpoint the player passed that still exists, else the start."""
    checkpoints = set(story.checkpoints)
    for step in reversed(history):
        for key in (step.target, step.scene):
            scene = follow(story, key)
            if scene is not None and scene in checkpoints:
                return scene
    return story.start
