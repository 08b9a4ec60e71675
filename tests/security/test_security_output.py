"""Scene text is data: no markup, action or terminal control sequence from a scene pack ever acts.

Plain mode prints every string of the story exactly as written, minus control
characters (an ESC would be a command to the player's terminal); `validate`
shows them escaped, one diagnostic per line; the TUI shows markup literally and
a click on `[@click=...]` text runs nothing.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from game.cli import main
from game.loader import check_story, load_story
from game.plain import PlainGame, run_plain
from game.saves import SaveStore, to_save
from game.session import Session

MARKUP = "[@click=app.quit]quit[/] [link='file:///etc/passwd']x[/link] [bold red]B[/] :smile:"
ESCAPES = "\\e[2J\\e]0;title\\a\\e]52;c;cHduZWQ=\\a\\x9b31m\\x00\\x7f"  # YAML double-quoted escapes

def story_files(extra: str = "") -> tuple[str, str]:
    """A manifest and a scene file with ``extra`` (markup, escapes) in every string the player reads."""
    manifest = f"""\
story:
  id: hostile
  title: "Hostile {extra}"
  version: 1
  start: a
  variables:
    who: {{type: str, default: "{MARKUP}"}}
    freedom: {{type: int, default: 10, min: 0, max: 100}}
  meters:
    - var: freedom
      label: "Free {extra}"
      bands: [{{from: 0, label: "band {extra}"}}]
  tracker:
    title: "Nine {extra}"
    slots: [{{name: "name {extra}", form: "form {extra}", var: who}}]
  endings:
    end: {{title: "End {extra}", description: "Desc {extra}"}}
"""
    scenes = f"""\
chapter: "Chapter {extra}"
location: "Place {extra}"
scenes:
  - id: a
    title: "Title {extra}"
    text: "Text {extra} {{{{who}}}} {{who}}"
    choices:
      - label: "Go {extra}"
        to: b
      - label: "Locked {extra}"
        to: b
        if: freedom > 50
        locked: "Reason {extra}"
  - id: b
    title: "B {extra}"
    text: "B text"
    ending: end
"""
    return manifest, scenes


CONTROL = {chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)]}


@pytest.fixture
def hostile(make_story: Callable[..., Path]) -> Path:
    manifest, scenes = story_files(MARKUP)
    return make_story(scenes, manifest=manifest)


def test_control_characters_in_a_story_are_load_errors_at_their_place(make_story: Callable[..., Path]) -> None:
    manifest, scenes = story_files(ESCAPES)
    story, diagnostics = check_story(make_story(scenes, manifest=manifest))
    assert story is None
    found = [d for d in diagnostics if d.code == "E104"]
    # Every string the player would read: 8 in the manifest, 8 in the scene file.
    assert len(found) == 16, [str(d) for d in diagnostics]
    assert all("U+001B" in d.message and d.line >= 1 and d.col > 1 for d in found)
    assert {(d.path.rsplit("/", 1)[-1], d.line) for d in found} >= {("story.yaml", 3), ("scenes.yaml", 5)}


def test_plain_mode_prints_markup_literally(hostile: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    game = PlainGame(Session(load_story(hostile), seed=1), SaveStore(tmp_path), out, width=1000)
    run_plain(game, io.StringIO("status\nhistory\nsave s\nsaves\n1\n"))
    text = out.getvalue()
    assert text.count(MARKUP) >= 10  # titles, text, labels, the reason, meters, tracker, ending
    assert f"Text {MARKUP} {{who}} {MARKUP}" in text
    assert f"(locked) Locked {MARKUP} - Reason {MARKUP}" in text
    assert f"THE END: End {MARKUP}." in text


def test_plain_mode_never_prints_control_characters(hostile: Path, tmp_path: Path) -> None:
    # Defence in depth behind E104: anything printed (a shared save's description,
    # an error message quoting the player's input) goes through the same filter.
    story = load_story(hostile)
    data = to_save(Session(story), "shared")
    data["description"] = "desc \x1b]52;c;cHduZWQ=\x07 \x1b[2J\x9b31m\r"
    (tmp_path / "shared.json").write_text(json.dumps(data))
    out = io.StringIO()
    game = PlainGame(Session(story), SaveStore(tmp_path), out, autosave=False)
    run_plain(game, io.StringIO("saves\n\x1b[2Jdance\nload \x1b]0;x\x07\n"))
    text = out.getvalue()
    assert "shared: desc ]52;c;cHduZWQ= [2J31m" in text
    assert "Unknown command '[2jdance'" in text
    assert not CONTROL & set(text), sorted(CONTROL & set(text))


def test_validate_escapes_control_characters_one_line_per_diagnostic(make_story: Callable[..., Path]) -> None:
    bad = 'scenes:\n  - {id: a, title: A, text: t, ending: end, "\\e[2Jkey\\nfake.yaml:1:1: error[E000]: forged": 1}\n'
    root = make_story(bad, manifest=story_files()[0])
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(["validate", str(root)]) == 1
    lines = out.getvalue().splitlines()
    (unknown,) = [line for line in lines if "E110" in line]
    assert "unknown key '\\x1b[2Jkey\\x0afake.yaml:1:1: error[E000]: forged'" in unknown
    assert not any(line.startswith("fake.yaml") for line in lines)
    assert not CONTROL & set(out.getvalue())


def test_tui_shows_markup_literally_and_a_click_on_it_runs_nothing(hostile: Path, tmp_path: Path) -> None:
    pytest.importorskip("textual")
    import asyncio

    from game.tui.app import MetallicRougeApp
    from game.tui.widgets.narrative import NarrativeView

    async def run() -> None:
        app = MetallicRougeApp(story_dir=hostile, store=SaveStore(tmp_path), seed=1, effects=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("n")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.session is not None and app.session.state == "a"
            screen = "\n".join(s.text for s in app.screen._compositor.render_strips())
            assert "[@click=app.quit]quit[/]" in screen
            assert "[bold red]B[/]" in screen
            assert "\x1b" not in screen
            narrative = app.screen.query_one(NarrativeView)
            for x in range(0, narrative.size.width, 8):  # click along the first lines
                for y in range(3):
                    await pilot.click(NarrativeView, offset=(x, y))
            await pilot.pause()
            assert app.is_running and app.return_code is None
            assert app.session.state == "a"

    asyncio.run(run())
