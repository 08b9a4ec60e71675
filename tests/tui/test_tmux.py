"""The real game in a real terminal: tmux at 80x24 (the advertised minimum), keyboard only.

Each run starts ``python -m game play`` in a detached tmux session of its own
(its own server socket, killed at the end), plays to an ending with the arrow keys
and Enter, and before every Enter reads the screen with ``capture-pane``: the
choice about to be taken must be on screen. A Session of the same story walks
alongside to know which choice the highlight is on and which scene comes next;
if the game took another choice than the one on screen, the next scene's title
never shows and the run fails.

Skipped, with the reason printed, where tmux is not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from game.loader import load_story
from game.session import ChoiceView, Session
from tests.conftest import DEMO

CROWDED = Path(__file__).parent / "fixtures" / "crowded"
TMUX = shutil.which("tmux")
WAIT = 20.0  # seconds for the screen to show what is expected (a cold start imports Textual)

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (apt-get install tmux)")


class Terminal:
    """One tmux server and session running the game at a fixed size."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        done = subprocess.run(
            [TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=10
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def screen(self) -> list[str]:
        return self.tmux("capture-pane", "-p", "-t", "game").splitlines()

    def press(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "game", *keys)

    def wait_for(self, what: str, check: Callable[[list[str]], bool]) -> list[str]:
        deadline = time.monotonic() + WAIT
        lines = self.screen()
        while not check(lines):
            if time.monotonic() > deadline:
                pytest.fail(f"never on screen: {what}\n" + "\n".join(lines))
            time.sleep(0.05)
            lines = self.screen()
        return lines


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[[Path], Terminal]]:
    socket = f"mr-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    started: list[Terminal] = []

    def start(story: Path) -> Terminal:
        saves = tmp_path / "saves"
        saves.mkdir()
        env = os.environ.copy()
        env.update({"TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"})
        command = [
            sys.executable,
            "-m",
            "game",
            "play",
            "--story",
            str(story),
            "--saves",
            str(saves),
            "--seed",
            "1",
        ]
        term = Terminal(socket)
        assert TMUX is not None
        subprocess.run(
            [TMUX, "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "game", "-x", "80", "-y", "24",
             "-c", str(Path(__file__).parents[2]), *command],
            check=True, env=env, timeout=10,
        )  # fmt: skip
        started.append(term)
        return term

    yield start
    for term in started:
        subprocess.run(
            [TMUX or "tmux", "-L", term.socket, "kill-server"], capture_output=True, timeout=10
        )


def choice_line(view: ChoiceView) -> str:
    """The start of the choice's first line on screen: its number and its first words."""
    words: list[str] = []
    for word in view.label.split():
        if len(" ".join([*words, word])) > 24:
            break
        words.append(word)
    return f"{view.number}. {' '.join(words or [view.label[:24]])}"


def on_screen(view: ChoiceView) -> Callable[[list[str]], bool]:
    start = choice_line(view)
    return lambda lines: any(line.lstrip().startswith(start) for line in lines)


def play_by_keyboard(term: Terminal, story: Path, picks: list[int]) -> list[str]:
    """Play ``picks`` with the arrows and Enter; return what the ending screen shows."""
    session = Session(load_story(story), seed=1)
    term.wait_for("the title menu", lambda lines: any("New game" in line for line in lines))
    term.press("Enter")
    for pick in picks:
        term.wait_for(
            f"the scene {session.scene.title!r}",
            lambda lines: any(session.scene.title in line for line in lines),
        )
        views = session.choices()
        here = next((v.number - 1 for v in views if v.available), 0)
        # Walk the highlight over every choice and back: each must come into view.
        for step, key in [(1, "Down")] * len(views) + [(-1, "Up")] * len(views):
            term.press(key)
            here = (here + step) % len(views)
            term.wait_for(f"choice {here + 1} under the highlight", on_screen(views[here]))
        while here != pick - 1:
            term.press("Down")
            here = (here + 1) % len(views)
        # The choice about to be taken is on screen when Enter is pressed.
        term.wait_for(f"choice {pick}, about to be taken", on_screen(views[pick - 1]))
        term.press("Enter")
        session.choose(pick)
    ending = session.ending
    assert ending is not None
    return term.wait_for(
        f"the ending {ending.title!r}", lambda lines: any(ending.title in line for line in lines)
    )


def test_tmux_80x24_plays_the_crowded_scene_to_an_ending_by_keyboard(
    terminal: Callable[[Path], Terminal],
) -> None:
    term = terminal(CROWDED)
    lines = play_by_keyboard(term, CROWDED, [6, 2])
    assert any("Back the Way You Came" in line for line in lines)


def test_tmux_80x24_plays_the_demo_to_an_ending_by_keyboard(
    terminal: Callable[[Path], Terminal],
) -> None:
    term = terminal(DEMO)
    lines = play_by_keyboard(term, DEMO, [3, 1, 2, 2, 1, 2, 2])
    assert any("The Last Song" in line for line in lines)
