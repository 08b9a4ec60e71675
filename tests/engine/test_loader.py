from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.loader import check_story, load_story
from game.story import StoryLoadError
from tests.conftest import DEMO, TINY_SCENES


def codes(diagnostics):  # type: ignore[no-untyped-def]
    return [d.code for d in diagnostics if d.is_error]


def test_demo_loads_into_an_immutable_story() -> None:
    story = load_story(DEMO)
    assert story.id == "metallic-rouge-demo"
    assert len(story.scenes) >= 8
    assert {s.ending for s in story.scenes.values() if s.ending} == {"orders", "song"}
    with pytest.raises(TypeError):
        story.scenes["x"] = story.scenes[story.start]  # type: ignore[index]
    with pytest.raises(AttributeError):
        story.start = "x"  # type: ignore[misc]
    assert any(c.locked for s in story.scenes.values() for c in s.choices)


def test_tiny_story_compiles_choices(tiny: Path) -> None:
    story = load_story(tiny)
    a = story.scenes["a"]
    assert [c.id for c in a.choices] == ["defy", "obey", "ask-again"]
    assert a.choices[2].once
    locked = story.scenes["b"].choices[0].locked
    assert locked is not None and locked.source == "Not yet."


def test_broken_target_is_reported_with_file_line_and_hint(make_story) -> None:  # type: ignore[no-untyped-def]
    root = make_story(TINY_SCENES.replace("to: bad", "to: bda"))
    story, diags = check_story(root)
    assert story is None
    (err,) = [d for d in diags if d.code == "E201"]
    assert err.path.endswith("scenes.yaml")
    assert err.line == 26 and "did you mean 'bad'" in err.message
    assert str(err).startswith(f"{err.path}:26:")


def test_yaml_syntax_error_is_reported_not_raised(make_story) -> None:  # type: ignore[no-untyped-def]
    root = make_story("scenes:\n  - id: a\n    title: [unclosed\n")
    _, diags = check_story(root)
    (err,) = [d for d in diags if d.code == "E100"]
    assert err.line >= 3 and "YAML syntax error" in err.message


def test_unknown_key_suggests_the_right_one(make_story) -> None:  # type: ignore[no-untyped-def]
    root = make_story(TINY_SCENES.replace("    title: Middle", "    titel: Middle"))
    _, diags = check_story(root)
    msgs = {d.code: d for d in diags if d.is_error}
    assert "E110" in msgs and "did you mean 'title'" in msgs["E110"].message
    assert msgs["E110"].line == 17
    assert "E111" in msgs  # and the real title is then missing


def test_every_error_in_one_run(make_story) -> None:  # type: ignore[no-untyped-def]
    broken = TINY_SCENES.replace("to: bad", "to: nowhere").replace("freedom -= 5", "fredom -= 5")
    broken = broken.replace("ending: good", "ending: great")
    other = "scenes:\n  - id: a\n    title: Again\n    text: dup\n    choices: [{label: x, to: a}]\n"
    root = make_story({"a.yaml": broken, "b.yaml": other})
    _, diags = check_story(root)
    found = set(codes(diags))
    assert {"E201", "E221", "E203", "E200"} <= found
    by_code = {d.code: d for d in diags}
    assert by_code["E200"].path.endswith("b.yaml")
    assert "did you mean 'freedom'" in by_code["E221"].message


def test_expression_error_points_into_the_scalar(make_story) -> None:  # type: ignore[no-untyped-def]
    root = make_story(TINY_SCENES.replace("if: freedom >= 50", "if: freedom >= 50 and banana"))
    _, diags = check_story(root)
    (err,) = [d for d in diags if d.code == "E221"]
    assert err.line == 23
    assert err.col == len("        if: freedom >= 50 and ") + 1


def test_template_error_in_block_text_points_at_its_line(make_story) -> None:  # type: ignore[no-untyped-def]
    scenes = TINY_SCENES.replace(
        '    text: "{if flag}You defied.{else}You obeyed.{end}"',
        "    text: |\n      First line.\n      Second {if flag}oops\n",
    )
    root = make_story(scenes)
    _, diags = check_story(root)
    errs = [d for d in diags if d.code == "E220"]
    assert errs and errs[0].line in (20, 21)


def test_variable_declarations_are_checked(make_story) -> None:  # type: ignore[no-untyped-def]
    manifest = (
        "story:\n  id: t\n  title: T\n  version: 1\n  start: a\n  endings: {good: {title: G}}\n"
        "  variables:\n    x: {type: integer}\n    y: {type: int, default: 500, min: 0, max: 100}\n"
        "    z: {type: str, default: nope, values: [a, b]}\n"
    )
    root = make_story("scenes:\n  - {id: a, title: A, text: t, ending: good}\n", manifest=manifest)
    _, diags = check_story(root)
    messages = [d.message for d in diags if d.code == "E211"]
    assert any("did you mean 'int'" in m for m in messages)
    assert any("outside 0..100" in m for m in messages)
    assert any("not one of its values" in m for m in messages)


def test_duplicate_variable_across_files(make_story) -> None:  # type: ignore[no-untyped-def]
    extra = "variables:\n  freedom: {type: int}\nscenes: []\n"
    root = make_story({"a.yaml": TINY_SCENES, "b.yaml": extra})
    _, diags = check_story(root)
    (err,) = [d for d in diags if d.code == "E210"]
    assert err.path.endswith("b.yaml") and "story.yaml" in err.message


def test_dead_scene_and_ending_with_choices(make_story) -> None:  # type: ignore[no-untyped-def]
    scenes = TINY_SCENES.replace("    ending: bad\n", "    ending: bad\n    choices: [{label: x, to: a}]\n")
    scenes += "  - id: stuck\n    title: Stuck\n    text: nothing here\n"
    _, diags = check_story(make_story(scenes))
    assert codes(diags).count("E204") == 2


def test_missing_manifest_and_missing_folder(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("scenes: []\n")
    _, diags = check_story(tmp_path)
    assert "E120" in codes(diags)
    _, diags = check_story(tmp_path / "nope")
    assert "E120" in codes(diags)


def test_duplicate_yaml_key_is_an_error(make_story) -> None:  # type: ignore[no-untyped-def]
    root = make_story(TINY_SCENES.replace("    title: Start\n", "    title: Start\n    title: Again\n"))
    _, diags = check_story(root)
    assert "E102" in codes(diags)


def test_yaml_bomb_is_refused_quickly(make_story) -> None:  # type: ignore[no-untyped-def]
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    root = make_story("\n".join(lines) + "\nscenes: []\n")
    _, diags = check_story(root)
    assert "E103" in codes(diags)


def test_python_tags_are_not_constructed(make_story) -> None:  # type: ignore[no-untyped-def]
    root = make_story("scenes: !!python/object/apply:os.system ['echo pwned']\n")
    _, diags = check_story(root)
    assert "E100" in codes(diags)


def test_load_story_raises_with_a_report(make_story) -> None:  # type: ignore[no-untyped-def]
    root = make_story(TINY_SCENES.replace("to: bad", "to: nowhere"))
    with pytest.raises(StoryLoadError) as info:
        load_story(root)
    assert "E201" in info.value.report()


def test_validate_cli_exit_codes_and_json(tiny: Path, make_story, capsys) -> None:  # type: ignore[no-untyped-def]
    from game.cli import main

    assert main(["validate", str(tiny)]) == 0
    broken = make_story(TINY_SCENES.replace("to: bad", "to: nowhere"))
    assert main(["validate", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "error[E201]" in out and "scenes.yaml:26:13" in out
    assert main(["validate", str(broken), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["diagnostics"][0]["code"] == "E201"
