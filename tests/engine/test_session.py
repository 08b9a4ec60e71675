from __future__ import annotations

from pathlib import Path

import pytest
from transitions import Machine

from game.loader import load_story
from game.session import GameError, Session, Step, StoryRuntimeError
from game.story.model import Story
from tests.conftest import DEMO, MANIFEST, TINY_SCENES


@pytest.fixture
def session(tiny: Path) -> Session:
    return Session(load_story(tiny), seed=7)


def test_the_machine_is_transitions_with_scenes_as_states(session: Session) -> None:
    assert isinstance(session.machine, Machine)
    assert set(session.machine.states) == set(session.story.scenes)
    assert session.state == "a"
    # no auto transitions: only the story's own choices exist
    assert not any(name.startswith("to_") for name in session.machine.events)
    # the machine's model is its own object: nothing of transitions is bound on the Session
    [model] = session.machine.models
    assert model is not session and model.state == session.state
    bound = {"trigger", *session.machine.events, *(f"is_{sid}" for sid in session.story.scenes)}
    assert bound & set(dir(session)) == set() and bound <= set(dir(model))


def test_choices_effects_and_on_enter(session: Session) -> None:
    assert session.text() == "Freedom is 10."
    assert [v.label for v in session.choices()] == ["Defy", "Obey", "Ask again"]
    session.choose(1)
    assert session.state == "b"
    assert session.vars["freedom"] == 61  # +50, then on_enter +1
    assert session.vars["flag"] is True
    assert session.text() == "You defied."


def test_locked_choice_is_shown_with_reason_and_refused(session: Session) -> None:
    session.choose(2)  # obey: freedom 10 - 5 + 1 = 6
    views = session.choices()
    assert views[0].available is False and views[0].reason == "Not yet."
    with pytest.raises(GameError, match="Not yet"):
        session.choose(1)
    assert session.state == "b"


def test_hidden_choice_without_locked_reason(make_story) -> None:  # type: ignore[no-untyped-def]
    story = load_story(make_story(TINY_SCENES.replace("        locked: Not yet.\n", "")))
    s = Session(story)
    s.choose(2)
    assert [v.label for v in s.choices()] == ["Stay"]


def test_meters_are_clamped(session: Session) -> None:
    session.vars["freedom"] = 90
    session.choose(1)  # +50 would be 140: held at the max 100, and on_enter's +1 too
    assert session.vars["freedom"] == 100
    view = session.meters()[0]
    assert view.band == "Free" and view.fraction == 1.0
    session.undo()
    session.vars["freedom"] = 2
    session.choose(2)  # -5 would be -3: held at the min 0, then on_enter's +1
    assert session.vars["freedom"] == 1
    assert session.meters()[0].band == "Gear"


def test_once_only_choice_disappears_and_undo_brings_it_back(session: Session) -> None:
    session.choose(3)  # ask again, loops to a
    assert session.state == "a"
    assert "Ask again" not in [v.label for v in session.choices()]
    assert session.vars["mood"] == "angry"
    assert session.visits("a") == 2
    session.undo()
    assert "Ask again" in [v.label for v in session.choices()]
    assert session.vars["mood"] == "calm" and session.visits("a") == 1


def test_undo_restores_scene_and_variables_exactly(session: Session) -> None:
    snapshots = []
    for pick in (3, 1, 2):
        snapshots.append((session.state, dict(session.vars), dict(session.visit_counts), session.turn))
        session.choose(pick)
    assert session.is_over and session.ending is not None and session.ending.id == "bad"
    with pytest.raises(GameError):
        session.choose(1)
    for snap in reversed(snapshots):
        session.undo()
        assert (session.state, session.vars, session.visit_counts, session.turn) == snap
    with pytest.raises(GameError, match="nothing to undo"):
        session.undo()


def test_determinism_for_a_seed(make_story) -> None:  # type: ignore[no-untyped-def]
    scenes = TINY_SCENES.replace('text: "Freedom is {freedom}."', 'text: "Roll {random(1, 1000)}."')
    story = load_story(make_story(scenes))
    a, b, c = Session(story, seed=1), Session(story, seed=1), Session(story, seed=2)
    assert a.text() == b.text()
    texts = {Session(story, seed=s).text() for s in range(20)}
    assert len(texts) > 1
    before = a.text()
    a.choose(3)
    a.undo()
    assert a.text() == before
    del c


def test_runtime_error_rolls_back(make_story) -> None:  # type: ignore[no-untyped-def]
    scenes = TINY_SCENES.replace("do: [freedom -= 5]", "do: [freedom -= 5 / (freedom - freedom)]")
    s = Session(load_story(make_story(scenes)))
    before = (s.state, dict(s.vars), dict(s.visit_counts))
    with pytest.raises(StoryRuntimeError):
        s.choose(2)
    assert (s.state, s.vars, s.visit_counts) == before
    assert not s.history


