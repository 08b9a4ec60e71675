from __future__ import annotations

import io
from pathlib import Path

from game.loader import load_story
from game.plain import PlainGame, run_plain
from game.saves import SaveStore
from game.session import Session
from tests.conftest import DEMO


def play(story_dir: Path, script: str, saves: Path) -> tuple[int, str]:
    out = io.StringIO()
    game = PlainGame(Session(load_story(story_dir), seed=1), SaveStore(saves), out)
    code = run_plain(game, io.StringIO(script))
    return code, out.getvalue()


def test_plays_the_demo_to_an_ending(tmp_path: Path) -> None:
    code, out = play(DEMO, "1\n1\n1\n1\n1\n", tmp_path)
    assert code == 0
    assert "THE END: Orders Kept." in out
    assert (tmp_path / "autosave.json").exists()


def test_locked_choice_shows_reason_and_play_goes_on(tmp_path: Path) -> None:
    code, out = play(DEMO, "1\n1\n1\n2\n2\n1\n", tmp_path)
    assert "(locked) Let her finish her tour. - The Second Law closes around the thought." in out
    assert "Locked: The Second Law closes" in out
    assert code == 0


def test_bad_commands_never_end_the_game(tmp_path: Path) -> None:
    script = "\n".join(["dance", "99", "0", "undo", "load nothing", "save ../../x", "save", "load", "help", "saves", "history", "1", "quit"]) + "\n"
    code, out = play(DEMO, script, tmp_path)
    assert code == 0
    assert "Unknown command 'dance'" in out
    assert "Choose a number from 1 to 3" in out
    assert "Nothing to undo" in out
    assert "there is no save called 'nothing'" in out
    assert "not a usable save name" in out
    assert "PURGATORY VIOLA" in out and out.rstrip().endswith("Goodbye.")


def test_damaged_save_prints_a_message(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{not json")
    code, out = play(DEMO, "load broken\nsaves\n1\n", tmp_path)
    assert code == 0
    assert "damaged" in out and "PURGATORY VIOLA" in out


def test_undo_and_status(tmp_path: Path) -> None:
    code, out = play(DEMO, "2\nstatus\nundo\nstatus\n", tmp_path)
    statuses = [chunk for chunk in out.split("> ") if chunk.startswith("Freedom:")]
    assert "Freedom: 15 of 100" in statuses[0] and "Freedom: 10 of 100" in statuses[1]
    assert "Sara Fitzgerald (Purgatory Viola): unknown" in out


def test_scene_text_prints_literally(make_story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import TINY_SCENES

    root = make_story(TINY_SCENES.replace('"Freedom is {freedom}."', '"[@click=app.quit] [link=x]bold[/] {freedom}"'))
    code, out = play(root, "", tmp_path)
    assert "[@click=app.quit] [link=x]bold[/] 10" in out


def test_cli_help_and_version(capsys) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from game.cli import main

    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    assert "validate" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--version"])
    assert "metallic-rouge" in capsys.readouterr().out
