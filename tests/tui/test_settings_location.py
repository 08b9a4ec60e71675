"""Settings live in the user's config folder; an older version's, in the saves folder, move there once.
The endings gallery is progress: it stays with the saves."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from game.tui.settings import LEGACY_FILE, SETTINGS_FILE, Settings, SettingsStore, config_dir
from tests.tui.conftest import make_app, settle


def test_the_config_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("METALLIC_ROUGE_CONFIG", str(tmp_path / "mine"))
    assert config_dir() == tmp_path / "mine"
    assert SettingsStore().path == tmp_path / "mine" / SETTINGS_FILE
    if sys.platform.startswith("linux"):
        # Without the game's own variable, platformdirs' user_config_dir, which honours XDG_CONFIG_HOME.
        monkeypatch.delenv("METALLIC_ROUGE_CONFIG")
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
        assert config_dir() == tmp_path / "xdg" / "metallic-rouge"


def test_old_settings_are_read_once_and_moved(saves: Path, private_config: Path) -> None:
    legacy = saves / LEGACY_FILE
    legacy.write_text(json.dumps({"theme": "nord", "typewriter": True}))
    store = SettingsStore(legacy=saves)
    assert store.path == private_config / SETTINGS_FILE
    settings = store.load()
    assert settings.theme == "nord" and settings.typewriter is True
    assert json.loads(store.path.read_text())["theme"] == "nord"
    assert not legacy.exists()
    # From now on the config folder's file is the one read, even with an old file back in the saves.
    legacy.write_text(json.dumps({"theme": "gruvbox"}))
    assert SettingsStore(legacy=saves).load().theme == "nord"


def test_a_damaged_settings_file_is_not_replaced_by_the_old_one(saves: Path, private_config: Path) -> None:
    private_config.mkdir(parents=True)
    (private_config / SETTINGS_FILE).write_text("{not json")
    (saves / LEGACY_FILE).write_text(json.dumps({"theme": "nord"}))
    assert SettingsStore(legacy=saves).load() == Settings()
    assert (saves / LEGACY_FILE).exists()


def test_an_unwritable_config_folder_keeps_the_old_file(
    saves: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("METALLIC_ROUGE_CONFIG", str(blocker / "config"))
    (saves / LEGACY_FILE).write_text(json.dumps({"theme": "nord"}))
    assert SettingsStore(legacy=saves).load().theme == "nord"
    assert (saves / LEGACY_FILE).exists()  # read again next time, nothing lost


async def test_the_app_keeps_settings_in_the_config_folder_and_the_gallery_with_the_saves(
    saves: Path, private_config: Path
) -> None:
    (saves / LEGACY_FILE).write_text(json.dumps({"theme": "nord", "effects": False}))
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "nord" and app.settings.effects is False
        app.theme = "gruvbox"
        await settle(pilot)
        await app.run_action("new_game")
        await settle(pilot)
        for _ in range(5):  # the demo's first choices reach an ending
            await pilot.press("1")
            await settle(pilot)
        assert app.session is not None and app.session.is_over
        await settle(pilot)
    assert json.loads((private_config / SETTINGS_FILE).read_text())["theme"] == "gruvbox"
    assert not (saves / LEGACY_FILE).exists()
    assert (saves / ".endings.json").exists() and not (private_config / ".endings.json").exists()


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="FIFOs")
def test_an_old_settings_file_that_is_a_fifo_does_not_hang_the_start(saves: Path) -> None:
    import os
    import threading

    os.mkfifo(saves / LEGACY_FILE)
    result: list[Settings] = []
    worker = threading.Thread(target=lambda: result.append(SettingsStore(legacy=saves).load()), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # unblock the reader so the test process can end
        fd = os.open(saves / LEGACY_FILE, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
    assert result == [Settings()]
