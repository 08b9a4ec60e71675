"""The title screen shows the story's own art, or its title: never another story's banner."""

from __future__ import annotations

import shutil
from pathlib import Path

from game.tui.art import MAX_ART_WIDTH, title_art
from game.tui.screens.title import TitleScreen
from tests.conftest import DEMO, SCENES
from tests.tui.conftest import make_app, screen_text, settle

ART = "  ~~ FIRST ORDERS ~~\n  a demo in two scenes"


def test_title_art_falls_back_to_the_title() -> None:
    assert title_art("ART", "Title") == "ART"
    assert title_art(None, "Title") == "Title"
    assert title_art("   ", "Title") == "Title"
    assert title_art("x" * (MAX_ART_WIDTH + 1), "Title") == "Title"


async def test_a_story_without_art_shows_its_title_and_no_campaign_banner(saves: Path) -> None:
    app = make_app(saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        text = screen_text(app)
        assert "Metallic Rouge: First Orders (demo)" in text
        assert "I M M O R T A L" not in text and "█" not in text


async def test_a_story_with_art_shows_it_above_its_title(saves: Path, tmp_path: Path) -> None:
    story = tmp_path / "demo"
    shutil.copytree(DEMO, story)
    (story / "art.txt").write_text(ART + "\n", encoding="utf-8")
    manifest = story / "story.yaml"
    manifest.write_text(manifest.read_text().replace("  start:", "  title_art: art.txt\n  start:", 1))
    app = make_app(saves, story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "~~ FIRST ORDERS ~~" in text and "a demo in two scenes" in text
        assert text.index("~~ FIRST ORDERS ~~") < text.index("Metallic Rouge: First Orders (demo)")


def test_the_campaign_brings_its_own_banner() -> None:
    from game.loader import load_story

    story = load_story(SCENES)
    assert story.title_art_file == "title.txt"
    assert story.title_art is not None and "I M M O R T A L" in story.title_art
