"""Deep checks on a loaded story: the problems the schema cannot see.

Codes are stable; authors may grep for them:
  W300 unreachable scene            E301 dead end (no choice can ever be taken)
  E302 no ending reachable from here W303 condition can never be true
  W304 variable never used          W305 variable read but never set
  W306 ending never reachable       W308 duplicate choice labels in a scene
  W309 condition is always true     W310 every choice is once-only
  W311 variable set but never read   W312 unechoed choice (agency.py)
  W313 a route after an always-true one  W314 a gone character named (agency.py)
  W315 an again: text on a scene no path leads back to

Routes and stay-choices: a route list leads to each route's scene whose
condition can hold (none after one that always holds); a stay-choice (a reply
and no ``to:``) leads nowhere, since the player stays without re-entering the
scene, so a scene whose only choices stay is a trap (E302), not a loop.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from game.authoring.intervals import possible_values
from game.story import Diagnostic, Severity, Story
from game.story.model import Choice, Pos, Route, Scene


def _diag(code: str, message: str, pos: Pos) -> Diagnostic:
    severity = Severity.ERROR if code.startswith("E") else Severity.WARNING
    return Diagnostic(code, message, pos.path, pos.line, pos.col, severity)


def never_true(story: Story, choice: Choice) -> bool:
    return choice.condition is not None and possible_values(choice.condition.node, story.variables) == {False}


def always_true(story: Story, choice: Choice) -> bool:
    return choice.condition is not None and possible_values(choice.condition.node, story.variables) == {True}


def live_routes(story: Story, choice: Choice) -> list[Route]:
    """The routes of a choice that can be taken: the condition can hold, and no earlier one always holds."""
    out: list[Route] = []
    for route in choice.routes:
        if route.condition is None:
            out.append(route)
            break
        values = possible_values(route.condition.node, story.variables)
        if values == {False}:
            continue
        out.append(route)
        if values == {True}:
            break
    return out


def targets(story: Story, choice: Choice) -> list[str]:
    """The scenes taking ``choice`` can lead to (none for a stay-choice)."""
    if choice.stay:
        return []
    if choice.routes:
        return [r.target for r in live_routes(story, choice)]
    return [choice.target]


def choice_edges(story: Story, scene: Scene, choice: Choice) -> Iterable[str]:
    """The scenes taking ``choice`` can lead to: its live routes, less any outside the story.

    A choice whose condition can never be true leads nowhere, and so does a
    stay-choice: the player stays without re-entering the scene.
    """
    if never_true(story, choice):
        return
    seen: set[str] = set()
    for target in targets(story, choice):
        if target in story.scenes and target not in seen:
            seen.add(target)
            yield target


def edges(story: Story, scene: Scene) -> Iterable[str]:
    """The scenes a player can go to from ``scene``. The one successor walk: the deep
    checks and the funnels, forks, echoes and continuity (agency.py) all build on it."""
    for choice in scene.choices:
        yield from choice_edges(story, scene, choice)


def successors(story: Story) -> dict[str, set[str]]:
    """For each scene, the set of scenes ``edges`` says it can lead to."""
    return {sid: set(edges(story, scene)) for sid, scene in story.scenes.items()}


def reachable(story: Story, succ: dict[str, set[str]] | None = None) -> set[str]:
    """Scenes some sequence of takeable choices leads to from the start."""
    succ = succ if succ is not None else successors(story)
    seen = {story.start}
    queue = deque([story.start])
    while queue:
        for target in succ[queue.popleft()]:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def can_finish(story: Story) -> set[str]:
    """Scenes from which some ending can be reached."""
    incoming: dict[str, list[str]] = {sid: [] for sid in story.scenes}
    for sid, targets in successors(story).items():
        for target in targets:
            incoming[target].append(sid)
    done = {sid for sid, s in story.scenes.items() if s.is_ending}
    queue = deque(done)
    while queue:
        for source in incoming[queue.popleft()]:
            if source not in done:
                done.add(source)
                queue.append(source)
    return done


def analyse(story: Story) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    reach = reachable(story)
    finish = can_finish(story)
    for scene in story.scenes.values():
        if scene.id not in reach:
            out.append(_diag("W300", f"scene '{scene.id}' can never be reached from the start", scene.pos))
            continue
        if scene.is_ending:
            continue
        if scene.choices and all(never_true(story, c) for c in scene.choices):
            out.append(_diag("E301", f"dead end: no choice in '{scene.id}' can ever be taken", scene.pos))
        elif scene.id not in finish:
            out.append(_diag("E302", f"no ending can be reached from '{scene.id}': a player here is trapped", scene.pos))
        # A stay-choice is not a loop back here: the scene is not entered again.
        if scene.choices and all(c.once for c in scene.choices) and any(
            scene.id in targets(story, c) for c in scene.choices
        ):
            out.append(
                _diag("W310", f"every choice in '{scene.id}' is once-only and one loops back: a player can run out of choices", scene.pos)
            )
        labels: dict[str, Choice] = {}
        for choice in scene.choices:
            text = choice.label.source
            if text in labels and labels[text].condition == choice.condition:
                out.append(_diag("W308", f"two choices in '{scene.id}' are both labelled {text!r}", choice.pos))
            labels.setdefault(text, choice)
            if never_true(story, choice):
                source = choice.condition.source  # type: ignore[union-attr]
                out.append(
                    _diag("W303", f"the condition '{source}' can never be true for the declared ranges", choice.condition_pos or choice.pos)
                )
            elif always_true(story, choice) and choice.locked is not None:
                source = choice.condition.source  # type: ignore[union-attr]
                out.append(
                    _diag("W309", f"the condition '{source}' is always true, so the choice is never locked", choice.condition_pos or choice.pos)
                )
            out.extend(_route_checks(story, choice))
    used_endings = {s.ending for s in story.scenes.values() if s.ending and s.id in reach}
    manifest = Pos(next((f for f in story.files if f.endswith("story.yaml")), "story.yaml"))
    for ending in story.endings:
        if ending not in used_endings:
            out.append(_diag("W306", f"ending '{ending}' is never reached by any scene", manifest))
    out.extend(_again_checks(story, reach))
    out.extend(_variable_checks(story))
    return out


def _again_checks(story: Story, reach: set[str]) -> list[Diagnostic]:
    """W315: a scene's ``again:`` text is shown only when a path leads back into the scene."""
    succ = {sid: set(edges(story, scene)) for sid, scene in story.scenes.items()}
    out = []
    for scene in story.scenes.values():
        if scene.again is None or scene.is_ending or scene.id not in reach:
            continue
        seen: set[str] = set()
        queue = deque(succ[scene.id])
        while queue and scene.id not in seen:
            sid = queue.popleft()
            if sid not in seen:
                seen.add(sid)
                queue.extend(succ[sid] - seen)
        if scene.id not in seen:
            out.append(
                _diag("W315", f"scene '{scene.id}' has an 'again' text, but no path leads back into it, so it is never shown", scene.pos)
            )
    return out


