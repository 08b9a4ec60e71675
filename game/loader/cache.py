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
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO

from game import __version__
from game.expr import CompileEnv, VarType, defer_condition, defer_effect, defer_template
from game.paths import atomic_write
from game.story.diagnostics import Diagnostic, Severity
from game.story.model import (
    Band,
    Choice,
    Ending,
    Meter,
    Pos,
    Scene,
    Story,
    Tracker,
    TrackerSlot,
    VarDecl,
)

ENV_VAR = "METALLIC_ROUGE_CACHE"
FORMAT = 4
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


@dataclass
class Sources:
    """A story folder read once: the cache key and, on a miss, what the loader parses."""

    root: Path
    files: list[Path]
    contents: dict[Path, bytes | OSError]
    key: str

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def read_sources(root: Path, files: list[Path]) -> Sources:
    digest = hashlib.sha256(engine_fingerprint().encode())
    contents: dict[Path, bytes | OSError] = {}
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            contents[path] = exc
            data = b"\0unreadable"
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
        raw = path.read_bytes()
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
        return _Reader(sources, data).result()
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError):
        # A damaged entry (a crash mid-write on a filesystem without atomic
        # rename, a hand edit): rebuilt from the YAML and written again.
        return None


class _Reader:
    def __init__(self, sources: Sources, data: dict[str, Any]) -> None:
        from game.loader.build import display_path

        self.root = sources.root
        self.data = data
        self.names = [display_path(sources.root / rel) for rel in data["files"]]

    def pos(self, at: list[int]) -> Pos:
        return Pos(self.names[at[0]], at[1], at[2])

    def result(self) -> tuple[Story | None, list[Diagnostic]]:
        from game.loader.build import display_path

        diagnostics = [
            Diagnostic(code, message, display_path(self.root / rel), line, col, Severity(severity))
            for code, message, rel, line, col, severity in self.data["diagnostics"]
        ]
        raw = self.data["story"]
        return (None if raw is None else self.story(raw, self.data["scenes"])), diagnostics

    def story(self, raw: dict[str, Any], raw_scenes: list[Any]) -> Story:
        variables = {
            name: VarDecl(
                name,
                vtype,
                default,
                lo,
                hi,
                None if values is None else tuple(values),
                description,
                self.pos(at),
            )
            for name, vtype, default, lo, hi, values, description, at in raw["variables"]
        }
        env = CompileEnv(
            variables={
                n: VarType(type=d.type, values=d.values, min=d.min, max=d.max)
                for n, d in variables.items()
            },
            scene_ids=frozenset(raw["scene_ids"]),
        )
        scenes = {}
        names = self.names
        # Positional arguments and flat positions: this loop makes every Scene,
        # Choice and Pos of the story, and keywords or nested lists cost a third more.
        for sid, title, text, chapter, location, on_enter, choices, ending, checkpoint, f, line, col in raw_scenes:
            made = []
            for cid, label, target, condition, locked, effects, once, index, cf, cl, cc, qf, ql, qc in choices:
                made.append(
                    Choice(
                        cid,
                        defer_template(label, env),
                        target,
                        None if condition is None else defer_condition(condition, env),
                        locked,
                        tuple([defer_effect(e, env) for e in effects]),
                        once,
                        index,
                        Pos(names[cf], cl, cc),
                        None if qf is None else Pos(names[qf], ql, qc),
                    )
                )
            scenes[sid] = Scene(
                sid,
                title,
                defer_template(text, env),
                chapter,
                location,
                tuple([defer_effect(e, env) for e in on_enter]),
                tuple(made),
                ending,
                checkpoint,
                Pos(names[f], line, col),
            )
        tracker = raw["tracker"]
        return Story(
            id=raw["id"],
            title=raw["title"],
            version=raw["version"],
            start=raw["start"],
            variables=MappingProxyType(variables),
            scenes=MappingProxyType(scenes),
            endings=MappingProxyType({e: Ending(e, title, desc) for e, title, desc in raw["endings"]}),
            meters=tuple(
                Meter(var, label, lo, hi, group, tuple(Band(start, band) for start, band in bands))
                for var, label, lo, hi, group, bands in raw["meters"]
            ),
            tracker=None
            if tracker is None
            else Tracker(tracker[0], tuple(TrackerSlot(*slot) for slot in tracker[1])),
            checkpoints=tuple(raw["checkpoints"]),
            renames=MappingProxyType(dict(raw["renames"])),
            author=raw["author"],
            root=self.root,
            files=tuple(self.names[i] for i in raw["story_files"]),
        )


