"""Running compiled expressions and effects: values, short-circuits, limits, runtime errors."""

from __future__ import annotations

from typing import Any

import pytest

from game.expr import (
    CompileEnv,
    ExprError,
    ExprRuntimeError,
    VarType,
    compile_condition,
    compile_effect,
    compile_expr,
)


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("42", 42),
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("7 / 2", 3),
        ("-7 / 2", -4),
        ("7 / -2", -4),
        ("7 % 3", 1),
        ("-7 % 3", 2),
        ("7 % -3", -2),
        ("10 - 3 - 2", 5),
        ("--3", 3),
        ("freedom / 3", 16),
        ("freedom % 7", 1),
        ("freedom - naomi_trust", -10),
        ("-freedom", -50),
        ("chocolate * chocolate", 9),
        ("abs(3 - freedom)", 47),
        ("min(freedom, naomi_trust, 99)", 50),
        ("max(freedom, naomi_trust, -1)", 60),
        ("min(chocolate)", 3),
        ("max(1, 2)", 2),
        ('name + "!"', "Rouge!"),
        ('"" + ""', ""),
        ('name + " at " + title', "Rouge at Opera Nova"),
        ("'a\\'b'", "a'b"),
        ("true", True),
        ("not true", False),
        ("has_pass or met_jill", True),
        ("has_pass and met_jill", False),
        ("freedom == 50", True),
        ("50 == freedom", True),
        ("freedom != 50", False),
        ("freedom < 51", True),
        ("51 < freedom", False),
        ("freedom <= 50", True),
        ("10 <= freedom", True),
        ("freedom > naomi_trust", False),
        ("freedom >= naomi_trust - 10", True),
        ("60 >= naomi_trust", True),
        ("1 > freedom", False),
        ('name == "Rouge"', True),
        ('"Rouge" != name', False),
        ("has_pass == false", True),
        ("has_pass == met_jill", False),
        ("not has_pass == met_jill", True),
        ("freedom + 1 == 51 and naomi_trust - 1 == 59", True),
    ],
)
def test_values(source: str, value: object, env: CompileEnv, ctx: Any) -> None:
    result = compile_expr(source, env)(ctx)
    assert result == value
    assert type(result) is type(value)


def test_visited_and_visits(env: CompileEnv, ctx: Any) -> None:
    visited = compile_condition('visited("canal.start")', env)
    visits = compile_expr('visits("canal.start")', env)
    assert visited(ctx) is False
    assert visits(ctx) == 0
    ctx.seen["canal.start"] = 3
    assert visited(ctx) is True
    assert visits(ctx) == 3


def test_random_is_inclusive_and_asks_the_context(env: CompileEnv, ctx: Any) -> None:
    expr = compile_expr("random(1, freedom / 10)", env)
    assert expr(ctx) == 5  # the fake context's random() returns the upper bound
    assert ctx.random_calls == [(1, 5)]
    assert compile_expr("random(3, 3)", env)(ctx) == 3


def test_random_is_never_folded(env: CompileEnv, ctx: Any) -> None:
    expr = compile_expr("random(1, 6) + random(1, 6)", env)
    expr(ctx)
    expr(ctx)
    assert len(ctx.random_calls) == 4


def test_random_with_bounds_reversed(env: CompileEnv, ctx: Any) -> None:
    with pytest.raises(ExprRuntimeError, match=r"random\(6, 1\): the first number is larger"):
        compile_expr("random(6, chocolate - 2)", env)(ctx)


def test_and_or_short_circuit(env: CompileEnv, ctx: Any) -> None:
    compile_condition('has_pass and visited("pro.start")', env)(ctx)
    compile_condition('met_jill or visited("pro.start")', env)(ctx)
    assert ctx.visit_calls == []
    compile_condition('met_jill and visited("pro.start")', env)(ctx)
    assert ctx.visit_calls == ["pro.start"]


