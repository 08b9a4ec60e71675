"""Tools for authors: deep validation, playtesting, stats, the story map, scaffolding."""
