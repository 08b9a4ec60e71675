"""Players for automated playthroughs: how a run picks among the choices on offer.

A strategy is a small class over the Session the game uses. Random play
averages a story's extremes away; a player who always takes the freest (or
the most obedient) option finds where a meter pins or a path starves. To add
your own, subclass Strategy and register it::

    from game.authoring.strategies import Strategy, register

    class Cautious(Strategy):
        '''Prefers choices that are shown locked least often: the last available one.'''

        def pick(self, session, views):
            return views[-1]

    register("cautious", lambda arg, story: Cautious())

then ``playtest --strategy cautious`` (from a script that imports it first,
or through ``game.authoring.playtest.random_runs(..., strategy="cautious")``).
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Callable

from game.session import ChoiceView, Session
from game.story import Story


class StrategyError(ValueError):
    """A strategy name or argument that does not fit the story."""


class Strategy(ABC):
    """Picks one of the available choices at each step of one playthrough."""

    def begin(self, run_seed: int) -> None:
        """Called before each playthrough; ``self.rng`` breaks ties, seeded per run."""
        self.rng = random.Random(run_seed)

    @abstractmethod
    def pick(self, session: Session, views: list[ChoiceView]) -> ChoiceView:
        """One of ``views`` (never empty; every one available) for ``session`` as it is now."""


class RandomPlayer(Strategy):
    """Uniform among the choices on offer; the same seed plays the same game."""

    def pick(self, session: Session, views: list[ChoiceView]) -> ChoiceView:
        return views[self.rng.randrange(len(views))]


class FirstPlayer(Strategy):
    """Always the first available choice (the author's default path)."""

    def pick(self, session: Session, views: list[ChoiceView]) -> ChoiceView:
        return views[0]


class LastPlayer(Strategy):
    """Always the last available choice."""

    def pick(self, session: Session, views: list[ChoiceView]) -> ChoiceView:
        return views[-1]


class GreedyPlayer(Strategy):
    """Takes the choice that leaves ``var`` highest (``sign`` 1) or lowest (-1), ties seeded.

    Each candidate is taken and undone on the Session itself, so the look-ahead
    sees exactly what play does: effects, the next scene's on_enter, clamping.
    """

    def __init__(self, var: str, sign: int) -> None:
        self.var = var
        self.sign = sign

    def pick(self, session: Session, views: list[ChoiceView]) -> ChoiceView:
        if len(views) == 1:
            return views[0]
        scores = []
        for view in views:
            session.choose(view)
            value = session.vars[self.var]
            session.undo()
            scores.append(self.sign * value)  # type: ignore[operator]
        best = max(scores)
        ties = [v for v, s in zip(views, scores, strict=True) if s == best]
        return ties[self.rng.randrange(len(ties))] if len(ties) > 1 else ties[0]


Factory = Callable[[str | None, Story], Strategy]


def _greedy(sign: int) -> Factory:
    def make(arg: str | None, story: Story) -> Strategy:
        if not arg:
            raise StrategyError(f"say which variable: {'max' if sign > 0 else 'min'}:VAR, e.g. max:freedom")
        decl = story.variables.get(arg)
        if decl is None:
            raise StrategyError(f"'{arg}' is not a variable of this story")
        if decl.type != "int":
            raise StrategyError(f"'{arg}' is {decl.type}, not a number: max/min need an int variable")
        return GreedyPlayer(arg, sign)

    return make


def _plain(cls: type[Strategy]) -> Factory:
    def make(arg: str | None, story: Story) -> Strategy:
        if arg:
            raise StrategyError(f"this strategy takes no ':{arg}'")
        return cls()

    return make


STRATEGIES: dict[str, Factory] = {
    "random": _plain(RandomPlayer),
    "first": _plain(FirstPlayer),
    "last": _plain(LastPlayer),
    "max": _greedy(1),
    "min": _greedy(-1),
}


def register(name: str, factory: Factory) -> None:
    """Make ``name`` (or ``name:ARG``) usable wherever a strategy is named."""
    STRATEGIES[name] = factory


def make_strategy(spec: str, story: Story) -> Strategy:
    """A strategy from its name, as on the command line: random, first, last, max:VAR, min:VAR."""
    name, _, arg = spec.partition(":")
    factory = STRATEGIES.get(name)
    if factory is None:
        raise StrategyError(f"unknown strategy '{name}' (known: {', '.join(sorted(STRATEGIES))})")
    return factory(arg or None, story)
