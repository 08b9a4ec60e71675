"""Templates: literal text, interpolation, {if} blocks, escapes and errors with offsets."""

from __future__ import annotations

from typing import Any

import pytest

from game.expr import CompileEnv, ExprError, ExprRuntimeError, compile_template


def render(source: str, env: CompileEnv, ctx: Any) -> str:
    return compile_template(source, env).render(ctx)


def template_error(source: str, env: CompileEnv) -> ExprError:
    with pytest.raises(ExprError) as info:
        compile_template(source, env)
    return info.value


# --- literal text -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "plain", "Square [brackets], *stars*, @at, <b>markup</b>, $x, %s, \\n", "line\n\nline\n"],
)
def test_static_text_renders_as_written(text: str, env: CompileEnv, ctx: Any) -> None:
    template = compile_template(text, env)
    assert template.is_static
    assert template.render(ctx) == text
    assert template.reads == frozenset()
    assert template.conditions == ()


def test_doubled_braces_are_literal_and_still_static(env: CompileEnv, ctx: Any) -> None:
    template = compile_template("a {{b}} c }}{{", env)
    assert template.is_static
    assert template.render(ctx) == "a {b} c }{"


def test_any_tag_makes_a_template_dynamic(env: CompileEnv) -> None:
    assert not compile_template("{1}", env).is_static
    assert not compile_template("{if true}{end}", env).is_static


# --- interpolation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "rendered"),
    [
        ("You have {chocolate} bars.", "You have 3 bars."),
        ("{name}", "Rouge"),
        ("{has_pass}/{met_jill}", "false/true"),
        ("{ freedom + 1 }%", "51%"),
        ("{-chocolate}", "-3"),
        ("{name + '!'}", "Rouge!"),
        ("{1 + 2} {true} {'x'}", "3 true x"),
        ('{"}"}{"{"}', "}{"),
        ("{freedom > 10}", "true"),
        ("[{name}] *{title}*", "[Rouge] *Opera Nova*"),
        ("{{{name}}}", "{Rouge}"),
        ("{\n  freedom\n}", "50"),
        ('{visits("pro.start")} {visited("pro.start")}', "0 false"),
    ],
)
def test_interpolation(source: str, rendered: str, env: CompileEnv, ctx: Any) -> None:
    assert render(source, env, ctx) == rendered


def test_interpolation_follows_the_variables(env: CompileEnv, make_ctx: Any) -> None:
    template = compile_template("Freedom: {freedom}, pass: {has_pass}", env)
    assert template.render(make_ctx(freedom=1, has_pass=True)) == "Freedom: 1, pass: true"
    assert template.render(make_ctx(freedom=99)) == "Freedom: 99, pass: false"
    assert template.reads == frozenset({"freedom", "has_pass"})


def test_random_in_text_is_drawn_on_every_render(env: CompileEnv, ctx: Any) -> None:
    template = compile_template("{random(1, 6)}", env)
    template.render(ctx)
    template.render(ctx)
    assert ctx.random_calls == [(1, 6), (1, 6)]


# --- conditional passages -------------------------------------------------------------


DOOR = (
    '{if naomi_trust >= 60}"Fine," she says.{elif has_pass}You show the pass.'
    "{else}Naomi says nothing.{end} Then you go."
)


@pytest.mark.parametrize(
    ("overrides", "rendered"),
    [
        ({"naomi_trust": 60}, '"Fine," she says. Then you go.'),
        ({"naomi_trust": 10, "has_pass": True}, "You show the pass. Then you go."),
        ({"naomi_trust": 10, "has_pass": False}, "Naomi says nothing. Then you go."),
    ],
)
def test_if_elif_else(
    overrides: dict[str, Any], rendered: str, env: CompileEnv, make_ctx: Any
) -> None:
    assert render(DOOR, env, make_ctx(**overrides)) == rendered


def test_if_without_else_renders_nothing_when_false(env: CompileEnv, make_ctx: Any) -> None:
    template = compile_template("a{if has_pass} pass {freedom}{end}b", env)
    assert template.render(make_ctx(has_pass=False)) == "ab"
    assert template.render(make_ctx(has_pass=True)) == "a pass 50b"


def test_several_elifs_pick_the_first_true_branch(env: CompileEnv, make_ctx: Any) -> None:
    source = "{if freedom > 80}A{elif freedom > 60}B{elif freedom > 40}C{elif freedom > 20}D{end}"
    results = [render(source, env, make_ctx(freedom=f)) for f in (90, 70, 50, 30, 10)]
    assert results == ["A", "B", "C", "D", ""]


def test_nested_blocks(env: CompileEnv, make_ctx: Any) -> None:
    source = (
        "<{if has_pass}P{if met_jill}J{else}j{end}{elif freedom > 40}F{if debt > 0}D{end}"
        "{else}-{end}>"
    )
    cases = [
        ({"has_pass": True, "met_jill": True}, "<PJ>"),
        ({"has_pass": True, "met_jill": False}, "<Pj>"),
        ({"has_pass": False, "freedom": 50, "debt": 1}, "<FD>"),
        ({"has_pass": False, "freedom": 50, "debt": 0}, "<F>"),
        ({"has_pass": False, "freedom": 10}, "<->"),
    ]
    template = compile_template(source, env)
    for overrides, expected in cases:
        assert template.render(make_ctx(**overrides)) == expected


def test_keywords_need_a_word_boundary(env: CompileEnv) -> None:
    # '{iffy}' is a variable named iffy, not an {if}.
    assert "unknown variable 'iffy'" in template_error("{iffy}", env).message
    compile_template("{if(has_pass)}x{end}", env)


