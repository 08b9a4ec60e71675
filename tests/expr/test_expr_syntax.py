"""Lexing and parsing: the tree shape, the printer, and every syntax error with its offset."""

from __future__ import annotations

import copy

import pytest

from game.expr import ExprError, parse_effect, parse_expr, to_source
from game.expr.nodes import Assign, Binary, BoolLit, Call, IntLit, Name, StrLit, Unary


def error_of(source: str) -> ExprError:
    with pytest.raises(ExprError) as info:
        parse_expr(source)
    return info.value


# --- literals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "node"),
    [
        ("42", IntLit(42)),
        ("0", IntLit(0)),
        ("007", IntLit(7)),
        ("1000000000000000", IntLit(10**15)),
        ('"slain"', StrLit("slain")),
        ("'slain'", StrLit("slain")),
        ('""', StrLit("")),
        (r'"say \"hi\""', StrLit('say "hi"')),
        (r"'it\'s'", StrLit("it's")),
        (r'"back\\slash"', StrLit("back\\slash")),
        (r'"two\nlines"', StrLit("two\nlines")),
        ('"it\'s"', StrLit("it's")),
        ("'say \"hi\"'", StrLit('say "hi"')),
        ("true", BoolLit(True)),
        ("false", BoolLit(False)),
        ("freedom", Name("freedom")),
        ("_x9", Name("_x9")),
        ("-5", Unary("-", IntLit(5))),
    ],
)
def test_literals_and_names(source: str, node: object) -> None:
    assert parse_expr(source) == node


def test_positions_are_recorded_but_not_compared() -> None:
    node = parse_expr("  freedom + 1")
    assert isinstance(node, Binary)
    assert node.pos == 10
    assert node.left.pos == 2
    assert node == Binary("+", Name("freedom"), IntLit(1))


@pytest.mark.parametrize(
    ("source", "message", "offset"),
    [
        ("1000000000000001", "number too large", 0),
        ("x + 99999999999999999999", "number too large", 4),
        ("1.5", "decimals are not supported", 1),
        ("3abc", "invalid number '3a'", 0),
        ('"open', 'unterminated string (missing closing ")', 0),
        ("x == 'open", "unterminated string (missing closing ')", 5),
        ('"two\nlines"', "unterminated string", 0),
        (r'"tab\t"', "unknown escape '\\t'", 4),
        ("x @ y", "unexpected character '@'", 2),
        ("x ≥ 3", "unexpected character '≥'", 2),
    ],
)
def test_literal_errors(source: str, message: str, offset: int) -> None:
    error = error_of(source)
    assert message in error.message
    assert error.offset == offset


# --- operators and precedence -----------------------------------------------------


def test_precedence_low_to_high() -> None:
    tree = parse_expr("a or b and not c == d + e * -f")
    expected = Binary(
        "or",
        Name("a"),
        Binary(
            "and",
            Name("b"),
            Unary(
                "not",
                Binary(
                    "==",
                    Name("c"),
                    Binary("+", Name("d"), Binary("*", Name("e"), Unary("-", Name("f")))),
                ),
            ),
        ),
    )
    assert tree == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a - b - c", Binary("-", Binary("-", Name("a"), Name("b")), Name("c"))),
        ("a / b * c", Binary("*", Binary("/", Name("a"), Name("b")), Name("c"))),
        ("a % b", Binary("%", Name("a"), Name("b"))),
        ("a or b or c", Binary("or", Binary("or", Name("a"), Name("b")), Name("c"))),
        ("a and b and c", Binary("and", Binary("and", Name("a"), Name("b")), Name("c"))),
        ("(a + b) * c", Binary("*", Binary("+", Name("a"), Name("b")), Name("c"))),
        ("- -a", Unary("-", Unary("-", Name("a")))),
        ("--a", Unary("-", Unary("-", Name("a")))),
        ("not not a", Unary("not", Unary("not", Name("a")))),
        ("-a * b", Binary("*", Unary("-", Name("a")), Name("b"))),
        ("not a and b", Binary("and", Unary("not", Name("a")), Name("b"))),
        ("a == (not b)", Binary("==", Name("a"), Unary("not", Name("b")))),
        ("x\n  and\ty", Binary("and", Name("x"), Name("y"))),
        ("min(1)", Call("min", (IntLit(1),))),
        (
            "max(a, b + 1, 3)",
            Call("max", (Name("a"), Binary("+", Name("b"), IntLit(1)), IntLit(3))),
        ),
        ('visited("canal.start")', Call("visited", (StrLit("canal.start"),))),
        ("min()", Call("min", ())),
    ],
)
def test_tree_shapes(source: str, expected: object) -> None:
    assert parse_expr(source) == expected


@pytest.mark.parametrize("op", ["==", "!=", "<", "<=", ">", ">="])
def test_every_comparison_operator(op: str) -> None:
    assert parse_expr(f"a {op} b") == Binary(op, Name("a"), Name("b"))


# --- what is rejected, where, and why ---------------------------------------------


