"""Two copies of the game on one saves folder (two windows, two browser tabs) never erase each other's data.

Before: the endings gallery was read once at the start and written whole, so
one window's ending erased the other's; and both autosaved to ``autosave``, so
the copy that wrote last silently replaced the other's game.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from game.loader import load_story
from game.play.autosave import RESERVED
from game.play.gallery import ENDINGS_FILE, EndingsGallery
from game.play.game import Game
from game.play.lock import LOCK_PATTERN, claim
from game.saves import SaveStore
from tests.conftest import ROOT, TINY_SCENES

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="running-copy detection needs flock")


def run_writes(out: object) -> list[str]:
    texts: list[str] = []
    for write in out.writes:  # type: ignore[attr-defined]
        texts += [n.text for n in write.run()]
    return texts


def scene_of(path: Path) -> str:
    return json.loads(path.read_text())["state"]["scene"]  # type: ignore[no-any-return]


@pytest.fixture
def tiny(make_story: Callable[..., Path]) -> Path:
    return make_story(TINY_SCENES)


def test_the_gallery_merges_what_another_window_wrote(tmp_path: Path) -> None:
    one, two = EndingsGallery.open(tmp_path), EndingsGallery.open(tmp_path)  # both read an empty gallery
    assert one.add("tiny", "good")
    one.save()
    assert two.add("tiny", "bad") and two.add("other", "x")
    two.save()
    on_disk = json.loads((tmp_path / ENDINGS_FILE).read_text())["stories"]
    assert sorted(on_disk["tiny"]) == ["bad", "good"] and on_disk["other"] == ["x"]
    assert two.has("tiny", "good")  # and the window learns of the other's ending
    one.add("tiny", "good")
    one.save(one.snapshot())  # an older snapshot never takes an ending away
    assert sorted(json.loads((tmp_path / ENDINGS_FILE).read_text())["stories"]["tiny"]) == ["bad", "good"]


def test_two_games_reaching_endings_keep_both_in_the_gallery(tiny: Path, tmp_path: Path) -> None:
    story = load_story(tiny)
    first = Game(SaveStore(tmp_path), story, autosave=False, seed=1)
    second = Game(SaveStore(tmp_path), story, autosave=False, seed=1)
    for game, picks in ((first, [1, 1]), (second, [2, 2])):  # Defy, Walk free / Obey, Stay
        game.new_game()
        for pick in picks:
            run_writes(game.choose(pick))
    assert first.session is not None and second.session is not None
    assert first.session.ending is not None and second.session.ending is not None
    assert first.session.ending.id != second.session.ending.id
    reached = EndingsGallery.open(tmp_path).reached[story.id]
    assert sorted(reached) == sorted([first.session.ending.id, second.session.ending.id])


def test_a_second_game_on_the_folder_autosaves_to_its_own_slot_and_says_so(tiny: Path, tmp_path: Path) -> None:
    story = load_story(tiny)
    first, second = Game(SaveStore(tmp_path), story, seed=1), Game(SaveStore(tmp_path), story, seed=2)
    first.new_game()
    assert run_writes(first.choose(1)) == []  # copy 1: autosave, no notice
    second.new_game()
    notices = run_writes(second.choose(3))  # "Ask again": stays in scene a
    assert len(notices) == 1 and "Another copy of the game" in notices[0] and "'autosave-2'" in notices[0]
    assert f"process {os.getpid()}" in notices[0]
    assert scene_of(tmp_path / "autosave.json") == "b"
    assert scene_of(tmp_path / "autosave-2.json") == "a"
    # Each goes on writing its own slot; the notice is said once.
    assert run_writes(first.choose(1)) == [] and run_writes(second.choose(1)) == []
    assert scene_of(tmp_path / "autosave.json") in ("good", "bad")
    assert scene_of(tmp_path / "autosave-2.json") == "b"
    assert json.loads((tmp_path / "autosave-2.json").read_text())["slot"] == "autosave-2"
    # The second copy's slots are the game's: a player cannot save to them.
    assert {"autosave-2", "autosave-2-previous"} <= RESERVED
    assert first.check_save_name("autosave-2") is not None
    # When the first copy is gone, its number is free again.
    del first
    gc.collect()
    third = Game(SaveStore(tmp_path), story, seed=3)
    third.new_game()
    assert run_writes(third.choose(2)) == []
    assert scene_of(tmp_path / "autosave.json") == "b"


def test_a_lock_left_by_a_dead_copy_is_taken_over(tmp_path: Path) -> None:
    # A lock file with the pid of a process that has ended, and no flock on it (the
    # kernel dropped it when that process died): the next copy is copy 1 again.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / LOCK_PATTERN.format(n=1)).write_text(dead.stdout)
    mine = claim(tmp_path)
    try:
        assert mine.number == 1 and mine.other_pid is None
        assert (tmp_path / LOCK_PATTERN.format(n=1)).read_text().strip() == str(os.getpid())
    finally:
        mine.release()


HOLDER = """\
import sys, time
from pathlib import Path
from game.play.lock import claim
held = claim(Path(sys.argv[1]))
print(held.number, flush=True)
sys.stdin.readline()
"""


def test_a_killed_copy_leaves_no_lock_behind(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "1"
        second = claim(tmp_path)
        assert second.number == 2 and second.other_pid == holder.pid
        second.release()
    finally:
        holder.kill()
        holder.wait()
    again = claim(tmp_path)
    assert again.number == 1
    again.release()


def test_two_tui_or_plain_processes_never_erase_each_others_autosave(tiny: Path, tmp_path: Path) -> None:
    # What two browser tabs are: two `play` processes on one saves folder, at the same time.
    saves = tmp_path / "saves"

    def start(seed: int) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "game", "play", "--plain", "--story", str(tiny), "--saves", str(saves),
             "--seed", str(seed)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        )

    def wait_for(path: Path, scene: str) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if scene_of(path) == scene:
                    return
            except (OSError, ValueError):
                pass
            time.sleep(0.05)
        pytest.fail(f"{path.name} never reached {scene}")

    first, second = start(1), start(2)
    try:
        assert first.stdin is not None and second.stdin is not None
        first.stdin.write("1\n")  # Defy -> b
        first.stdin.flush()
        wait_for(saves / "autosave.json", "b")
        second.stdin.write("3\n")  # Ask again -> a
        second.stdin.flush()
        wait_for(saves / "autosave-2.json", "a")
        assert scene_of(saves / "autosave.json") == "b"
        first_out, first_err = first.communicate("quit\n", timeout=60)
        second_out, second_err = second.communicate("quit\n", timeout=60)
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.kill()
    assert first.returncode == 0 and second.returncode == 0, first_err + second_err
    assert "Another copy of the game" not in first_out
    assert "Another copy of the game" in second_out and "autosave-2" in second_out
    assert scene_of(saves / "autosave.json") == "b" and scene_of(saves / "autosave-2.json") == "a"