# -- writing --------------------------------------------------------------------------


def store(sources: Sources, story: Story | None, diagnostics: Iterable[Diagnostic], scene_ids: Iterable[str]) -> None:
    """Write the entry for these sources; a cache that cannot be written is skipped."""
    path = _entry(sources)
    if path is None:
        return
    try:
        writer = _Writer(sources)
        head = writer.entry(story, diagnostics, scene_ids)
        scenes = [] if story is None else [writer.scene(s) for s in story.scenes.values()]
    except _Unstorable:
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


class _Unstorable(Exception):
    """Something in the result has no place in an entry (a path outside the story)."""


class _Writer:
    def __init__(self, sources: Sources) -> None:
        from game.loader.build import display_path

        self.root = sources.root
        self.key = sources.key
        self.rels = [sources.rel(p) for p in sources.files]
        self.index = {display_path(p): i for i, p in enumerate(sources.files)}

    def file(self, name: str) -> int:
        try:
            return self.index[name]
        except KeyError:
            raise _Unstorable(name) from None

    def rel(self, name: str) -> str:
        if name in self.index:
            return self.rels[self.index[name]]
        try:
            return Path(os.path.abspath(name)).relative_to(os.path.abspath(self.root)).as_posix()
        except ValueError:
            raise _Unstorable(name) from None

    def pos(self, pos: Pos) -> list[int]:
        return [self.file(pos.path), pos.line, pos.col]

    def entry(self, story: Story | None, diagnostics: Iterable[Diagnostic], scene_ids: Iterable[str]) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "key": self.key,
            "files": self.rels,
            "diagnostics": [
                [d.code, d.message, self.rel(d.path), d.line, d.col, d.severity.value] for d in diagnostics
            ],
            "story": None if story is None else self.story(story, scene_ids),
        }

    def scene(self, s: Scene) -> list[Any]:
        pos = self.pos
        return [
            s.id,
            s.title,
            s.text.source,
            s.chapter,
            s.location,
            [e.source for e in s.on_enter],
            [
                [
                    c.id,
                    c.label.source,
                    c.target,
                    None if c.condition is None else c.condition.source,
                    c.locked,
                    [e.source for e in c.effects],
                    c.once,
                    c.index,
                    *pos(c.pos),
                    *(pos(c.condition_pos) if c.condition_pos is not None else (None, None, None)),
                ]
                for c in s.choices
            ],
            s.ending,
            s.checkpoint,
            *pos(s.pos),
        ]

    def story(self, story: Story, scene_ids: Iterable[str]) -> dict[str, Any]:
        pos = self.pos
        return {
            "id": story.id,
            "title": story.title,
            "version": story.version,
            "start": story.start,
            "author": story.author,
            "scene_ids": sorted(scene_ids),
            "story_files": [self.file(name) for name in story.files],
            "variables": [
                [d.name, d.type, d.default, d.min, d.max, None if d.values is None else list(d.values), d.description, pos(d.pos)]
                for d in story.variables.values()
            ],
            "endings": [[e.id, e.title, e.description] for e in story.endings.values()],
            "meters": [
                [m.var, m.label, m.min, m.max, m.group, [[b.start, b.label] for b in m.bands]]
                for m in story.meters
            ],
            "tracker": None
            if story.tracker is None
            else [story.tracker.title, [[s.name, s.var, s.form] for s in story.tracker.slots]],
            "checkpoints": list(story.checkpoints),
            "renames": dict(story.renames),
        }
