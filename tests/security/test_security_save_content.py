"""What a save holds is shown and written again safely: no terminal commands, no lone surrogates, no huge ints.

A save's strings reach the screen (the slot list, the history, notices) and the
next autosave. Before: control sequences in a description, a slot's file name
or a history label reached the terminal from the TUI (OSC 52 clipboard write,
title change, screen clear); a ``"\\udcff"`` in ``state.taken`` or a label
passed every check, then crashed the next autosave and the ``saves`` list; a
400-digit int in ``history[].changed`` came back with undo and crashed play
with OverflowError.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from game.expr.closures import too_big
from game.expr.env import MAX_INT
from game.loader import load_story
from game.play.game import Game
from game.saves import SaveStore, SlotInfo, decode, to_save
from game.saves.text import clean, is_printable, printable
from game.session import Session
from game.tui.screens.history import transcript_content
from game.tui.screens.saves import slot_prompt
from tests.conftest import ROOT, TINY_SCENES

# OSC 52 (write the clipboard), OSC 0 (set the title), clear the screen, a C1 CSI, BEL, DEL.
ESCAPES = "\x1b]52;c;cHduZWQ=\x07\x1b]0;pwned\x07\x1b[2J\x9b31m\x00\x7f"
CONTROL = [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)]]


def no_control(text: str) -> bool:
    return not any(c in text for c in CONTROL) and is_printable(text)


@pytest.fixture
def tiny_story(make_story: Callable[..., Path]) -> Path:
    return make_story(TINY_SCENES)


def save_after_a_choice(root: Path) -> dict[str, Any]:
    session = Session(load_story(root), seed=1)
    session.choose(session.choices()[0])
    return to_save(session, "hostile")


def write_raw(folder: Path, name: str, data: dict[str, Any]) -> None:
    # ensure_ascii: a lone surrogate is written as the escape "\udcff", as JSON allows.
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(data, ensure_ascii=True), encoding="ascii")


def test_printable_drops_terminal_commands_and_replaces_lone_surrogates() -> None:
    assert printable("Canal City\tnight\nrain") == "Canal City\tnight\nrain"
    assert printable(f"a{ESCAPES}b") == "a]52;c;cHduZWQ=]0;pwned[2J31mb"
    assert printable("x\udcffy\ud800") == "x\ufffdy\ufffd"
    data = {"k\x1b": ["\udcff", {"v": "\x07ok"}], "n": 10**400}
    assert clean(data) == {"k": ["\ufffd", {"v": "ok"}], "n": 10**400}


def test_the_slot_list_shows_no_control_sequence_from_a_save(tiny_story: Path, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    data = save_after_a_choice(tiny_story)
    data.update(description=f"Chapter {ESCAPES}", chapter=ESCAPES, scene_title=ESCAPES, saved_at=ESCAPES)
    write_raw(folder, "hostile", data)
    (folder / f"evil{ESCAPES[:10]}.json").write_text("{}")  # a damaged file whose name is a command
    slots = SaveStore(folder).list()
    assert len(slots) == 2
    for slot in slots:
        shown = slot_prompt(slot).plain
        assert no_control(shown), repr(shown)
        assert all(no_control(str(v)) for v in (slot.name, slot.description, slot.chapter, slot.error))
    # The TUI filters what it shows even when handed raw strings (defence in depth).
    raw = SlotInfo(f"n{ESCAPES}", folder / "x.json", True, description=ESCAPES, saved_at=ESCAPES)
    assert no_control(slot_prompt(raw).plain)
    broken = SlotInfo(f"n{ESCAPES}", folder / "x.json", False, error=f"bad {ESCAPES}")
    assert no_control(slot_prompt(broken).plain)


def test_history_labels_from_a_save_reach_the_screen_filtered(tiny_story: Path, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    data = save_after_a_choice(tiny_story)
    data["history"][0]["label"] = f"Defy {ESCAPES}\udcff"
    write_raw(folder, "hostile", data)
    game = Game(SaveStore(folder), load_story(tiny_story), autosave=False)
    assert game.load("hostile").ok
    assert game.session is not None
    labels = [e.choice_label for e in game.session.transcript() if e.choice_label is not None]
    assert labels and all(no_control(label) for label in labels)
    assert no_control(transcript_content(game.session.transcript()).plain)
    undone = game.undo()
    assert all(no_control(n.text) for n in undone.notices)


def test_the_history_screen_filters_even_raw_labels(tiny_story: Path) -> None:
    session = Session(load_story(tiny_story), seed=1)
    entry = session.transcript()[-1]
    hostile = type(entry)(entry.scene, f"text {ESCAPES}", f"label {ESCAPES}\udcff")
    assert no_control(transcript_content([hostile]).plain)


@pytest.mark.parametrize("where", ["taken", "label", "choice", "description", "visits key", "vars key"])
def test_a_lone_surrogate_in_a_save_never_crashes_the_autosave_or_the_list(
    where: str, tiny_story: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "saves"
    data = save_after_a_choice(tiny_story)
    if where == "taken":
        data["state"]["taken"].append(["a", "\udcff"])
    elif where == "label":
        data["history"][0]["label"] = "Defy\udcff"
    elif where == "choice":
        data["history"][0]["choice"] = "\udcff"
    elif where == "description":
        data["description"] = "\udcff"
    elif where == "visits key":
        data["state"]["visits"]["\udcff"] = 1
    else:
        data["state"]["vars"]["\udcff"] = 1
    write_raw(folder, "hostile", data)
    store = SaveStore(folder)
    game = Game(store, load_story(tiny_story))
    assert game.load("hostile").ok
    move = game.choose(1)
    assert move.ok, move.notices
    for write in move.writes:
        assert write.run() == []  # the autosave was written, no failure notice
    autosave = json.loads((folder / "autosave.json").read_bytes().decode("utf-8"))  # strict UTF-8
    assert autosave["state"]["scene"]
    for slot in store.list():
        assert slot.ok, slot.error
        (slot.name + slot.description + slot.chapter).encode("utf-8")  # a terminal can print it


def test_plain_saves_list_survives_surrogates_and_control_in_a_save(tiny_story: Path, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    data = save_after_a_choice(tiny_story)
    data["description"] = f"where \udcff {ESCAPES}"
    data["history"][0]["label"] = "Defy\udcff"
    write_raw(folder, "hostile", data)
    out = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--story", str(tiny_story), "--saves", str(folder),
         "--seed", "1"],
        input=b"saves\nload hostile\nhistory\n1\nsaves\nquit\n",
        capture_output=True, cwd=ROOT, timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert out.returncode == 0, out.stderr.decode("utf-8", "replace")[-800:]
    text = out.stdout.decode("utf-8")  # strict: no lone surrogate made it out
    assert "hostile: where" in text and "\x1b" not in text
    assert b"Traceback" not in out.stderr


@pytest.mark.parametrize("value", [10**400, -(10**400), MAX_INT + 1, 2**64])
def test_a_huge_int_that_undo_would_restore_is_refused_at_load(value: int, tiny_story: Path, tmp_path: Path) -> None:
    story = load_story(tiny_story)
    data = save_after_a_choice(tiny_story)
    data["history"][0]["changed"] = {"freedom": value, "flag": False}
    state = decode(story, json.loads(json.dumps(data))).state
    assert "freedom" not in state.history[0].changed or -MAX_INT <= state.history[0].changed["freedom"] <= MAX_INT
    # And in play: load, undo, go on choosing; no OverflowError, freedom within its range.
    folder = tmp_path / "saves"
    write_raw(folder, "hostile", data)
    game = Game(SaveStore(folder), story, autosave=False)
    assert game.load("hostile").ok
    assert game.undo().ok
    assert game.session is not None
    assert 0 <= game.session.vars["freedom"] <= 100
    for _ in range(3):
        if game.session.is_over:
            break
        assert game.choose(1).ok


def test_huge_counts_in_a_save_fall_back_to_defaults(tiny_story: Path) -> None:
    story = load_story(tiny_story)
    data = save_after_a_choice(tiny_story)
    data["state"].update(turn=10**400, seed=-(10**400))
    data["state"]["visits"]["a"] = 10**400
    data["history"][0]["turn"] = 10**400
    state = decode(story, data).state
    assert abs(state.turn) < 2**63 and abs(state.seed) < 2**63 and state.history[0].turn < 2**63
    assert state.visits.get("a", 1) <= MAX_INT


def test_too_big_formats_any_int_without_float() -> None:
    assert "1.000e+15" in str(too_big(MAX_INT + 1))
    assert "1.000e+400" in str(too_big(10**400))
    assert "-1.000e+400" in str(too_big(-(10**400)))
    assert "about 10^" in str(too_big(10**5000))


def test_the_tui_load_and_save_dialogs_show_hostile_saves_filtered(tmp_path: Path) -> None:
    import asyncio

    from game.tui.screens.saves import LoadScreen, SaveScreen
    from tests.conftest import DEMO
    from tests.tui.conftest import make_app, screen_text, settle, start_game

    folder = tmp_path / "saves"
    folder.mkdir()
    data = save_after_a_choice(DEMO)
    data.update(description=f"Where {ESCAPES}\udcff", saved_at=ESCAPES)
    write_raw(folder, "hostile", data)
    # Two damaged files whose names read alike once filtered: OptionList must not get one id twice.
    (folder / "a\x01.json").write_text("{}")
    (folder / "a\x02.json").write_text("{}")
    os.close(os.open(os.fsencode(folder) + b"/b\xff.json", os.O_CREAT | os.O_WRONLY))  # not UTF-8

    async def run() -> None:
        app = make_app(folder)
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            await app.run_action("load")
            await settle(pilot)
            assert isinstance(app.screen, LoadScreen)
            text = screen_text(app)
            assert "hostile" in text and "Where" in text and "DAMAGED" in text
            assert no_control(text), repr(text)
            app.screen.dismiss(None)
            await start_game(pilot, [1])
            await app.run_action("save")
            await settle(pilot)
            assert isinstance(app.screen, SaveScreen)
            assert no_control(screen_text(app))

    asyncio.run(run())
