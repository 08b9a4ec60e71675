"""Text variation blocks, the text functions (words, plural, capital, first_visit,
visits()), and fair arithmetic (%+= and %-=)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.expr import (
    RESERVED,
    CompileEnv,
    ExprError,
    ExprRuntimeError,
    compile_effect,
    compile_expr,
    compile_template,
)
from game.expr.closures import WORDS_LIMIT, fair_share, number_words
from game.expr.variation import pick


def shows(source: str, env: CompileEnv, ctx: Any, counts: range) -> list[str]:
    """The text as read on each of several entries (block 0 shown ``n`` times before)."""
    template = compile_template(source, env)
    out = []
    for n in counts:
        ctx.shown = dict.fromkeys(range(len(template.variations)), n)
        out.append(template.render(ctx))
    return out


# --- the four kinds ---------------------------------------------------------------


def test_seq_sticks_on_its_last_alternative(env: CompileEnv, ctx: Any) -> None:
    got = shows("Jean {seq}looks up{or}nods{or}waits{end}.", env, ctx, range(5))
    assert got == ["Jean looks up.", "Jean nods.", "Jean waits.", "Jean waits.", "Jean waits."]


def test_cycle_loops(env: CompileEnv, ctx: Any) -> None:
    assert shows("{cycle}a{or}b{end}", env, ctx, range(5)) == ["a", "b", "a", "b", "a"]


def test_once_shows_each_alternative_once_then_nothing(env: CompileEnv, ctx: Any) -> None:
    assert shows("x{once} first{end}", env, ctx, range(3)) == ["x first", "x", "x"]
    assert shows("{once}a{or}b{end}", env, ctx, range(3)) == ["a", "b", ""]


def test_shuffle_deals_every_alternative_once_per_round(env: CompileEnv, ctx: Any) -> None:
    got = shows("{shuffle}a{or}b{or}c{end}", env, ctx, range(9))
    for start in (0, 3, 6):
        assert sorted(got[start : start + 3]) == ["a", "b", "c"]
    assert got == shows("{shuffle}a{or}b{or}c{end}", env, ctx, range(9))  # same salt, same text


def test_shuffle_depends_on_the_salt() -> None:
    orders = {tuple(pick("shuffle", 5, n, f"seed:{seed}") for n in range(5)) for seed in range(20)}
    assert len(orders) > 1


def test_blocks_are_numbered_in_the_order_they_open(env: CompileEnv, ctx: Any) -> None:
    template = compile_template("{seq}a{or}{cycle}b{or}c{end}{end} {once}d{end}", env)
    assert template.variations == (("seq", 2), ("cycle", 2), ("once", 1))
    ctx.shown = {0: 1, 1: 1, 2: 1}
    assert template.render(ctx) == "c "
    ctx.shown = {0: 0, 1: 0, 2: 0}
    assert template.render(ctx) == "a d"


def test_a_block_in_an_unshown_branch_is_not_asked(env: CompileEnv, ctx: Any) -> None:
    template = compile_template("{if has_pass}{seq}a{or}b{end}{end}{cycle}c{end}", env)
    assert template.render(ctx) == "c"
    assert ctx.variant_calls == [1]


def test_end_closes_the_innermost_block_of_either_kind(env: CompileEnv, ctx: Any) -> None:
    source = "{seq}{if has_pass}P{else}N{end}{or}two{end}|{if met_jill}{cycle}x{or}y{end}!{end}"
    assert compile_template(source, env).render(ctx) == "N|x!"
    ctx.vars["has_pass"] = True
    assert compile_template(source, env).render(ctx) == "P|x!"


def test_variation_is_not_static_and_expressions_inside_are_read(env: CompileEnv) -> None:
    template = compile_template("{seq}{name}{or}{chocolate}{end}", env)
    assert not template.is_static
    assert template.reads == {"name", "chocolate"}


@pytest.mark.parametrize(
    ("source", "message", "offset"),
    [
        ("a {or} b", "'{or}' separates the alternatives", 2),
        ("{if has_pass}a{or}b{end}", "the innermost open block is an '{if}'", 14),
        ("{seq}a{else}b{end}", "'{else}' inside a '{seq}' block", 6),
        ("{cycle}a{elif has_pass}b{end}", "'{elif}' inside a '{cycle}' block", 8),
        ("x {shuffle}a{or}b", "this '{shuffle}' is missing its '{end}'", 2),
        ("{if has_pass}{once}a{end}", "this '{if}' is missing its '{end}'", 0),
        ("{SEQ}a{end}", "write 'seq' in lowercase", 1),
        ("{seq}a{end}{end}", "'{end}' without an open block", 11),
        ("{seq}" * 33, "blocks nested too deeply", 160),
    ],
)
def test_variation_errors(source: str, message: str, offset: int, env: CompileEnv) -> None:
    with pytest.raises(ExprError) as info:
        compile_template(source, env)
    assert message in info.value.message
    assert info.value.offset == offset


def test_the_tag_words_are_reserved() -> None:
    assert {"seq", "cycle", "shuffle", "once", "or"} <= RESERVED


# --- pick ----------------------------------------------------------------------------


@given(st.sampled_from(["seq", "cycle", "shuffle", "once"]), st.integers(1, 6), st.integers(0, 50), st.text(max_size=8))
def test_pick_is_in_range_and_deterministic(kind: str, count: int, shown: int, salt: str) -> None:
    index = pick(kind, count, shown, salt)
    assert index == pick(kind, count, shown, salt)
    if index is None:
        assert kind == "once" and shown >= count
    else:
        assert 0 <= index < count


@given(st.integers(1, 6), st.integers(0, 8), st.text(max_size=8))
def test_shuffle_rounds_are_permutations(count: int, deal: int, salt: str) -> None:
    round_ = [pick("shuffle", count, deal * count + i, salt) for i in range(count)]
    assert sorted(round_) == list(range(count))  # type: ignore[type-var]


# --- words, plural, capital ----------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "zero"), (1, "one"), (4, "four"), (13, "thirteen"), (20, "twenty"), (21, "twenty-one"),
     (99, "ninety-nine"), (100, "one hundred"), (101, "101"), (-3, "minus three"), (-101, "-101"),
     (123456, "123456")],
)
def test_words(n: int, text: str) -> None:
    assert number_words(n) == text


@given(st.integers(-(10**15), 10**15))
def test_words_spells_out_up_to_the_limit_and_writes_digits_beyond(n: int) -> None:
    text = number_words(n)
    if abs(n) <= WORDS_LIMIT:
        assert not any(ch.isdigit() for ch in text)
        assert text.startswith("minus ") == (n < 0)
    else:
        assert text == str(n)


def test_words_plural_capital_in_a_template(env: CompileEnv, make_ctx: Any) -> None:
    template = compile_template(
        'You have {words(chocolate)} {plural(chocolate, "bar", "bars")}. '
        '{capital(words(chocolate))} of them.',
        env,
    )
    assert template.render(make_ctx(chocolate=4)) == "You have four bars. Four of them."
    assert template.render(make_ctx(chocolate=1)) == "You have one bar. One of them."
    assert template.render(make_ctx(chocolate=0)) == "You have zero bars. Zero of them."


@pytest.mark.parametrize(
    ("source", "value"),
    [('capital("iD card")', "ID card"), ('capital("")', ""), ("words(2 + 3)", "five"),
     ('plural(-1, "a", "b")', "a"), ('plural(2, "a", "b")', "b")],
)
def test_text_functions_fold_constants(source: str, value: str, env: CompileEnv) -> None:
    expr = compile_expr(source, env)
    assert expr.type == "str"
    assert expr(None) == value  # folded: needs no game


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("words(name)", "words() needs a whole number, but this is a string"),
        ("words()", "words() takes exactly 1 argument, not 0"),
        ('plural(1, "a")', "plural() takes exactly 3 arguments, not 2"),
        ('plural("1", "a", "b")', "plural() needs a whole number"),
        ("plural(1, 2, 3)", "plural() needs a string"),
        ("capital(3)", "capital() needs a string"),
        ("first_visit(1)", "first_visit() takes no arguments, not 1"),
        ("words(1) + 1", "cannot add a string and a whole number"),
    ],
)
def test_text_function_type_errors(source: str, message: str, env: CompileEnv) -> None:
    with pytest.raises(ExprError) as info:
        compile_expr(source, env)
    assert message in info.value.message


def test_first_visit_and_visits_without_argument_read_the_current_scene(
    env: CompileEnv, ctx: Any
) -> None:
    template = compile_template("{if first_visit()}New.{else}Again ({visits()}).{end}", env)
    ctx.seen = {"pro.start": 1}
    assert template.render(ctx) == "New."
    ctx.seen = {"pro.start": 3, "canal.start": 1}
    assert template.render(ctx) == "Again (3)."
    ctx.state = "canal.start"
    assert template.render(ctx) == "New."
    assert compile_condition_type("first_visit()", env) == "bool"
    assert compile_condition_type("visits()", env) == "int"


def compile_condition_type(source: str, env: CompileEnv) -> str:
    return compile_expr(source, env).type


# --- fair arithmetic ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("effect", "start", "result"),
    [
        ("freedom %+= 20", 50, 60),  # 20 % of the 50 left to 100
        ("freedom %+= 20", 99, 99),  # 0.2 rounds down: toward where it started
        ("freedom %+= 100", 7, 100),
        ("freedom %-= 20", 50, 40),
        ("freedom %-= 20", 1, 1),
        ("freedom %-= 50", 99, 50),  # 49.5 off rounds down: 49.5 -> 50
        ("freedom %+= 0", 30, 30),
        ("freedom %+= naomi_trust / 2", 0, 30),
    ],
)
def test_fair_arithmetic(effect: str, start: int, result: int, env: CompileEnv, make_ctx: Any) -> None:
    ctx = make_ctx(freedom=start)
    compiled = compile_effect(effect, env)
    assert compiled.op == effect.split()[1]
    compiled(ctx)
    assert ctx.vars["freedom"] == result


@given(st.integers(0, 100), st.integers(0, 100), st.booleans())
def test_fair_arithmetic_stays_in_range_and_moves_the_right_way(start: int, percent: int, up: bool) -> None:
    after = fair_share(start, percent, 0, 100, up)
    assert 0 <= after <= 100
    assert (after >= start) if up else (after <= start)
    if percent == 100:
        assert after == (100 if up else 0)


@pytest.mark.parametrize(
    ("effect", "message"),
    [
        ("chocolate %+= 10", "needs to be a whole number with a min and a max"),
        ("debt %-= 10", "needs to be a whole number with a min and a max"),
        ("has_pass %+= 10", "needs to be a whole number with a min and a max"),
        ("freedom %+= 101", "a percentage from 0 to 100, not 101"),
        ("freedom %-= -5", "a percentage from 0 to 100, not -5"),
        ("freedom %+= true", "freedom holds a whole number"),
        ("freedom %* 3", "expected '=', '+=', '-=', '%+=' or '%-=' after 'freedom'"),
    ],
)
def test_fair_arithmetic_errors(effect: str, message: str, env: CompileEnv) -> None:
    with pytest.raises(ExprError) as info:
        compile_effect(effect, env)
    assert message in info.value.message


def test_fair_arithmetic_with_a_percentage_out_of_range_at_run_time(env: CompileEnv, make_ctx: Any) -> None:
    ctx = make_ctx(chocolate=150)
    with pytest.raises(ExprRuntimeError, match="from 0 to 100, not 150"):
        compile_effect("freedom %+= chocolate", env)(ctx)


def test_fair_arithmetic_is_not_an_expression_operator(env: CompileEnv) -> None:
    with pytest.raises(ExprError, match="assignment"):
        compile_expr("freedom %+= 1", env)
