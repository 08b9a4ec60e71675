"""Static checks: types, declared names, scene ids, string values, function arity."""

from __future__ import annotations

import pytest

from game.expr import (
    CompileEnv,
    ExprError,
    VarType,
    compile_condition,
    compile_effect,
    compile_expr,
)


def expr_error(source: str, env: CompileEnv, *, condition: bool = False) -> ExprError:
    with pytest.raises(ExprError) as info:
        (compile_condition if condition else compile_expr)(source, env)
    return info.value


@pytest.mark.parametrize(
    ("source", "type_"),
    [
        ("1", "int"),
        ("freedom", "int"),
        ("-freedom * 2 / 3 % 4", "int"),
        ("name", "str"),
        ('name + " " + title', "str"),
        ("has_pass", "bool"),
        ("not has_pass", "bool"),
        ("has_pass and met_jill or false", "bool"),
        ("freedom < 3", "bool"),
        ('name == "x"', "bool"),
        ("has_pass != met_jill", "bool"),
        ('visited("pro.start")', "bool"),
        ('visits("pro.start")', "int"),
        ("min(1)", "int"),
        ("max(freedom, 2, chocolate)", "int"),
        ("abs(-3)", "int"),
        ("random(1, 6)", "int"),
    ],
)
def test_types(source: str, type_: str, env: CompileEnv) -> None:
    assert compile_expr(source, env).type == type_


@pytest.mark.parametrize(
    ("source", "message", "offset"),
    [
        ("freedom and has_pass", "'and' needs true/false, but this is a whole number", 0),
        ("has_pass or name", "'or' needs true/false, but this is a string", 12),
        ("not freedom", "'not' needs true/false, but this is a whole number", 4),
        ("-has_pass", "'-' needs a whole number, but this is true/false", 1),
        ('freedom + "x"', "cannot add a whole number and a string with '+'", 8),
        ('"x" + freedom', "cannot add a string and a whole number with '+'", 4),
        ("has_pass + 1", "'+' needs a whole number or strings, but this is true/false", 0),
        ("1 - name", "'-' needs a whole number, but this is a string", 4),
        ("name * 2", "'*' needs a whole number, but this is a string", 0),
        ("freedom / true", "'/' needs a whole number, but this is true/false", 10),
        ("7 % name", "'%' needs a whole number", 4),
        ("name < title", "'<' needs a whole number, but this is a string", 0),
        ("has_pass >= 1", "'>=' needs a whole number, but this is true/false", 0),
        ("freedom == has_pass", "cannot compare a whole number with true/false using '=='", 8),
        ('freedom != "50"', "cannot compare a whole number with a string using '!='", 8),
        ("fredom > 1", "unknown variable 'fredom' (did you mean 'freedom'?)", 0),
        ("1 + zzzzz", "unknown variable 'zzzzz'", 4),
        (
            'visited("canal.stagedoor")',
            "unknown scene 'canal.stagedoor' (did you mean 'canal.stage_door'?)",
            8,
        ),
        ('visits("nowhere")', "unknown scene 'nowhere'", 7),
        ("visited(name)", 'visited() takes one scene id in quotes, like visited("canal.start")', 8),
        ("visits(1)", "visits() takes one scene id in quotes", 7),
        ('visited("a", "b")', "visited() takes one scene id in quotes", 0),
        ("min()", "min() takes at least 1 argument, not 0", 0),
        ("max()", "max() takes at least 1 argument, not 0", 0),
        ("abs(1, 2)", "abs() takes exactly 1 argument, not 2", 0),
        ("random(1)", "random() takes exactly 2 arguments, not 1", 0),
        ("random(1, 2, 3)", "random() takes exactly 2 arguments, not 3", 0),
        ("min(1, name)", "min() needs a whole number, but this is a string", 7),
        ("abs(has_pass)", "abs() needs a whole number, but this is true/false", 4),
        ("random(1, true)", "random() needs a whole number", 10),
    ],
)
def test_type_errors(source: str, message: str, offset: int, env: CompileEnv) -> None:
    error = expr_error(source, env)
    assert error.message.startswith(message)
    assert error.offset == offset


def test_unknown_variable_without_a_close_match_has_no_hint(env: CompileEnv) -> None:
    assert expr_error("xyzzy", env).message == "unknown variable 'xyzzy'"


def test_unknown_variable_suggests_lowercase_booleans() -> None:
    env = CompileEnv({"x": VarType("int")})
    # 'TRUE' is not a Python-ism the parser knows, so the checker suggests the fix.
    assert "(did you mean 'true'?)" in expr_error("TRUE", env).message


def test_scene_ids_none_skips_the_scene_check() -> None:
    env = CompileEnv({}, None)
    expr = compile_expr('visited("anything.at.all")', env)
    assert expr.scene_refs == frozenset({"anything.at.all"})


@pytest.mark.parametrize(
    ("source", "offset"),
    [('nine_sara == "sared"', 13), ('"sared" == nine_sara', 0), ('nine_sara != "sared"', 13)],
)
def test_string_outside_the_declared_values(source: str, offset: int, env: CompileEnv) -> None:
    error = expr_error(source, env)
    assert error.message == (
        "'sared' is not one of nine_sara's values: unknown, identified, slain, spared, ally"
        " (did you mean 'spared'?)"
    )
    assert error.offset == offset


