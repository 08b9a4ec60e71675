"""Replies and stay-choices as the views show them: plain mode prints the reply first,
a stay prints only the reply and the choices, and history lists the replies."""

from __future__ import annotations

import io
from pathlib import Path

from game.plain import PlainGame, run_plain
from game.play.game import Game
from game.saves import SaveStore
from game.session import Session
from tests.conftest import MANIFEST
from tests.engine.test_session import GO, _hall


def _plain(story, script: str, saves: Path) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    run_plain(PlainGame(Session(story, seed=1), SaveStore(saves), out, autosave=False), io.StringIO(script))
    return out.getvalue()


def test_game_moves_carry_the_reply_and_the_stay(make_story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    game = Game(SaveStore(tmp_path), session=Session(_hall(make_story)), autosave=False)
    out = game.choose(2)  # Chat: a stay-choice with a reply
    assert out.ok and out.reply == "He nods." and out.stayed
    out = game.choose(4)  # Walk around: a move without one
    assert out.ok and out.reply is None and not out.stayed
    undone = game.undo()
    assert undone.reply is None and not undone.stayed


def test_plain_mode_prints_the_reply_first_and_a_stay_without_the_text(make_story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    story = _hall(make_story, (GO, GO + "        reply: You walk out.\n"))
    text = _plain(story, "1\n1\nhistory\n2\n", tmp_path)
    first, after_ask, after_chat, rest = text.split("> ", 3)
    assert first.count("Jean waits") == 1 and "1. Ask about Venus" in first
    # The stay: the reply, what it changed, the choices left; no title and no text again.
    assert after_ask.startswith("\nVenus? Freedom 16, visits 1, first true.\n")
    assert "\nFreedom +5: now 16, Gear.\n" in after_ask
    assert "\nHall.\n" not in after_ask and "Jean waits" not in after_ask
    assert "1. Chat" in after_ask and "Ask about Venus" not in after_ask  # once: gone
    assert after_chat.startswith("\nHe nods.\n")
    history, moved = rest.split("> ", 1)
    assert "1. Hall: Ask about Venus" in history and "Venus? Freedom 16" in history
    assert "2. Hall: Chat" in history and "He nods." in history
    # A move: the reply, then the next scene from its title.
    assert moved.index("You walk out.") < moved.index("\nCell.\n") < moved.index("Cell (new).")


def test_tui_opens_the_page_with_the_reply_and_a_stay_shows_it_alone(make_story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from game.tui.screens.game import GameScreen
    from game.tui.screens.history import HistoryScreen
    from game.tui.widgets.narrative import RULE, NarrativeView
    from tests.engine.test_session import HALL, LOOP
    from tests.tui.conftest import make_app, play, screen_text, settle, start_game

    folder = make_story(
        HALL.replace(LOOP, LOOP + "        reply: You pace the hall.\n", 1),
        MANIFEST.replace("start: a", "start: hall"),
    )
    saves = tmp_path / "saves"
    saves.mkdir()

    def page(app) -> str:  # type: ignore[no-untyped-def]
        return app.screen.query_one(NarrativeView).text

    async def run() -> None:
        app = make_app(saves, story=folder)
        async with app.run_test(size=(100, 30)) as pilot:
            await start_game(pilot)
            assert page(app).startswith("Jean waits, for the first time. He stands.")
            await play(pilot, [2])  # Chat: a stay-choice
            assert page(app) == "He nods."  # the reply alone: the scene's text is not shown again
            narrative = app.screen.query_one(NarrativeView)
            assert any("italic" in str(span.style) for span in narrative._full.spans)
            text = screen_text(app)
            assert "He nods." in text and "Jean waits" not in text and "Walk around" in text
            await play(pilot, [4])  # Walk around: a move with a reply
            assert page(app) == f"You pace the hall.\n\n{RULE}\n\nJean waits, visit 2. He sits."
            screen = app.screen
            assert isinstance(screen, GameScreen)
            screen.show_scene({}, app.presentation())  # a redraw: the same page, the {seq} stays
            assert page(app) == f"You pace the hall.\n\n{RULE}\n\nJean waits, visit 2. He sits."
            await pilot.press("h")
            await settle(pilot)
            assert isinstance(app.screen, HistoryScreen)
            history = screen_text(app)
            assert "He nods." in history and "You pace the hall." in history
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("u")  # undo, from the next entry back to the stay's page
            await settle(pilot)
            # The entry's text is not on screen now: it comes back under the reply.
            first = f"He nods.\n\n{RULE}\n\nJean waits, for the first time. He stands."
            assert page(app) == first
            await play(pilot, [2])  # and a stay from there shows the reply alone again
            assert page(app) == "He nods."
            # Loaded into a stay's page from another entry: the reply, and the text under it.
            await pilot.press("s")
            await settle(pilot)
            await pilot.press(*"q", "enter")
            await settle(pilot)
            await play(pilot, [4])  # walk around: another page, another entry
            await pilot.press("l")
            await settle(pilot)
            menu = app.screen.query_one("#load-slots")
            menu.highlighted = menu.get_option_index("q")
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("y")  # yes, leave the unsaved walk for the save (issue #15's question)
            await settle(pilot)
            assert app.session.state == "hall" and app.session.arrival.stay
            assert page(app) == first

    asyncio.run(run())
