from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from game.authoring.playtest import exhaustive, parallel_random_runs, random_runs, report
from game.cli import main
from game.loader import load_story
from tests.conftest import DEMO, ROOT, TINY_SCENES


def test_random_playtest_json_has_the_documented_keys(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["playtest", str(DEMO), "--runs", "300", "--seed", "3", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"runs", "steps", "seconds", "endings", "scene_coverage", "choice_coverage", "problems"} <= set(data)
    assert data["runs"] == 300 and data["problems"] == []
    assert set(data["endings"]) == {"orders", "song"} and sum(data["endings"].values()) == 300
    assert data["scene_coverage"] == 1.0 and data["choice_coverage"] == 1.0


def test_same_seed_same_result_and_jobs_agree() -> None:
    story = load_story(DEMO)
    a, b = random_runs(story, 200, 11), random_runs(story, 200, 11)
    assert a.endings == b.endings and a.steps == b.steps and a.words == b.words
    c = parallel_random_runs(str(DEMO), story, 200, 11, jobs=2)
    assert c.endings == a.endings and c.steps == a.steps and c.runs == 200


def test_crash_is_reported_with_seed_and_path(make_story) -> None:  # type: ignore[no-untyped-def]
    scenes = TINY_SCENES.replace('text: "{if flag}', 'text: "{100 / (freedom - freedom)}{if flag}')
    story = load_story(make_story(scenes))
    tally = random_runs(story, 20, 5)
    problem = tally.problems[0]
    assert problem.kind == "crash" and problem.scene == "b" and "division" in problem.message.lower()
    assert problem.seed is not None and problem.path and problem.path[0].startswith("a:")
    again = random_runs(story, 1, problem.seed)
    assert again.problems[0].path == problem.path


def test_stuck_and_loop_are_reported(make_story) -> None:  # type: ignore[no-untyped-def]
    stuck = TINY_SCENES.replace("      - label: Stay\n        to: bad\n", "").replace("        locked: Not yet.\n", "")
    tally = random_runs(load_story(make_story(stuck)), 30, 1)
    assert any(p.kind == "stuck" and p.scene == "b" for p in tally.problems)
    loop = TINY_SCENES.replace("      - label: Stay\n        to: bad\n", "      - label: Stay\n        to: b\n")
    loop = loop.replace("do: [freedom += 50, flag = true]", "do: [flag = true]")
    tally = random_runs(load_story(make_story(loop)), 5, 1, max_steps=20)
    assert any(p.kind == "loop" for p in tally.problems)


def test_exhaustive_covers_everything_in_the_demo() -> None:
    story = load_story(DEMO)
    result = report(story, exhaustive(story), 1.0, "exhaustive")
    assert result["scene_coverage"] == 1.0 and result["choice_coverage"] == 1.0
    assert result["condition_coverage"] == 1.0
    assert set(result["endings"]) == {"orders", "song"} and not result["problems"]


def test_exhaustive_budget_is_respected(make_story) -> None:  # type: ignore[no-untyped-def]
    story = load_story(make_story(TINY_SCENES))
    tally = exhaustive(story, max_states=2)
    assert tally.walk is not None and tally.walk.expanded == 2 and tally.budget_hit
    assert tally.walk.verdict == "partial" and tally.walk.stopped_by == "states" and tally.walk.left > 0


def test_playtest_exit_code_on_problems(make_story, capsys) -> None:  # type: ignore[no-untyped-def]
    scenes = TINY_SCENES.replace('text: "{if flag}', 'text: "{100 / (freedom - freedom)}{if flag}')
    root = make_story(scenes)
    assert main(["playtest", str(root), "--runs", "10"]) == 1
    out = capsys.readouterr().out
    assert "crash in 'b'" in out and "reproduce one: metallic-rouge playtest --runs 1 --seed" in out


def test_stats_counts(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["stats", str(DEMO), "--format", "json", "--runs", "50"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scenes"] == 10 and data["endings"] == 2 and data["choices"] == 14
    assert 450 < data["words"] < 650
    assert data["consequence_share"] == 1.0
    assert data["chapters"]["Demo: First Orders"]["scenes"] == 10


def test_graph_dot_and_mermaid(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["graph", str(DEMO)]) == 0
    dot = capsys.readouterr().out
    assert dot.startswith("digraph") and '"canal.truth" -> "canal.spare"' in dot
    assert "doubleoctagon" in dot and "style=dashed" in dot
    assert main(["graph", str(DEMO), "--format", "mermaid", "--chapter", "canal"]) == 0
    mermaid = capsys.readouterr().out
    assert mermaid.startswith("flowchart LR") and "END: Encore" in mermaid
    assert "brief_hangar" not in mermaid and "-.->" in mermaid


def test_new_scene_scaffolds_and_links(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    story_dir = tmp_path / "demo"
    shutil.copytree(DEMO, story_dir)
    before = (story_dir / "02-canal.yaml").read_text()
    code = main(["new-scene", "canal.rooftop", "--file", str(story_dir / "03-extra.yaml"), "--from", "canal.song"])
    assert code == 0, capsys.readouterr()
    out = capsys.readouterr().out
    assert "The story still validates." in out
    story = load_story(story_dir)
    assert "canal.rooftop" in story.scenes
    assert any(c.target == "canal.rooftop" for c in story.scenes["canal.song"].choices)
    after = (story_dir / "02-canal.yaml").read_text()
    assert after.startswith(before.split("  - id: canal.song")[0])  # the rest of the file untouched
    assert main(["new-scene", "canal.rooftop", "--file", str(story_dir / "03-extra.yaml")]) == 1


def test_schema_accepts_shipped_files_and_rejects_mistakes(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted(DEMO.glob("*.yaml")) + sorted((ROOT / "scenes").glob("*.yaml"))
    for path in files:
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text())))
        assert not errors, f"{path}: {errors[0].message}"
    bad = yaml.safe_load("scenes:\n  - {id: a, titel: x, text: t, ending: e}\n")
    assert list(validator.iter_errors(bad))


@pytest.mark.parametrize("cmd", ["validate", "playtest", "stats", "graph", "new-scene", "schema", "play"])
def test_every_command_has_help(cmd: str, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as info:
        main([cmd, "--help"])
    assert info.value.code == 0
    assert "usage: metallic-rouge" in capsys.readouterr().out


def test_schema_knows_replies_routes_again_invariants_and_title_art(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["schema"]) == 0
    validator = jsonschema.Draft202012Validator(json.loads(capsys.readouterr().out))
    good = yaml.safe_load(
        "scenes:\n"
        "  - id: a\n    title: 'Day {visits()}'\n    text: t\n    again: t2\n    choices:\n"
        "      - {label: Ask, reply: 'No.', once: true}\n"
        "      - {label: Go, to: [{if: flag, to: b}, {to: c}], locked: '{if flag}x{end}'}\n"
    )
    assert not list(validator.iter_errors(good))
    manifest = yaml.safe_load(
        "story:\n  id: s\n  title: S\n  version: 1\n  start: a\n  title_art: art.txt\n"
        "  invariants: [{check: 'held <= 9', message: too many}]\n  endings: {e: {title: E}}\n"
    )
    assert not list(validator.iter_errors(manifest))
    for bad in (
        "scenes:\n  - {id: a, title: t, text: t, choices: [{label: Nowhere}]}\n",
        "scenes:\n  - {id: a, title: t, text: t, choices: [{label: L, to: [{if: flag, to: b}]}]}\n",
        "scenes:\n  - {id: a, title: t, text: t, choices: [{label: L, to: [{if: flag, goto: b}, {to: c}]}]}\n",
        "story:\n  id: s\n  title: S\n  version: 1\n  start: a\n  invariants: [{check: x}]\n  endings: {}\n",
        "story:\n  id: s\n  title: S\n  version: 1\n  start: a\n  variables: {once: {type: bool}}\n  endings: {}\n",
    ):
        assert list(validator.iter_errors(yaml.safe_load(bad))), bad
