"""A templated scene title outside the TUI: plain mode, saves, a save whose scene is gone, graph."""

from __future__ import annotations

import io
from pathlib import Path

from game.authoring.graph import to_dot, to_mermaid
from game.loader import load_story
from game.plain import PlainGame, run_plain
from game.saves import SaveStore, to_save
from game.session import Session
from game.state import SessionState, fit
from tests.tui.test_tui_templated_titles import HANGAR, templated_demo


def test_plain_mode_headings_and_history_read_filled_in(tmp_path: Path) -> None:
    out = io.StringIO()
    game = PlainGame(Session(load_story(templated_demo(tmp_path)), seed=1), SaveStore(tmp_path / "saves"), out)
    run_plain(game, io.StringIO("3\n1\nhistory\nquit\n"))
    text = out.getvalue()
    assert "The Hangar, three bars." in text
    assert "1. The Hangar, three bars: " in text
    # The question's title renders empty: its history line has no title, not the source.
    assert "{" not in text and "A Full Pocket" not in text


def test_a_save_describes_the_scene_filled_in(tmp_path: Path) -> None:
    session = Session(load_story(templated_demo(tmp_path)), seed=1)
    data = to_save(session)
    assert data["scene_title"] == "The Hangar, three bars"
    assert "The Hangar, three bars" in data["description"] and "{" not in data["description"]


def test_a_save_from_a_removed_scene_never_names_a_checkpoint_by_its_source(tmp_path: Path) -> None:
    story = load_story(templated_demo(tmp_path))
    _, notices = fit(SessionState(scene="gone.scene", vars={}), story)
    assert notices == ["The scene this save was in is no longer in the story; you resume at the nearest checkpoint."]


def test_graph_keeps_a_templated_title_marked_as_a_template(tmp_path: Path) -> None:
    story = load_story(templated_demo(tmp_path))
    for out in (to_dot(story), to_mermaid(story)):
        assert f"{HANGAR} (template)" in out
        assert "Backstage (template)" not in out and "Backstage" in out