def test_transcript_shows_each_scene_as_it_read(session: Session) -> None:
    session.choose(3)
    session.choose(1)
    entries = session.transcript()
    assert [e.scene.id for e in entries] == ["a", "a", "b"]
    assert entries[0].text == "Freedom is 10." and entries[0].choice_label == "Ask again"
    assert entries[1].choice_label == "Defy"
    assert entries[-1].choice_label is None and entries[-1].text == "You defied."
    assert session.state == "b" and session.vars["freedom"] == 61


def test_demo_plays_to_both_endings() -> None:
    story = load_story(DEMO)
    s = Session(story)
    while not s.is_over:
        s.choose(next(v for v in s.choices() if v.available))
    first = s.ending
    s.restart()
    # a path of defiance reaches the other ending
    for label in ('"Why me, and not a Bureau team?"', '"Tell me about the target."',
                  '"She has done nothing wrong since she retired."', "Listen to the whole song from the wings.",
                  "Go to the dressing room.", '"I was sent to take your Id."', "Let her finish her tour."):
        view = next(v for v in s.choices() if v.label == label)
        s.choose(view)
    assert s.is_over and s.ending is not None and first is not None
    assert {first.id, s.ending.id} == {"orders", "song"}


# -- text variation ({seq}, {cycle}, {shuffle}, {once}) ------------------------------------

VARIED = """\
scenes:
  - id: a
    title: Start
    text: "{seq}one{or}two{or}three{end} {cycle}x{or}y{end} {once}new{end}|{shuffle}p{or}q{or}r{end}"
    choices:
      - label: "{cycle}Wait{or}Linger{end}"
        to: a
        do: [freedom += 1]
      - label: Leave
        to: bad
  - id: bad
    title: Bound
    ending: bad
    text: Bound.
"""


def _lines(s: Session) -> tuple[str, str]:
    return s.text(), s.choices()[0].label


def test_variation_advances_once_per_entry_never_per_render(make_story) -> None:  # type: ignore[no-untyped-def]
    s = Session(load_story(make_story(VARIED)), seed=3)
    seen = []
    for _ in range(4):
        first = _lines(s)
        # Redraws, `look`, the choices drawn again: the same page every time.
        assert _lines(s) == first and _lines(s) == first
        seen.append(first)
        s.choose(1)
    texts = [text.split("|")[0] for text, _ in seen]
    assert texts == ["one x new", "two y ", "three x ", "three y "]
    assert [label for _, label in seen] == ["Wait", "Linger", "Wait", "Linger"]
    # {shuffle} deals its three alternatives once per round of three entries.
    assert sorted(text.split("|")[1] for text, _ in seen[:3]) == ["p", "q", "r"]


def test_shuffle_is_seeded_same_seed_same_game(make_story) -> None:  # type: ignore[no-untyped-def]
    story = load_story(make_story(VARIED))

    def deal(seed: int) -> list[str]:
        s = Session(story, seed=seed)
        out = []
        for _ in range(9):
            out.append(s.text().split("|")[1])
            s.choose(1)
        return out

    assert deal(5) == deal(5)
    assert len({tuple(deal(seed)) for seed in range(8)}) > 1  # the seed decides the order


def test_variation_state_is_undone_exactly(make_story) -> None:  # type: ignore[no-untyped-def]
    s = Session(load_story(make_story(VARIED)), seed=3)
    s.text(), s.choices()
    s.choose(1)
    page = _lines(s)
    before = s.snapshot()
    assert before.variations and before.shown
    s.choose(1)
    _lines(s)
    assert s.snapshot().variations != before.variations
    s.undo()
    assert s.snapshot() == before
    assert _lines(s) == page  # and the page reads as it did
    s.undo()  # back to the start: the first page reads as it did
    assert _lines(s)[0].startswith("one x new")


def test_transcript_shows_varied_text_as_it_read(make_story) -> None:  # type: ignore[no-untyped-def]
    s = Session(load_story(make_story(VARIED)), seed=3)
    read = []
    for _ in range(3):
        read.append(s.text())
        s.choose(1)
    read.append(s.text())
    now = s.snapshot()
    assert [entry.text for entry in s.transcript()] == read
    assert s.snapshot() == now  # reading the history changed nothing


# -- the scene format: replies, stay-choices, routes, return visits ---------------------

