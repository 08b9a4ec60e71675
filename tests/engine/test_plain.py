from __future__ import annotations

import io
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from game.loader import load_story
from game.plain import PlainGame, run_plain
from game.saves import SaveStore
from game.session import Session
from tests.conftest import DEMO, ROOT


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
    assert "[Freedom +5: now 15" in out  # the line after them is read as usual


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
