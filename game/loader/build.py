"""Turn a folder of YAML files into a Story, reporting every problem at its file:line:col.

Loading runs in two passes: the first reads every file and collects variables
and scene ids, the second compiles expressions against the whole story, so an
error in one file never hides the errors in another.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from types import MappingProxyType
from typing import Any

from game.expr import (
    CompileEnv,
    Effect,
    Expr,
    ExprError,
    VarType,
    compile_condition,
    compile_effect,
    compile_template,
)
from game.loader import cache
from game.loader import fields as F
from game.loader.sources import MANIFEST_NAME, Sources, display_path, read_text, story_files
from game.loader.yaml_source import LList, LMap, Parsed, parse_yaml
from game.names import did_you_mean
from game.story.diagnostics import Diagnostic, Severity, StoryLoadError
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

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")
VAR_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    slug = _NOT_SLUG.sub("-", text.lower()).strip("-")
    return slug[:48] or "choice"


class _File:
    """One parsed file plus helpers that turn YAML positions into diagnostics."""

    def __init__(self, path: Path, parsed: Parsed, sink: list[Diagnostic]) -> None:
        self.path = path
        self.name = display_path(path)
        self.parsed = parsed
        self.sink = sink
        self._lines: list[str] | None = None

    def error(self, code: str, message: str, at: tuple[int, int] | None = None) -> None:
        line, col = at or (1, 1)
        self.sink.append(Diagnostic(code, message, self.name, line, col))

    def warn(self, code: str, message: str, at: tuple[int, int] | None = None) -> None:
        line, col = at or (1, 1)
        self.sink.append(Diagnostic(code, message, self.name, line, col, Severity.WARNING))

    def pos(self, at: tuple[int, int]) -> Pos:
        return Pos(self.name, at[0], at[1])

    def locate(self, at: tuple[int, int], style: str | None, source: str, offset: int) -> tuple[int, int]:
        """The file position of character ``offset`` inside a scalar that starts at ``at``."""
        line, col = at
        offset = max(0, min(offset, len(source)))
        if style in ("|", ">"):
            if self._lines is None:
                self._lines = self.parsed.lines
            before = source[:offset].split("\n")
            first = line  # the content starts on the line after the indicator
            body_line = first + len(before) - 1
            text_line = self._lines[body_line] if body_line < len(self._lines) else ""
            indent = len(text_line) - len(text_line.lstrip(" "))
            return body_line + 1, indent + len(before[-1]) + 1
        quote = 1 if style in ('"', "'") else 0
        return line, col + quote + offset


Checker = dict[str, F.Field]


# Per spec: the exact classes each key accepts, and the required keys. A story
# has tens of thousands of scenes and choices and nearly all are well formed, so
# _check_keys first tries a plain class lookup per key and takes the full,
# message-writing path only when something does not fit.
_FAST_SPECS: dict[int, tuple[dict[str, frozenset[type]], tuple[str, ...]]] = {}
_PARSED_AS: dict[type, tuple[type, ...]] = {dict: (dict, LMap), list: (list, LList)}


def _fast_spec(spec: Checker) -> tuple[dict[str, frozenset[type]], tuple[str, ...]]:
    fast = _FAST_SPECS.get(id(spec))
    if fast is None:
        classes = {
            key: frozenset(c for t in field.types for c in _PARSED_AS.get(t, (t,)))
            for key, field in spec.items()
        }
        required = tuple(key for key, field in spec.items() if field.required)
        fast = _FAST_SPECS[id(spec)] = (classes, required)
    return fast


def _check_keys(file: _File, obj: LMap, spec: Checker, what: str) -> bool:
    """Report unknown, missing and mistyped keys; False if a required key is unusable."""
    classes, required = _fast_spec(spec)
    for key, value in obj.items():
        accepted = classes.get(key)
        if accepted is None or value.__class__ not in accepted:
            return _report_keys(file, obj, spec, what)
    for key in required:
        if key not in obj:
            return _report_keys(file, obj, spec, what)
    return True


def _report_keys(file: _File, obj: LMap, spec: Checker, what: str) -> bool:
    ok = True
    for key in obj:
        if key not in spec:
            more = did_you_mean(str(key), spec, f"; {what} keys are: {', '.join(spec)}")
            file.error("E110", f"unknown key '{key}' in {what}{more}", obj.key_pos.get(key))
    for key, field in spec.items():
        if key not in obj:
            if field.required:
                file.error("E111", f"{what} is missing '{key}'", obj.pos)
                ok = False
            continue
        value = obj[key]
        good = isinstance(value, field.types) and not (
            isinstance(value, bool) and bool not in field.types and int in field.types
        )
        if not good:
            got = "nothing" if value is None else _describe(value)
            file.error(
                "E112",
                f"'{key}' in {what} should be {field.describe()}, not {got}",
                obj.val_pos.get(key),
            )
            if field.required:
                ok = False
    return ok


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _get(obj: LMap, key: str, types: tuple[type, ...], default: Any = None) -> Any:
    value = obj.get(key, default)
    if isinstance(value, bool) and bool not in types:
        return default
    return value if isinstance(value, types) else default


class StoryBuilder:
    def __init__(self, root: Path, sources: Sources | None = None) -> None:
        self.root = root
        self.sources = sources  # the files already read for the cache key, if any
        self.diagnostics: list[Diagnostic] = []
        self.variables: dict[str, VarDecl] = {}
        self.raw_scenes: list[tuple[_File, LMap, int, str, str]] = []
        self.scene_files: dict[str, _File] = {}
        self.manifest: tuple[_File, LMap] | None = None
        self.files: list[_File] = []

    # -- pass 1: read every file ------------------------------------------------
    def read(self) -> None:
        if not self.root.is_dir():
            self.diagnostics.append(
                Diagnostic("E120", "story folder not found", display_path(self.root))
            )
            return
        paths = list(self.sources.files) if self.sources is not None else story_files(self.root)
        manifest_path = self.root / MANIFEST_NAME
        if manifest_path not in paths:
            self.diagnostics.append(
                Diagnostic(
                    "E120",
                    f"no {MANIFEST_NAME} manifest in this folder (see docs/authoring.md)",
                    display_path(manifest_path),
                )
            )
        # The manifest first, so its declarations are the "first defined" ones.
        paths.sort(key=lambda p: p != manifest_path)
        for path in paths:
            try:
                text = read_text(path, self.sources)
            except (OSError, UnicodeDecodeError) as exc:
                self.diagnostics.append(
                    Diagnostic("E100", f"cannot read file: {exc}", display_path(path))
                )
                continue
            file = _File(path, parse_yaml(text), self.diagnostics)
            for problem in file.parsed.problems:
                file.error(problem.code, problem.message, (problem.line, problem.col))
            self.files.append(file)
            data = file.parsed.data
            if data is None:
                if not file.parsed.problems:
                    file.warn("W100", "file is empty")
                continue
            if not isinstance(data, LMap):
                file.error("E101", "a story file must be a mapping of keys to values")
                continue
            if path == manifest_path:
                self._read_manifest(file, data)
            else:
                self._read_scene_file(file, data)

    def _read_manifest(self, file: _File, data: LMap) -> None:
        if not _check_keys(file, data, F.MANIFEST, "the manifest"):
            return
        story = data["story"]
        if not isinstance(story, LMap):
            return
        _check_keys(file, story, F.STORY, "the story")
        self.manifest = (file, story)
        self._read_variables(file, _get(story, "variables", (dict,)))

    def _read_scene_file(self, file: _File, data: LMap) -> None:
        if "story" in data and "scenes" not in data:
            file.error("E120", f"only {MANIFEST_NAME} may hold the 'story' manifest", data.key_pos["story"])
            return
        if not _check_keys(file, data, F.SCENE_FILE, "a scene file"):
            return
        self._read_variables(file, _get(data, "variables", (dict,)))
        chapter = _get(data, "chapter", (str,), "")
        location = _get(data, "location", (str,), "")
        scenes = data["scenes"]
        if not isinstance(scenes, LList):
            return
        for i, raw in enumerate(scenes):
            if not isinstance(raw, LMap):
                file.error("E112", f"scene {i + 1} should be a mapping", scenes.item_pos[i])
                continue
            if not _check_keys(file, raw, F.SCENE, "a scene"):
                continue
            scene_id = raw["id"]
            if not ID_RE.match(scene_id):
                file.error(
                    "E113",
                    f"scene id {scene_id!r} may use only letters, digits, '.', '_' and '-'",
                    raw.val_pos["id"],
                )
                continue
            if scene_id in self.scene_files:
                first = self._scene_pos(scene_id)
                file.error(
                    "E200", f"duplicate scene id '{scene_id}' (first defined at {first})", raw.val_pos["id"]
                )
                continue
            self.scene_files[scene_id] = file
            self.raw_scenes.append((file, raw, i, chapter, location))

    def _scene_pos(self, scene_id: str) -> str:
        for file, raw, *_ in self.raw_scenes:
            if raw["id"] == scene_id:
                return str(file.pos(raw.val_pos["id"]))
        return "?"

    def _read_variables(self, file: _File, variables: LMap | None) -> None:
        if not variables:
            return
        for name, spec in variables.items():
            at = variables.key_pos.get(name)
            if not isinstance(name, str) or not VAR_RE.match(name) or name.startswith("__"):
                file.error("E113", f"variable name {name!r} must be letters, digits and '_'", at)
                continue
            if name in self.variables:
                file.error(
                    "E210", f"variable '{name}' is already declared at {self.variables[name].pos}", at
                )
                continue
            if not isinstance(spec, LMap):
                file.error("E112", f"variable '{name}' should be a mapping such as {{type: int, default: 0}}", at)
                continue
            if not _check_keys(file, spec, F.VARIABLE, f"variable '{name}'"):
                continue
            decl = self._variable(file, name, spec)
            if decl is not None:
                self.variables[name] = decl

    def _variable(self, file: _File, name: str, spec: LMap) -> VarDecl | None:
        vtype = spec["type"]
        if vtype not in F.VARIABLE_TYPES:
            more = did_you_mean(str(vtype), F.VARIABLE_TYPES)
            file.error("E211", f"variable '{name}' has type {vtype!r}; use int, bool or str{more}", spec.val_pos["type"])
            return None
        lo, hi = _get(spec, "min", (int,)), _get(spec, "max", (int,))
        # A non-list 'values' was already reported (E112) by _check_keys; iterating
        # it here would crash on, say, `values: false`.
        values = spec.get("values") if isinstance(spec.get("values"), list) else None
        if vtype != "int" and ("min" in spec or "max" in spec):
            file.error("E211", f"only int variables take min/max ('{name}' is {vtype})", spec.pos)
        if values is not None:
            if vtype != "str":
                file.error("E211", f"only str variables take values ('{name}' is {vtype})", spec.val_pos["values"])
                values = None
            elif not all(isinstance(v, str) for v in values) or not values:
                file.error("E211", f"values of '{name}' should be a list of text", spec.val_pos["values"])
                values = None
        if lo is not None and hi is not None and lo > hi:
            file.error("E211", f"variable '{name}' has min {lo} greater than max {hi}", spec.val_pos["min"])
        fallback: int | bool | str = {"int": lo if lo is not None else 0, "bool": False, "str": ""}[vtype]
        if vtype == "str" and values:
            fallback = values[0]
        default = spec.get("default", fallback)
        at = spec.val_pos.get("default", spec.pos)
        type_ok = {
            "int": isinstance(default, int) and not isinstance(default, bool),
            "bool": isinstance(default, bool),
            "str": isinstance(default, str),
        }[vtype]
        if not type_ok:
            file.error("E211", f"default of '{name}' should be {vtype}, not {_describe(default)}", at)
            default = fallback
        elif vtype == "int" and ((lo is not None and default < lo) or (hi is not None and default > hi)):
            file.error("E211", f"default {default} of '{name}' is outside {lo}..{hi}", at)
        elif vtype == "str" and values and default not in values:
            file.error("E211", f"default {default!r} of '{name}' is not one of its values", at)
        return VarDecl(
            name=name,
            type=vtype,
            default=default,
            min=lo,
            max=hi,
            values=tuple(values) if values else None,
            description=_get(spec, "description", (str,), ""),
            pos=file.pos(spec.pos),
        )

    # -- pass 2: compile against the whole story -----------------------------------
    def env(self) -> CompileEnv:
        return CompileEnv(
            variables={
                n: VarType(type=d.type, values=d.values, min=d.min, max=d.max)
                for n, d in self.variables.items()
            },
            scene_ids=frozenset(self.scene_files),
        )

    def _compile(
        self,
        file: _File,
        fn: Callable[[str, CompileEnv], Any],
        source: str,
        env: CompileEnv,
        at: tuple[int, int],
        style: str | None,
        what: str,
    ) -> Any:
        try:
            return fn(source, env)
        except ExprError as exc:
            code = "E221" if "unknown variable" in exc.message else "E220"
            file.error(code, f"{what}: {exc.message}", file.locate(at, style, source, exc.offset))
            return None

    def _effects(self, file: _File, obj: LMap, key: str, env: CompileEnv, what: str) -> tuple[Effect, ...]:
        items = obj.get(key)
        if not isinstance(items, LList):
            return ()
        out: list[Effect] = []
        message = f"bad effect in {what}"
        for i, item in enumerate(items):
            at = items.item_pos[i]
            if not isinstance(item, str):
                file.error("E112", f"each effect in '{key}' should be text such as 'freedom += 5', not {_describe(item)}", at)
                continue
            effect = self._compile(file, compile_effect, item, env, at, items.item_style[i], message)
            if effect is not None:
                out.append(effect)
        return tuple(out)

    def build(self) -> Story | None:
        if self.manifest is None:
            # Without the manifest every variable looks undeclared: compiling the
            # scenes would bury the one real error under hundreds of false ones.
            return None
        env = self.env()
        scenes: dict[str, Scene] = {}
        endings = self._endings()
        for file, raw, _i, chapter, location in self.raw_scenes:
            scene = self._scene(file, raw, env, chapter, location, endings)
            if scene is not None:
                scenes[scene.id] = scene
        for scene in scenes.values():
            for choice in scene.choices:
                if choice.target not in self.scene_files:
                    file = self.scene_files[scene.id]
                    more = did_you_mean(choice.target, self.scene_files)
                    self.diagnostics.append(
                        Diagnostic(
                            "E201",
                            f"choice target '{choice.target}' is not a scene{more}",
                            file.name,
                            choice.pos.line,
                            choice.pos.col,
                        )
                    )
        return self._story(scenes, endings)

    def _endings(self) -> dict[str, Ending]:
        if self.manifest is None:
            return {}
        file, story = self.manifest
        raw = _get(story, "endings", (dict,))
        endings: dict[str, Ending] = {}
        if raw is None:
            return endings
        if not raw:
            file.error("E111", "the story declares no endings", story.val_pos.get("endings"))
        for ending_id, spec in raw.items():
            at = raw.key_pos.get(ending_id)
            if not isinstance(ending_id, str) or not ID_RE.match(ending_id):
                file.error("E113", f"ending id {ending_id!r} may use only letters, digits, '.', '_' and '-'", at)
                continue
            if not isinstance(spec, LMap):
                file.error("E112", f"ending '{ending_id}' should be a mapping with a title", at)
                continue
            if _check_keys(file, spec, F.ENDING, f"ending '{ending_id}'"):
                endings[ending_id] = Ending(ending_id, spec["title"], _get(spec, "description", (str,), ""))
        return endings

    def _scene(
        self, file: _File, raw: LMap, env: CompileEnv, chapter: str, location: str, endings: dict[str, Ending]
    ) -> Scene | None:
        scene_id = raw["id"]
        text = self._compile(
            file, compile_template, raw["text"], env, raw.val_pos["text"], raw.val_style["text"], f"in the text of '{scene_id}'"
        )
        on_enter = self._effects(file, raw, "on_enter", env, f"on_enter of '{scene_id}'")
        ending = _get(raw, "ending", (str,))
        if ending is not None and self.manifest is not None and ending not in endings:
            more = did_you_mean(ending, endings, f"; the story's endings are: {', '.join(endings) or 'none'}")
            file.error("E203", f"'{ending}' is not an ending declared in {MANIFEST_NAME}{more}", raw.val_pos["ending"])
        choices = self._choices(file, raw, env, scene_id)
        has_choices = bool(raw.get("choices"))
        if ending is not None and has_choices:
            file.error("E204", f"ending scene '{scene_id}' cannot have choices: reaching it ends the game", raw.key_pos["choices"])
        if ending is None and not has_choices:
            file.error("E204", f"scene '{scene_id}' has no choices and no ending: the player would be stuck", raw.val_pos["id"])
        if text is None:
            return None
        return Scene(
            id=scene_id,
            title=raw["title"],
            text=text,
            chapter=_get(raw, "chapter", (str,), chapter),
            location=_get(raw, "location", (str,), location),
            on_enter=on_enter,
            choices=choices,
            ending=ending,
            checkpoint=_get(raw, "checkpoint", (bool,), False),
            pos=file.pos(raw.val_pos["id"]),
        )

    def _choices(self, file: _File, raw: LMap, env: CompileEnv, scene_id: str) -> tuple[Choice, ...]:
        items = raw.get("choices")
        if not isinstance(items, LList):
            return ()
        out: list[Choice] = []
        ids: dict[str, tuple[int, int]] = {}
        for i, item in enumerate(items):
            at = items.item_pos[i]
            if not isinstance(item, LMap):
                file.error("E112", f"choice {i + 1} of '{scene_id}' should be a mapping with a label and a target", at)
                continue
            if not _check_keys(file, item, F.CHOICE, "a choice"):
                continue
            what = f"choice {i + 1} of '{scene_id}'"
            label = self._compile(file, compile_template, item["label"], env, item.val_pos["label"], item.val_style["label"], f"in the label of {what}")
            condition: Expr | None = None
            if isinstance(item.get("if"), str):
                condition = self._compile(file, compile_condition, item["if"], env, item.val_pos["if"], item.val_style["if"], f"bad condition in {what}")
            elif "if" in item and isinstance(item.get("if"), bool):
                file.error("E112", f"'if' in {what} should be a condition such as freedom >= 40", item.val_pos["if"])
            locked = _get(item, "locked", (str,))
            if locked is not None and "if" not in item:
                file.warn("W110", f"{what} has a 'locked' reason but no 'if' condition, so it is never locked", item.key_pos["locked"])
            effects = self._effects(file, item, "do", env, what)
            explicit = _get(item, "id", (str,))
            if explicit is not None:
                choice_id = explicit
                if explicit in ids:
                    file.error("E205", f"choice id '{explicit}' is used twice in '{scene_id}'", item.val_pos["id"])
            else:
                choice_id = base = slugify(item["label"])
                n = 2
                while choice_id in ids:
                    choice_id, n = f"{base}-{n}", n + 1
            ids[choice_id] = at
            if label is None:
                continue
            out.append(
                Choice(
                    id=choice_id,
                    label=label,
                    target=item["to"],
                    condition=condition,
                    locked=locked,
                    effects=effects,
                    once=_get(item, "once", (bool,), False),
                    index=i,
                    pos=file.pos(item.val_pos["to"]),
                    condition_pos=file.pos(item.val_pos["if"]) if condition is not None else None,
                )
            )
        return tuple(out)

    def _story(self, scenes: dict[str, Scene], endings: dict[str, Ending]) -> Story | None:
        assert self.manifest is not None
        file, story = self.manifest
        start = _get(story, "start", (str,))
        if start is not None and start not in self.scene_files:
            more = did_you_mean(start, self.scene_files)
            file.error("E202", f"start scene '{start}' is not a scene{more}", story.val_pos["start"])
        meters = self._meters(file, story)
        tracker = self._tracker(file, story)
        checkpoints = self._scene_list(file, story, "checkpoints")
        renames = self._renames(file, story)
        version = story.get("version")
        if not all(isinstance(story.get(k), str) for k in ("id", "title", "start")) or version is None:
            return None
        return Story(
            id=story["id"],
            title=story["title"],
            version=str(version),
            start=story["start"],
            variables=MappingProxyType(dict(self.variables)),
            scenes=MappingProxyType(scenes),
            endings=MappingProxyType(endings),
            meters=meters,
            tracker=tracker,
            checkpoints=checkpoints + tuple(s.id for s in scenes.values() if s.checkpoint and s.id not in checkpoints),
            renames=MappingProxyType(renames),
            author=_get(story, "author", (str,), ""),
            root=self.root,
            files=tuple(f.name for f in self.files),
        )

    def _meters(self, file: _File, story: LMap) -> tuple[Meter, ...]:
        raw = _get(story, "meters", (list,))
        meters: list[Meter] = []
        for i, item in enumerate(raw or ()):
            if not isinstance(item, LMap):
                file.error("E112", f"meter {i + 1} should be a mapping with var and label", raw.item_pos[i])
                continue
            if not _check_keys(file, item, F.METER, "a meter"):
                continue
            decl = self._declared_int(file, item["var"], item.val_pos["var"], "meter")
            bands: list[Band] = []
            for j, band in enumerate(_get(item, "bands", (list,)) or ()):
                if isinstance(band, LMap) and _check_keys(file, band, F.BAND, "a band"):
                    bands.append(Band(band["from"], band["label"]))
                elif not isinstance(band, LMap):
                    file.error("E112", "a band should be a mapping such as {from: 0, label: Gear}", item["bands"].item_pos[j])
            if decl is not None:
                meters.append(
                    Meter(
                        var=decl.name,
                        label=item["label"],
                        min=decl.min if decl.min is not None else 0,
                        max=decl.max if decl.max is not None else 100,
                        group=_get(item, "group", (str,), ""),
                        bands=tuple(sorted(bands, key=lambda b: b.start)),
                    )
                )
        return tuple(meters)

    def _declared_int(self, file: _File, name: str, at: tuple[int, int], what: str) -> VarDecl | None:
        decl = self.variables.get(name)
        if decl is None:
            more = did_you_mean(name, self.variables)
            file.error("E230", f"{what} variable '{name}' is not declared{more}", at)
            return None
        if decl.type != "int":
            file.error("E230", f"{what} variable '{name}' must be an int, not {decl.type}", at)
            return None
        return decl

    def _tracker(self, file: _File, story: LMap) -> Tracker | None:
        raw = _get(story, "tracker", (dict,))
        if raw is None or not _check_keys(file, raw, F.TRACKER, "the tracker"):
            return None
        slots: list[TrackerSlot] = []
        items = raw["slots"]
        for i, item in enumerate(items if isinstance(items, LList) else ()):
            if not isinstance(item, LMap):
                file.error("E112", "a tracker slot should be a mapping with name and var", items.item_pos[i])
                continue
            if not _check_keys(file, item, F.SLOT, "a tracker slot"):
                continue
            if item["var"] not in self.variables:
                file.error("E230", f"tracker variable '{item['var']}' is not declared", item.val_pos["var"])
                continue
            slots.append(TrackerSlot(item["name"], item["var"], _get(item, "form", (str,), "")))
        return Tracker(_get(raw, "title", (str,), ""), tuple(slots))

    def _scene_list(self, file: _File, story: LMap, key: str) -> tuple[str, ...]:
        raw = _get(story, key, (list,))
        out: list[str] = []
        for i, item in enumerate(raw or ()):
            if not isinstance(item, str) or item not in self.scene_files:
                file.error("E230", f"{key} entry {item!r} is not a scene", raw.item_pos[i])
                continue
            out.append(item)
        return tuple(out)

    def _renames(self, file: _File, story: LMap) -> dict[str, str]:
        raw = _get(story, "renames", (dict,))
        out: dict[str, str] = {}
        for old, new in (raw or {}).items():
            at = raw.val_pos.get(old)
            if not isinstance(old, str) or not isinstance(new, str):
                file.error("E112", "renames map an old scene id to a new one", at)
            elif new not in self.scene_files:
                file.error("E230", f"rename target '{new}' is not a scene", at)
            else:
                out[old] = new
        return out


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
            if hit is not None:
                return hit
        builder = StoryBuilder(root, sources)
        builder.read()
        story = builder.build()
        diagnostics = sorted(builder.diagnostics, key=lambda d: (d.path, d.line, d.col))
        scene_ids = list(builder.scene_files)
        # The parsed YAML is not needed any more: freed before the cache entry is
        # serialised, which would otherwise hold both at once (peak memory).
        del builder
        if any(d.is_error for d in diagnostics):
            story = None
        if sources is not None:
            cache.store(sources, story, diagnostics, scene_ids)
    finally:
        if was_enabled:
            gc.enable()
    return story, diagnostics


def load_story(root: str | Path, use_cache: bool = True) -> Story:
    story, diagnostics = check_story(root, use_cache)
    if story is None:
        raise StoryLoadError(diagnostics)
    return story


def iter_errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.is_error]
