"""docs/authoring.md's example of a locked reason that renders empty does what the text says."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from game.loader import load_story
from game.session import Session
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "authoring.md").read_text()


def documented_choice() -> tuple[str, str]:
    """The ``if:`` and ``locked:`` lines of the example under "A locked reason that renders empty"."""
    section = DOC[DOC.index("A locked reason that renders empty hides the choice") :]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block is not None
    condition, locked = (line.strip() for line in block.group(1).strip().splitlines())
    assert condition.startswith("if: ") and locked.startswith("locked: ")
    return condition, locked


def test_an_empty_reason_hides_the_choice_as_documented(make_story: Callable[..., Path]) -> None:
    condition, locked = documented_choice()
    scenes = f"""\
scenes:
  - id: a
    title: A
    text: A.
    choices:
      - label: Break the lock
        to: b
        {condition}
        {locked}
      - {{label: Wait, to: b}}
  - {{id: b, title: B, text: B., ending: good}}
"""
    session = Session(load_story(make_story(scenes)), seed=1)
    seen = {}
    for freedom in (10, 45, 70):
        session.vars["freedom"] = freedom
        seen[freedom] = [(c.label, c.available, c.reason) for c in session.choices()]
    assert seen[10] == [("Wait", True, None)]  # hidden below 40, as the doc says
    assert seen[45] == [("Break the lock", False, "Not yet. But your hand is already a fist."), ("Wait", True, None)]
    assert seen[70] == [("Break the lock", True, None), ("Wait", True, None)]
