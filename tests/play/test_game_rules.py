"""The game's rules, once, through Game: every view (TUI, plain mode, a test driver) plays by them."""

from __future__ import annotations

import json
import os
from pathlib import Path

from game.loader import load_story
from game.play.game import Game
from game.play.outcome import Move, Outcome, Status
from game.saves import SaveStore
from tests.conftest import DEMO, TINY_SCENES


def run_writes(out: Outcome) -> list[str]:
    """Run an outcome's disk work as a view would; the notices it reports."""
    return [notice.text for write in out.writes for notice in write.run()]


def started(story: Path, saves: Path, **options: object) -> Game:
    game = Game.open(story, SaveStore(saves), seed=1, **options)  # type: ignore[arg-type]
    assert game.new_game().shows
    return game


def scene_of(path: Path) -> str:
    return json.loads(path.read_text())["state"]["scene"]  # type: ignore[no-any-return]


def test_a_choice_moves_autosaves_and_says_what_changed(tiny: Path, tmp_path: Path) -> None:
    game = started(tiny, tmp_path)
    out = game.choose(1)
    assert isinstance(out, Move) and out.ok and out.shows
    assert out.before["freedom"] == 10 and game.session is not None and game.session.vars["freedom"] == 61
    assert out.step is not None and out.step.label == "Defy"
    assert [w.kind for w in out.writes] == ["autosave"]
    assert run_writes(out) == [] and scene_of(tmp_path / "autosave.json") == "b"
    assert game.unsaved == 1


def test_refusals_change_nothing_and_say_why(tiny: Path, tmp_path: Path) -> None:
    game = started(tiny, tmp_path)
    assert game.choose(2).ok  # Obey: freedom 6, so "Walk free" (1) is locked in b
    session = game.session
    assert session is not None
    before = (session.state, dict(session.vars), game.moves)
    for pick, text in ((1, "Locked: Not yet."), (7, "Choose a number from 1 to 2."), (0, "Choose a number from 1 to 2.")):
        out = game.choose(pick)
        assert out.status is Status.REFUSED and not out.shows and not out.writes
        assert [(n.text, n.severity) for n in out.notices] == [(text, "warning")]
    assert game.choose(1).notices[0].title == "Walk free"
    assert (session.state, session.vars, game.moves) == before
    assert game.undo().notices[0].text == "Undone: Obey"
    assert game.undo().notices[0].text == "Nothing to undo."


def test_an_ending_is_recorded_in_the_gallery_once(tiny: Path, tmp_path: Path) -> None:
    game = started(tiny, tmp_path)
    game.choose(2)
    out = game.choose(2)  # Stay: the bad ending
    assert out.ended is not None and out.ended.id == "bad"
    assert sorted(w.kind for w in out.writes) == ["autosave", "gallery"]
    run_writes(out)
    assert json.loads((tmp_path / ".endings.json").read_text())["stories"] == {"tiny": ["bad"]}
    assert game.choose(1).notices[0].text.startswith("The story has ended")
    game.undo()
    again = game.choose(2)
    assert again.ended is not None and [w.kind for w in again.writes] == ["autosave"]


def test_a_new_game_keeps_the_old_autosave_once(tiny: Path, tmp_path: Path) -> None:
    game = started(tiny, tmp_path)
    run_writes(game.choose(1))
    run_writes(game.choose(2))  # the bad ending
    game.new_game()
    run_writes(game.choose(2))
    assert scene_of(tmp_path / "autosave-previous.json") == "bad"
    assert scene_of(tmp_path / "autosave.json") == "b"
    run_writes(game.choose(2))  # later autosaves of the same game keep no more backups
    assert scene_of(tmp_path / "autosave-previous.json") == "bad"


