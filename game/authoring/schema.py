"""``schema``: a JSON Schema (draft 2020-12) of story files, for editors' autocomplete.

Generated from the loader's own field tables, so the schema and the loader
cannot disagree about which keys exist.
"""

from __future__ import annotations

from typing import Any

from game.expr import RESERVED
from game.loader import fields as F
from game.loader.fields import ID_RE, VAR_RE

SCHEMA_ID = "https://metallic-rouge.invalid/schema/story-file.json"

_JSON_TYPES = {str: "string", int: "integer", bool: "boolean", list: "array", dict: "object", float: "number"}

_SCENE_TITLE = "Shown as the scene's header; may use {expr} and {if}...{end} like the text."

_DESCRIPTIONS = {
    "id": "A stable id: letters, digits, '.', '_' and '-'.",
    "text": (
        "The narrative. {expr} inserts a value; {if cond}...{else}...{end} shows a passage conditionally; "
        "{seq}a{or}b{end}, {cycle}, {shuffle} and {once} vary it from one entry into the scene to the next."
    ),
    "again": "Shown instead of 'text' when the scene is entered again (its second visit on).",
    "to": "The id of the scene this choice leads to, or a list of routes tried in order, the last without 'if'.",
    "reply": "Shown right after the choice is taken. Without 'to', the player stays in the scene and reads the reply.",
    "if": "A condition, e.g. freedom >= 40. While false the choice is hidden, or locked if 'locked' is set.",
    "locked": "Show the choice dimmed with this reason (a text template) while its condition is false.",
    "do": "Effects: 'name = expr', 'name += expr', 'name -= expr', or fairly 'name %+= 20', 'name %-= 20'.",
    "on_enter": "Effects applied each time the scene is entered.",
    "once": "The choice disappears once taken.",
    "ending": "An ending id from the manifest: reaching this scene ends the game.",
    "checkpoint": "A safe place for old saves to resume if their scene is removed.",
    "invariants": "Conditions playtest checks after every step; never shown to players.",
    "check": "A condition that must hold in every state of every game, e.g. ids_held <= 9.",
    "message": "What playtest reports when the check fails.",
    "title_art": "A text file inside the story folder (at most 16 KiB) shown as the title screen's art.",
}


def _object(spec: dict[str, F.Field], overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for key, field in spec.items():
        types = sorted({_JSON_TYPES[t] for t in field.types})
        prop: dict[str, Any] = {"type": types[0] if len(types) == 1 else types}
        if key in _DESCRIPTIONS:
            prop["description"] = _DESCRIPTIONS[key]
        props[key] = prop
    for key, value in (overrides or {}).items():
        props[key] = value
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [k for k, f in spec.items() if f.required],
        "properties": props,
    }


def story_schema() -> dict[str, Any]:
    effects = {"type": "array", "items": {"type": "string"}, "description": _DESCRIPTIONS["do"]}
    scene_id = {"type": "string", "pattern": ID_RE.pattern, "description": _DESCRIPTIONS["id"]}
    variable = _object(
        F.VARIABLE,
        {
            "type": {"enum": list(F.VARIABLE_TYPES)},
            "values": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "default": {"type": ["integer", "boolean", "string"]},
        },
    )
    names = {"pattern": VAR_RE.pattern, "not": {"enum": sorted(RESERVED)}}
    variables = {"type": "object", "propertyNames": names, "additionalProperties": {"$ref": "#/$defs/variable"}}
    route = _object(F.ROUTE, {"to": scene_id})
    routes = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/route"}}
    # Exactly one route has no condition, the default; that it comes last is the loader's check (E114).
    routes["contains"] = {"not": {"required": ["if"]}}
    routes["minContains"] = routes["maxContains"] = 1
    choice = _object(F.CHOICE, {"do": effects, "to": {"description": _DESCRIPTIONS["to"], "oneOf": [scene_id, routes]}})
    choice["anyOf"] = [{"required": ["to"]}, {"required": ["reply"]}]
    scene = _object(
        F.SCENE,
        {
            "id": scene_id,
            "title": {"type": "string", "description": _SCENE_TITLE},
            "on_enter": {**effects, "description": _DESCRIPTIONS["on_enter"]},
            "choices": {"type": "array", "items": {"$ref": "#/$defs/choice"}},
        },
    )
    scene["oneOf"] = [{"required": ["choices"], "not": {"required": ["ending"]}}, {"required": ["ending"], "not": {"required": ["choices"]}}]
    band = _object(F.BAND)
    meter = _object(F.METER, {"bands": {"type": "array", "items": {"$ref": "#/$defs/band"}}})
    slot = _object(F.SLOT)
    tracker = _object(F.TRACKER, {"slots": {"type": "array", "items": {"$ref": "#/$defs/slot"}}})
    ending = _object(F.ENDING)
    invariant = _object(F.INVARIANT)
    story = _object(
        F.STORY,
        {
            "id": scene_id,
            "start": scene_id,
            "version": {"type": ["string", "number"]},
            "variables": {"$ref": "#/$defs/variables"},
            "meters": {"type": "array", "items": {"$ref": "#/$defs/meter"}},
            "tracker": {"$ref": "#/$defs/tracker"},
            "endings": {"type": "object", "additionalProperties": {"$ref": "#/$defs/ending"}},
            "checkpoints": {"type": "array", "items": scene_id},
            "renames": {"type": "object", "additionalProperties": scene_id},
            "invariants": {"type": "array", "items": {"$ref": "#/$defs/invariant"}, "description": _DESCRIPTIONS["invariants"]},
        },
    )
    manifest = _object(F.MANIFEST, {"story": {"$ref": "#/$defs/story"}})
    scene_file = _object(
        F.SCENE_FILE,
        {"variables": {"$ref": "#/$defs/variables"}, "scenes": {"type": "array", "items": {"$ref": "#/$defs/scene"}}},
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Metallic Rouge story file",
        "description": "A story manifest (story.yaml) or a scene file. See docs/authoring.md.",
        "oneOf": [{"$ref": "#/$defs/manifest"}, {"$ref": "#/$defs/scene_file"}],
        "$defs": {
            "manifest": manifest,
            "scene_file": scene_file,
            "story": story,
            "variables": variables,
            "variable": variable,
            "meter": meter,
            "band": band,
            "tracker": tracker,
            "slot": slot,
            "ending": ending,
            "scene": scene,
            "choice": choice,
            "route": route,
            "invariant": invariant,
        },
    }
