"""Files in the saves folder that are not what their names say: nothing hangs, nothing is read without bound.

A FIFO named ``slot.json`` blocks an ordinary ``open()`` until a writer comes,
forever; a slot symlinked to ``/dev/zero`` never ends. Every read of the saves
folder (slots, settings, the gallery) goes through ``game.paths.read_bounded``,
which opens without blocking, refuses what is not a regular file and reads at
most the limit + 1 byte.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from game.loader import load_story
from game.paths import FileTooLarge, NotARegularFile, read_bounded
from game.play.gallery import ENDINGS_FILE, EndingsGallery
from game.play.game import Game
from game.saves import SaveError, SaveStore, to_save
from game.session import Session
from game.tui.settings import SETTINGS_FILE, Settings, SettingsStore
from tests.conftest import DEMO, ROOT

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")

T = TypeVar("T")
TIMEOUT = 10.0


@pytest.fixture
def fifos() -> Iterator[list[Path]]:
    """FIFOs a test makes; any reader still blocked on one at the end is released (so no test hangs)."""
    made: list[Path] = []
    yield made
    for path in made:
        release(path)


def release(path: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)  # succeeds only if a reader is blocked on it
    except OSError:
        return
    os.close(fd)


def fifo(path: Path, made: list[Path]) -> Path:
    os.mkfifo(path)
    made.append(path)
    return path


def within(seconds: float, fn: Callable[[], T], fifos: list[Path] = ()) -> T:  # type: ignore[assignment]
    """``fn()``, or a failure if it does not return in time (a read blocked on a FIFO)."""
    result: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(fn())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        for path in fifos:
            release(path)
        thread.join(5)
        pytest.fail(f"{getattr(fn, '__name__', fn)} hung for {seconds} s on a FIFO or a device")
    if errors:
        raise errors[0]
    return result[0]


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    folder = tmp_path / "saves"
    folder.mkdir()
    story = load_story(DEMO)
    SaveStore(folder).write("good", to_save(Session(story, seed=1), "good"))
    return folder


def test_a_fifo_named_like_a_save_is_listed_as_damaged_and_never_opened_for_reading(
    saves: Path, fifos: list[Path]
) -> None:
    fifo(saves / "pipe.json", fifos)
    store = SaveStore(saves)
    slots = within(TIMEOUT, lambda: store.list(), fifos)
    by_name = {s.name: s for s in slots}
    assert by_name["good"].ok
    assert not by_name["pipe"].ok and "not a save file" in by_name["pipe"].error
    with pytest.raises(SaveError, match="not a save file"):
        within(TIMEOUT, lambda: store.read("pipe"), fifos)
    assert within(TIMEOUT, lambda: store.newest(), fifos).name == "good"  # type: ignore[union-attr]


def isolated(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``python args`` with a memory cap and a timeout: an endless read (/dev/zero) fails the
    test instead of filling the machine's memory, as it did before read_bounded."""

    def cap() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    try:
        return subprocess.run(
            [sys.executable, *args], input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=60,
            preexec_fn=cap,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("hung on a FIFO or a device in the saves folder")


MEMORY_CAP = 2 * 1024**3
DEV_ZERO_CHECK = """\
import sys
from pathlib import Path
from game.play.gallery import EndingsGallery
from game.saves import SaveError, SaveStore
from game.tui.settings import Settings, SettingsStore
folder = Path(sys.argv[1])
store = SaveStore(folder)
slots = {s.name: s for s in store.list()}
assert slots["good"].ok
assert not slots["zero"].ok and "not a save file" in slots["zero"].error, slots["zero"]
try:
    store.read("zero")
except SaveError as exc:
    assert "not a save file" in str(exc)
else:
    raise AssertionError("read a slot that is /dev/zero")
assert SettingsStore(folder).load() == Settings()
assert EndingsGallery.open(folder).reached == {}
print("ok")
"""


def test_a_slot_or_hidden_file_linked_to_dev_zero_is_refused_without_reading_it(saves: Path) -> None:
    (saves / "zero.json").symlink_to("/dev/zero")
    (saves / SETTINGS_FILE).symlink_to("/dev/zero")
    (saves / ENDINGS_FILE).symlink_to("/dev/zero")
    out = isolated("-c", DEV_ZERO_CHECK, str(saves))
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-800:]


def test_hidden_files_that_are_fifos_leave_defaults(saves: Path, fifos: list[Path]) -> None:
    fifo(saves / SETTINGS_FILE, fifos)
    fifo(saves / ENDINGS_FILE, fifos)
    assert within(TIMEOUT, lambda: SettingsStore(saves).load(), fifos) == Settings()
    assert within(TIMEOUT, lambda: EndingsGallery.open(saves), fifos).reached == {}


def test_the_game_starts_and_loads_beside_fifos_and_devices(saves: Path, fifos: list[Path]) -> None:
    # What the TUI does at its start (Game.open reads the gallery and every save), then a load.
    fifo(saves / "autosave.json", fifos)
    fifo(saves / ENDINGS_FILE, fifos)
    game = within(TIMEOUT, lambda: Game.open(DEMO, SaveStore(saves)), fifos)
    assert game.newest is not None and game.newest.name == "good"
    out = within(TIMEOUT, lambda: game.load("autosave"), fifos)
    assert not out.ok and "not a save file" in out.notices[0].text
    assert within(TIMEOUT, lambda: game.load("good"), fifos).ok


def test_plain_saves_and_load_commands_do_not_hang(saves: Path, fifos: list[Path]) -> None:
    fifo(saves / "pipe.json", fifos)
    (saves / "zero.json").symlink_to("/dev/zero")
    out = isolated(
        "-m", "game", "play", "--plain", "--story", str(DEMO), "--saves", str(saves), "--seed", "1",
        stdin="saves\nload pipe\nload zero\nquit\n",
    )
    assert out.returncode == 0, out.stderr[-800:]
    assert "pipe: damaged - this is not a save file" in out.stdout
    assert "zero: damaged - this is not a save file" in out.stdout
    assert "Traceback" not in out.stderr


def test_reads_are_capped_whatever_stat_says(tmp_path: Path) -> None:
    # /proc files are regular and say they are empty: only the cap stops the read.
    proc = Path("/proc/self/status")
    if proc.is_file() and proc.stat().st_size == 0:
        with pytest.raises(FileTooLarge) as caught:
            read_bounded(proc, 16)
        assert caught.value.size == 17  # the limit + 1 byte, never more
    big = tmp_path / "big.json"
    big.write_bytes(b"x" * 101)
    with pytest.raises(FileTooLarge):
        read_bounded(big, 100)
    assert read_bounded(big, 101) == b"x" * 101
    with pytest.raises(NotARegularFile):
        read_bounded(tmp_path, 100)
    with pytest.raises(FileNotFoundError):
        read_bounded(tmp_path / "missing", 100)
