"""Checking a YAML mapping against its fields (game.loader.fields): unknown, missing, mistyped keys."""

from __future__ import annotations

from typing import Any

from game.loader import fields as F
from game.loader.diagnostics import SourceFile
from game.loader.yaml_source import LList, LMap
from game.names import did_you_mean

Spec = dict[str, F.Field]

# Per spec: the exact classes each key accepts, and the required keys. A story
# has tens of thousands of scenes and choices and nearly all are well formed, so
# check_keys first tries a plain class lookup per key and takes the full,
# message-writing path only when something does not fit.
_FAST_SPECS: dict[int, tuple[dict[str, frozenset[type]], tuple[str, ...]]] = {}
_PARSED_AS: dict[type, tuple[type, ...]] = {dict: (dict, LMap), list: (list, LList)}


def _fast_spec(spec: Spec) -> tuple[dict[str, frozenset[type]], tuple[str, ...]]:
    fast = _FAST_SPECS.get(id(spec))
    if fast is None:
        classes = {
            key: frozenset(c for t in field.types for c in _PARSED_AS.get(t, (t,)))
            for key, field in spec.items()
        }
        required = tuple(key for key, field in spec.items() if field.required)
        fast = _FAST_SPECS[id(spec)] = (classes, required)
    return fast


def check_keys(file: SourceFile, obj: LMap, spec: Spec, what: str) -> bool:
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


def _report_keys(file: SourceFile, obj: LMap, spec: Spec, what: str) -> bool:
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
            got = "nothing" if value is None else describe(value)
            hint = ""
            if isinstance(value, bool) and str in field.types:
                # YAML 1.1 reads a bare yes/no/on/off/true/false as true or false.
                hint = "; YAML reads a bare yes, no, on or off as true/false, so put the text in quotes"
            file.error(
                "E112",
                f"'{key}' in {what} should be {field.describe()}, not {got}{hint}",
                obj.val_pos.get(key),
            )
            if field.required:
                ok = False
    return ok


def describe(value: Any) -> str:
    """A YAML value as a message names it: ``the number 3``, ``the text 'x'``."""
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


def get(obj: LMap, key: str, types: tuple[type, ...], default: Any = None) -> Any:
    """``obj[key]`` if it is one of ``types`` (true/false is no number), else ``default``."""
    value = obj.get(key, default)
    if isinstance(value, bool) and bool not in types:
        return default
    return value if isinstance(value, types) else default
