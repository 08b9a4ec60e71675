"""Expression codes come from where the error is raised, never from the words of its message."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from game.expr import CompileEnv, ExprError, VarType, compile_template
from game.loader import check_story
from tests.conftest import TINY_SCENES


def test_a_message_that_quotes_the_words_unknown_variable_is_still_e220(make_story: Callable[..., Path]) -> None:
    # The author's own text in the message: word matching on it called this E221.
    root = make_story(TINY_SCENES.replace("if: freedom >= 50", "if: mood == \"unknown variable\""))
    _, diags = check_story(root, use_cache=False)
    (err,) = [d for d in diags if d.is_error]
    assert err.code == "E220" and "'unknown variable' is not one of mood's values" in err.message


def test_an_undeclared_variable_in_a_template_is_e221(make_story: Callable[..., Path]) -> None:
    root = make_story(TINY_SCENES.replace('text: "Freedom is {freedom}."', 'text: "Freedom is {fredom}."'))
    _, diags = check_story(root, use_cache=False)
    (err,) = [d for d in diags if d.is_error]
    assert err.code == "E221" and "did you mean 'freedom'" in err.message


def test_the_code_survives_shifting_and_pickling() -> None:
    env = CompileEnv(variables={"freedom": VarType(type="int")}, scene_ids=frozenset())
    with pytest.raises(ExprError) as caught:
        compile_template("x {nobody}", env)
    error = caught.value
    assert error.code == "E221" and error.offset == 3
    again = pickle.loads(pickle.dumps(error))
    assert (again.code, again.offset, again.message) == (error.code, error.offset, error.message)
