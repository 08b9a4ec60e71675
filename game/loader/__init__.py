"""YAML story folder -> checked, immutable Story."""

from game.loader.build import check_story, display_path, load_story

__all__ = ["check_story", "display_path", "load_story"]