def test_string_outside_the_values_without_a_close_match(env: CompileEnv) -> None:
    error = expr_error('nine_sara == "qqqq"', env)
    assert error.message.endswith("slain, spared, ally")


def test_declared_values_allow_the_listed_strings(env: CompileEnv) -> None:
    compile_condition('nine_sara == "spared" or nine_sara != "slain"', env)
    compile_condition("nine_sara == nine_jill", env)
    compile_condition('name == "anything"', env)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("freedom", "a condition must be true or false, but this is a whole number"),
        ("name", "a condition must be true or false, but this is a string"),
        ("1 + freedom", "a condition must be true or false, but this is a whole number"),
    ],
)
def test_condition_must_be_bool(source: str, message: str, env: CompileEnv) -> None:
    error = expr_error(source, env, condition=True)
    assert error.message == message
    assert error.offset == 0


def test_condition_error_points_at_the_start_of_the_value(env: CompileEnv) -> None:
    assert expr_error("  (freedom)", env, condition=True).offset == 3


def test_reads_and_scene_refs(env: CompileEnv) -> None:
    expr = compile_condition(
        'freedom >= 40 and not visited("canal.start") or visits("pro.start") > max(debt, 1)', env
    )
    assert expr.reads == frozenset({"freedom", "debt"})
    assert expr.scene_refs == frozenset({"canal.start", "pro.start"})
    assert compile_expr("1 + 2", env).reads == frozenset()


# --- effects -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message", "offset"),
    [
        ("fredom += 1", "unknown variable 'fredom' (did you mean 'freedom'?)", 0),
        ("  nobody = 1", "unknown variable 'nobody'", 2),
        ("freedom = true", "freedom holds a whole number, but this is true/false", 10),
        ('freedom += "x"', "freedom holds a whole number, but this is a string", 11),
        ("has_pass = 1", "has_pass holds true/false, but this is a whole number", 11),
        ("has_pass += true", "'+=' cannot change has_pass (true/false): use '='", 9),
        ("has_pass -= true", "'-=' cannot change has_pass (true/false): use '='", 9),
        ('name -= "x"', "'-=' cannot change name (a string): use '='", 5),
        ("name = 5", "name holds a string, but this is a whole number", 7),
        (
            'nine_sara = "sared"',
            "'sared' is not one of nine_sara's values: unknown, identified, slain, spared, ally"
            " (did you mean 'spared'?)",
            12,
        ),
        ('nine_sara += "x"', "'+=' cannot change nine_sara: it only takes one of its values", 10),
        ("nine_sara = name", "name may hold any string, which nine_sara does not allow", 12),
        (
            "nine_jill = nine_sara",
            "nine_sara may hold values ally, identified, spared that nine_jill",
            12,
        ),
        ('nine_sara = "sl" + "ain"', "nine_sara only takes one of its values", 12),
        ("freedom += fredom", "unknown variable 'fredom' (did you mean 'freedom'?)", 11),
        ("freedom = 1 < 2 < 3", "comparisons cannot be chained", 16),
    ],
)
def test_effect_errors(source: str, message: str, offset: int, env: CompileEnv) -> None:
    with pytest.raises(ExprError) as info:
        compile_effect(source, env)
    assert info.value.message.startswith(message)
    assert info.value.offset == offset


@pytest.mark.parametrize(
    "source",
    [
        "freedom += 10",
        "freedom -= naomi_trust / 2",
        "freedom = max(0, freedom - 5)",
        'nine_sara = "spared"',
        "nine_sara = nine_jill",
        'name += "!"',
        'name = title + " " + name',
        "has_pass = not has_pass",
        "met_jill = freedom > 50",
    ],
)
def test_effects_that_compile(source: str, env: CompileEnv) -> None:
    compile_effect(source, env)


def test_effect_attributes(env: CompileEnv) -> None:
    effect = compile_effect('freedom += visits("pro.start") + debt', env)
    assert effect.source == 'freedom += visits("pro.start") + debt'
    assert effect.target == "freedom"
    assert effect.op == "+="
    assert effect.value.source == 'visits("pro.start") + debt'
    assert effect.value.type == "int"
    assert effect.value.reads == frozenset({"debt"})
    assert effect.reads == frozenset({"debt", "freedom"})
    assert effect.scene_refs == frozenset({"pro.start"})
    assigned = compile_effect("freedom = debt", env)
    assert assigned.reads == frozenset({"debt"})


def test_expr_attributes(env: CompileEnv) -> None:
    expr = compile_expr("freedom + 1", env)
    assert expr.source == "freedom + 1"
    assert expr.type == "int"
    assert expr.node == compile_expr("(freedom)+1", env).node
    assert expr == compile_expr("freedom + 1", env)
    assert hash(expr) == hash(compile_expr("freedom + 1", env))
    assert expr != compile_expr("freedom + 2", env)
    assert "freedom + 1" in repr(expr)
