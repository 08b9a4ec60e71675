"""docs/authoring.md's "Measuring agency" worked example must be what the tools print on the tutorial story."""

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
SECTION = DOC[DOC.index("## Measuring agency") :]


@pytest.fixture
def tutorial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    blocks = re.findall(r"```yaml\n(.*?)```", TUTORIAL, re.S)
    folder = tmp_path / "tutorial"
    folder.mkdir()
    (folder / "story.yaml").write_text(blocks[0])
    (folder / "vending.yaml").write_text(blocks[1])
    monkeypatch.chdir(tmp_path)
    return folder


def _said(pattern: str) -> str:
    found = re.search(pattern, " ".join(SECTION.split()))
    assert found, f"the 'Measuring agency' section no longer says {pattern!r}"
    return found.group(1)


def test_the_worked_example_reads_as_the_tools_print_it(tutorial: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["stats", "tutorial", "--runs", "0"]) == 0
    printed = capsys.readouterr().out
    for quoted in re.findall(r"`((?:funnels|unechoed choices) [^`]*)`", " ".join(SECTION.split())):
        assert quoted in printed, quoted
    assert main(["stats", "tutorial", "--runs", "0", "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["forks"]["ids"] == sorted(s for s in _scene_ids(tutorial) if s != "vend.corridor")

    vending = tutorial / "vending.yaml"
    text = vending.read_text()
    stand = "      - label: Stand in front of it and wait for instructions.\n        to: vend.machine\n        do: [freedom -= 5]\n"
    assert stand in text
    vending.write_text(text.replace(stand, stand.replace("[freedom -= 5]", "[]")))
    assert main(["validate", "tutorial"]) == 0  # warnings only
    lines = capsys.readouterr().out.splitlines()
    documented = _said(r"`(warning\[W312\]: choice 'stand-in-front[^`]*)`")
    assert len(lines) == 1 and lines[0].startswith("tutorial" + os.sep + "vending.yaml:")
    assert lines[0].endswith(": " + documented)
    assert main(["validate", "tutorial", "--strict"]) == 1
    vending.write_text(text)
    capsys.readouterr()

    assert main(["playtest", "tutorial", "--strategy", "min:freedom", "--runs", "200", "--format", "json"]) == 0
    assert "fed" not in json.loads(capsys.readouterr().out)["endings"]
    assert main(["playtest", "tutorial", "--strategy", "max:freedom", "--runs", "200", "--format", "json"]) == 0
    assert "fed" in json.loads(capsys.readouterr().out)["endings"]
    assert main(["playtest", "tutorial", "--exhaustive"]) == 0
    assert _said(r"ends `(exhaustive walk: complete)`") in capsys.readouterr().out
    assert main(["playtest", "tutorial", "--path-to", "fed", "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["found"] and found["scene"] == "vend.fed"


def _scene_ids(folder: Path) -> list[str]:
    return re.findall(r"^  - id: (\S+)$", (folder / "vending.yaml").read_text(), re.M)


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("validate", ["W312", "W314", "--strict also fails on warnings"]),
        ("stats", ["funnel share", "forks", "unechoed choices", "W312"]),
        ("playtest", ["pinned", "invariants", "complete", "partial", "--path-to"]),
    ],
)
def test_each_tool_s_help_says_what_its_reports_mean(command: str, says: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = capsys.readouterr().out
    for phrase in says:
        assert phrase in text, (command, phrase)
