"""The compiled-story cache: a checked story as plain JSON, so a load skips YAML.

Parsing and checking 10,000 scenes of YAML takes seconds; reading the same
story back from JSON takes a small fraction of that. An entry is keyed by a
SHA-256 of the engine (its version and the source of the modules that decide
what a story means) and of every story file's path and bytes, so any edit, or
a new engine, simply misses. Entries are plain JSON data, never pickles: a
cache folder is not trusted to run code. A damaged or unreadable entry is
ignored and rebuilt, and the whole folder is safe to delete.

The entry holds the story's parsed data and its diagnostics, with every
position (file, line, column) so messages and tools work the same after a
cached load. Texts, labels, conditions and effects were compiled and checked
when the entry was written, so a cached load makes them deferred
(``game.expr.defer_*``): each compiles on first use.

Where: ``METALLIC_ROUGE_CACHE`` if set (``off`` turns the cache off), else the
user's cache folder (platformdirs), which works for an installed game whose
story folder is read-only.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO

from game import __version__
from game.expr import CompileEnv, VarType
from game.expr.compile import Effect, Expr
from game.expr.template import Template
from game.loader.layout import Reader, Unstorable, Writer
from game.loader.sources import Sources, display_path, read_story_file
from game.paths import atomic_write, read_bounded
from game.story.diagnostics import Diagnostic
from game.story.model import (
    Choice,
    Ending,
    Invariant,
    Meter,
    Route,
    Scene,
    Story,
    Tracker,
    TrackerSlot,
    VarDecl,
)

ENV_VAR = "METALLIC_ROUGE_CACHE"
FORMAT = 7  # 7: locked reasons as templates, the title art's file; 6: replies, routes, stays, return visits, invariants, title art; 5: the layout generated from the model's fields
MAX_ENTRY_BYTES = 512 * 1024 * 1024  # 26 MB at 10,000 scenes; past this it is no entry of ours
MAX_ENTRIES = 16  # a handful of stories and versions; the oldest go first
SUFFIX = ".story.json"
# The modules whose code decides what a story folder loads as.
_ENGINE_PACKAGES = ("loader", "expr", "story")
_ENGINE_MODULES = ("names.py",)  # the wording of the "did you mean" in messages


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    value = os.environ.get(ENV_VAR)
    if value is not None and value.strip().lower() in ("", "0", "off", "no", "false"):
        return None
    if value:
        return Path(value).expanduser()
    from platformdirs import user_cache_dir

    from game.paths import APP_NAME

    return Path(user_cache_dir(APP_NAME, appauthor=False)) / "stories"


@cache
def engine_fingerprint() -> str:
    """Changes whenever the engine could load a story differently."""
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}".encode())
    package = Path(__file__).resolve().parent.parent
    for name in _ENGINE_PACKAGES:
        for path in sorted((package / name).glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in _ENGINE_MODULES:
        digest.update(name.encode() + b"\0" + (package / name).read_bytes())
    return digest.hexdigest()


def read_sources(root: Path, files: list[Path]) -> Sources:
    digest = hashlib.sha256(engine_fingerprint().encode())
    contents: dict[Path, bytes | OSError] = {}
    for path in files:
        try:
            data = read_story_file(root, path)
        except OSError as exc:
            contents[path] = exc
            # Why it was refused is part of what it loads as (E100 or E103, the message).
            data = b"\0unreadable:%s:%s" % (type(exc).__name__.encode(), str(exc).encode("utf-8", "replace"))
        rel = path.relative_to(root).as_posix().encode()
        digest.update(b"%d:%s%d:" % (len(rel), rel, len(data)))
        digest.update(data)
    return Sources(root, files, contents, digest.hexdigest())


def _entry(sources: Sources) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"{sources.key}{SUFFIX}"


# -- reading --------------------------------------------------------------------------


def load(sources: Sources) -> tuple[Story | None, list[Diagnostic]] | None:
    """The cached result for these sources, or None on a miss or a damaged entry."""
    path = _entry(sources)
    if path is None:
        return None
    try:
        # Bounded and regular files only, as every read of a folder (a FIFO there must not hang a load).
        raw = read_bounded(path, MAX_ENTRY_BYTES)
    except OSError:
        return None
    # The entry's last member is a CRC-32 of everything before it. Damage that
    # still parses (a flipped digit in a default, a letter in a scene id or in an
    # expression compiled only on first use) would otherwise load a different
    # story, or fail in the middle of a game (found by tests/fuzz/test_fuzz_cache.py).
    tail = raw.rfind(b',"crc":"')
    # (A memoryview: slicing the bytes would copy the whole entry, 26 MB at 10,000 scenes.)
    if tail < 0 or raw[tail:] != b',"crc":"%08x"}' % zlib.crc32(memoryview(raw)[:tail]):
        return None
    try:
        data = json.loads(raw)
        if data["format"] != FORMAT or data["key"] != sources.key:
            return None
        story, diagnostics = _read(sources, data)
        if story is not None:
            _check(story, data["scene_ids"])
        return story, diagnostics
    except Exception:
        # Any entry that does not build a consistent Story is damaged, whatever
        # the exception (a crash mid-write on a filesystem without atomic rename,
        # a hand edit with its checksum redone, an engine bug): the story is read
        # again from its YAML and the entry written again. Never a traceback.
        return None


def _read(sources: Sources, data: dict[str, Any]) -> tuple[Story | None, list[Diagnostic]]:
    names = [display_path(sources.root / rel) for rel in data["files"]]
    reader = Reader(sources.root, names, display_path)
    diagnostics = [reader.obj(Diagnostic, row) for row in data["diagnostics"]]
    if data["story"] is None:
        return None, diagnostics
    variables = {row[0]: reader.obj(VarDecl, row) for row in data["variables"]}
    env = CompileEnv(
        variables={n: VarType(type=d.type, values=d.values, min=d.min, max=d.max) for n, d in variables.items()},
        scene_ids=frozenset(data["scene_ids"]),
    )
    reader = Reader(sources.root, names, display_path, env)
    reader.apart["variables"] = MappingProxyType(variables)
    reader.apart["scenes"] = MappingProxyType({row[0]: reader.obj(Scene, row) for row in data["scenes"]})
    return reader.from_fields(Story, data["story"]), diagnostics


class Inconsistent(Exception):
    """A cached story that the loader could never have made (raised by ``_check``)."""


def _need(ok: object, what: str) -> None:
    if not ok:
        raise Inconsistent(what)


def _check(story: Story, scene_ids: object) -> None:
    """Raise Inconsistent unless ``story`` holds what a loaded story always holds.

    The loader's own guarantees, the ones the Session, the saves and the
    authoring tools rely on without looking (``story.scenes[story.start]``,
    a default of its variable's type, every target a scene): an entry that
    breaks one would crash ``validate`` or a game later, far from the cause.
    Linear in the size of the story, a small part of a cached load.
    """
    _need(isinstance(story, Story), "not a story")
    for name in ("id", "title", "version", "start", "author"):
        _need(isinstance(getattr(story, name), str), f"story {name}")
    for name in ("title_art", "title_art_file"):
        _need(getattr(story, name, None) is None or isinstance(getattr(story, name), str), f"story {name}")
    _need(isinstance(story.files, tuple) and all(isinstance(f, str) for f in story.files), "story files")
    _need(
        all(isinstance(i, Invariant) and _compiled(i.check, Expr) and isinstance(i.message, str) for i in story.invariants),
        "invariants",
    )
    scenes, variables, endings = story.scenes, story.variables, story.endings
    _need(isinstance(scene_ids, list) and set(scene_ids) == set(scenes), "scene ids")
    _need(story.start in scenes, "start scene")
    for name, decl in variables.items():
        _need(isinstance(decl, VarDecl) and decl.name == name and decl.type in ("int", "bool", "str"), name)
        _need(decl.accepts(decl.default), f"default of {name}")
        if decl.type == "int":
            _need(all(b is None or (isinstance(b, int) and not isinstance(b, bool)) for b in (decl.min, decl.max)), name)
            _need(decl.clamp(decl.default) == decl.default, f"default of {name} out of range")  # type: ignore[arg-type]
        if decl.values is not None:
            _need(isinstance(decl.values, tuple) and all(isinstance(v, str) for v in decl.values), name)
    for ending_id, ending in endings.items():
        _need(isinstance(ending, Ending) and ending.id == ending_id and isinstance(ending.title, str), ending_id)
    for scene_id, scene in scenes.items():
        _need(isinstance(scene, Scene) and scene.id == scene_id and isinstance(scene.title, str), scene_id)
        _need(isinstance(scene.choices, tuple), scene_id)
        _need(scene.ending is None or scene.ending in endings, f"ending of {scene_id}")
        _need((scene.ending is None) == bool(scene.choices), f"choices of {scene_id}")
        _need(_compiled(scene.text, Template) and _compiled(scene.again, Template, True), scene_id)
        _need(_compiled(scene.title_template, Template, True), scene_id)
        _need(isinstance(scene.on_enter, tuple) and all(_compiled(e, Effect) for e in scene.on_enter), scene_id)
        for choice in scene.choices:
            _need(isinstance(choice, Choice) and isinstance(choice.id, str), scene_id)
            _need(choice.target in scenes, f"target of {scene_id}")
            _need(all(isinstance(r, Route) and r.target in scenes for r in choice.routes), f"routes of {scene_id}")
            _need(
                _compiled(choice.label, Template)
                and _compiled(choice.condition, Expr, True)
                and _compiled(choice.locked, Template, True)
                and _compiled(choice.reply, Template, True)
                and all(_compiled(r.condition, Expr, True) for r in choice.routes)
                and isinstance(choice.effects, tuple)
                and all(_compiled(e, Effect) for e in choice.effects),
                f"a choice of {scene_id}",
            )
    for meter in story.meters:
        _need(isinstance(meter, Meter) and meter.var in variables and variables[meter.var].type == "int", "meter")
    if story.tracker is not None:
        _need(isinstance(story.tracker, Tracker), "tracker")
        _need(all(isinstance(t, TrackerSlot) and t.var in variables for t in story.tracker.slots), "tracker")
    _need(all(c in scenes for c in story.checkpoints), "checkpoints")
    _need(all(isinstance(k, str) and v in scenes for k, v in story.renames.items()), "renames")


def _compiled(value: object, kind: type, optional: bool = False) -> bool:
    """``value`` is a ``kind`` (a Template, an Expr, an Effect) whose source is text.

    Reading ``source`` does not compile a deferred object. Whether the text still
    compiles is not checked (that would cost what the cache saves): the checksum
    is what keeps an entry's texts and expressions as they were written.
    """
    if value is None:
        return optional
    return isinstance(value, kind) and isinstance(getattr(value, "source", None), str)


# -- writing --------------------------------------------------------------------------


def store(sources: Sources, story: Story | None, diagnostics: Iterable[Diagnostic], scene_ids: Iterable[str]) -> None:
    """Write the entry for these sources; a cache that cannot be written is skipped."""
    path = _entry(sources)
    if path is None:
        return
    rels = [sources.rel(p) for p in sources.files]
    writer = Writer(sources.root, rels, {display_path(p): i for i, p in enumerate(sources.files)})
    try:
        head: dict[str, Any] = {
            "format": FORMAT,
            "key": sources.key,
            "files": rels,
            "diagnostics": [writer.row(d) for d in diagnostics],
            "story": None if story is None else writer.fields(story),
            "variables": [] if story is None else [writer.row(d) for d in story.variables.values()],
            "scene_ids": sorted(scene_ids),
        }
        scenes = [] if story is None else [writer.row(s) for s in story.scenes.values()]
    except Unstorable:
        return

    # Scene by scene: the JSON of a big story is never held whole in memory (at
    # 10,000 scenes that was the peak of a first load).
    def write_entry(handle: BinaryIO) -> None:
        crc = 0

        def write(chunk: bytes) -> None:
            nonlocal crc
            crc = zlib.crc32(chunk, crc)
            handle.write(chunk)

        write(_dumps(head)[:-1].encode("utf-8") + b',"scenes":[')
        for i, scene in enumerate(scenes):
            write((b"," if i else b"") + _dumps(scene).encode("utf-8"))
        write(b"]")
        handle.write(b',"crc":"%08x"}' % crc)  # checked by load()

    try:
        # Renamed into place whole, so a reader never sees half an entry. Not
        # durable (no fsync): losing an entry in a power cut only costs one slow load.
        atomic_write(path, write_entry, durable=False)
        _prune(path.parent)
    except OSError:
        pass


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _prune(folder: Path) -> None:
    entries = []
    for entry in folder.glob(f"*{SUFFIX}"):
        try:
            entries.append((entry.stat().st_mtime, entry))
        except OSError:
            continue
    entries.sort(reverse=True)
    for _, old in entries[MAX_ENTRIES:]:
        try:
            old.unlink()
        except OSError:
            pass
