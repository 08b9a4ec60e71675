"""The `transitions` state machine that moves the player: scenes are states, choices transitions.

The machine's model is a small object of its own (``Position``), not the Session:
transitions binds its helpers (``is_<scene>``, the triggers) onto that object,
where no scene id can collide with anything of the game's.

A choice's trigger is named for its place in its scene (``choice_0``,
``choice_1``...): from any scene each trigger has at most one transition, so a
step runs exactly one, with no condition asking "is this the one picked?". The
number of events is the most choices any scene has, not the number of choices
(one event per choice cost 2.5x the build time and memory at 10,000 scenes,
measured), and there are no auto transitions (they add N^2).

Every callback is one of the story's compiled callables or one of the small
callables below, handed over as it is and called with the trigger's argument,
the Session (the Context the expressions read): nothing is looked up by name
while playing, and the machine's own bookkeeping skips the library's per-call
logging, which built or checked ~15 log records a step (profiled).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable
from typing import Any

from transitions import Event, Machine, State, Transition
from transitions.core import Condition

from game.expr import ExprRuntimeError
from game.story.model import Story

# What is left of transitions' logging on a step (the Event and Transition
# methods we do not replace) stays below this level: no record is ever built.
logging.getLogger("transitions").setLevel(logging.ERROR)


def trigger_name(position: int) -> str:
    """The trigger of the choice at ``position`` (0-based) in its scene's list."""
    return f"choice_{position}"


class Position:
    """The machine's model: the scene the player is in, and nothing else of the game."""

    state: str


class ConditionError(Exception):
    """A choice's condition failed to evaluate; ``__cause__`` says why."""


class _Condition(Condition):  # type: ignore[misc]
    """A compiled condition, called as it is with the trigger's argument.

    It must return a real ``True`` to let the move happen (transitions' own
    check is ``== True``, which would also let 1 through), and an error in it
    is told apart from an error in an effect: nothing has changed yet.
    """

    def check(self, event_data: Any) -> bool:
        try:
            return self.func(*event_data.args) is True  # type: ignore[no-any-return]
        except ExprRuntimeError as exc:
            raise ConditionError(str(exc)) from exc