def test_a_load_is_the_new_current_game_and_the_autosave_follows_it(tiny: Path, tmp_path: Path) -> None:
    game = started(tiny, tmp_path)
    run_writes(game.choose(1))
    run_writes(game.save("mine"))  # in b
    run_writes(game.choose(1))  # the good ending: the autosave is there
    game.close()  # the window is closed (else the next Game is a second copy, on 'autosave-2')
    loaded = Game.open(tiny, SaveStore(tmp_path), seed=1)
    out = loaded.load("mine")
    assert out.ok and out.shows and out.notices[0].text == "Loaded 'mine'."
    # Written by the load itself, before any choice: quitting now and choosing Continue
    # brings back 'mine', and the game left keeps its place as autosave-previous.
    assert [w.kind for w in out.writes] == ["autosave"]
    run_writes(out)
    assert scene_of(tmp_path / "autosave.json") == "b"
    assert scene_of(tmp_path / "autosave-previous.json") == "good"
    newest = Game.open(tiny, SaveStore(tmp_path), seed=1).newest
    assert newest is not None and newest.name == "autosave"
    run_writes(loaded.choose(2))  # later autosaves of the loaded game keep no more backups
    assert scene_of(tmp_path / "autosave-previous.json") == "good"


def test_loading_the_autosave_itself_keeps_the_previous_game(tiny: Path, tmp_path: Path) -> None:
    game = started(tiny, tmp_path)
    run_writes(game.choose(2))
    run_writes(game.choose(2))  # the bad ending
    game.new_game()
    run_writes(game.choose(1))  # a new game in b; the bad ending is autosave-previous
    game.close()
    again = Game.open(tiny, SaveStore(tmp_path), seed=1)
    run_writes(again.load("autosave"))  # what Continue does
    assert scene_of(tmp_path / "autosave.json") == "b"
    assert scene_of(tmp_path / "autosave-previous.json") == "bad"


def test_autosaves_written_out_of_order_never_go_back(tiny: Path, tmp_path: Path) -> None:
    game = started(tiny, tmp_path)
    first = game.choose(1)
    second = game.choose(1)  # Walk free: the good ending
    run_writes(second)
    run_writes(first)  # a slower thread finishing late
    assert scene_of(tmp_path / "autosave.json") == "good"


