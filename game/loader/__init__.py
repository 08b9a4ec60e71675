"""YAML story folder -> checked, immutable Story."""

from game.loader.build import check_story, load_story
from game.loader.sources import display_path

__all__ = ["check_story", "display_path", "load_story"]