HALL = """\
scenes:
  - id: hall
    title: Hall
    on_enter: [freedom += 1]
    text: "Jean waits{if first_visit()}, for the first time{else}, visit {visits()}{end}. {seq}He stands.{or}He sits.{end}"
    choices:
      - id: ask
        label: Ask about Venus
        once: true
        do: [freedom += 5]
        reply: "Venus? Freedom {freedom}, visits {visits()}, first {first_visit()}."
      - id: chat
        label: Chat
        reply: "{cycle}He nods.{or}He sighs.{end}"
      - id: go
        label: Go
        to: cell
        do: [freedom += 10]
      - id: loop
        label: Walk around
        to: hall
  - id: free
    title: Free
    ending: good
    text: Free.
  - id: flagged
    title: Flagged
    ending: good
    text: Flagged.
  - id: cell
    title: Cell
    ending: bad
    text: "Cell{if first_visit()} (new){end}."
"""
GO = "        to: cell\n"
LOOP = "        to: hall\n"
ROUTES = """\
        to:
          - {if: freedom >= 60, to: free}
          - {if: flag, to: flagged}
          - {to: cell}
"""


def _hall(make_story, *edits: tuple[str, str]) -> Story:  # type: ignore[no-untyped-def]
    """The hall story, each (old, new) of ``edits`` replaced in its YAML."""
    scenes = HALL
    for old, new in edits:
        assert old in scenes
        scenes = scenes.replace(old, new, 1)
    return load_story(make_story(scenes, MANIFEST.replace("start: a", "start: hall")))


def _choose(s: Session, choice_id: str) -> Step:
    return s.choose(next(v for v in s.choices() if v.choice.id == choice_id))


def test_first_visit_and_visits_without_argument_speak_of_the_current_scene(make_story) -> None:  # type: ignore[no-untyped-def]
    s = Session(_hall(make_story))
    assert s.text().startswith("Jean waits, for the first time.")
    _choose(s, "loop")
    assert s.text().startswith("Jean waits, visit 2.")
    _choose(s, "go")
    assert s.text() == "Cell (new)."  # the scene entered, not the one left


def test_a_reply_is_rendered_after_the_effects_in_the_choices_scene(make_story) -> None:  # type: ignore[no-untyped-def]
    story = _hall(make_story, (GO, GO + '        reply: "You leave after {visits()} visit(s), first {first_visit()}."\n'))
    s = Session(story)
    step = _choose(s, "ask")
    # freedom: 10 + 1 on entering, + 5 by the choice: the reply sees the effect.
    assert step.reply == "Venus? Freedom 16, visits 1, first true."
    _choose(s, "loop")
    step = _choose(s, "go")
    # Rendered before the move: visits() is the hall's (2), not the cell's first visit.
    assert s.state == "cell" and step.reply == "You leave after 2 visit(s), first false."
    assert s.arrival is step and not step.stay


def test_a_stay_choice_keeps_the_player_in_the_scene_without_entering_it(make_story) -> None:  # type: ignore[no-untyped-def]
    s = Session(_hall(make_story))
    text = s.text()
    before = s.snapshot()
    step = _choose(s, "ask")
    assert step.stay and step.target == "hall" and s.arrival is step
    assert s.state == "hall" and s.visits("hall") == 1  # not entered again
    assert s.vars["freedom"] == 16  # the choice's +5, and no second on_enter +1
    assert s.text() == text  # the scene's {seq} did not move on
    assert [v.choice.id for v in s.choices()] == ["chat", "go", "loop"]  # once: gone
    s.undo()
    assert s.snapshot() == before
    assert [v.choice.id for v in s.choices()] == ["ask", "chat", "go", "loop"]


def test_a_replys_variation_advances_per_entry_like_the_scenes_text(make_story) -> None:  # type: ignore[no-untyped-def]
    s = Session(_hall(make_story))
    text = s.text()
    start = s.snapshot()
    # Asked again and again in one entry: the same reply, and the scene's {seq} stays put.
    assert [_choose(s, "chat").reply for _ in range(3)] == ["He nods."] * 3
    assert s.text() == text
    _choose(s, "loop")  # a new entry into the hall: the reply moves on with it
    mid = s.snapshot()
    assert _choose(s, "chat").reply == "He sighs."
    assert _choose(s, "chat").reply == "He sighs."
    s.undo()
    s.undo()
    assert s.snapshot() == mid
    for _ in range(4):
        s.undo()
    assert s.snapshot() == start
    assert _choose(s, "chat").reply == "He nods."