def _route_checks(story: Story, choice: Choice) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for i, route in enumerate(choice.routes):
        if route.condition is None:
            break
        values = possible_values(route.condition.node, story.variables)
        source = route.condition.source
        if values == {False}:
            out.append(_diag("W303", f"the route condition '{source}' can never be true for the declared ranges", route.pos))
        elif values == {True}:
            rest = len(choice.routes) - i - 1
            out.append(
                _diag("W313", f"the route condition '{source}' is always true, so the {rest} route(s) after it are never tried", route.pos)
            )
            break
    return out


def _variable_checks(story: Story) -> list[Diagnostic]:
    reads: set[str] = {m.var for m in story.meters}
    if story.tracker is not None:
        reads.update(slot.var for slot in story.tracker.slots)
    for invariant in story.invariants:
        reads |= invariant.check.reads
    writes: set[str] = set()
    for scene in story.scenes.values():
        for template in (scene.text, scene.again, scene.title_template):
            if template is not None:
                reads |= template.reads
        for effect in scene.on_enter:
            reads |= effect.value.reads
            writes.add(effect.target)
        for choice in scene.choices:
            for template in (choice.label, choice.reply, choice.locked):
                if template is not None:
                    reads |= template.reads
            if choice.condition is not None:
                reads |= choice.condition.reads
            for route in choice.routes:
                if route.condition is not None:
                    reads |= route.condition.reads
            for effect in choice.effects:
                reads |= effect.value.reads
                writes.add(effect.target)
    # Meters and tracker slots are shown to the player: a constant one is a
    # deliberate display (e.g. the two of the Nine already dead), not a mistake.
    displayed = {m.var for m in story.meters}
    if story.tracker is not None:
        displayed |= {slot.var for slot in story.tracker.slots}
    out = []
    for name, decl in story.variables.items():
        if name not in reads and name not in writes:
            out.append(_diag("W304", f"variable '{name}' is declared but never used", decl.pos))
        elif name not in writes and name not in displayed:
            out.append(_diag("W305", f"variable '{name}' is read but never set: it always has its default", decl.pos))
        elif name not in reads:
            out.append(_diag("W311", f"variable '{name}' is set but never read", decl.pos))
    return out
