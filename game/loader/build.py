"""Turn a folder of YAML files into a Story, reporting every problem at its file:line:col.

Loading runs in two passes: the first reads every file and collects variables
and scene ids (game.loader.declarations), the second compiles the scenes
against the whole story (game.loader.scenes) and builds the story-level parts
(game.loader.manifest), so an error in one file never hides the errors in
another. The checks that names refer to declared things are in
game.loader.references, the key checks in game.loader.schema, and every
problem becomes a Diagnostic through game.loader.diagnostics.
"""

from __future__ import annotations

import gc
from pathlib import Path

from game.expr import CompileEnv, VarType
from game.loader import cache, references
from game.loader.declarations import Declarations
from game.loader.manifest import StoryParts, read_endings, read_title_art
from game.loader.scenes import SceneBuilder
from game.loader.sources import story_files
from game.story.diagnostics import Diagnostic, StoryLoadError
from game.story.model import Scene, Story


def build(decls: Declarations) -> Story | None:
    """Pass 2: the Story from what pass 1 declared, its problems added to ``decls.diagnostics``."""
    if decls.manifest is None:
        # Without the manifest every variable looks undeclared: compiling the
        # scenes would bury the one real error under hundreds of false ones.
        return None
    env = CompileEnv(
        variables={n: VarType(type=d.type, values=d.values, min=d.min, max=d.max) for n, d in decls.variables.items()},
        scene_ids=frozenset(decls.scene_files),
    )
    file, story = decls.manifest
    endings = read_endings(file, story)
    builder = SceneBuilder(env, endings)
    scenes: dict[str, Scene] = {}
    for scene_file, raw, _i, chapter, location in decls.raw_scenes:
        scene = builder.scene(scene_file, raw, chapter, location)
        if scene is not None:
            scenes[scene.id] = scene
    references.check_targets(scenes, decls.scene_files, decls.diagnostics)
    return StoryParts(decls, file, story, env).build(scenes, endings)


def check_story(root: str | Path, use_cache: bool = True) -> tuple[Story | None, list[Diagnostic]]:
    """Load a story folder. Never raises for bad input: problems come back as diagnostics.

    With ``use_cache`` (the default) the result comes from the compiled-story
    cache when the files and the engine are unchanged, and is written there
    otherwise (see game.loader.cache); ``use_cache=False`` always reads the YAML.
    """
    root = Path(root)
    # The node tree of a big story is millions of objects; the collector would
    # rescan them over and over while loading (measured: 2.6x slower at 10k scenes).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        sources = None
        if use_cache and cache.cache_dir() is not None and root.is_dir():
            sources = cache.read_sources(root, story_files(root))
            hit = cache.load(sources)
            if hit is not None and _art_unchanged(root, hit):
                return hit
        decls = Declarations(root, sources)
        decls.read()
        story = build(decls)
        diagnostics = sorted(decls.diagnostics, key=lambda d: (d.path, d.line, d.col))
        scene_ids = list(decls.scene_files)
        # The parsed YAML is not needed any more: freed before the cache entry is
        # serialised, which would otherwise hold both at once (peak memory).
        del decls
        if any(d.is_error for d in diagnostics):
            story = None
        if sources is not None:
            cache.store(sources, story, diagnostics, scene_ids)
    finally:
        if was_enabled:
            gc.enable()
    return story, diagnostics


def _art_unchanged(root: Path, hit: tuple[Story | None, list[Diagnostic]]) -> bool:
    """False when the title art may have changed since the entry was written.

    The cache's key covers the YAML files only; the art file the manifest names is
    read again (it is small) and compared, and a cached art error is never trusted.
    """
    story, diagnostics = hit
    if story is None:
        return not any(d.code == "E121" for d in diagnostics)
    if story.title_art_file is None:
        return True
    text, _problem = read_title_art(root, story.title_art_file)
    return text == story.title_art


def load_story(root: str | Path, use_cache: bool = True) -> Story:
    story, diagnostics = check_story(root, use_cache)
    if story is None:
        raise StoryLoadError(diagnostics)
    return story

