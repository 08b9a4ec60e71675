"""Pass 1 of a load: read every file, check its keys, collect the declarations.

What later passes need from the whole story before compiling any of it: the
variables (with their own checks: type, range, default), the scene ids and
which file holds each, and the manifest's story mapping.
"""

from __future__ import annotations

from pathlib import Path

from game.expr import RESERVED
from game.loader import fields as F
from game.loader.diagnostics import SourceFile
from game.loader.schema import check_keys, describe, get
from game.loader.sources import (
    MANIFEST_NAME,
    Sources,
    StoryFileRefused,
    display_path,
    read_text,
    story_files,
)
from game.loader.yaml_source import LList, LMap, parse_yaml
from game.names import did_you_mean
from game.story.diagnostics import Diagnostic
from game.story.model import VarDecl

RawScene = tuple[SourceFile, LMap, int, str, str]  # file, mapping, index in the file, chapter, location


class Declarations:
    """Everything pass 1 found, and every diagnostic so far (``diagnostics``, shared by the passes)."""

    def __init__(self, root: Path, sources: Sources | None = None) -> None:
        self.root = root
        self.sources = sources  # the files already read for the cache key, if any
        self.diagnostics: list[Diagnostic] = []
        self.variables: dict[str, VarDecl] = {}
        self.raw_scenes: list[RawScene] = []
        self.scene_files: dict[str, SourceFile] = {}
        self.manifest: tuple[SourceFile, LMap] | None = None
        self.files: list[SourceFile] = []

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
                text = read_text(path, self.sources, self.root)
            except StoryFileRefused as exc:
                self.diagnostics.append(Diagnostic(exc.code, exc.message, display_path(path)))
                continue
            except (OSError, UnicodeDecodeError) as exc:
                self.diagnostics.append(
                    Diagnostic("E100", f"cannot read file: {exc}", display_path(path))
                )
                continue
            file = SourceFile(path, parse_yaml(text), self.diagnostics)
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

    def _read_manifest(self, file: SourceFile, data: LMap) -> None:
        if not check_keys(file, data, F.MANIFEST, "the manifest"):
            return
        story = data["story"]
        if not isinstance(story, LMap):
            return
        check_keys(file, story, F.STORY, "the story")
        self.manifest = (file, story)
        self._read_variables(file, get(story, "variables", (dict,)))

    def _read_scene_file(self, file: SourceFile, data: LMap) -> None:
        if "story" in data and "scenes" not in data:
            file.error("E120", f"only {MANIFEST_NAME} may hold the 'story' manifest", data.key_pos["story"])
            return
        if not check_keys(file, data, F.SCENE_FILE, "a scene file"):
            return
        self._read_variables(file, get(data, "variables", (dict,)))
        chapter = get(data, "chapter", (str,), "")
        location = get(data, "location", (str,), "")
        scenes = data["scenes"]
        if not isinstance(scenes, LList):
            return
        for i, raw in enumerate(scenes):
            if not isinstance(raw, LMap):
                file.error("E112", f"scene {i + 1} should be a mapping", scenes.item_pos[i])
                continue
            if not check_keys(file, raw, F.SCENE, "a scene"):
                continue
            scene_id = raw["id"]
            if not F.ID_RE.match(scene_id):
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

    def _read_variables(self, file: SourceFile, variables: LMap | None) -> None:
        if not variables:
            return
        for name, spec in variables.items():
            at = variables.key_pos.get(name)
            if not isinstance(name, str) or not F.VAR_RE.match(name) or name.startswith("__"):
                file.error("E113", f"variable name {name!r} must be letters, digits and '_'", at)
                continue
            if name in RESERVED:
                file.error(
                    "E113",
                    f"variable name '{name}' is reserved: {{{name}}} is a text-variation tag "
                    "({seq}, {cycle}, {shuffle}, {once}, {or}), so a variable so named would mean two things",
                    at,
                )
                continue
            if name in self.variables:
                file.error(
                    "E210", f"variable '{name}' is already declared at {self.variables[name].pos}", at
                )
                continue
            if not isinstance(spec, LMap):
                file.error("E112", f"variable '{name}' should be a mapping such as {{type: int, default: 0}}", at)
                continue
            if not check_keys(file, spec, F.VARIABLE, f"variable '{name}'"):
                continue
            decl = self._variable(file, name, spec)
            if decl is not None:
                self.variables[name] = decl

    def _variable(self, file: SourceFile, name: str, spec: LMap) -> VarDecl | None:
        vtype = spec["type"]
        if vtype not in F.VARIABLE_TYPES:
            more = did_you_mean(str(vtype), F.VARIABLE_TYPES)
            file.error("E211", f"variable '{name}' has type {vtype!r}; use int, bool or str{more}", spec.val_pos["type"])
            return None
        lo, hi = get(spec, "min", (int,)), get(spec, "max", (int,))
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
            file.error("E211", f"default of '{name}' should be {vtype}, not {describe(default)}", at)
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
            description=get(spec, "description", (str,), ""),
            pos=file.pos(spec.pos),
        )
