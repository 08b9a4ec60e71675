"""Property tests: printer round trips, agreement with a reference evaluator, and fuzzing.

Set FUZZ_FULL=1 for a longer run (ten times the examples).
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable
from functools import cache
from typing import Any

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from game.expr import (
    CompileEnv,
    ExprError,
    ExprRuntimeError,
    VarType,
    compile_condition,
    compile_effect,
    compile_expr,
    compile_template,
    parse_expr,
    to_source,
)
from game.expr.nodes import Binary, BoolLit, Call, IntLit, Name, Node, StrLit, Unary, walk

SCALE = 10 if os.environ.get("FUZZ_FULL") else 1


def examples(n: int) -> settings:
    return settings(
        max_examples=n * SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


INT_VARS = ("i", "j")
BOOL_VARS = ("p", "q")
STR_VARS = ("s", "t")
SCENES = ("a.one", "b.two")
ENV = CompileEnv(
    {
        **{name: VarType("int") for name in INT_VARS},
        **{name: VarType("bool") for name in BOOL_VARS},
        **{name: VarType("str") for name in STR_VARS},
    },
    frozenset(SCENES),
)
LIMIT = 10**15


class Ctx:
    def __init__(self, values: dict[str, Any], seen: dict[str, int]) -> None:
        self.vars = dict(values)
        self.seen = seen

    def visits(self, scene_id: str) -> int:
        return self.seen.get(scene_id, 0)

    def random(self, low: int, high: int) -> int:
        return low + (high - low) // 3


# --- a straightforward reference evaluator ---------------------------------------------


class RefError(Exception):
    pass


def checked(value: Any) -> Any:
    if isinstance(value, str):
        if len(value) > 10_000:
            raise RefError("string too long")
    elif not isinstance(value, bool) and not -LIMIT <= value <= LIMIT:
        raise RefError("out of range")
    return value


COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def reference(node: Node, ctx: Ctx) -> Any:
    if isinstance(node, IntLit | StrLit | BoolLit):
        return node.value
    if isinstance(node, Name):
        return ctx.vars[node.name]
    if isinstance(node, Unary):
        value = reference(node.operand, ctx)
        return (not value) if node.op == "not" else -value
    if isinstance(node, Call):
        if node.func == "visited":
            return ctx.seen.get(node.args[0].value, 0) > 0  # type: ignore[union-attr]
        if node.func == "visits":
            return ctx.seen.get(node.args[0].value, 0)  # type: ignore[union-attr]
        args = [reference(arg, ctx) for arg in node.args]
        if node.func == "random":
            if args[0] > args[1]:
                raise RefError("reversed bounds")
            return ctx.random(args[0], args[1])
        return {"abs": lambda a: abs(a[0]), "min": min, "max": max}[node.func](args)
    if node.op == "and":
        return reference(node.left, ctx) and reference(node.right, ctx)
    if node.op == "or":
        return reference(node.left, ctx) or reference(node.right, ctx)
    left = reference(node.left, ctx)
    right = reference(node.right, ctx)
    if node.op in COMPARE:
        return COMPARE[node.op](left, right)
    if node.op in ("/", "%"):
        if right == 0:
            raise RefError("division by zero")
        return left // right if node.op == "/" else left % right
    return checked({"+": operator.add, "-": operator.sub, "*": operator.mul}[node.op](left, right))


def is_pure(node: Node) -> bool:
    return not any(
        isinstance(n, Name) or (isinstance(n, Call) and n.func in ("visited", "visits", "random"))
        for n in walk(node)
    )


def fails(node: Node) -> bool:
    try:
        reference(node, Ctx({}, {}))
    except RefError:
        return True
    return False


def fails_at_compile_time(tree: Node) -> bool:
    """Whether constant folding must report an error: some constant part always fails."""
    for node in walk(tree):
        if is_pure(node) and fails(node):
            return True
        if isinstance(node, Binary) and node.op in "/%" and is_pure(node.right):
            if not fails(node.right) and reference(node.right, Ctx({}, {})) == 0:
                return True
    return False


# --- well-typed random trees -------------------------------------------------------------

ints = st.one_of(
    st.integers(0, 12), st.integers(0, LIMIT), st.sampled_from([0, 1, 2, 10**15, 10**8])
)
texts = st.text(max_size=5)
scene = st.sampled_from(SCENES).map(StrLit)


def binary(
    ops: str | tuple[str, ...], left: st.SearchStrategy[Node], right: st.SearchStrategy[Node]
) -> st.SearchStrategy[Binary]:
    return st.builds(Binary, st.sampled_from(ops), left, right)


@cache
def trees(kind: str, depth: int) -> st.SearchStrategy[Node]:
    if kind == "int":
        leaf = st.one_of(ints.map(IntLit), st.sampled_from(INT_VARS).map(Name))
    elif kind == "bool":
        leaf = st.one_of(st.booleans().map(BoolLit), st.sampled_from(BOOL_VARS).map(Name))
    else:
        leaf = st.one_of(texts.map(StrLit), st.sampled_from(STR_VARS).map(Name))
    if depth == 0:
        return leaf
    i, b, s = (trees(k, depth - 1) for k in ("int", "bool", "str"))
    if kind == "int":
        compound = st.one_of(
            st.builds(Unary, st.just("-"), i),
            binary(("+", "-", "*", "/", "%"), i, i),
            st.builds(lambda a: Call("abs", (a,)), i),
            st.builds(
                lambda f, a: Call(f, tuple(a)),
                st.sampled_from(["min", "max"]),
                st.lists(i, min_size=1, max_size=3),
            ),
            st.builds(lambda a, z: Call("random", (a, z)), i, i),
            scene.map(lambda sc: Call("visits", (sc,))),
        )
    elif kind == "bool":
        compound = st.one_of(
            st.builds(Unary, st.just("not"), b),
            binary(("and", "or"), b, b),
            binary(("==", "!=", "<", "<=", ">", ">="), i, i),
            binary(("==", "!="), b, b),
            binary(("==", "!="), s, s),
            scene.map(lambda sc: Call("visited", (sc,))),
        )
    else:
        compound = binary("+", s, s)
    # Mostly compound nodes, or most trees would be a single leaf.
    return st.one_of(leaf, compound, compound, compound)


any_tree = st.sampled_from(["int", "bool", "str"]).flatmap(
    lambda kind: st.tuples(st.just(kind), trees(kind, 4))
)
contexts = st.builds(
    Ctx,
    st.fixed_dictionaries(
        {
            **{
                name: st.one_of(st.integers(-20, 20), st.integers(-LIMIT, LIMIT))
                for name in INT_VARS
            },
            **{name: st.booleans() for name in BOOL_VARS},
            **{name: st.text(max_size=5) for name in STR_VARS},
        }
    ),
    st.dictionaries(st.sampled_from(SCENES), st.integers(0, 3)),
)


@examples(400)
@given(any_tree, contexts)
def test_round_trip_and_reference_evaluation(kind_tree: tuple[str, Node], ctx: Ctx) -> None:
    kind, tree = kind_tree
    source = to_source(tree)
    assume(len(source) <= 500)
    reparsed = parse_expr(source)
    assert reparsed == tree
    assert to_source(reparsed) == source

    try:
        expr = (compile_condition if kind == "bool" else compile_expr)(source, ENV)
    except ExprError as error:
        assert fails_at_compile_time(tree), error
        event("constant error caught at compile time")
        return
    assert not fails_at_compile_time(tree)
    assert expr.type == kind
    assert expr.node == tree

    try:
        expected = reference(tree, ctx)
    except RefError:
        try:
            expr(ctx)
        except ExprRuntimeError:
            event("runtime error, as in the reference")
            return
        raise AssertionError("the reference failed but the compiled expression did not") from None
    got = expr(ctx)
    event(f"value of type {kind}")
    assert got == expected
    assert type(got) is type(expected)


# --- anything at all: an ExprError or a result, never a crash ---------------------------

PIECES = [
    "i",
    "j",
    "p",
    "q",
    "s",
    "t",
    "x",
    "__x",
    "min",
    "max",
    "abs",
    "random",
    "visited",
    "visits",
    "and",
    "or",
    "not",
    "true",
    "false",
    "lambda",
    "if",
    "(",
    ")",
    ",",
    "+",
    "-",
    "*",
    "/",
    "%",
    "**",
    "//",
    "=",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "+=",
    "-=",
    ".",
    "[",
    "]",
    "{",
    "}",
    "{{",
    "}}",
    "{if ",
    "{elif ",
    "{else}",
    "{end}",
    '"',
    "'",
    "\\",
    "\n",
    " ",
    "0",
    "1",
    "7",
    "1000000000000000",
    "99999999999999999",
    '"a.one"',
    "'b.two'",
    '"x"',
    "é",
    "\x00",
]
TEMPLATE_PIECES = [
    "{i}",
    "{p}",
    "{s + t}",
    "{if p}",
    "{if i > 1}",
    "{elif q}",
    "{elif s == t}",
    "{else}",
    "{end}",
    "{{",
    "}}",
    "{",
    "}",
    "text ",
    "[b]",
    "\n\n",
    "{random(1, i)}",
    "{i / j}",
    '{visits("a.one")}',
    "{s + s + s + s}",
]
soups = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
template_soups = st.lists(st.sampled_from(TEMPLATE_PIECES + PIECES[:20]), max_size=30).map("".join)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A valid source with one piece inserted, or one character deleted."""
    kind, tree = draw(any_tree)
    text = to_source(tree)
    at = draw(st.integers(0, len(text)))
    if draw(st.booleans()):
        return text[:at] + draw(st.sampled_from(PIECES)) + text[at:]
    return text[:at] + text[at + 1 :]