@pytest.mark.parametrize(
    ("source", "message", "offset"),
    [
        ("a < b < c", "comparisons cannot be chained", 6),
        ("a == b != c", "comparisons cannot be chained", 7),
        ("a.b", "attribute access ('.') is not supported", 1),
        ("x[0]", "indexing ('[...]') is not supported", 1),
        ("x ** 2", "'**' (power) is not supported", 2),
        ("x // 2", "'/' already divides whole numbers and rounds down", 2),
        ("a && b", "use 'and' instead of '&&'", 2),
        ("a || b", "use 'or' instead of '||'", 2),
        ("!a", "use 'not' instead of '!'", 0),
        ("lambda: 1", "lambdas are not supported", 0),
        ("f(lambda x: x)", "lambdas are not supported", 2),
        ("__import__", "names starting with '__' are not allowed ('__import__')", 0),
        ("x + __class__", "names starting with '__' are not allowed", 4),
        (
            "open('f')",
            "unknown function 'open'; the functions are abs, capital, first_visit, max, min, plural, random, visited, visits, words",
            0,
        ),
        ("x + eval(1)", "unknown function 'eval'", 4),
        ("x = 1", "assignment ('=') is not allowed here (did you mean '=='?)", 2),
        ("(x = 1)", "assignment ('=') is not allowed here", 3),
        ("x += 1", "assignment ('+=') is not allowed here", 2),
        ("min(a=1)", "named arguments are not supported", 5),
        ("(a)(b)", "only the built-in functions can be called", 3),
        ("abs(a)(b)", "only the built-in functions can be called", 6),
        ("(a + b", "expected ')' to close the '(' at 0, found the end of the expression", 6),
        ("min(a, b", "expected ')'", 8),
        ("a + b)", "unmatched ')'", 5),
        ("a b", "unexpected 'b' (missing an operator?)", 2),
        ("", "expected a value, found the end of the expression", 0),
        ("   ", "expected a value", 3),
        ("a +", "expected a value, found the end of the expression", 3),
        ("min(1,)", "expected a value, found ')'", 6),
        ("a == not b", "'not' must be in parentheses", 5),
        ("True", "write 'true' in lowercase", 0),
        ("x == None", "there is no 'None'", 5),
        ("a if b else c", "'x if c else y' is not supported", 2),
        ("a in b", "'in' is not supported", 2),
        ("{x}", "braces are not allowed inside an expression", 0),
        ("a; b", "';' is not supported", 1),
    ],
)
def test_syntax_errors(source: str, message: str, offset: int) -> None:
    error = error_of(source)
    assert message in error.message
    assert error.offset == offset
    assert str(error) == error.message


def test_errors_keep_their_offset_when_copied() -> None:
    error = copy.deepcopy(error_of("a b"))
    assert (error.message, error.offset) == ("unexpected 'b' (missing an operator?)", 2)


def test_length_limit() -> None:
    ok = '"' + "a" * 494 + '" + x'
    assert len(ok) == 500
    parse_expr(ok)
    error = error_of(ok + " ")
    assert error.message == "expression is too long (501 characters; the limit is 500)"
    assert error.offset == 500


def test_nesting_limit_parentheses() -> None:
    parse_expr("(" * 32 + "1" + ")" * 32)
    error = error_of("(" * 33 + "1" + ")" * 33)
    assert "nested too deeply (the limit is 32 levels)" in error.message
    assert error.offset == 32


def test_nesting_limit_counts_calls_and_unary_operators() -> None:
    parse_expr("-" * 32 + "1")
    assert error_of("-" * 33 + "1").offset == 32
    assert error_of("not " * 33 + "x").offset == 128
    assert error_of("abs(" * 33 + "1" + ")" * 33).offset == 131


def test_nesting_limit_counts_operator_chains() -> None:
    # Each operator of a chain is one more level of the tree ('a + b + c' is
    # '(a + b) + c'), so very long chains are refused too.
    parse_expr(" + ".join(["1"] * 33))
    error = error_of(" + ".join(["1"] * 34))
    assert "more than 32 operators inside one another" in error.message
    assert error.offset == 2
    parse_expr("(" * 32 + " + ".join(["x"] * 2) + ")" * 32)


# --- effects -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("freedom += 10", Assign("freedom", "+=", IntLit(10))),
        ("freedom -= 1", Assign("freedom", "-=", IntLit(1))),
        ('nine_sara = "spared"', Assign("nine_sara", "=", StrLit("spared"))),
        ("x=y==z", Assign("x", "=", Binary("==", Name("y"), Name("z")))),
    ],
)
def test_parse_effect(source: str, expected: Assign) -> None:
    assert parse_effect(source) == expected


@pytest.mark.parametrize(
    ("source", "message", "offset"),
    [
        ("", "empty effect", 0),
        ("5 = x", "an effect starts with the variable to change", 0),
        ("freedom", "expected '=', '+=', '-=', '%+=' or '%-=' after 'freedom', found the end", 7),
        ("freedom == 1", "(effects assign with '=', '==' compares)", 8),
        ("freedom *= 2", "'*'", 8),
        ("a = b = c", "assignment ('=') is not allowed here", 6),
        ("a.b = 1", "attribute access", 1),
        ("__x = 1", "names starting with '__'", 0),
        ("x = ", "expected a value", 4),
    ],
)
def test_effect_syntax_errors(source: str, message: str, offset: int) -> None:
    with pytest.raises(ExprError) as info:
        parse_effect(source)
    assert message in info.value.message
    assert info.value.offset == offset


# --- printing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "printed"),
    [
        ("(a + b) * c", "(a + b) * c"),
        ("a - (b - c)", "a - (b - c)"),
        ("(a - b) - c", "a - b - c"),
        ("a or (b and c)", "a or b and c"),
        ("(a or b) and c", "(a or b) and c"),
        ("not (a == b)", "not a == b"),
        ("(not a) == b", "(not a) == b"),
        ("-(a + 1)", "-(a + 1)"),
        ("(a < b) == c", "(a < b) == c"),
        ("min( a,b )", "min(a, b)"),
        ("'say \"hi\"\\n'", '"say \\"hi\\"\\n"'),
    ],
)
def test_to_source(source: str, printed: str) -> None:
    assert to_source(parse_expr(source)) == printed
    assert parse_expr(printed) == parse_expr(source)


def test_to_source_effect() -> None:
    assert to_source(parse_effect("x+=1+2")) == "x += 1 + 2"
