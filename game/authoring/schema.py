"""``schema``: a JSON Schema (draft 2020-12) of story files, for editors' autocomplete.

Generated from the loader's own field tables, so the schema and the loader
cannot disagree about which keys exist.
"""

from __future__ import annotations

from typing import Any

from game.loader import fields as F
from game.loader.fields import ID_RE, VAR_RE

SCHEMA_ID = "https://metallic-rouge.invalid/schema/story-file.json"

_JSON_TYPES = {str: "string", int: "integer", bool: "boolean", list: "array", dict: "object", float: "number"}

_DESCRIPTIONS = {
    "id": "A stable id: letters, digits, '.', '_' and '-'.",
    "text": "The narrative. {expr} inserts a value; {if cond}...{else}...{end} shows a passage conditionally.",
    "to": "The id of the scene this choice leads to.",
    "if": "A condition, e.g. freedom >= 40. While false the choice is hidden, or locked if 'locked' is set.",
    "locked": "Show the choice dimmed with this reason while its condition is false.",
    "do": "Effects: 'name = expr', 'name += expr' or 'name -= expr'.",
    "on_enter": "Effects applied each time the scene is entered.",
    "once": "The choice disappears once taken.",
    "ending": "An ending id from the manifest: reaching this scene ends the game.",
    "checkpoint": "A safe place for old saves to resume if their scene is removed.",
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
    variables = {"type": "object", "propertyNames": {"pattern": VAR_RE.pattern}, "additionalProperties": {"$ref": "#/$defs/variable"}}
    choice = _object(F.CHOICE, {"do": effects, "to": {**scene_id, "description": _DESCRIPTIONS["to"]}})
    scene = _object(
        F.SCENE,
        {
            "id": scene_id,
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
        },
    }