effect_targets = st.sampled_from(["i = ", "i += ", "j -= ", "s += ", "t = ", "p = ", "q -= "])
printed = any_tree.map(lambda kind_tree: to_source(kind_tree[1]))
sources = st.one_of(
    st.text(),
    soups,
    mutated(),
    st.tuples(effect_targets, st.one_of(soups, mutated(), printed)).map("".join),
)
template_sources = st.one_of(st.text(), template_soups, mutated().map(lambda e: "{" + e + "}"))


def run_or_runtime_error(action: Callable[[], object]) -> None:
    try:
        action()
    except ExprRuntimeError:
        pass


@examples(400)
@given(sources, contexts)
def test_arbitrary_expressions_compile_or_raise_expr_error(source: str, ctx: Ctx) -> None:
    for compiler in (compile_expr, compile_condition, compile_effect):
        try:
            compiled = compiler(source, ENV)
        except ExprError as error:
            assert isinstance(error.message, str) and error.message
            assert 0 <= error.offset <= len(source)
            continue
        event(f"{compiler.__name__} succeeded")
        run_or_runtime_error(lambda c=compiled: c(Ctx(ctx.vars, ctx.seen)))  # type: ignore[misc]


@examples(400)
@given(template_sources, contexts)
def test_arbitrary_templates_compile_or_raise_expr_error(source: str, ctx: Ctx) -> None:
    try:
        template = compile_template(source, ENV)
    except ExprError as error:
        assert 0 <= error.offset <= len(source)
        event("template error")
        return
    event("static template" if template.is_static else "dynamic template")
    run_or_runtime_error(lambda: template.render(ctx))


# --- text without tags ---------------------------------------------------------------


@examples(200)
@given(st.text().map(lambda t: t.replace("{", "").replace("}", "")), contexts)
def test_text_without_braces_renders_to_itself(text: str, ctx: Ctx) -> None:
    template = compile_template(text, ENV)
    assert template.is_static
    assert template.render(ctx) == text


@examples(200)
@given(st.text(), contexts)
def test_escaped_braces_render_to_the_original_text(text: str, ctx: Ctx) -> None:
    template = compile_template(text.replace("{", "{{").replace("}", "}}"), ENV)
    assert template.is_static
    assert template.render(ctx) == text