def test_conditions_reads_and_scene_refs(env: CompileEnv) -> None:
    template = compile_template(
        '{name}: {if  freedom > 1 }a{elif visited("pro.start")}b{if met_jill}c{end}{end}', env
    )
    assert [c.source for c in template.conditions] == [
        "freedom > 1",
        'visited("pro.start")',
        "met_jill",
    ]
    assert all(c.type == "bool" for c in template.conditions)
    assert template.reads == frozenset({"name", "freedom", "met_jill"})
    assert template.scene_refs == frozenset({"pro.start"})


def test_missing_variable_at_render_time(env: CompileEnv, ctx: Any) -> None:
    template = compile_template("{freedom}", env)
    del ctx.vars["freedom"]
    with pytest.raises(ExprRuntimeError, match="variable 'freedom' has no value"):
        template.render(ctx)


def test_runtime_errors_propagate(env: CompileEnv, ctx: Any) -> None:
    with pytest.raises(ExprRuntimeError, match="division by zero"):
        render("{10 / debt}", env, ctx)


def test_equality(env: CompileEnv) -> None:
    assert compile_template("a {name}", env) == compile_template("a {name}", env)
    assert compile_template("a", env) != compile_template("b", env)
    assert "a {name}" in repr(compile_template("a {name}", env))


# --- errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message", "offset"),
    [
        ("Hello {name", "unmatched '{' (write '{{' for a literal brace)", 6),
        ("a {b {c}", "unmatched '{'", 2),
        ("a } b", "stray '}' (write '}}' for a literal brace)", 2),
        ("{name}}", "stray '}'", 6),
        ("x {else} y", "'{else}' without an '{if}'", 2),
        ("x {elif has_pass} y", "'{elif}' without an '{if}'", 2),
        ("x {end}", "'{end}' without an open block", 2),
        ("{if has_pass}a{end}{end}", "'{end}' without an open block", 19),
        ("ab {if has_pass} x", "this '{if}' is missing its '{end}'", 3),
        ("{if has_pass}{if met_jill}x{end}", "this '{if}' is missing its '{end}'", 0),
        ("{if has_pass}{if met_jill}x{else}", "this '{if}' is missing its '{end}'", 13),
        ("{if has_pass}a{else}b{else}c{end}", "'{else}' after the '{else}' of the same '{if}'", 21),
        ("{if has_pass}a{else}b{elif met_jill}c{end}", "'{elif}' after the '{else}'", 21),
        ("a {} b", "empty '{}' (write '{{' for a literal brace)", 2),
        ("{   }", "empty '{}'", 0),
        ("{if}x{end}", "'{if}' needs a condition, like {if freedom >= 50}", 0),
        ("{if has_pass}x{elif  }y{end}", "'{elif}' needs a condition", 14),
        ("{if has_pass}x{endif}", "close an '{if}' with '{end}', not '{endif}'", 14),
        ("{if has_pass}x{/if}", "close an '{if}' with '{end}', not '{/if}'", 14),
        ("{if has_pass}x{else if met_jill}y{end}", "write '{elif condition}' instead", 14),
        ("Hello {fredom}!", "unknown variable 'fredom' (did you mean 'freedom'?)", 7),
        ("Hello {  fredom}!", "unknown variable 'fredom'", 9),
        (
            "ab{if freedom}x{end}",
            "a condition must be true or false, but this is a whole number",
            6,
        ),
        ("ab{if   has_pass and 1}x{end}", "'and' needs true/false, but this is a whole number", 21),
        (
            "{if has_pass}x{elif name}y{end}",
            "a condition must be true or false, but this is a string",
            20,
        ),
        ("ab {name + 1}", "cannot add a string", 9),
        ("{If has_pass}x{end}", "write 'if' in lowercase", 1),
        ("{if has_pass}x{ Else }y{END}", "write 'else' in lowercase", 16),
        ("{if has_pass}x{End}", "write 'end' in lowercase", 15),
        ("{freedom = 1}", "assignment ('=') is not allowed here", 9),
        ("{freedom.x}", "attribute access", 8),
        ("{name's}", "unterminated string (missing closing ')", 5),
        ('{"a\n"}', 'unterminated string (missing closing ")', 1),
        ("{nine_sara == 'sared'}", "'sared' is not one of nine_sara's values", 14),
        ("x\n{1 / 0}", "division by zero", 5),
    ],
)
def test_template_errors(source: str, message: str, offset: int, env: CompileEnv) -> None:
    error = template_error(source, env)
    assert message in error.message
    assert error.offset == offset


def test_expression_length_limit_applies_inside_tags(env: CompileEnv) -> None:
    long = "x" * 200 + "{" + " + ".join(["1"] * 30) + " + " + '"' + "a" * 420 + '"}'
    error = template_error(long, env)
    assert "expression is too long" in error.message
    assert error.offset == 201 + 500


def test_block_nesting_limit(env: CompileEnv, ctx: Any) -> None:
    ok = "{if true}" * 32 + "x" + "{end}" * 32
    assert render(ok, env, ctx) == "x"
    error = template_error("{if true}" * 33 + "x" + "{end}" * 33, env)
    assert "nested too deeply" in error.message
    assert error.offset == 32 * 9


def test_a_long_scene_renders(env: CompileEnv, ctx: Any) -> None:
    words = " ".join(["word"] * 400)
    template = compile_template(f"{words} {{chocolate}} {{if has_pass}}yes{{else}}no{{end}}", env)
    assert template.render(ctx) == f"{words} 3 no"
