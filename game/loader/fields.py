"""The shape of each kind of YAML object: which keys it takes and of what type."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Field:
    types: tuple[type, ...]
    required: bool = False
    what: str = ""  # how the type is named in messages

    def describe(self) -> str:
        return self.what or " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in self.types)


_TYPE_NAMES: dict[type, str] = {
    str: "text",
    int: "a whole number",
    bool: "true or false",
    list: "a list",
    dict: "a mapping",
    float: "a number",
}

TEXT = (str,)
NUMBER = (int,)
FLAG = (bool,)
LIST = (list,)
MAP = (dict,)

MANIFEST = {"story": Field(MAP, required=True)}

STORY = {
    "id": Field(TEXT, required=True),
    "title": Field(TEXT, required=True),
    "version": Field((str, int, float), required=True, what="a version such as 1.0.0"),
    "start": Field(TEXT, required=True),
    "author": Field(TEXT),
    "description": Field(TEXT),
    "variables": Field(MAP),
    "meters": Field(LIST),
    "tracker": Field(MAP),
    "endings": Field(MAP, required=True),
    "checkpoints": Field(LIST),
    "renames": Field(MAP),
    "invariants": Field(LIST, what="a list such as [{check: \"ids_held <= 9\", message: \"...\"}]"),
    "title_art": Field(TEXT, what="the path of a text file inside the story folder"),
}

INVARIANT = {
    "check": Field(TEXT, required=True, what="a condition such as ids_held <= 9"),
    "message": Field(TEXT, required=True),
}

VARIABLE = {
    "type": Field(TEXT, required=True),
    "default": Field((int, bool, str), what="a whole number, true/false or text"),
    "min": Field(NUMBER),
    "max": Field(NUMBER),
    "values": Field(LIST),
    "description": Field(TEXT),
}

METER = {
    "var": Field(TEXT, required=True),
    "label": Field(TEXT, required=True),
    "group": Field(TEXT),
    "bands": Field(LIST),
}

BAND = {"from": Field(NUMBER, required=True), "label": Field(TEXT, required=True)}

TRACKER = {"title": Field(TEXT), "slots": Field(LIST, required=True)}

SLOT = {
    "name": Field(TEXT, required=True),
    "var": Field(TEXT, required=True),
    "form": Field(TEXT),
    "aliases": Field(LIST, what="a list of other names, such as [Aerkos, Ace]"),
    "gone": Field(LIST, what="a list of the values that mean out of the story, such as [slain]"),
}

ENDING = {"title": Field(TEXT, required=True), "description": Field(TEXT)}

SCENE_FILE = {
    "chapter": Field(TEXT),
    "location": Field(TEXT),
    "variables": Field(MAP),
    "scenes": Field(LIST, required=True),
}

SCENE = {
    "id": Field(TEXT, required=True),
    "title": Field(TEXT, required=True),
    "text": Field(TEXT, required=True),
    "again": Field(TEXT),
    "chapter": Field(TEXT),
    "location": Field(TEXT),
    "on_enter": Field(LIST),
    "choices": Field(LIST),
    "ending": Field(TEXT),
    "checkpoint": Field(FLAG),
}

CHOICE = {
    "label": Field(TEXT, required=True),
    "to": Field((str, list), what="a scene id or a list of routes such as [{if: freedom >= 60, to: free}, {to: cell}]"),
    "reply": Field(TEXT),
    "if": Field(TEXT, what="a condition such as freedom >= 40"),
    "locked": Field(TEXT),
    "do": Field(LIST, what="a list of effects such as [freedom += 5]"),
    "once": Field(FLAG),
    "id": Field(TEXT),
}

ROUTE = {
    "if": Field(TEXT, what="a condition such as freedom >= 60"),
    "to": Field(TEXT, required=True, what="a scene id"),
}

VARIABLE_TYPES = ("int", "bool", "str")

# Scene and ending ids; variable names (what expressions can spell).
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")
VAR_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
