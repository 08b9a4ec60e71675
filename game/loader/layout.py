"""How each model object is laid out in a cache entry, generated from its dataclass fields.

An object is a JSON list of its fields in declaration order (positional, as
the dataclass takes them: keywords or dicts cost a third more on the load of a
big story); the story itself, one an entry, is a mapping of its field names. Each field is converted by the rule for its annotation: texts,
conditions and effects by their source, a position by [file index, line,
column], nested model objects by their own rows. Adding a field to a model
class therefore changes the entry by itself; a field whose annotation has no
rule fails here, at import, rather than writing an entry that reads back
wrong. (Bump ``cache.FORMAT`` with any change, so old entries are misses.)
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any

from game.expr import CompileEnv, defer_condition, defer_effect, defer_template
from game.story.diagnostics import Diagnostic, Severity
from game.story.model import (
    Band,
    Choice,
    Ending,
    Invariant,
    Meter,
    Pos,
    Route,
    Scene,
    Story,
    Tracker,
    TrackerSlot,
    VarDecl,
)

Convert = Callable[[Any], Any]
MODELS: dict[str, type] = {
    cls.__name__: cls for cls in (Band, Choice, Ending, Invariant, Meter, Pos, Route, Scene, Story, Tracker, TrackerSlot, VarDecl)
}
# Values JSON holds as they are.
_PLAIN = frozenset({"str", "int", "bool", "str | None", "int | None", "Value"})
# Fields whose meaning is not in their annotation: display names of story files
# are stored as indices into the entry's file list, a diagnostic's path relative
# to the story folder, and the story's root is the folder being loaded. A story's
# variables and scenes are stored apart from its row (null there): the variables
# are read first, since every text and expression is compiled against them, and
# the scenes are written one by one, so a big story's JSON is never whole in memory.
_SPECIAL = {
    (Story, "files"): "file names",
    (Story, "root"): "root",
    (Story, "variables"): "apart",
    (Story, "scenes"): "apart",
    (Diagnostic, "path"): "relative path",
}


class Unstorable(Exception):
    """Something in the result has no place in an entry (a path outside the story)."""


def _rule(cls: type, f: dataclasses.Field[Any]) -> str:
    rule = _SPECIAL.get((cls, f.name))
    if rule is not None:
        return rule
    annotation = str(f.type)
    if annotation in _PLAIN:
        return "plain"
    known = (
        "tuple[str, ...]", "tuple[str, ...] | None", "Pos", "Pos | None", "Template", "Template | None", "Expr", "Expr | None",
        "tuple[Effect, ...]", "Mapping[str, str]", "Severity",
    )
    if annotation in known or _model_of(annotation) is not None:
        return annotation
    raise TypeError(f"the cache has no layout for {cls.__name__}.{f.name}: {annotation}")


def _model_of(annotation: str) -> tuple[str, type] | None:
    """('tuple' | 'optional' | 'mapping', class) for a field holding model objects."""
    for shape, prefix, suffix in (("tuple", "tuple[", ", ...]"), ("optional", "", " | None"), ("mapping", "Mapping[str, ", "]")):
        if annotation.startswith(prefix) and annotation.endswith(suffix):
            cls = MODELS.get(annotation[len(prefix) : len(annotation) - len(suffix)])
            if cls is not None and cls is not Pos:
                return shape, cls
    return None


def rules(cls: type) -> tuple[tuple[str, str], ...]:
    """(field name, rule) for each field of a dataclass, in the order it takes them."""
    return tuple((f.name, _rule(cls, f)) for f in dataclasses.fields(cls))


RULES: dict[type, tuple[tuple[str, str], ...]] = {
    cls: rules(cls) for cls in (*MODELS.values(), Diagnostic) if cls is not Pos
}


class Writer:
    """Model objects -> JSON-ready lists, positions as indices into ``files``."""

    def __init__(self, root: Path, rels: list[str], index: dict[str, int]) -> None:
        self.root = root
        self.rels = rels
        self.index = index  # display name -> position in rels
        self._rows: dict[type, Callable[[Any], list[Any]]] = {}

    def file(self, name: str) -> int:
        try:
            return self.index[name]
        except KeyError:
            raise Unstorable(name) from None

    def rel(self, name: str) -> str:
        if name in self.index:
            return self.rels[self.index[name]]
        try:
            return Path(os.path.abspath(name)).relative_to(os.path.abspath(self.root)).as_posix()
        except ValueError:
            raise Unstorable(name) from None

    def row(self, obj: Any) -> list[Any]:
        make = self._rows.get(type(obj))
        if make is None:
            make = self._rows[type(obj)] = self._maker(type(obj))
        return make(obj)

    def fields(self, obj: Any) -> dict[str, Any]:
        """The object as a mapping of its field names (for the one story of an entry, read by eye)."""
        return dict(zip([name for name, _ in RULES[type(obj)]], self.row(obj), strict=True))

    def _maker(self, cls: type) -> Callable[[Any], list[Any]]:
        steps = [(name, self._out(rule)) for name, rule in RULES[cls]]

        def make(obj: Any) -> list[Any]:
            row = []
            for name, out in steps:
                value = getattr(obj, name)
                row.append(value if out is None else out(value))
            return row

        return make

    def _out(self, rule: str) -> Convert | None:
        file, row = self.file, self.row
        model = _model_of(rule)
        if model is not None:
            shape, _ = model
            if shape == "tuple":
                return lambda items: [row(x) for x in items]
            if shape == "optional":
                return lambda x: None if x is None else row(x)
            return lambda items: [row(x) for x in items.values()]
        outs: dict[str, Convert | None] = {
            "plain": None,
            "Severity": lambda s: s.value,
            "tuple[str, ...]": list,
            "tuple[str, ...] | None": lambda v: None if v is None else list(v),
            "Mapping[str, str]": dict,
            "Pos": lambda p: [file(p.path), p.line, p.col],
            "Pos | None": lambda p: None if p is None else [file(p.path), p.line, p.col],
            "Template": lambda t: t.source,
            "Template | None": lambda t: None if t is None else t.source,
            "Expr": lambda e: e.source,
            "Expr | None": lambda e: None if e is None else e.source,
            "tuple[Effect, ...]": lambda effects: [e.source for e in effects],
            "file names": lambda names: [file(n) for n in names],
            "relative path": self.rel,
            "root": lambda _: None,
            "apart": lambda _: None,
        }
        return outs[rule]


class Reader:
    """JSON lists -> model objects; texts, conditions and effects compile on first use."""

    def __init__(
        self, root: Path, names: list[str], display: Callable[[Path], str], env: CompileEnv | None = None
    ) -> None:
        self.root = root
        self.names = names  # display name of each file index
        self.display = display
        self.env = env  # None while the variables are read: nothing else can be
        self.apart: dict[str, Any] = {}  # the story's fields stored apart, once read
        self._makers: dict[type, Callable[[list[Any]], Any]] = {}

    def obj(self, cls: type, row: list[Any]) -> Any:
        make = self._makers.get(cls)
        if make is None:
            make = self._makers[cls] = self._maker(cls)
        return make(row)

    def from_fields(self, cls: type, data: dict[str, Any]) -> Any:
        return self.obj(cls, [data[name] for name, _ in RULES[cls]])

    def _maker(self, cls: type) -> Callable[[list[Any]], Any]:
        # Only the fields that need converting are touched; the row (a fresh
        # list from the JSON parser) is converted in place and passed as is.
        steps = [(i, conv) for i, (name, rule) in enumerate(RULES[cls]) if (conv := self._in(name, rule)) is not None]

        def make(row: list[Any]) -> Any:
            for i, conv in steps:
                row[i] = conv(row[i])
            return cls(*row)

        return make

    def _in(self, name: str, rule: str) -> Convert | None:
        names, env = self.names, self.env
        model = _model_of(rule)
        if model is not None:
            shape, cls = model
            make = self._makers.get(cls) or self._makers.setdefault(cls, self._maker(cls))  # noqa: B023
            if shape == "tuple":
                return lambda rows: tuple([make(r) for r in rows])
            if shape == "optional":
                return lambda r: None if r is None else make(r)
            # A mapping of objects by their first field (a scene's id, a variable's name).
            return lambda rows: MappingProxyType({r[0]: make(r) for r in rows})
        if rule in ("Template", "Template | None", "Expr", "Expr | None", "tuple[Effect, ...]") and env is None:
            raise ValueError("texts and expressions are read after the variables")
        ins: dict[str, Convert | None] = {
            "plain": None,
            "Severity": Severity,
            "tuple[str, ...]": tuple,
            "tuple[str, ...] | None": lambda v: None if v is None else tuple(v),
            "Mapping[str, str]": lambda d: MappingProxyType(dict(d)),
            "Pos": lambda a: Pos(names[a[0]], a[1], a[2]),
            "Pos | None": lambda a: None if a is None else Pos(names[a[0]], a[1], a[2]),
            "Template": lambda s: defer_template(s, env),
            "Template | None": lambda s: None if s is None else defer_template(s, env),
            "Expr": lambda s: defer_condition(s, env),
            "Expr | None": lambda s: None if s is None else defer_condition(s, env),
            "tuple[Effect, ...]": lambda sources: tuple([defer_effect(s, env) for s in sources]),
            "file names": lambda indices: tuple([names[i] for i in indices]),
            "relative path": lambda rel: self.display(self.root / rel),
            "root": lambda _: self.root,
            "apart": lambda _: self.apart[name],
        }
        return ins[rule]
