"""The security tests load many small stories: they get a compiled-story cache of their own."""

from __future__ import annotations

from tests.fuzz._support import private_story_cache

__all__ = ["private_story_cache"]  # an autouse fixture for every test in tests/security