class _Transition(Transition):  # type: ignore[misc]
    """A choice: its condition, then its effects (and its reply), then the move and the new scene's entry.

    ``execute`` is Transition's own, less what a story machine never has
    (prepare and after callbacks, machine-wide callbacks, exit callbacks; build_machine
    sets none) and less its four log calls a step.

    A choice with a route list goes to the first route whose condition holds,
    evaluated after the choice's effects (so a route can test what the choice
    just did, as an ink divert after the choice's content does); the last route
    has no condition. A stay-choice is an internal transition (``dest`` None):
    its effects run, and the scene is not entered again.
    """

    condition_cls = _Condition

    def __init__(self, *args: Any, routes: tuple[tuple[Callable[..., Any] | None, str], ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.routes = routes

    def execute(self, event_data: Any) -> bool:
        # transitions' own entry point, for anything that drives the machine the library's way.
        return self.run(event_data.machine, event_data.model, event_data.args)

    def run(self, machine: StoryMachine, model: Position, args: tuple[Any, ...]) -> bool:
        """``execute`` without an EventData: what ``_Choice.trigger`` calls, once a step."""
        try:
            for condition in self.conditions:
                if condition.func(*args) is not True:
                    return False
        except ExprRuntimeError as exc:
            raise ConditionError(str(exc)) from exc
        for func in self.before:
            func(*args)
        target = self.dest
        if self.routes:
            target = _route(self.routes, args)
        if target is None:
            return True
        # Machine.set_state less its isinstance checks and listify: one model, a name
        # the machine has (build_machine only adds transitions to its own scenes).
        model.state = target
        for func in machine.states[target].on_enter:
            func(*args)
        return True


class _Choice(Event):  # type: ignore[misc]
    """A choice trigger (``choice_<i>``): the model's scene's transition for it, run at once.

    Event.trigger wraps the step in a partial, the machine's queue check, an
    EventData, prepare, finalize and exception callbacks and two log calls; a
    story machine has no queue and none of those callbacks (build_machine sets
    none), so that wrapping was a third of a playtest step (profiled) and does
    nothing here. An invalid trigger is ignored, as ``ignore_invalid_triggers``
    says.
    """

    def trigger(self, model: Any, *args: Any, **kwargs: Any) -> bool:
        found = self.transitions.get(model.state)
        if found:
            machine = self.machine
            for transition in found:
                if transition.run(machine, model, args):
                    return True
        return False


def _route(routes: tuple[tuple[Callable[..., Any] | None, str], ...], args: tuple[Any, ...]) -> str:
    for n, (condition, target) in enumerate(routes, 1):
        if condition is None:
            return target
        try:
            if condition(*args) is True:
                return target
        except ExprRuntimeError as exc:
            raise ExprRuntimeError(f"route {n} (to '{target}'): {exc}") from exc
    return routes[-1][1]  # the loader makes the last route unconditional; never reached then


class _Scene(State):  # type: ignore[misc]
    """A scene as a state: its enter callbacks run without two log calls each time."""

    def enter(self, event_data: Any) -> None:
        event_data.machine.callbacks(self.on_enter, event_data)


class StoryMachine(Machine):  # type: ignore[misc]
    """A Machine whose callbacks are all callables given at build (see the module's doc)."""

    state_cls = _Scene
    transition_cls = _Transition
    event_cls = _Choice

    def callbacks(self, funcs: Iterable[Callable[..., Any]], event_data: Any) -> None:
        args = event_data.args
        for func in funcs:
            func(*args)


class _Visit:
    """Enter callback: count a visit of the scene (before its on_enter effects run)."""

    __slots__ = ("scene",)

    def __init__(self, scene: str) -> None:
        self.scene = scene

    def __call__(self, session: Any) -> None:
        counts = session.visit_counts
        counts[self.scene] = counts.get(self.scene, 0) + 1
        session.entered(self.scene)


class _Reply:
    """Last ``before`` callback of a choice with a reply: the Session renders it, after the
    choice's effects (so it can tell what they did) and before any move (so ``visits()``
    and ``first_visit()`` in it speak of the choice's own scene)."""

    __slots__ = ("scene", "choice")

    def __init__(self, scene: str, choice: Any) -> None:
        self.scene = scene
        self.choice = choice

    def __call__(self, session: Any) -> None:
        session.replied(self.scene, self.choice)


class _Took:
    """Last ``before`` callback of a choice: mark a once-only choice taken, and pass the turn."""

    __slots__ = ("key",)

    def __init__(self, scene: str, choice: str, once: bool) -> None:
        self.key = (scene, choice) if once else None

    def __call__(self, session: Any) -> None:
        if self.key is not None:
            session.taken.add(self.key)
        session.turn += 1


def rolls(condition: Callable[..., Any]) -> bool:
    """True when a condition rolls dice: it must roll the same numbers wherever it is checked."""
    return "random(" in getattr(condition, "source", "")


def _dice_fixed(condition: Callable[..., Any]) -> Callable[..., Any]:
    """A condition that rolls dice, checked on the dice ``Session.choices`` rolled for it.

    The list of choices checks each rolling condition on a fresh stream of its
    own (``Session.condition_dice``); the machine's check must see the same
    numbers, or a choice shown as open would be refused when taken. The
    effects then roll from the step's own stream, as they do after any condition.
    """
    if not rolls(condition):
        return condition

    def check(session: Any) -> Any:
        session.condition_dice()
        try:
            return condition(session)
        finally:
            session.effect_dice()

    return check


def build_machine(story: Story) -> tuple[StoryMachine, Position]:
    """A machine with one state per scene and one transition per choice, and its model."""
    position = Position()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        machine = StoryMachine(
            model=position,
            states=[_Scene(sid, on_enter=[_Visit(sid), *scene.on_enter]) for sid, scene in story.scenes.items()],
            initial=story.start,
            auto_transitions=False,
            send_event=False,
            ignore_invalid_triggers=True,  # a choice whose target is missing has no transition
            model_attribute="state",
        )
        scenes = story.scenes
        machine.add_transitions(
            [
                {
                    "trigger": trigger_name(i),
                    "source": scene.id,
                    "dest": None if choice.stay else choice.target,
                    "conditions": [_dice_fixed(choice.condition)] if choice.condition is not None else [],
                    "before": [
                        *choice.effects,
                        _Took(scene.id, choice.id, choice.once),
                        *([_Reply(scene.id, choice)] if choice.reply is not None else []),
                    ],
                    "routes": tuple(
                        (route.condition, route.target) for route in choice.routes if route.target in scenes
                    ),
                }
                for scene in scenes.values()
                for i, choice in enumerate(scene.choices)
                if choice.target in scenes
            ]
        )
    finally:
        if was_enabled:
            gc.enable()
    return machine, position
