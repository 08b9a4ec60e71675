"""A game in progress: the state machine plus variables, visits and history.

Everything a view needs comes from here: the current scene's text, the choices
on offer (computed from the Story model, never by asking the machine, which
would scan every event), the meters, undo and the transcript.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from game.expr import ExprRuntimeError
from game.session.machine import TRIGGER, build_machine
from game.story.model import Choice, Ending, Meter, Scene, Story, Value

if TYPE_CHECKING:
    from transitions.core import EventData


class GameError(Exception):
    """Something the player tried cannot be done (a locked choice, nothing to undo)."""


class StoryRuntimeError(Exception):
    """The story itself failed while playing (e.g. a division by zero in an effect)."""

    def __init__(self, scene_id: str, message: str) -> None:
        super().__init__(f"in scene '{scene_id}': {message}")
        self.scene_id = scene_id


@dataclass(frozen=True, slots=True)
class ChoiceView:
    number: int  # what the player types or presses, 1-based
    choice: Choice
    label: str
    available: bool
    reason: str | None = None  # why a locked choice is locked


@dataclass(frozen=True, slots=True)
class MeterView:
    meter: Meter
    value: int
    band: str

    @property
    def fraction(self) -> float:
        span = self.meter.max - self.meter.min
        return 0.0 if span <= 0 else (self.value - self.meter.min) / span


@dataclass(slots=True)
class Step:
    """One choice taken: enough to undo it exactly and to show it in the history."""

    scene: str
    choice: str
    label: str
    target: str
    turn: int
    once: bool
    changed: dict[str, Value] = field(default_factory=dict)  # variable -> value before


@dataclass(frozen=True, slots=True)
class TranscriptEntry:
    scene: Scene
    text: str
    choice_label: str | None  # None for the scene being read now


class Session:
    """The model of the `transitions` machine; ``state`` is the current scene id."""

    state: str

    def __init__(self, story: Story, seed: int = 0) -> None:
        self.story = story
        self.seed = seed
        self.vars: dict[str, Value] = {}
        self.visit_counts: dict[str, int] = {}
        self.taken: set[tuple[str, str]] = set()
        self.history: list[Step] = []
        self.turn = 0
        self._rng: random.Random | None = None
        self._rng_salt = 0
        self.machine = build_machine(self, story, self._allowed, self._before, self._on_enter)
        self.restart()

    # -- the Context the expression language reads ---------------------------------
    def visits(self, scene_id: str) -> int:
        return self.visit_counts.get(scene_id, 0)

    def random(self, low: int, high: int) -> int:
        # Rolls depend only on (seed, turn, what is being evaluated, which roll):
        # re-reading a scene, an undo or a loaded save rolls the same numbers again.
        if self._rng is None:
            self._rng = random.Random((self.seed * 1_000_003 + self.turn) * 4 + self._rng_salt)
        if low > high:
            low, high = high, low
        return self._rng.randint(low, high)

    # -- reading the state -----------------------------------------------------------
    @property
    def scene(self) -> Scene:
        return self.story.scenes[self.state]

    @property
    def ending(self) -> Ending | None:
        ending_id = self.scene.ending
        return self.story.endings.get(ending_id) if ending_id else None

    @property
    def is_over(self) -> bool:
        return self.scene.ending is not None

    def _reseed(self, salt: int) -> None:
        self._rng, self._rng_salt = None, salt

    def text(self) -> str:
        self._reseed(0)
        return self._render(self.scene.text.render, self.scene.id)

    def is_available(self, choice: Choice) -> bool:
        if choice.once and (self.state, choice.id) in self.taken:
            return False
        return choice.condition is None or self._check(choice)

    def choices(self) -> list[ChoiceView]:
        """The choices the player sees: available ones and locked ones with a reason."""
        views: list[ChoiceView] = []
        scene_id = self.state
        self._reseed(1)
        for choice in self.scene.choices:
            if choice.once and (scene_id, choice.id) in self.taken:
                continue
            ok = choice.condition is None or self._check(choice)
            if not ok and choice.locked is None:
                continue
            label = self._render(choice.label.render, scene_id)
            views.append(ChoiceView(len(views) + 1, choice, label, ok, None if ok else choice.locked))
        return views

    def meters(self) -> list[MeterView]:
        out = []
        for meter in self.story.meters:
            value = self.vars[meter.var]
            assert isinstance(value, int)
            out.append(MeterView(meter, value, meter.band(value)))
        return out

    @property
    def can_undo(self) -> bool:
        return bool(self.history)

    # -- acting ------------------------------------------------------------------------
    def restart(self) -> None:
        self.vars = self.story.defaults()
        self.visit_counts = {}
        self.taken = set()
        self.history = []
        self.turn = 0
        self.machine.set_state(self.story.start, model=self)
        try:
            self._apply_entry(self.story.start)
        except ExprRuntimeError as exc:
            # The start scene's on_enter failed (say, a division by zero): leave a
            # consistent new game without its effects and report the story's error
            # the way a failing choice is reported, never as a bare crash.
            self.vars = self.story.defaults()
            raise StoryRuntimeError(self.story.start, str(exc)) from exc

    def choose(self, pick: int | ChoiceView | Choice) -> Step:
        """Take a choice by its number on screen, its view, or the Choice itself."""
        if self.is_over:
            raise GameError("the story has ended; load a save, undo or start again")
        choice = self._resolve(pick)
        # Only the variables this move can change are kept for undo: copying and
        # comparing every variable was the largest cost of a step (profiled).
        before_scene = self.state
        before_vars = {name: self.vars[name] for name in self._touched(choice)}
        before_visits = dict(self.visit_counts) if choice.target == before_scene else None
        step = Step(
            self.state, choice.id, self._render(choice.label.render, self.state),
            choice.target, self.turn, choice.once,
        )
        self._reseed(2)
        try:
            ok = getattr(self, TRIGGER)(choice=choice)
        except ExprRuntimeError as exc:
            self._rollback(before_scene, before_vars, before_visits, step)
            raise StoryRuntimeError(before_scene, str(exc)) from exc
        if not ok:
            # The machine's own condition (_allowed) refused it: nothing has changed.
            raise GameError(choice.locked or "that choice is not available now")
        step.changed = {k: v for k, v in before_vars.items() if self.vars[k] != v}
        self.history.append(step)
        return step

    def undo(self) -> Step:
        """Take back the last choice, restoring the scene and every variable exactly."""
        if not self.history:
            raise GameError("nothing to undo")
        step = self.history.pop()
        self.vars.update(step.changed)
        count = self.visit_counts.get(step.target, 0) - 1
        if count > 0:
            self.visit_counts[step.target] = count
        else:
            self.visit_counts.pop(step.target, None)
        if step.once:
            self.taken.discard((step.scene, step.choice))
        self.turn = step.turn
        self.machine.set_state(step.scene, model=self)
        return step

    def transcript(self) -> list[TranscriptEntry]:
        """Everything read so far, each scene as it read then, with the choice made."""
        entries: list[TranscriptEntry] = []
        for scene_id, text, label in self._replay_backwards():
            entries.append(TranscriptEntry(self.story.scenes[scene_id], text, label))
        entries.reverse()
        return entries

    def replace_story(self, story: Story) -> list[str]:
        """Switch to an edited version of the story, keeping the game (``play --watch``).

        The state goes through the same path as a save, so a live edit is handled
        exactly like loading an old save: renames followed, removed scenes replaced
        by the nearest checkpoint, new variables at their defaults.
        """
        from game.saves.codec import restore, to_save

        data = to_save(self)
        self._detach()
        self.story = story
        self.machine = build_machine(self, story, self._allowed, self._before, self._on_enter)
        notices = restore(self, data).notices
        return [n for n in notices if "version" not in n or story.version != data["story_version"]]

    # -- internals ---------------------------------------------------------------------
    def _detach(self) -> None:
        # transitions binds its helpers onto the model; an old machine's helpers
        # must go, or the new machine would refuse to bind its own.
        for name in list(vars(self)):
            if name in ("trigger", "may_trigger", TRIGGER, f"may_{TRIGGER}") or name.startswith("is_"):
                delattr(self, name)

    def _replay_backwards(self) -> Iterator[tuple[str, str, str | None]]:
        saved = (dict(self.vars), dict(self.visit_counts), self.state, self.turn)
        try:
            yield self.state, self._safe_text(), None
            for step in reversed(self.history):
                self.vars.update(step.changed)
                self.visit_counts[step.target] = self.visit_counts.get(step.target, 1) - 1
                self.turn = step.turn
                self.state = step.scene
                yield step.scene, self._safe_text(), step.label
        finally:
            self.vars, self.visit_counts, self.state, self.turn = saved

    def _safe_text(self) -> str:
        self._reseed(0)
        try:
            return self.scene.text.render(self)
        except ExprRuntimeError as exc:
            return f"(this passage could not be shown: {exc})"

    def _touched(self, choice: Choice) -> list[str]:
        """The variables taking ``choice`` can change: its effects' and its target's on_enter.

        Effects only ever assign their own target, so nothing else can differ after the move.
        """
        touched = [effect.target for effect in choice.effects]
        target = self.story.scenes.get(choice.target)
        if target is not None:
            touched.extend(effect.target for effect in target.on_enter)
        return touched

    def _resolve(self, pick: int | ChoiceView | Choice) -> Choice:
        if isinstance(pick, Choice):
            # Identity first: a Choice compares equal field by field, which is slow.
            if not any(pick is mine for mine in self.scene.choices) and pick not in self.scene.choices:
                raise GameError("that choice does not belong to this scene")
            return pick
        if isinstance(pick, ChoiceView):
            return self._resolve(pick.choice)
        views = self.choices()
        if not 1 <= pick <= len(views):
            raise GameError(f"choose a number from 1 to {len(views)}")
        return views[pick - 1].choice

    def _check(self, choice: Choice) -> bool:
        assert choice.condition is not None
        try:
            return choice.condition(self) is True
        except ExprRuntimeError as exc:
            raise StoryRuntimeError(self.state, f"condition of '{choice.id}': {exc}") from exc

    def _render(self, render: object, scene_id: str) -> str:
        try:
            return render(self)  # type: ignore[operator, no-any-return]
        except ExprRuntimeError as exc:
            raise StoryRuntimeError(scene_id, str(exc)) from exc

    def _allowed(self, event: EventData) -> bool:
        return self.is_available(event.kwargs["choice"])

    def _before(self, event: EventData) -> None:
        choice: Choice = event.kwargs["choice"]
        for effect in choice.effects:
            effect(self)
        if choice.once:
            self.taken.add((self.state, choice.id))
        self.turn += 1

    def _on_enter(self, event: EventData) -> None:
        self._apply_entry(self.state)

    def _apply_entry(self, scene_id: str) -> None:
        self.visit_counts[scene_id] = self.visit_counts.get(scene_id, 0) + 1
        for effect in self.story.scenes[scene_id].on_enter:
            effect(self)

    def _rollback(
        self, scene: str, vars_: dict[str, Value], visits: dict[str, int] | None, step: Step
    ) -> None:
        self.vars.update(vars_)  # every variable the move could have changed
        if visits is not None:
            self.visit_counts = visits
        elif self.state != scene:
            count = self.visit_counts.get(self.state, 0) - 1
            if count > 0:
                self.visit_counts[self.state] = count
            else:
                self.visit_counts.pop(self.state, None)
        self.taken.discard((step.scene, step.choice))
        self.turn = step.turn
        self.machine.set_state(scene, model=self)
