"""Generated stories: valid-ish structures with random damage, and raw YAML-like text.

The strategies build a manifest and scene files the way an author would, then
break them the way authors do: wrong types, missing or unknown keys, random
expressions, unicode, huge numbers, deep nesting. Whatever comes out, loading
never raises, every diagnostic points at a file, line and column, and a story
that loads can be played without crashing.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from game.authoring.checks import validate_story
from game.loader import check_story
from game.loader.yaml_source import parse_yaml
from tests.fuzz._mutate import mutate_bytes, mutate_lines
from tests.fuzz._support import (
    check_diagnostics,
    count,
    detail,
    hypothesis_settings,
    play_randomly,
    scratch_dir,
)

VAR_NAMES = ["freedom", "flag", "mood", "n", "trust_2", "ｆｒｅｅｄｏｍ", "__class__", "1st", "a-b", "", "x" * 70]
GOOD_VARS = VAR_NAMES[:5]
# "over" and "available" once collided with Session.is_over / is_available.
SCENE_IDS = ["a", "b", "c.d", "e_f", "end", "g-h", "over", "available", "state"]
ODD_IDS = ["missing", "bad id", "ü", "", "../x", "a" * 200]
ENDINGS = ["good", "bad"]

huge_ints = st.sampled_from([10**15, 10**15 + 1, -(10**15) - 1, 2**63, -(2**64), 10**100])
odd_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30
) | st.sampled_from(["\u202e", "\u200b", "ｆｒｅｅｄｏｍ", "[@click=app.quit]", "[bold]x[/]", "\x1b[31m", "{", "}", "{{", "\t"])
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 200), huge_ints,
    st.floats(allow_nan=True, allow_infinity=True), odd_text,
)


def nested(depth: int) -> Any:
    value: Any = "deep"
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


weird = st.one_of(
    scalars,
    st.lists(scalars, max_size=4),
    st.dictionaries(st.one_of(odd_text, st.integers(), st.booleans()), scalars, max_size=3),
    st.integers(20, 150).map(nested),
)

atoms = st.one_of(
    st.sampled_from(GOOD_VARS + ["nope", "true", "false", "visited(\"a\")", "visits(\"b\")", "visited(\"zzz\")"]),
    st.sampled_from(["random(1, 6)", "min(1, 2, 3)", "max()", "abs(-3)", "len(x)", "__import__", "x.y", "a[0]"]),
    st.integers(-3, 120).map(str),
    huge_ints.map(str),
    st.sampled_from(['"calm"', "'angry'", '"\\n"', '"unterminated', '"x" * 3']),
)
operators = st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "and", "or", "not", "(", ")", ",", "**", "&&", "="])
expressions = st.one_of(
    st.lists(st.one_of(atoms, operators), min_size=1, max_size=10).map(" ".join),
    st.integers(1, 60).map(lambda n: "(" * n + "1" + ")" * n),
    st.integers(1, 40).map(lambda n: " + ".join(["freedom"] * n)),
    st.integers(400, 700).map(lambda n: "1 + " * (n // 4) + "1"),
    odd_text,
)
effects = st.tuples(
    st.sampled_from(VAR_NAMES + ["nope"]), st.sampled_from(["=", "+=", "-=", "*=", "=="]), expressions
).map(lambda t: f"{t[0]} {t[1]} {t[2]}")
template_parts = st.one_of(
    odd_text,
    expressions.map(lambda e: "{" + e + "}"),
    expressions.map(lambda e: "{if " + e + "}"),
    st.sampled_from(["{else}", "{elif flag}", "{end}", "{{", "}}", "{", "}", "\n\n", "{if flag}yes{end}"]),
    st.integers(30, 40).map(lambda n: "{if flag}" * n + "x" + "{end}" * n),
)
templates = st.lists(template_parts, max_size=6).map("".join)


@st.composite
def maybe_wrong(draw: st.DrawFn, good: st.SearchStrategy[Any]) -> Any:
    """Mostly a good value; sometimes a value of the wrong type."""
    return draw(weird) if draw(st.integers(0, 9)) == 0 else draw(good)


@st.composite
def mapping(draw: st.DrawFn, fields: dict[str, st.SearchStrategy[Any]], required: set[str]) -> dict[Any, Any]:
    """A mapping with each field usually present, sometimes dropped, sometimes joined by a stray key."""
    out: dict[Any, Any] = {}
    for key, strategy in fields.items():
        keep = draw(st.integers(0, 19)) > 0 if key in required else draw(st.booleans())
        if keep:
            out[key] = draw(maybe_wrong(strategy))
    if draw(st.integers(0, 14)) == 0:
        out[draw(st.sampled_from(["titel", "choises", "Id", "if", 3, None, True]))] = draw(scalars)
    return out


def variable() -> st.SearchStrategy[dict[Any, Any]]:
    return st.sampled_from(["int", "bool", "str", "integer", "float"]).flatmap(
        lambda t: mapping(
            {
                "type": st.just(t),
                "default": st.one_of(st.integers(-5, 200), st.booleans(), st.sampled_from(["calm", "angry", "x"])),
                "min": st.integers(-5, 50),
                "max": st.integers(0, 200),
                "values": st.lists(st.sampled_from(["calm", "angry", "x"]), max_size=3),
                "description": odd_text,
            },
            {"type"},
        )
    )


scene_ids = st.sampled_from(SCENE_IDS) | st.sampled_from(ODD_IDS)
choice = mapping(
    {
        "label": templates,
        "to": scene_ids,
        "if": expressions,
        "locked": odd_text,
        "do": st.lists(effects, max_size=3),
        "once": st.booleans(),
        "id": st.sampled_from(["x", "y", "x"]),
    },
    {"label", "to"},
)
scene = mapping(
    {
        "id": scene_ids,
        "title": odd_text,
        "text": templates,
        "chapter": odd_text,
        "location": odd_text,
        "on_enter": st.lists(effects, max_size=2),
        "choices": st.lists(choice, max_size=4),
        "ending": st.sampled_from(ENDINGS + ["great"]),
        "checkpoint": st.booleans(),
    },
    {"id", "title", "text"},
)
variables = st.dictionaries(st.sampled_from(VAR_NAMES), variable(), max_size=4)
story = mapping(
    {
        "id": st.sampled_from(["fuzz", "", "x y"]),
        "title": odd_text,
        "version": st.sampled_from(["1.0.0", "2", 3, 1.5]),
        "start": scene_ids,
        "author": odd_text,
        "variables": variables,
        "meters": st.lists(
            mapping(
                {
                    "var": st.sampled_from(VAR_NAMES),
                    "label": odd_text,
                    "group": odd_text,
                    "bands": st.lists(mapping({"from": st.integers(-10, 200), "label": odd_text}, {"from", "label"}), max_size=3),
                },
                {"var", "label"},
            ),
            max_size=2,
        ),
        "tracker": mapping(
            {"title": odd_text, "slots": st.lists(mapping({"name": odd_text, "var": st.sampled_from(VAR_NAMES), "form": odd_text}, {"name", "var"}), max_size=2)},
            {"slots"},
        ),
        "endings": st.dictionaries(st.sampled_from(ENDINGS + ["", "a b"]), mapping({"title": odd_text, "description": odd_text}, {"title"}), max_size=3),
        "checkpoints": st.lists(scene_ids, max_size=3),
        "renames": st.dictionaries(scene_ids, scene_ids, max_size=2),
    },
    {"id", "title", "version", "start", "endings"},
)
scene_file = mapping(
    {"chapter": odd_text, "location": odd_text, "variables": variables, "scenes": st.lists(scene, min_size=1, max_size=6)},
    {"scenes"},
)


# Near-valid stories: declared variables, real targets, type-correct expressions,
# including ones that fail only while playing (division by zero, overflow).
CLEAN_VARIABLES = {
    "freedom": {"type": "int", "default": 10, "min": 0, "max": 100},
    "n": {"type": "int", "default": 0},
    "flag": {"type": "bool", "default": False},
    "mood": {"type": "str", "default": "calm", "values": ["calm", "angry"]},
    "name": {"type": "str", "default": ""},
}
CLEAN_CONDITIONS = [
    "freedom >= 50", "flag", "not flag and n > 3", 'mood == "calm"', 'visited("a")', "random(1, 6) > 3",
    "n / (freedom - 10) > 0", "n * n * n > 5", 'visits("b") < 2 or flag', "max(n, freedom) % 7 == 0",
]
CLEAN_EFFECTS = [
    "freedom += 10", "freedom -= 25", "n += 1", "n = n * 1000", "n += 100000000000000", "n = 1 / (freedom - 10)",
    'mood = "angry"', "flag = not flag", "freedom = random(1, 100)", 'name += "ab"', "name = name + name",
    "n = n % (freedom - freedom + 1)", "freedom = abs(n)",
]
CLEAN_TEXT = [
    "Plain text.", "{freedom}", "{if flag}yes{else}no{end}", "{if mood == \"calm\"}calm{elif flag}x{end}",
    "{n * 1000}", "{100 / (freedom - 10)}", "[bold]not markup[/]", "{{literal}}", "ｆｕｌｌ ｗｉｄｔｈ", "{name}",
]


@st.composite
def clean_story(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    ids = draw(st.lists(st.sampled_from(SCENE_IDS), min_size=2, max_size=6, unique=True))
    endings = ids[-1:]
    scenes = []
    for sid in ids:
        item: dict[str, Any] = {"id": sid, "title": sid.upper(), "text": " ".join(draw(st.lists(st.sampled_from(CLEAN_TEXT), max_size=3)))}
        if draw(st.integers(0, 3)) == 0:
            item["on_enter"] = draw(st.lists(st.sampled_from(CLEAN_EFFECTS), min_size=1, max_size=2))
        if sid in endings:
            item["ending"] = "good"
        else:
            choices = []
            for _ in range(draw(st.integers(1, 3))):
                c: dict[str, Any] = {"label": draw(st.sampled_from(CLEAN_TEXT)), "to": draw(st.sampled_from(ids))}
                if draw(st.booleans()):
                    c["if"] = draw(st.sampled_from(CLEAN_CONDITIONS))
                    if draw(st.booleans()):
                        c["locked"] = "Not yet."
                if draw(st.booleans()):
                    c["do"] = draw(st.lists(st.sampled_from(CLEAN_EFFECTS), min_size=1, max_size=2))
                if draw(st.integers(0, 3)) == 0:
                    c["once"] = True
                choices.append(c)
            item["choices"] = choices
        item["checkpoint"] = draw(st.booleans())
        scenes.append(item)
    manifest = {"story": {"id": "fuzz", "title": "Fuzz", "version": "1.0.0", "start": ids[0],
                          "variables": CLEAN_VARIABLES, "endings": {"good": {"title": "Good"}},
                          "meters": [{"var": "freedom", "label": "Freedom", "bands": [{"from": 0, "label": "Gear"}]}]}}
    return manifest, {"scenes": scenes}


def dump(data: Any, flow: bool) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=flow, width=10_000)
    except (yaml.YAMLError, ValueError, RecursionError):
        # Values PyYAML itself cannot write (very deep nests); the text fuzzers cover those.
        return yaml.safe_dump({"scenes": []})


@st.composite
def story_folder(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    # Half near-valid (they load, so the compiler and the session get fuzzed too),
    # half broken structures (the schema checks and messages get fuzzed).
    if draw(st.booleans()):
        manifest, scenes = draw(clean_story())
        return manifest, [scenes]
    return draw(mapping({"story": story}, {"story"})), draw(st.lists(scene_file, min_size=1, max_size=2))


@given(folder=story_folder(), flow=st.booleans(), damage=st.integers(0, 2**32 - 1))
@hypothesis_settings(small=120, full=4_000)
@pytest.mark.fuzz
def test_generated_stories_load_or_report(folder: tuple[dict[str, Any], list[dict[str, Any]]], flow: bool, damage: int) -> None:
    manifest, files = folder
    rng = random.Random(damage)
    with scratch_dir("gen") as root:
        (root / "story.yaml").write_text(dump(manifest, flow), encoding="utf-8")
        for i, data in enumerate(files):
            text = dump(data, flow)
            if rng.random() < 0.2:  # damage on top of the structure: the text itself
                lines = text.split("\n")
                for _ in range(rng.randint(1, 3)):
                    lines = mutate_lines(lines, rng)
                text = "\n".join(lines)
            payload = text.encode("utf-8", "surrogatepass")
            if rng.random() < 0.1:
                payload = mutate_bytes(payload, rng)
            (root / f"{i:02d}-scenes.yaml").write_bytes(payload)
        report = validate_story(root)
        check_diagnostics(report.diagnostics)
        if report.story is not None:
            detail("generated stories that loaded")
            play_randomly(report.story, seed=damage)
    count("generated: story folders")


FRAGMENTS = [
    "scenes:", "story:", "  - id: a", "    title: T", "    text: |", "      {if flag}x{end}", "    choices:",
    "      - {label: go, to: a}", "      - label: [1, 2]", "        to: {x: 1}", "        do: [freedom += 1]",
    "    on_enter: freedom = 1 / 0", "  variables: {freedom: {type: int, default: 5}}", "  endings: {good: {title: G}}",
    "  start: a", "  id: fuzz", "  version: 1", "&a [1, 2]", "*a", "<<: *a", "? complex", ": value", "---", "...",
    "%YAML 1.1", "!!str 1", "!!int x", "!!float nan", "!!timestamp 2001-12-14", "!!binary aGk=", "!!omap [a: 1]",
    "!!python/name:os.system", "!local x", "key: 0x_1F", "key: 1_000", "key: 2001-12-14", "key: ~", "key: .inf",
    "key: 9" + "9" * 5000, "\t- tab", "- - - nested", "'unterminated", '"bad \\x escape"', "|-", ">+2", "# comment",
    "\ufeffbom: 1", "\u2028", "\x85", "\r", "ｋｅｙ: value",
]


@given(
    parts=st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=25),
    indents=st.lists(st.integers(0, 6), max_size=25),
    as_manifest=st.booleans(),
)
@hypothesis_settings(small=120, full=1_500)
@pytest.mark.fuzz
def test_raw_yaml_text_never_raises(parts: list[str], indents: list[int], as_manifest: bool) -> None:
    lines = [" " * (indents[i] if i < len(indents) else 0) + part for i, part in enumerate(parts)]
    text = "\n".join(lines) + "\n"
    parsed = parse_yaml(text)
    for problem in parsed.problems:
        assert problem.line >= 1 and problem.col >= 1 and problem.code.startswith("E"), problem
    with scratch_dir("raw") as root:
        manifest = text if as_manifest else "story: {id: f, title: F, version: 1, start: a, endings: {good: {title: G}}}\n"
        (root / "story.yaml").write_text(manifest, encoding="utf-8", errors="surrogatepass")
        if not as_manifest:
            (root / "scenes.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        story, diagnostics = check_story(root)
        check_diagnostics(diagnostics)
        if story is not None:
            play_randomly(story, seed=len(text))
    count("generated: raw YAML-like text")


def test_generated_story_helpers_write_loadable_yaml(tmp_path: Path) -> None:
    # Guards the fuzzer itself: a plain, correct story written through dump() loads,
    # so the fuzzers above really reach the compiler and the session, not only the parser.
    manifest = {"story": {"id": "fuzz", "title": "F", "version": "1.0.0", "start": "a",
                          "variables": {"flag": {"type": "bool", "default": False}},
                          "endings": {"good": {"title": "G"}}}}
    scenes = {"scenes": [{"id": "a", "title": "A", "text": "{if flag}x{end}", "choices": [{"label": "go", "to": "b", "do": ["flag = true"]}]},
                         {"id": "b", "title": "B", "text": "end", "ending": "good"}]}
    (tmp_path / "story.yaml").write_text(dump(manifest, False))
    (tmp_path / "s.yaml").write_text(dump(scenes, True))
    story, diagnostics = check_story(tmp_path)
    assert story is not None, [str(d) for d in diagnostics]
