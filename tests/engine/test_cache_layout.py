"""The cache entry's layout follows the model's dataclass fields (game.loader.layout)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from game.loader.layout import Reader, Writer, rules
from game.story.model import Band, Ending, Meter, Pos, VarDecl


@dataclass(frozen=True)
class Grown:
    """A model class after someone added fields to it."""

    id: str
    at: Pos
    bands: tuple[Band, ...] = ()
    ending: Ending | None = None


def test_rules_come_from_the_fields_in_their_order() -> None:
    assert rules(Grown) == (("id", "plain"), ("at", "Pos"), ("bands", "tuple[Band, ...]"), ("ending", "Ending | None"))


def test_a_field_with_no_rule_fails_when_the_layout_is_made() -> None:
    @dataclass
    class Odd:
        tags: set[str]

    with pytest.raises(TypeError, match=r"Odd\.tags: set\[str\]"):
        rules(Odd)


def test_rows_read_back_as_the_same_objects_with_their_positions() -> None:
    writer = Writer(Path("story"), ["a.yaml", "b.yaml"], {"story/a.yaml": 0, "story/b.yaml": 1})
    meter = Meter("freedom", "Freedom", 0, 100, "Rouge", (Band(0, "Gear"), Band(60, "Free")))
    row = writer.row(meter)
    assert row == ["freedom", "Freedom", 0, 100, "Rouge", [[0, "Gear"], [60, "Free"]]]
    reader = Reader(Path("story"), ["story/a.yaml", "story/b.yaml"], str)
    assert reader.obj(Meter, row) == meter
    decl = VarDecl("trust", "int", 5, 0, 10, None, "", Pos("story/b.yaml", 3, 4))
    row = writer.row(decl)
    assert row[-1] == [1, 3, 4]  # the file by its index in the entry
    back = reader.obj(VarDecl, row)
    assert back == decl and back.pos == decl.pos  # (pos is left out of ==)
