"""The expression language's limits, met through the loader: a clear message at file:line:col.

tests/expr checks the limits on the compiler itself; here they are met as an
author meets them, in a scene file, and while playing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from game.expr.env import MAX_DEPTH, MAX_INT, MAX_SOURCE, MAX_STR
from game.loader import check_story, load_story
from game.plain import PlainGame, run_plain
from game.saves import SaveStore
from game.session import Session
from tests.conftest import MANIFEST, TINY_SCENES

LONG = " + ".join(["freedom"] * 80)  # 80 * 10 characters, over MAX_SOURCE
DEEP = "(" * (MAX_DEPTH + 1) + "freedom" + ")" * (MAX_DEPTH + 1)
CHAIN = " + ".join(["1"] * (MAX_DEPTH + 40))  # operators nested without parentheses
BIG = str(MAX_INT + 1)

CASES = {
    # name: (text replaced in TINY_SCENES, replacement, message, line)
    "condition too long": ("if: freedom >= 50", f"if: {LONG} >= 50", f"the limit is {MAX_SOURCE}", 23),
    "effect too long": ("do: [freedom -= 5]", f"do: ['freedom = {LONG}']", f"the limit is {MAX_SOURCE}", 11),
    "text tag too long": ('"Freedom is {freedom}."', f'"Freedom is {{{LONG}}}."', f"the limit is {MAX_SOURCE}", 4),
    "parentheses too deep": ("if: freedom >= 50", f"if: {DEEP} >= 50", "nested too deeply", 23),
    "operator chain too deep": ("do: [freedom -= 5]", f"do: ['freedom = {CHAIN}']", "nested too deeply", 11),
    "if blocks too deep": (
        '"{if flag}You defied.{else}You obeyed.{end}"',
        '"' + "{if flag}" * (MAX_DEPTH + 1) + "x" + "{end}" * (MAX_DEPTH + 1) + '"',
        "nested too deeply",
        19,
    ),
    "number too large": ("do: [freedom += 50, flag = true]", f"do: [freedom += {BIG}, flag = true]", "number too large", 8),
    "number of 450 digits": ("if: freedom >= 50", "if: freedom >= " + "9" * 450, "number too large", 23),
    "number of 5,000 digits": ("if: freedom >= 50", "if: freedom >= " + "9" * 5000, "expression is too long", 23),
    "no string repetition": ('do: [mood = "angry"]', 'do: [\'mood = "angry" * 3\']', "needs a whole number", 15),
    "constant overflow": ("if: freedom >= 50", f"if: freedom >= {MAX_INT} * 10", "out of range", 23),
}


@pytest.mark.parametrize("name", list(CASES))
def test_limit_gives_a_clear_error_at_its_place(name: str, make_story: Callable[..., Path]) -> None:
    old, new, message, line = CASES[name]
    assert old in TINY_SCENES
    root = make_story(TINY_SCENES.replace(old, new))
    story, diagnostics = check_story(root)
    assert story is None
    errors = [d for d in diagnostics if d.is_error]
    assert any(message in d.message for d in errors), [str(d) for d in errors]
    (hit,) = [d for d in errors if message in d.message]
    assert hit.code == "E220" and hit.path.endswith("scenes.yaml")
    assert hit.line == line, str(hit)
    assert hit.col >= 1


LIMIT_MANIFEST = MANIFEST.replace(
    "    flag: {type: bool, default: false}\n",
    "    flag: {type: bool, default: false}\n    name: {type: str, default: \"ab\"}\n    n: {type: int, default: 1}\n",
)
GROWTH = """\
scenes:
  - id: a
    title: Start
    text: "{name}"
    choices:
      - label: Double the name
        to: a
        do: [name = name + name]
      - label: Square the number
        to: a
        do: [n = n * 1000]
      - label: Leave
        to: good
  - {id: good, title: Free, ending: good, text: Free.}
  - {id: bad, title: Bound, ending: bad, text: Bound.}
"""


def test_runaway_strings_and_numbers_stop_at_the_limit_and_play_goes_on(
    make_story: Callable[..., Path], tmp_path: Path
) -> None:
    story = load_story(make_story(GROWTH, manifest=LIMIT_MANIFEST))
    out = io.StringIO()
    script = "1\n" * 14 + "2\n" * 6 + "3\n"
    run_plain(PlainGame(Session(story, seed=1), SaveStore(tmp_path), out, autosave=False), io.StringIO(script))
    text = out.getvalue()
    # "ab" doubled 12 times is 8,192 characters; the 13th doubling would pass MAX_STR.
    assert f"string too long: 16384 characters (the limit is {MAX_STR:,})" in text
    # 1000^5 = 10^15 is the largest allowed; the next step is refused.
    assert "number out of range" in text and "the limit is ±10^15" in text
    assert "The story hit an error in scene 'a'" in text
    assert "THE END: Good." in text  # and the game went on to its end