def test_a_moving_choices_reply_is_counted_in_the_entry_it_leaves(make_story) -> None:  # type: ignore[no-untyped-def]
    s = Session(_hall(make_story, (LOOP, LOOP + '        reply: "{cycle}You pace.{or}You pace again.{end}"\n')))
    s.text()
    before = s.snapshot()
    replies = []
    for _ in range(3):
        replies.append(_choose(s, "loop").reply)
        s.text()
    assert replies == ["You pace.", "You pace again.", "You pace."]
    for _ in range(3):
        s.undo()
    assert s.snapshot() == before


def test_routes_take_the_first_that_holds_after_the_effects(make_story) -> None:  # type: ignore[no-untyped-def]
    story = _hall(make_story, (GO, ROUTES))
    s = Session(story)
    assert _choose(s, "go").target == "cell" and s.state == "cell"  # 21: no route but the default
    s.undo()
    s.vars["flag"] = True
    assert _choose(s, "go").target == "flagged"
    s.undo()
    s.vars["freedom"] = 55  # 55 before the choice; its +10 makes 65, and the route sees 65
    before = s.snapshot()
    step = _choose(s, "go")
    assert step.target == "free" and s.state == "free" and s.visits("free") == 1
    s.undo()
    assert s.snapshot() == before and s.visits("free") == 0


def test_a_failing_route_or_reply_changes_nothing(make_story) -> None:  # type: ignore[no-untyped-def]
    story = _hall(
        make_story,
        (GO, "        to: [{if: 100 / (freedom - 21) > 1, to: free}, {to: cell}]\n"),
        (LOOP, LOOP + '        reply: "{cycle}a{or}b{end}{100 / (freedom - freedom)}"\n'),
    )
    s = Session(story)
    s.text()
    before = s.snapshot()
    with pytest.raises(StoryRuntimeError, match="route 1"):
        _choose(s, "go")
    assert s.snapshot() == before
    with pytest.raises(StoryRuntimeError):
        _choose(s, "loop")
    assert s.snapshot() == before


def test_transcript_has_replies_and_stay_pages(make_story) -> None:  # type: ignore[no-untyped-def]
    s = Session(_hall(make_story))
    text = s.text()
    _choose(s, "chat")
    _choose(s, "loop")
    entries = s.transcript()
    assert [(e.choice_label, e.reply, e.stayed) for e in entries] == [
        ("Chat", "He nods.", False),
        ("Walk around", None, True),
        (None, None, False),
    ]
    assert entries[0].text == text and entries[1].text == "" and entries[2].text.startswith("Jean waits, visit 2.")
    assert entries[0].title == "Hall"


def test_again_text_shows_from_the_second_visit_and_titles_are_filled_in(make_story) -> None:  # type: ignore[no-untyped-def]
    story = _hall(
        make_story,
        ("    title: Hall\n", '    title: "Hall, freedom {freedom}"\n    again: "Jean again ({visits()}). {cycle}Tea?{or}Coffee?{end}"\n'),
    )
    s = Session(story)
    assert s.text().startswith("Jean waits, for the first time.")
    assert s.title() == "Hall, freedom 11"
    _choose(s, "chat")  # a stay: still the first visit's text
    assert s.text().startswith("Jean waits, for the first time.")
    _choose(s, "loop")
    assert s.text() == s.text() == "Jean again (2). Tea?"
    assert s.title() == "Hall, freedom 12"
    _choose(s, "loop")
    assert s.text() == "Jean again (3). Coffee?"
    s.undo()
    assert s.text() == "Jean again (2). Tea?"
    s.undo()
    assert s.text().startswith("Jean waits")
    assert [e.text.split(".")[0] for e in s.transcript()] == ["Jean waits, for the first time", ""]


def test_locked_reasons_are_templates_that_say_which_condition_failed(make_story) -> None:  # type: ignore[no-untyped-def]
    locked = (
        "        to: cell\n        do: [freedom += 10]\n",
        "        to: cell\n        do: [freedom += 10]\n        if: freedom >= 60 and not flag\n"
        '        locked: "{if freedom < 60}The Second Law closes your hand ({words(freedom)}).'
        '{elif mood == \\"angry\\"}Naomi is watching.{end}"\n',
    )
    s = Session(_hall(make_story, locked))
    [go] = [v for v in s.choices() if v.choice.id == "go"]
    assert not go.available and go.reason == "The Second Law closes your hand (eleven)."
    with pytest.raises(GameError, match="closes your hand"):
        s.choose(go.choice)
    s.vars.update(freedom=70, flag=True, mood="angry")
    assert [v.reason for v in s.choices() if v.choice.id == "go"] == ["Naomi is watching."]
    s.vars["mood"] = "calm"  # the reason comes out empty: the choice is not shown at all
    assert "go" not in [v.choice.id for v in s.choices()]
    with pytest.raises(GameError, match="not available now"):
        s.choose(s.scene.choices[2])