def test_a_failing_autosave_is_said_once_and_play_goes_on(tiny: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    game = started(tiny, blocker / "saves")
    first = run_writes(game.choose(2))
    assert len(first) == 1 and first[0].startswith("Autosave failed:") and "Play goes on" in first[0]
    assert run_writes(game.undo()) == []
    assert game.session is not None and game.session.state == "a"


def test_saving_counts_moves_and_refuses_the_games_own_slots(tiny: Path, tmp_path: Path) -> None:
    game = started(tiny, tmp_path)
    game.choose(1)
    for name in ("autosave", "AUTOSAVE-previous", "../x", ""):
        out = game.save(name)
        assert out.status is Status.REFUSED and not out.writes, name
    out = game.save("slot one")
    assert game.unsaved == 1  # nothing is saved until the write has run
    assert run_writes(out) == ["Saved to 'slot one'."]
    assert game.unsaved == 0
    game.undo()
    assert game.unsaved == 1


def test_loading_says_what_it_repaired(demo_copy: Path, tmp_path: Path) -> None:
    game = started(demo_copy, tmp_path / "saves")
    game.choose(1)
    run_writes(game.save("before"))
    data = json.loads((tmp_path / "saves" / "before.json").read_text())
    data["state"]["scene"] = "no.such.scene"
    (tmp_path / "saves" / "before.json").write_text(json.dumps(data))
    out = Game.open(demo_copy, SaveStore(tmp_path / "saves"), seed=1).load("before")
    assert out.ok and out.notices[0].text == "Loaded 'before'."
    assert any("checkpoint" in line for line in out.notices[0].lines)


def test_a_failed_load_leaves_no_half_game(tiny: Path, tmp_path: Path) -> None:
    game = Game.open(tiny, SaveStore(tmp_path), seed=1)
    out = game.load("nothing-here")
    assert out.status is Status.FAILED and game.session is None
    assert out.notices[0].text == "Could not load 'nothing-here': there is no save called 'nothing-here'"
    (tmp_path / "bad.json").write_text(json.dumps({"format": "metallic-rouge-save", "format_version": 1,
                                                    "story_id": "tiny", "state": "broken"}))
    assert game.load("bad").status is Status.FAILED and game.session is None


def test_reads_run_apart_from_the_apply(tiny: Path, tmp_path: Path) -> None:
    """The slow half of a load touches no game state: a view may run it on another thread."""
    game = started(tiny, tmp_path)
    run_writes(game.choose(1))
    run_writes(game.save("mine"))
    game.undo()
    read = game.read("mine")
    assert game.session is not None and game.session.state == "a"
    assert game.apply_load(read).ok and game.session.state == "b"


def test_watch_reloads_an_edited_story_and_keeps_the_last_good_one(tiny: Path, tmp_path: Path) -> None:
    game = started(tiny, tmp_path / "saves", watch=True)
    assert game.watching and game.reload().notices == []
    game.choose(1)
    scenes = tiny / "scenes.yaml"
    edit(scenes, TINY_SCENES.replace("You defied.", "You defied them all."))
    out = game.reload()
    assert out.shows and out.notices[0].text.startswith("Reloaded the story") and out.notices[0].title == "Story"
    assert game.text() == "You defied them all."
    edit(scenes, TINY_SCENES.replace("to: bad", "to: nowhere"))
    stale = game.check_reload()
    broken = game.apply_reload(stale)
    assert not broken.shows and "error(s)" in broken.notices[0].text and broken.notices[0].lines
    assert game.text() == "You defied them all."


def test_a_reload_read_for_a_replaced_game_is_dropped(tiny: Path, tmp_path: Path) -> None:
    game = Game.open(tiny, SaveStore(tmp_path), seed=1, watch=True)
    game.new_game()
    edit(tiny / "scenes.yaml", TINY_SCENES.replace("Free.", "Free at last."))
    reload = game.check_reload()
    assert reload is not None
    game.session, game._watcher = None, None  # what a failed fresh load leaves
    game.new_game()
    assert game.apply_reload(reload).notices == []


def test_a_story_that_does_not_load_is_explained(make_story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_story(TINY_SCENES.replace("to: bad", "to: nowhere"))
    game = Game.open(root, SaveStore(tmp_path))
    assert game.story is None and game.load_errors[0].startswith("The story could not be loaded (1 error(s))")
    assert game.new_game().status is Status.REFUSED


def test_story_errors_become_notices_not_crashes(make_story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_story(TINY_SCENES.replace("do: [freedom -= 5]", "do: [freedom = freedom / (freedom - 10)]"))
    game = Game.open(root, SaveStore(tmp_path), seed=1)
    game.new_game()
    out = game.choose(2)
    assert out.status is Status.FAILED and "Try another choice or undo" in out.notices[0].text
    assert game.session is not None and game.session.state == "a"


def test_a_third_view_needs_nothing_but_game(tmp_path: Path) -> None:
    """A driver that only reads the Game's state and renders outcomes plays the demo to an ending."""
    game = Game(SaveStore(tmp_path), load_story(DEMO), seed=1)
    game.new_game()
    said: list[str] = []
    while game.session is not None and not game.session.is_over:
        views, problem = game.choices()
        assert problem is None
        out = game.choose(next(v for v in views if v.available))
        said += [n.text for n in out.notices] + run_writes(out)
    assert said == [] and game.session is not None and game.session.ending is not None
    assert (tmp_path / "autosave.json").exists() and (tmp_path / ".endings.json").exists()


def edit(path: Path, text: str) -> None:
    """Rewrite a story file with an mtime a second later (the watcher compares mtimes and sizes)."""
    path.write_text(text)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
