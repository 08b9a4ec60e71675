"""The engine's own text names no one from the campaign: it runs every story."""

from __future__ import annotations

from game.authoring.scaffold import scene_block
from game.loader import load_story
from tests.conftest import SCENES


def test_new_scene_placeholder_names_no_campaign_character() -> None:
    campaign = load_story(SCENES)
    assert campaign.tracker is not None
    names = {"Rouge", "Naomi", "Jean"} | {n for slot in campaign.tracker.slots for n in slot.names}
    block = scene_block("x.new", "x.next", "New")
    assert "the player" in block
    assert not [name for name in names if name in block]
