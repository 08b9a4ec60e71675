"""A game in progress: the state machine plus variables, visits and history.

Everything a view needs comes from here: the current scene's text, the choices
on offer (computed from the Story model, never by asking the machine, which
would scan every event), the meters, undo and the transcript. Its whole state
comes out as a ``SessionState`` (``snapshot``) and goes back in (``restore``):
that is what saves are made of.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from game.expr import ExprRuntimeError, Template
from game.session.machine import ConditionError, build_machine, rolls, trigger_name
from game.state import SessionState, Step, block_key, fit
from game.story.model import Choice, Ending, Meter, Scene, Story, Value


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


@dataclass(frozen=True, slots=True)
class TranscriptEntry:
    """One page read: a scene's text (empty when a stay-choice's reply opened the page:
    the text was not shown again), the choice made there and the reply it got."""

    scene: Scene
    text: str
    choice_label: str | None  # None for the scene being read now
    reply: str | None = None  # the reply to ``choice_label``
    title: str = ""  # the scene's title as it read then
    stayed: bool = False  # the page was opened by a stay-choice's reply: same scene, no text

    @property
    def shown_title(self) -> str:
        """The title as the player read it: a templated title as it rendered (even empty),
        never its ``{...}`` source; a plain one as written."""
        return self.title if self.scene.title_template is not None else (self.title or self.scene.title)



class _Moves:
    """What a step from one scene needs and never changes: worked out on the scene's first visit.

    ``labels[i]`` is the label of the scene's i-th choice when it holds no
    expression (rendered once, here), else None; ``touched[i]`` the variables
    taking it can change: its effects' and its target's on_enter effects'
    targets (effects only ever assign their own target, so nothing else can
    differ after the move, and only these are kept for undo).
    """

    __slots__ = ("labels", "touched", "views")

    def __init__(self, story: Story, scene: Scene, ctx: Session) -> None:
        # Open views of choices with a label without expression, by (position, number
        # on screen): the same immutable view every time the scene offers it.
        self.views: dict[tuple[int, int], ChoiceView] = {}
        labels: list[str | None] = []
        touched: list[tuple[str, ...]] = []
        for choice in scene.choices:
            labels.append(choice.label.render(ctx) if choice.label.is_static else None)
            names = [effect.target for effect in choice.effects]
            if not choice.stay:  # a stay-choice enters nothing: no on_enter runs
                for target_id in dict.fromkeys([choice.target, *(route.target for route in choice.routes)]):
                    target = story.scenes.get(target_id)
                    if target is not None:
                        names.extend(effect.target for effect in target.on_enter)
            touched.append(tuple(dict.fromkeys(names)))
        self.labels = tuple(labels)
        self.touched = tuple(touched)


class Session:
    """A game in progress: the story, the state, and the machine that moves the player.

    The machine's model is its own small object (see machine.py); ``state`` reads
    the scene from it. The story's compiled callables (conditions, effects,
    templates) are called with the Session as their Context.
    """

    def __init__(self, story: Story, seed: int = 0) -> None:
        self.story = story
        self.seed = seed
        self.vars: dict[str, Value] = {}
        self.visit_counts: dict[str, int] = {}
        self.taken: set[tuple[str, str]] = set()
        self.history: list[Step] = []
        self.turn = 0
        # Text variation: see variant(). The block keys shown in the current entry
        # are a frozenset, replaced rather than changed, so a Step can keep the one
        # it saw without a copy.
        self.variations: dict[str, int] = {}
        self.shown: frozenset[str] = frozenset()
        self._address = ""  # of the text being rendered: "scene:text", "scene:choice:reply"...
        self._varied: list[str] | None = None  # a reply being rendered: the blocks it advanced
        self._entered: str | None = None  # the scene a choice being taken entered
        self._said: str | None = None  # the reply of the choice being taken
        self._said_varied: tuple[str, ...] = ()  # and the blocks that reply advanced
        self._rng: random.Random | None = None
        self._rng_salt = 0
        self._build()
        self.restart()

    def _build(self) -> None:
        self.machine, self._position = build_machine(self.story)
        self._moves: dict[str, _Moves] = {}
        # Choices whose condition rolls dice (by identity: a Choice's hash would compare its fields).
        self._rolling = frozenset(
            id(choice)
            for scene in self.story.scenes.values()
            for choice in scene.choices
            if choice.condition is not None and rolls(choice.condition)
        )
        # The bound trigger of each choice position: the machine's own, looked up once.
        width = max((len(scene.choices) for scene in self.story.scenes.values()), default=0)
        self._triggers: list[Callable[[Session], bool] | None] = [
            getattr(self._position, trigger_name(i), None) for i in range(width)
        ]

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

    def variant(self, block: int) -> tuple[int, str]:
        """How many earlier showings variation ``block`` of the text being rendered had, and its salt.

        A block advances once per entry into its scene: the first render in an
        entry counts it, and every render after that in the same entry (a redraw,
        ``look``, the choices drawn again after a stay-choice, the transcript)
        gets the same count back, so it shows the same alternative. A reply's
        blocks belong to the entry of the choice's scene like the rest of its
        text: a stay-choice taken twice in one entry gives the same reply, and
        the next entry moves it on. The salt (the seed and the block's key)
        makes ``{shuffle}`` deal the same order in the same game.
        """
        key = block_key(self._address, block)
        salt = f"{self.seed}:{key}"
        counts = self.variations
        if key in self.shown:
            return counts.get(key, 1) - 1, salt
        count = counts.get(key, 0)
        counts[key] = count + 1
        self.shown = self.shown | {key}
        if self._varied is not None:  # a reply being rendered: its step must take this back
            self._varied.append(key)
        return count, salt

    # -- what the machine calls back ---------------------------------------------------
    def entered(self, scene_id: str) -> None:
        """A scene was entered (its visit counted): a new page, whose blocks show afresh."""
        self._entered = scene_id
        if self.shown:
            self.shown = frozenset()

    def replied(self, scene_id: str, choice: Choice) -> None:
        """Render the reply of ``choice`` (of ``scene_id``), taken now: after its effects, before any move."""
        assert choice.reply is not None
        self._address = f"{scene_id}:{choice.id}:reply"
        self._varied = varied = []
        try:
            self._said = choice.reply.render(self)
        finally:
            self._varied = None
            self._said_varied = tuple(varied)

    # -- reading the state -----------------------------------------------------------
    @property
    def state(self) -> str:
        """The id of the current scene (the machine's state)."""
        return self._position.state

    @property
    def scene(self) -> Scene:
        return self.story.scenes[self._position.state]

    @property
    def ending(self) -> Ending | None:
        ending_id = self.scene.ending
        return self.story.endings.get(ending_id) if ending_id else None

    @property
    def is_over(self) -> bool:
        return self.scene.ending is not None

    def _reseed(self, salt: int) -> None:
        self._rng, self._rng_salt = None, salt

    def condition_dice(self) -> None:
        """A fresh stream for a condition that rolls: the same numbers in the list of
        choices, in ``is_available`` and in the machine's check when the choice is taken."""
        self._reseed(3)

    def effect_dice(self) -> None:
        """The step's own stream, for the effects after a rolling condition (as ``choose`` sets it)."""
        self._reseed(2)

    def text(self) -> str:
        """The current scene's text: ``again`` instead of ``text`` from the second visit on."""
        self._reseed(0)
        scene = self.scene
        return self._render(self._page_text(scene).render, scene.id)

    def title(self) -> str:
        """The current scene's title, filled in when it holds an expression."""
        scene = self.scene
        if scene.title_template is None:
            return scene.title
        self._reseed(3)
        self._address = f"{scene.id}:title"
        return self._render(scene.title_template.render, scene.id)

    def shown_title(self) -> str:
        """``title()`` for the views, which never fail on it: when the title's own
        expression fails, the title as written (the failure is told with the text)."""
        try:
            return self.title()
        except StoryRuntimeError:
            return self.scene.title

    @property
    def arrival(self) -> Step | None:
        """The step that opened the page being read (the last choice taken), or None at the start.

        Its ``reply`` opens the page; when it is a ``stay`` the scene's text is
        not shown again under it.
        """
        history = self.history
        return history[-1] if history else None

    def is_available(self, choice: Choice) -> bool:
        if choice.once and (self.state, choice.id) in self.taken:
            return False
        return choice.condition is None or self._check(choice)

    def choices(self) -> list[ChoiceView]:
        """The choices the player sees: available ones and locked ones with a reason."""
        views: list[ChoiceView] = []
        scene_id = self._position.state
        scene = self.story.scenes[scene_id]
        moves = self._moves_of(scene)
        labels, made = moves.labels, moves.views
        taken = self.taken
        self._rng, self._rng_salt = None, 1
        for i, choice in enumerate(scene.choices):
            if choice.once and (scene_id, choice.id) in taken:
                continue
            ok = choice.condition is None or self._check(choice)
            reason = None
            if not ok:
                if choice.locked is None:
                    continue
                # A reason that comes out empty ({if}… with no {else}) hides the choice:
                # a locked choice is shown only with something to say why.
                reason = self._reason(choice, scene_id)
                if not reason:
                    continue
            label = labels[i]
            if label is None:
                self._address = f"{scene_id}:{choice.id}:label"
                label = self._render(choice.label.render, scene_id)
            elif ok:
                key = (i, len(views) + 1)
                view = made.get(key)
                if view is None:
                    view = made[key] = ChoiceView(key[1], choice, label, True)
                views.append(view)
                continue
            views.append(ChoiceView(len(views) + 1, choice, label, ok, reason))
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

    def snapshot(self) -> SessionState:
        """The whole state of the game now, as data of its own (nothing shared with the session)."""
        return SessionState(
            scene=self.state,
            vars=dict(self.vars),
            visits=dict(self.visit_counts),
            taken=frozenset(self.taken),
            history=tuple(self.history),
            turn=self.turn,
            seed=self.seed,
            variations=dict(self.variations),
            shown=self.shown,
        )

    # -- acting ------------------------------------------------------------------------
    def restore(self, state: SessionState) -> None:
        """Make ``state`` the game's (one of this story's: ``fit`` brings others to it)."""
        if state.scene not in self.story.scenes:
            raise ValueError(f"the state is in scene {state.scene!r}, which this story does not have")
        missing = self.story.variables.keys() - state.vars.keys()
        if missing:
            raise ValueError(f"the state has no value for {', '.join(sorted(missing))}")
        self.vars = dict(state.vars)
        self.visit_counts = dict(state.visits)
        self.taken = set(state.taken)
        self.history = list(state.history)
        self.turn = state.turn
        self.seed = state.seed
        self.variations = dict(state.variations)
        self.shown = frozenset(state.shown)
        self.machine.set_state(state.scene, model=self._position)

    def restart(self) -> None:
        """A new game with the current seed: the start scene, entered, with every default."""
        start = self.story.start
        self.restore(SessionState(scene=start, vars=self.story.defaults(), seed=self.seed))
        try:
            # What the machine runs on entering a scene, run for the first one.
            for callback in self.machine.get_state(start).on_enter:
                callback(self)
        except ExprRuntimeError as exc:
            # The start scene's on_enter failed (say, a division by zero): leave a
            # consistent new game without its effects and report the story's error
            # the way a failing choice is reported, never as a bare crash.
            self.vars = self.story.defaults()
            raise StoryRuntimeError(start, str(exc)) from exc

    def choose(self, pick: int | ChoiceView | Choice) -> Step:
        """Take a choice by its number on screen, its view, or the Choice itself."""
        scene_id = self._position.state
        scene = self.story.scenes[scene_id]
        if scene.ending is not None:
            raise GameError("the story has ended; load a save, undo or start again")
        position, choice = self._resolve(scene, pick)
        trigger = self._triggers[position]
        if trigger is None or (choice.once and (scene_id, choice.id) in self.taken):
            raise GameError(self._refusal(choice, scene_id))
        moves = self._moves_of(scene)
        label = moves.labels[position]
        if label is None:
            self._reseed(1)
            self._address = f"{scene_id}:{choice.id}:label"
            label = self._render(choice.label.render, scene_id)
        variables = self.vars
        before = {name: variables[name] for name in moves.touched[position]}
        turn = self.turn
        shown = self.shown
        self._entered = self._said = None
        self._said_varied = ()
        self._rng, self._rng_salt = None, 2
        try:
            # The machine checks the choice's condition, runs its effects, renders
            # its reply, picks its route, moves there and runs the scene's on_enter
            # (machine.py); a stay-choice stops after the reply.
            moved = trigger(self)
        except ConditionError as exc:
            raise StoryRuntimeError(scene_id, f"condition of '{choice.id}': {exc}") from exc.__cause__
        except ExprRuntimeError as exc:
            # Undone whatever part had run: the effects, the reply's blocks, the entry.
            entered = self._entered
            self._unapply(
                Step(scene_id, choice.id, label, entered or scene_id, turn, choice.once, before,
                     None, entered is None, shown, self._said_varied)
            )
            raise StoryRuntimeError(scene_id, str(exc)) from exc
        if not moved:
            # The machine's condition (the choice's own) refused it: nothing has changed.
            raise GameError(self._refusal(choice, scene_id))
        changed = {name: value for name, value in before.items() if variables[name] != value}
        entered = self._entered
        step = Step(
            scene_id, choice.id, label, entered or scene_id, turn, choice.once, changed,
            self._said, entered is None, shown, self._said_varied,
        )
        self.history.append(step)
        return step

    def undo(self) -> Step:
        """Take back the last choice, restoring the scene and every variable exactly."""
        if not self.history:
            raise GameError("nothing to undo")
        step = self.history.pop()
        self._unapply(step)
        return step

    def transcript(self) -> list[TranscriptEntry]:
        """Everything read so far, page by page as it read then, with the choice made and its reply.

        A page opened by a stay-choice's reply has no text of its own (the
        scene's text was not shown again); the reply is on the page before it.
        """
        saved = self.snapshot()
        history = saved.history
        entries = [self._page_entry(None, None, history[-1].stay if history else False)]
        try:
            for k in range(len(history) - 1, -1, -1):
                step = history[k]
                self._unapply(step)
                stayed = history[k - 1].stay if k > 0 else False
                entries.append(self._page_entry(step.label, step.reply, stayed))
        finally:
            self.restore(saved)
        entries.reverse()
        return entries

    def replace_story(self, story: Story) -> list[str]:
        """Switch to an edited version of the story, keeping the game (``play --watch``).

        The state is brought forward by the same ``fit`` a loaded save goes
        through: renames followed, removed scenes replaced by the nearest
        checkpoint, new variables at their defaults.
        """
        old_version = self.story.version
        state, notices = fit(self.snapshot(), story)
        self.story = story
        self._build()
        self.restore(state)
        if story.version != old_version:
            notices.insert(0, f"The story is now version {story.version} (it was {old_version}).")
        return notices

    # -- internals ---------------------------------------------------------------------
    def _unapply(self, step: Step) -> None:
        """Take ``step`` back. The one way back: undo, a move that failed half-way, the transcript."""
        self.vars.update(step.changed)
        counts = self.visit_counts
        if step.stay:
            # No visit to take back; blocks first shown since (a label the choice
            # unlocked) were shown by this step, the rest were shown before it.
            advanced: frozenset[str] | tuple[str, ...] = self.shown - step.shown
        else:
            count = counts.get(step.target, 0) - 1
            if count > 0:
                counts[step.target] = count
            else:
                counts.pop(step.target, None)
            advanced = self.shown  # everything shown in the entry the step made
        if advanced or step.varied:
            variations = self.variations
            # A reply's blocks were counted in the entry the step left (``varied``); for a
            # stay that is the entry still on, so they are in ``advanced`` too: once each.
            for key in set(advanced).union(step.varied):
                left = variations.get(key, 0) - 1
                if left > 0:
                    variations[key] = left
                else:
                    variations.pop(key, None)
        self.shown = step.shown
        if step.once:
            self.taken.discard((step.scene, step.choice))
        self.turn = step.turn
        self.machine.set_state(step.scene, model=self._position)

    def _moves_of(self, scene: Scene) -> _Moves:
        moves = self._moves.get(scene.id)
        if moves is None:
            moves = self._moves[scene.id] = _Moves(self.story, scene, self)
        return moves

    def _page_text(self, scene: Scene) -> Template:
        """The template shown for ``scene`` now (and the address its blocks are keyed by)."""
        if scene.again is not None and self.visit_counts.get(scene.id, 0) >= 2:
            self._address = f"{scene.id}:again"
            return scene.again
        self._address = f"{scene.id}:text"
        return scene.text

    def _page_entry(self, label: str | None, reply: str | None, stayed: bool) -> TranscriptEntry:
        scene = self.scene
        title = self.shown_title()
        text = "" if stayed else self._safe_text()
        return TranscriptEntry(scene, text, label, reply, title, stayed)

    def _safe_text(self) -> str:
        self._reseed(0)
        try:
            return self._page_text(self.scene).render(self)
        except ExprRuntimeError as exc:
            return f"(this passage could not be shown: {exc})"

    def _resolve(self, scene: Scene, pick: int | ChoiceView | Choice) -> tuple[int, Choice]:
        """The picked choice and its place in the scene's list (which names its trigger)."""
        if isinstance(pick, ChoiceView):
            pick = pick.choice
        if isinstance(pick, Choice):
            mine = scene.choices
            # Identity first: a Choice compares equal field by field, which is slow.
            for i, choice in enumerate(mine):
                if choice is pick:
                    return i, choice
            for i, choice in enumerate(mine):
                if choice == pick:
                    return i, choice
            raise GameError("that choice does not belong to this scene")
        views = self.choices()
        if not 1 <= pick <= len(views):
            raise GameError(f"choose a number from 1 to {len(views)}")
        return self._resolve(scene, views[pick - 1].choice)

    def _check(self, choice: Choice) -> bool:
        assert choice.condition is not None
        if id(choice) in self._rolling:
            # Its own dice, whatever was rolled before it (machine._dice_fixed rolls the same).
            saved = self._rng, self._rng_salt
            self.condition_dice()
            try:
                return self._evaluate(choice)
            finally:
                self._rng, self._rng_salt = saved
        return self._evaluate(choice)

    def _evaluate(self, choice: Choice) -> bool:
        assert choice.condition is not None
        try:
            return choice.condition(self) is True
        except ExprRuntimeError as exc:
            raise StoryRuntimeError(self.state, f"condition of '{choice.id}': {exc}") from exc

    def _refusal(self, choice: Choice, scene_id: str) -> str:
        """Why ``choice`` cannot be taken now: its locked reason, rendered, when it has one."""
        if choice.locked is None:
            return "that choice is not available now"
        return self._reason(choice, scene_id) or "that choice is not available now"

    def _reason(self, choice: Choice, scene_id: str) -> str:
        assert choice.locked is not None
        self._address = f"{scene_id}:{choice.id}:locked"
        return self._render(choice.locked.render, scene_id)

    def _render(self, render: Callable[[Session], str], scene_id: str) -> str:
        try:
            return render(self)
        except ExprRuntimeError as exc:
            raise StoryRuntimeError(scene_id, str(exc)) from exc
