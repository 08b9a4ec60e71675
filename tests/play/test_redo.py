"""Redo (Ren'Py's roll-forward), through Game: after undo, the same choices again, until a new one."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

from game.loader import load_story
from game.plain import PlainGame, run_plain
from game.play.game import Game
from game.play.outcome import Status
from game.saves import SaveStore
from game.session import Session
from game.state import SessionState
from tests.conftest import DEMO, MANIFEST

# Dice, text variation of every kind and a stay-choice: a replay that rolled or varied
# differently from the first time would read differently, and the snapshots would differ.
VARIED = """\
scenes:
  - id: a
    title: Start
    text: "{cycle}Rain.{or}Wind.{or}Snow.{end} {shuffle}One{or}Two{or}Three{end} Freedom {freedom}."
    choices:
      - label: "Roll {random(1, 6)}"
        to: b
        reply: "{seq}First.{or}Again.{end}"
        do: ["freedom += random(1, 20)"]
      - label: Look around
        reply: "{cycle}Nothing.{or}Still nothing.{end} {random(1, 100)}"
        do: [freedom += 1]
  - id: b
    title: Middle
    text: "{once}The first time.{end}{cycle}A{or}B{end} {random(1, 1000)}"
    choices:
      - label: Back
        to: a
        do: ["freedom += random(1, 5)"]
      - label: End it
        to: end
  - id: end
    title: Over
    text: "The end."
    ending: good
"""


def shown(game: Game) -> tuple[str, tuple[str, ...]]:
    """What a view draws after a move: the text and the choices (their blocks advance when drawn)."""
    views, _ = game.choices()
    return game.text(), tuple(v.label for v in views)


def test_redo_replays_undone_choices_to_the_same_state(make_story: Callable[..., Path], tmp_path: Path) -> None:
    story = make_story(VARIED, MANIFEST)
    game = Game.open(story, SaveStore(tmp_path), seed=7)
    assert game.new_game().ok and game.session is not None
    session = game.session
    picks = [2, 2, 1, 1, 2, 1, 1]  # stays, a move, back to a (its texts vary again), and on
    pages = [shown(game)]
    states: list[SessionState] = [session.snapshot()]
    for pick in picks:
        assert game.choose(pick).ok
        pages.append(shown(game))
        states.append(session.snapshot())
    assert len(set(pages)) == len(pages)  # every page reads differently: replaying any the same is a test
    for back in range(len(picks), 0, -1):  # undo everything, checking each state on the way
        out = game.undo()
        assert out.ok and shown(game) == pages[back - 1] and session.snapshot() == states[back - 1]
    assert not game.choose(7).ok and game.can_redo  # a refused choice is no new choice
    for n in range(1, len(picks) + 1):
        out = game.redo()
        assert out.ok and out.shows and out.step is not None
        assert out.notices[0].text == f"Redone: {out.step.label}"
        assert shown(game) == pages[n] and session.snapshot() == states[n]
    assert not game.can_redo
    out = game.redo()
    assert out.status is Status.REFUSED and out.notices[0].text == "Nothing to redo."


def test_redo_gives_the_reply_and_stay_of_the_choice(make_story: Callable[..., Path], tmp_path: Path) -> None:
    game = Game.open(make_story(VARIED, MANIFEST), SaveStore(tmp_path), seed=3)
    game.new_game()
    first = game.choose(2)
    game.undo()
    again = game.redo()
    assert again.stayed and first.stayed and again.reply == first.reply and again.reply


def test_a_new_choice_clears_the_redo_list(tmp_path: Path) -> None:
    game = Game.open(DEMO, SaveStore(tmp_path), seed=1)
    game.new_game()
    for pick in (1, 1, 1):
        game.choose(pick)
    game.undo()
    game.undo()
    assert game.redo().ok and game.can_redo
    assert game.choose(2).ok  # another branch: what was undone is gone
    assert not game.can_redo and game.redo().status is Status.REFUSED


def test_redo_reaches_an_ending_as_the_choice_did(tmp_path: Path) -> None:
    game = Game.open(DEMO, SaveStore(tmp_path), seed=1)
    game.new_game()
    for pick in (1, 1, 1, 1, 1):  # the demo's ending "orders"
        out = game.choose(pick)
    assert out.ended is not None
    game.undo()
    redone = game.redo()
    assert redone.ended is not None and redone.ended.id == out.ended.id
    assert [w.kind for w in redone.writes] == ["autosave"]  # the gallery has it already
    for write in redone.writes:
        write.run()
    assert json.loads((tmp_path / "autosave.json").read_text())["state"]["scene"] == game.session.state


def test_a_new_game_or_a_load_clears_the_redo_list(tmp_path: Path) -> None:
    store = SaveStore(tmp_path)
    game = Game.open(DEMO, store, seed=1)
    game.new_game()
    game.choose(1)
    for write in game.save("one").writes:
        write.run()
    game.choose(1)
    game.undo()
    assert game.can_redo
    assert game.load("one").ok and not game.can_redo
    game.choose(1)
    game.undo()
    assert game.can_redo
    assert game.new_game().ok and not game.can_redo
    assert game.redo().notices[0].text == "Nothing to redo."


def test_redo_without_a_game_is_refused(tmp_path: Path) -> None:
    game = Game(SaveStore(tmp_path), load_story(DEMO))
    assert game.session is None and not game.can_redo
    assert game.redo().notices[0].text == "There is no game in progress."


def test_plain_mode_has_a_redo_command(tmp_path: Path) -> None:
    out = io.StringIO()
    game = PlainGame(Session(load_story(DEMO), seed=1), SaveStore(tmp_path), out)
    assert run_plain(game, io.StringIO("1\nundo\nredo\nredo\nhelp\n")) == 0
    text = out.getvalue()
    first, redone = text.split("Undone: ")[0], text.split("Redone: ")[1]
    scene = game.game.session.scene.title
    assert text.count(scene) >= 2 and scene in first and scene in redone  # shown again after the redo
    assert "Nothing to redo." in text
    assert "  redo " in text  # in the help
