"""The authoring tutorial must work exactly as written: its files, commands and outputs."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from game.cli import main
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "authoring.md").read_text()
TUTORIAL = DOC[DOC.index("## Tutorial") :]


@pytest.fixture
def tutorial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    blocks = re.findall(r"```yaml\n(.*?)```", TUTORIAL, re.S)
    folder = tmp_path / "tutorial"
    folder.mkdir()
    (folder / "story.yaml").write_text(blocks[0])
    (folder / "vending.yaml").write_text(blocks[1])
    monkeypatch.chdir(tmp_path)
    return folder


def test_tutorial_story_is_clean_and_the_broken_edit_reads_as_documented(tutorial: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["validate", "tutorial", "--strict"]) == 0
    vending = tutorial / "vending.yaml"
    vending.write_text(vending.read_text().replace("to: vend.fed", "to: vend.feed"))
    capsys.readouterr()
    assert main(["validate", "tutorial"]) == 1
    printed = capsys.readouterr().out.splitlines()[0]
    documented = re.search(r"`(tutorial/vending\.yaml:\d+:\d+: error\[E201\][^`]*)`", TUTORIAL)
    assert documented is not None
    assert printed == documented.group(1).replace("/", os.sep)


def test_tutorial_tools_do_what_it_says(tutorial: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["playtest", "tutorial", "--runs", "500", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["endings"]) == {"fed", "hungry"}
    assert data["scene_coverage"] == data["choice_coverage"] == data["condition_coverage"] == 1.0
    assert main(["playtest", "tutorial", "--exhaustive"]) == 0
    assert main(["stats", "tutorial"]) == 0
    assert main(["graph", "tutorial", "--format", "mermaid"]) == 0
    capsys.readouterr()
    before = (tutorial / "vending.yaml").read_text()
    assert main(["new-scene", "vend.guard", "--file", "tutorial/vending.yaml", "--from", "vend.machine"]) == 0
    assert (tutorial / "vending.yaml").read_text().startswith(before[: before.index("      - label: Walk away.")])


def test_tutorial_uses_replies_routes_and_words_and_every_branch_is_walked(tutorial: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from game.loader import load_story

    story = load_story(tutorial, use_cache=False)
    choices = [c for s in story.scenes.values() for c in s.choices]
    assert any(c.stay and c.reply is not None and c.once for c in choices)
    routed = [c for c in choices if c.routes]
    assert routed and routed[0].reply is not None and routed[0].routes[-1].condition is None
    assert any("words(" in s.text.source for s in story.scenes.values())
    assert any(c.locked is not None and not c.locked.is_static for c in choices)
    assert main(["playtest", "tutorial", "--exhaustive", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "complete" and data["endings_missing"] == [] and data["scene_coverage"] == 1.0
    # The documented E114: a route list without its default.
    vending = tutorial / "vending.yaml"
    vending.write_text(vending.read_text().replace("          - {to: vend.stuck}\n", ""))
    assert main(["validate", "tutorial"]) == 1
    assert "error[E114]" in capsys.readouterr().out


def test_every_diagnostic_code_the_engine_reports_is_in_the_table() -> None:
    # The codes written in the engine's source, and the first column of the table of codes.
    emitted = {
        code
        for path in (ROOT / "game").rglob("*.py")
        for code in re.findall(r"[\"']([EW]\d{3})[\"']", path.read_text(encoding="utf-8"))
    }
    table = DOC[DOC.index("| code | meaning |") :]
    table = table[: table.index("\n\n")]
    documented = set(re.findall(r"[EW]\d{3}", "\n".join(line.split("|")[1] for line in table.splitlines()[2:])))
    assert {"E114", "E121", "W121", "W313"} <= emitted
    assert emitted - documented == set(), "codes missing from docs/authoring.md"
    assert documented - emitted == set(), "codes in docs/authoring.md the engine never reports"