def test_short_circuit_skips_runtime_errors(env: CompileEnv, make_ctx: Any) -> None:
    cond = compile_condition("debt > 0 and 10 / debt > 2", env)
    assert cond(make_ctx(debt=0)) is False
    assert cond(make_ctx(debt=3)) is True


def test_conditions_return_real_bools(env: CompileEnv, make_ctx: Any) -> None:
    # A session that stored 1/0 for a flag must still get True/False back.
    ctx = make_ctx(has_pass=1, met_jill=0)
    for source in [
        "has_pass",
        "has_pass or met_jill",
        "met_jill or has_pass",
        "has_pass and has_pass",
    ]:
        assert compile_condition(source, env)(ctx) is True
    for source in ["met_jill", "has_pass and met_jill", "met_jill or met_jill"]:
        assert compile_condition(source, env)(ctx) is False


def test_constant_subexpressions_are_folded(env: CompileEnv) -> None:
    # A folded expression never touches the context, so None stands in for it.
    assert compile_expr("2 * 3 + 1", env).fn(None) == 7
    assert compile_expr("min(4, 2) * abs(-3)", env).fn(None) == 6
    assert compile_condition('"a" + "b" == "ab" and not false', env).fn(None) is True


# --- limits -----------------------------------------------------------------------


def test_int_results_are_limited(env: CompileEnv, make_ctx: Any) -> None:
    square = compile_expr("chocolate * chocolate", env)
    assert square(make_ctx(chocolate=10**7)) == 10**14
    with pytest.raises(ExprRuntimeError, match="number out of range"):
        square(make_ctx(chocolate=10**8))
    plus = compile_expr("chocolate + 1", env)
    assert plus(make_ctx(chocolate=10**15 - 1)) == 10**15
    with pytest.raises(ExprRuntimeError):
        plus(make_ctx(chocolate=10**15))
    minus = compile_expr("chocolate - debt", env)
    with pytest.raises(ExprRuntimeError):
        minus(make_ctx(chocolate=-(10**15), debt=1))
    with pytest.raises(ExprRuntimeError):
        compile_expr("0 - chocolate - 2", env)(make_ctx(chocolate=10**15 - 1))


def test_string_results_are_limited(env: CompileEnv, make_ctx: Any) -> None:
    twice = compile_expr("name + name", env)
    assert len(twice(make_ctx(name="x" * 5000))) == 10_000
    with pytest.raises(ExprRuntimeError, match="string too long: 10002 characters"):
        twice(make_ctx(name="x" * 5001))


@pytest.mark.parametrize("source", ["freedom / debt", "freedom % debt", "1 / debt"])
def test_division_by_zero_at_run_time(source: str, env: CompileEnv, ctx: Any) -> None:
    with pytest.raises(ExprRuntimeError, match="division by zero"):
        compile_expr(source, env)(ctx)


@pytest.mark.parametrize(
    ("source", "message", "offset"),
    [
        ("freedom / 0", "division by zero", 8),
        ("freedom % (3 - 3)", "division by zero", 8),
        ("1 / 0", "division by zero", 2),
        ("1000000000000000 + 1", "number out of range", 17),
        ("1000000000000000 * 1000000000000000 > 0", "number out of range", 17),
        # Folding sees a constant error even where it could never be reached.
        ("false and 1 / 0 == 1", "division by zero", 12),
    ],
)
def test_constant_errors_are_compile_errors(
    source: str, message: str, offset: int, env: CompileEnv
) -> None:
    with pytest.raises(ExprError) as info:
        compile_expr(source, env)
    assert message in info.value.message
    assert info.value.offset == offset


def test_missing_variable_at_run_time(env: CompileEnv, ctx: Any) -> None:
    del ctx.vars["freedom"]
    with pytest.raises(ExprRuntimeError, match="variable 'freedom' has no value"):
        compile_condition("freedom > 1", env)(ctx)
    with pytest.raises(ExprRuntimeError, match="variable 'freedom' has no value"):
        compile_effect("freedom += 1", env)(ctx)


