from __future__ import annotations

import io
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest

from game.loader import load_story
from game.plain import PlainGame, run_plain
from game.saves import SaveStore
from game.session import Session
from tests.conftest import DEMO, ROOT, SCENES


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
    assert "\nPurgatory Viola.\n" in out and out.rstrip().splitlines()[-1].startswith("> Goodbye.")


def test_damaged_save_prints_a_message(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{not json")
    code, out = play(DEMO, "load broken\nsaves\n1\n", tmp_path)
    assert code == 0
    assert "  broken: damaged - " in out and "\nPurgatory Viola.\n" in out


def test_undo_and_status(tmp_path: Path) -> None:
    code, out = play(DEMO, "2\nstatus\nundo\nstatus\n", tmp_path)
    statuses = [chunk for chunk in out.split("> ") if chunk.startswith("Freedom:")]
    assert "Freedom: 15 of 100" in statuses[0] and "Freedom: 10 of 100" in statuses[1]
    assert "  Sara Fitzgerald, Purgatory Viola: unknown.\n" in out


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


def test_choice_numbers_are_ascii_digits_only(tmp_path: Path) -> None:
    game = PlainGame(Session(load_story(DEMO), seed=1), SaveStore(tmp_path), io.StringIO())
    start = game.session.state
    for typed in ("²", "١", "٣", "¹2", "1\u0660"):
        game.handle(typed + "\n")
        assert game.session.state == start, typed
    out = game.out.getvalue()  # type: ignore[attr-defined]
    assert "Unknown command '²'" in out and "Unknown command '١'" in out
    # Thousands of digits: int() refuses them (sys.set_int_max_str_digits) or takes ages;
    # they are simply not a choice on screen.
    game.handle("9" * 5000 + "\n")
    game.handle("1" + "0" * 4999 + "\n")
    assert game.session.state == start
    assert game.out.getvalue().count("Choose a number from 1 to 3") == 2  # type: ignore[attr-defined]
    game.handle("0002\n")  # leading zeros are still the number
    assert game.session.history[-1].label == "Eat a square of chocolate first."


def test_a_line_too_long_is_ignored_and_play_goes_on(tmp_path: Path) -> None:
    from game.plain.mode import MAX_LINE

    code, out = play(DEMO, "x" * (MAX_LINE * 5) + "\n" + "1" * (MAX_LINE + 1) + "\n2\n", tmp_path)
    assert code == 0
    assert out.count(f"longer than {MAX_LINE} characters; it was ignored") == 2
    assert "Freedom +5: now 15" in out  # the line after them is read as usual


class _Broken(io.StringIO):
    def __init__(self, fail_after: int = 0) -> None:
        super().__init__()
        self.left = fail_after

    def readline(self, size: int | None = -1) -> str:
        raise OSError(5, "Input/output error")

    def write(self, s: str) -> int:
        if self.left <= 0:
            raise BrokenPipeError(32, "Broken pipe")
        self.left -= 1
        return super().write(s)


def test_lost_input_or_output_ends_with_one_line_and_a_code(tmp_path: Path) -> None:
    from game.plain.exits import EXIT_NO_INPUT, EXIT_NO_OUTPUT

    err = io.StringIO()
    game = PlainGame(Session(load_story(DEMO), seed=1), SaveStore(tmp_path), io.StringIO())
    assert run_plain(game, _Broken(), err) == EXIT_NO_INPUT
    assert err.getvalue().count("\n") == 1 and "cannot read the input" in err.getvalue()
    err = io.StringIO()
    game = PlainGame(Session(load_story(DEMO), seed=1), SaveStore(tmp_path), _Broken(fail_after=3))
    assert run_plain(game, io.StringIO("1\n"), err) == EXIT_NO_OUTPUT
    assert err.getvalue().count("\n") == 1 and "cannot write the output" in err.getvalue()
    assert run_plain(game, None, err) == EXIT_NO_INPUT


def _cli(redirect: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    # A shell closes the stream for us, as a user's `<&-` or `>&-` does.
    argv = [sys.executable, "-m", "game", "play", "--plain", "--story", str(DEMO), "--saves", str(tmp_path)]
    return subprocess.run(
        ["sh", "-c", f'exec "$@" {redirect}', "sh", *argv], capture_output=True, text=True, timeout=60, cwd=ROOT
    )


@pytest.mark.parametrize(("redirect", "code", "words"), [("<&-", 3, "standard input is closed"), (">&-", 4, "standard output is closed")])
def test_cli_with_a_closed_stream(redirect: str, code: int, words: str, tmp_path: Path) -> None:
    run = _cli(redirect, tmp_path)
    assert run.returncode == code
    assert run.stderr.strip().count("\n") == 0 and words in run.stderr and "Traceback" not in run.stderr


def test_cli_on_a_broken_pipe(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "game", "play", "--plain", "--story", str(DEMO), "--saves", str(tmp_path)]
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None and proc.stdin is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the game writes a word
    proc.stdin.write(b"1\n" * 20)
    proc.stdin.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 4
    assert err.strip().count("\n") == 0 and "Broken pipe" in err and "Traceback" not in err and "ignored" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and ptys")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_plain_stops_on_a_signal_with_one_line_and_the_autosave(sig: signal.Signals, tmp_path: Path) -> None:
    from tests.ptyrun import PtyGame

    game = PtyGame(["play", "--plain", "--story", str(DEMO), "--saves", str(tmp_path), "--seed", "1"])
    try:
        game.wait_text("> ")
        game.send("1\n")
        game.wait_for(lambda: game.text().count("> ") >= 2, what="the second prompt")
        game.proc.send_signal(sig)
        code = game.finish()
        text = game.text()
    finally:
        game.close()
    assert code == 128 + sig
    assert f"metallic-rouge: stopped by {sig.name}; your progress is in the autosave." in text
    assert "Traceback" not in text
    import json

    assert json.loads((tmp_path / "autosave.json").read_text())["scene_title"] == "Purgatory Viola"


def test_a_signal_during_a_command_waits_for_its_autosave(tmp_path: Path) -> None:
    from game.plain.mode import stop_on_signals

    game = PlainGame(Session(load_story(DEMO), seed=1), SaveStore(tmp_path), io.StringIO())
    real_choose = game.game.choose

    def choose_then_signal(pick: int):  # type: ignore[no-untyped-def]
        import os

        os.kill(os.getpid(), signal.SIGTERM)  # arrives in the middle of the move
        return real_choose(pick)

    game.game.choose = choose_then_signal  # type: ignore[method-assign]
    err = io.StringIO()
    with stop_on_signals(game):
        code = run_plain(game, io.StringIO("1\n2\n"), err)
    assert code == 128 + signal.SIGTERM  # run_plain's own handler took the Stopped
    assert (tmp_path / "autosave.json").exists()  # the move's autosave was written first
    assert "stopped by SIGTERM; your progress is in the autosave." in err.getvalue()
    assert len(game.session.history) == 1  # and nothing after it ran


def test_greeting_names_the_story_and_help_and_offers_the_autosave(tmp_path: Path) -> None:
    code, out = play(DEMO, "continue\n", tmp_path)
    first = out.splitlines()[0]
    assert first == "Metallic Rouge: First Orders (demo). Type help for the list of commands."
    assert "autosave" not in out.split("\n> ")[0]  # nothing to offer yet
    assert "There is no autosave to continue yet." in out
    code, out = play(DEMO, "1\n1\nquit\n", tmp_path)  # leaves an autosave at Backstage
    assert out.rstrip().endswith("Goodbye. Your progress is in the autosave. Type continue next time to pick it up.")
    code, out = play(DEMO, "continue\nstatus\ncontinue\n", tmp_path)
    opening, resumed, status, again = out.split("> ")[:4]
    assert "You have an autosave from today " in opening
    assert ", at Backstage. Type continue to pick it up, or load autosave." in opening
    assert "Loaded 'autosave'." in resumed and "\nBackstage.\n" in resumed
    assert status.startswith("Freedom: 5 of 100")
    assert again.startswith("You are already playing on")


def test_continue_is_offered_only_before_playing_on(tmp_path: Path) -> None:
    play(DEMO, "1\n1\n", tmp_path)
    code, out = play(DEMO, "2\ncontinue\n", tmp_path)
    assert "You are already playing on" in out and "Loaded 'autosave'" not in out
    # The game from before this run is still there, moved aside by the first autosave.
    assert "\nBackstage.\n" in play(DEMO, "load autosave-previous\n", tmp_path)[1]


def test_read_aloud_output_has_no_decoration(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{not json")
    code, out = play(DEMO, "1\nsave mine\nstatus\nsaves\nlook\n", tmp_path)
    assert "==" not in out and "\u00b7" not in out and "[" not in out
    lines = out.splitlines()
    # Titles as written, as a sentence of their own, never in capitals.
    assert "Purgatory Viola." in lines and "PURGATORY VIOLA" not in out
    assert "Demo: First Orders. Ministry hangar, Mars." in lines
    status = out.split("> ")[3].splitlines()
    assert status[0] == "Freedom: 10 of 100, Gear in the system."  # the line scripts read
    assert status[1:4] == ["Second Law: obey: 100 of 100.", "Naomi's trust: 50 of 100.", "The Immortal Nine."]
    assert all(line.endswith(".") for line in status)
    saves = out.split("> ")[4]
    assert "  mine: Demo: First Orders, Purgatory Viola, Freedom 10 (Gear in the system). Saved today " in saves
    assert "  broken: damaged - " in saves  # the line scripts read
    # Choice lines stay "N. label", numbered over every choice shown.
    assert "  1. Memorise the file and go.\n  2. \"She has done nothing wrong since she retired.\"" in out


def test_end_of_input_says_goodbye_and_whether_the_game_is_kept(tmp_path: Path) -> None:
    code, out = play(DEMO, "1\n", tmp_path)
    assert code == 0
    assert out.rstrip().endswith("Goodbye. Your progress is in the autosave. Type continue next time to pick it up.")
    code, out = play(DEMO, "", tmp_path / "new")
    assert out.rstrip().endswith("Goodbye. No choice was made, so nothing new was saved.")
    out_stream = io.StringIO()
    game = PlainGame(Session(load_story(DEMO), seed=1), SaveStore(tmp_path), out_stream, autosave=False)
    run_plain(game, io.StringIO("1\nquit\n"))
    assert out_stream.getvalue().rstrip().endswith("Goodbye. Autosave is off, so only the games you saved by name are kept.")


@pytest.fixture
def utc() -> Iterator[None]:
    """Local time is UTC for the test, and whatever it was again after it (time.tzset both ways)."""
    import os
    import time

    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.mark.parametrize(
    ("saved_at", "said"),
    [
        ("2026-03-14T17:01:00+0000", "today 17:01"),
        ("2026-03-13T23:59:00+0000", "yesterday 23:59"),
        ("2026-01-02T08:05:00+0000", "2 January 08:05"),
        ("2025-12-31T10:00:00+0000", "31 December 2025 10:00"),
        ("2026-03-20T10:00:00+0000", "20 March 2026 10:00"),  # a clock set wrong: the full date
    ],
)
def test_save_times_read_aloud(saved_at: str, said: str, utc: None) -> None:
    from datetime import datetime

    from game.plain.mode import when
    from game.saves import SlotInfo

    now = datetime(2026, 3, 14, 18, 0, tzinfo=UTC)
    assert when(SlotInfo("x", Path("x.json"), True, saved_at=saved_at), now) == said
    stamp = datetime(2026, 3, 14, 9, 30, tzinfo=UTC).timestamp()
    assert when(SlotInfo("x", Path("x.json"), True, saved_at="garbled", mtime=stamp), now) == "today 09:30"
    assert when(SlotInfo("x", Path("x.json"), True, saved_at="garbled"), now) == "at a time not known"


def test_cli_load_greets_first_and_offers_no_continue(tmp_path: Path) -> None:
    play(DEMO, "1\nsave mid\n", tmp_path)
    argv = [sys.executable, "-m", "game", "play", "--plain", "--story", str(DEMO), "--saves", str(tmp_path), "--load", "mid"]
    run = subprocess.run(argv, input="quit\n", capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].endswith("Type help for the list of commands.") and lines[1] == "Loaded 'mid'."
    assert "Type continue to pick it up" not in run.stdout and "\nPurgatory Viola.\n" in run.stdout


def _help_text(story: Path, saves: Path) -> str:
    out = io.StringIO()
    run_plain(PlainGame(Session(load_story(story), seed=1), SaveStore(saves), out), io.StringIO("help\nquit\n"))
    return out.getvalue()


def test_plain_help_names_the_story_tracker(tmp_path: Path, make_story) -> None:  # type: ignore[no-untyped-def]
    assert "status        show the meters and The Immortal Nine" in _help_text(SCENES, tmp_path / "a")
    tiny = make_story("scenes:\n  - {id: a, title: A, text: A., ending: good}\n")
    text = _help_text(tiny, tmp_path / "b")
    assert "status        show the meters\n" in text and "Immortal" not in text
