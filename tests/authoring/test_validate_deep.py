from __future__ import annotations

import json

from game.authoring.checks import validate_story
from game.cli import main
from tests.conftest import DEMO, MANIFEST, TINY_SCENES

DEFECTS_MANIFEST = MANIFEST.replace(
    "    mood:", "    unused: {type: int, default: 0}\n    never_set: {type: bool, default: false}\n    mood:"
).replace("    bad: {title: Bad}", "    bad: {title: Bad}\n    lost: {title: Lost}")

DEFECTS = TINY_SCENES + """\
  - id: orphan
    title: Nobody comes here
    text: Alone.
    choices:
      - {label: Back, to: a}
  - id: trap
    title: Trap
    text: "{if never_set}Never.{end}"
    choices:
      - label: Impossible
        to: good
        if: freedom > 100
      - label: Round and round
        to: trap2
  - id: trap2
    title: Trap two
    text: Still here.
    choices:
      - label: Round
        to: trap
      - label: Round
        to: trap
"""


def by_code(report):  # type: ignore[no-untyped-def]
    out: dict[str, list] = {}  # type: ignore[type-arg]
    for d in report.diagnostics:
        out.setdefault(d.code, []).append(d)
    return out


def test_demo_is_clean() -> None:
    report = validate_story(DEMO)
    assert report.errors == 0 and report.warnings == 0, [str(d) for d in report.diagnostics]


def test_each_defect_is_reported_at_its_file_and_line(make_story) -> None:  # type: ignore[no-untyped-def]
    scenes = DEFECTS.replace("      - label: Stay\n        to: bad\n", "      - label: Stay\n        to: bad\n      - label: Into the trap\n        to: trap\n")
    root = make_story(scenes, manifest=DEFECTS_MANIFEST)
    codes = by_code(validate_story(root))
    (orphan,) = codes["W300"]
    assert orphan.path.endswith("scenes.yaml") and orphan.line == 37 and "orphan" in orphan.message
    traps = {d.message.split("'")[1] for d in codes["E302"]}
    assert traps == {"trap", "trap2"}
    (never,) = codes["W303"]
    assert never.line == 48 and "freedom > 100" in never.message
    (dup,) = codes["W308"]
    assert dup.line == 58
    assert {d.message.split("'")[1] for d in codes["W304"]} == {"unused"}
    assert {d.message.split("'")[1] for d in codes["W305"]} == {"never_set"}
    (lost,) = codes["W306"]
    assert "lost" in lost.message and lost.path.endswith("story.yaml")


def test_dead_end_when_no_choice_can_be_taken(make_story) -> None:  # type: ignore[no-untyped-def]
    scenes = TINY_SCENES.replace("      - label: Stay\n        to: bad\n", "").replace("if: freedom >= 50", "if: freedom >= 500")
    codes = by_code(validate_story(make_story(scenes)))
    assert [d.message for d in codes["E301"]] == ["dead end: no choice in 'b' can ever be taken"]


def test_strict_and_json(make_story, capsys) -> None:  # type: ignore[no-untyped-def]
    root = make_story(TINY_SCENES, manifest=DEFECTS_MANIFEST)
    assert main(["validate", str(root)]) == 0
    assert main(["validate", str(root), "--strict"]) == 1
    capsys.readouterr()
    main(["validate", str(root), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and data["warnings"] >= 2
    assert {"code", "severity", "message", "path", "line", "col"} <= set(data["diagnostics"][0])


def test_always_true_locked_condition_is_flagged(make_story) -> None:  # type: ignore[no-untyped-def]
    root = make_story(TINY_SCENES.replace("if: freedom >= 50", "if: freedom >= 0"))
    codes = by_code(validate_story(root))
    assert codes["W309"][0].line == 23


def test_intervals_are_sound_on_simple_conditions() -> None:
    from game.authoring.intervals import possible_values
    from game.expr import parse_expr
    from game.story.model import VarDecl

    decls = {"x": VarDecl("x", "int", 5, 0, 10), "b": VarDecl("b", "bool", False), "s": VarDecl("s", "str", "a", values=("a", "b"))}
    cases = {
        "x > 10": {False}, "x >= 10": {True, False}, "x < 0": {False}, "x <= 10": {True},
        "x + 5 > 20": {False}, "not b and x > 11": {False}, "s == \"c\"": {False}, "s != \"c\"": {True},
        "x * 2 >= 0": {True}, "abs(x - 20) > 9": {True}, "min(x, 3) > 3": {False}, "x == 11": {False},
    }
    for source, expected in cases.items():
        assert possible_values(parse_expr(source), decls) == frozenset(expected), source


def test_the_summary_counts_files_and_scenes_even_when_there_are_errors(demo_copy, capsys) -> None:  # type: ignore[no-untyped-def]
    briefing = demo_copy / "01-briefing.yaml"
    briefing.write_text(briefing.read_text().replace("to: brief.why", "to: brief.nowhere"))
    assert main(["validate", str(demo_copy)]) == 1
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert summary == "1 error(s), 0 warning(s) in 3 file(s), 10 scene(s)."
    report = validate_story(demo_copy)
    assert (report.files, report.scenes) == (3, 10)


def test_if_false_is_one_e112_not_two(make_story) -> None:  # type: ignore[no-untyped-def]
    report = validate_story(make_story(TINY_SCENES.replace("if: freedom >= 50", "if: false")))
    e112 = [str(d) for d in report.diagnostics if d.code == "E112"]
    assert len(e112) == 1, e112
    assert "'if'" in e112[0] and "not false" in e112[0]
