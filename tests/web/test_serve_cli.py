"""The serve command's options and checks, and how play picks the TUI without a terminal."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from game.cli import build_parser, main
from game.cli.serve import is_loopback


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "LOCALHOST"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.org", "10.0.0.1"])
def test_other_hosts_are_not_loopback(host: str) -> None:
    assert not is_loopback(host)


def test_defaults_are_loopback_and_port_8000() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.story, args.saves) == ("127.0.0.1", 8000, None, None)


@pytest.mark.parametrize("port", ["-1", "65536", "eighty"])
def test_bad_ports_are_refused(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--port", port])
    assert exc.value.code == 2
    assert "is not a port number" in capsys.readouterr().err


def _no_serving(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], str, int]]:
    pytest.importorskip("textual_serve")
    from game.web.server import GameServer

    calls: list[tuple[list[str], str, int]] = []

    def fake_run(self: GameServer, announce: object = None) -> int:
        calls.append((self.game_argv, self.host, self.port))
        return 0

    monkeypatch.setattr(GameServer, "run", fake_run)
    return calls


def test_a_non_loopback_host_is_warned_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = _no_serving(monkeypatch)
    assert main(["serve", "--host", "0.0.0.0", "--port", "0", "--saves", str(tmp_path / "s")]) == 0
    err = capsys.readouterr().err
    assert "Warning: listening on 0.0.0.0, not on loopback" in err and "no password" in err
    argv, host, port = calls[0]
    assert (host, port) == ("0.0.0.0", 0)
    # Each tab's game: the TUI without a terminal, on the folders serve was given.
    assert argv[1:5] == ["-m", "game", "play", "--tui"]
    assert argv[argv.index("--saves") + 1] == str((tmp_path / "s").resolve())


def test_loopback_is_not_warned_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _no_serving(monkeypatch)
    assert main(["serve", "--saves", str(tmp_path / "s")]) == 0
    assert "Warning" not in capsys.readouterr().err


def test_a_broken_story_fails_before_serving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = _no_serving(monkeypatch)
    (tmp_path / "story").mkdir()
    assert main(["serve", "--story", str(tmp_path / "story"), "--saves", str(tmp_path / "s")]) == 1
    assert calls == []
    assert "error" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("flags", "driver", "tui"),
    [
        ([], None, False),  # pipes, as under pytest: plain mode
        (["--tui"], None, True),
        ([], "textual.drivers.web_driver:WebDriver", True),  # started by textual-serve
        (["--plain", "--tui"], None, False),  # --plain is the player's explicit word
    ],
)
def test_play_picks_the_tui_without_a_terminal_when_told(
    flags: list[str], driver: str | None, tui: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import game.cli.play as play
    import game.tui

    picked: list[str] = []
    monkeypatch.setattr(game.tui, "run_tui", lambda **kwargs: picked.append("tui") or 0)
    monkeypatch.setattr(play, "run_plain_cli", lambda *args: picked.append("plain") or 0)
    if driver is None:
        monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    else:
        monkeypatch.setenv("TEXTUAL_DRIVER", driver)
    args = build_parser().parse_args(["play", *flags, "--saves", str(tmp_path)])
    assert isinstance(args, argparse.Namespace)
    assert play.run(args) == 0
    assert picked == ["tui" if tui else "plain"]