# --- effects -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target", "value"),
    [
        ("freedom += 10", "freedom", 60),
        ("freedom -= 10", "freedom", 40),
        ("freedom = 7", "freedom", 7),
        ("freedom += 70", "freedom", 100),
        ("freedom -= 70", "freedom", 0),
        ("freedom = -5", "freedom", 0),
        ("freedom = 1000", "freedom", 100),
        ("freedom = freedom * 3 / 2", "freedom", 75),
        ("debt -= 5", "debt", 0),
        ("debt += 1000000", "debt", 1000000),
        ("chocolate -= 10", "chocolate", -7),
        ("chocolate = 999999999", "chocolate", 999999999),
        ("has_pass = true", "has_pass", True),
        ("met_jill = not met_jill", "met_jill", False),
        ("met_jill = freedom > 60", "met_jill", False),
        ('nine_sara = "spared"', "nine_sara", "spared"),
        ("nine_sara = nine_jill", "nine_sara", "unknown"),
        ('name += " Rouge"', "name", "Rouge Rouge"),
        ('name = "Jill"', "name", "Jill"),
    ],
)
def test_effects(source: str, target: str, value: object, env: CompileEnv, ctx: Any) -> None:
    effect = compile_effect(source, env)
    before = dict(ctx.vars)
    assert effect(ctx) is None
    assert ctx.vars[target] == value
    assert type(ctx.vars[target]) is type(value)
    before[target] = value
    assert ctx.vars == before


def test_effect_overflow(env: CompileEnv, make_ctx: Any) -> None:
    ctx = make_ctx(chocolate=10**15)
    with pytest.raises(ExprRuntimeError, match="number out of range"):
        compile_effect("chocolate += 1", env)(ctx)
    assert ctx.vars["chocolate"] == 10**15
    ctx = make_ctx(chocolate=-(10**15))
    with pytest.raises(ExprRuntimeError):
        compile_effect("chocolate -= 1", env)(ctx)


def test_effect_string_too_long(env: CompileEnv, make_ctx: Any) -> None:
    ctx = make_ctx(name="x" * 9999)
    append = compile_effect('name += "y"', env)
    append(ctx)
    with pytest.raises(ExprRuntimeError, match="string too long"):
        append(ctx)


def test_effect_clamps_with_only_one_bound(make_ctx: Any) -> None:
    env = CompileEnv({"low": VarType("int", max=5), "high": VarType("int", min=-5)})
    ctx = make_ctx(low=0, high=0)
    compile_effect("low += 100", env)(ctx)
    compile_effect("high -= 100", env)(ctx)
    assert ctx.vars["low"] == 5
    assert ctx.vars["high"] == -5
    compile_effect("low -= 100", env)(ctx)
    compile_effect("high += 100", env)(ctx)
    assert ctx.vars["low"] == -95
    assert ctx.vars["high"] == 95


def test_effect_with_random_and_visits(env: CompileEnv, ctx: Any) -> None:
    ctx.seen["pro.start"] = 2
    compile_effect('freedom += random(1, 6) + visits("pro.start")', env)(ctx)
    assert ctx.vars["freedom"] == 58


def test_effect_with_division_by_zero_leaves_the_variable(env: CompileEnv, ctx: Any) -> None:
    with pytest.raises(ExprRuntimeError):
        compile_effect("freedom = 10 / debt", env)(ctx)
    assert ctx.vars["freedom"] == 50


def test_effect_equality(env: CompileEnv) -> None:
    assert compile_effect("freedom += 1", env) == compile_effect("freedom += 1", env)
    assert compile_effect("freedom += 1", env) != compile_effect("freedom -= 1", env)
    assert len({compile_effect("freedom += 1", env), compile_effect("freedom += 1", env)}) == 1
