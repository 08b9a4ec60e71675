"""Turns expression source into tokens, rejecting anything outside the language early."""

from __future__ import annotations

from dataclasses import dataclass

from game.expr.env import MAX_INT, MAX_SOURCE
from game.expr.errors import ExprError

KEYWORDS = frozenset({"and", "or", "not", "true", "false"})

# The tags of text variation ({seq}…{or}…{end}): a variable so named would make a
# tag such as {once} mean two things, so the loader refuses these names.
RESERVED = frozenset({"seq", "cycle", "shuffle", "once", "or"})

# The effect operators: plain, adding, and fair (ChoiceScript's fairmath).
ASSIGNMENTS = ("=", "+=", "-=", "%+=", "%-=")

# Longest first, so "<=" wins over "<".
OPERATORS = (
    "%+=",
    "%-=",
    "==",
    "!=",
    "<=",
    ">=",
    "+=",
    "-=",
    "<",
    ">",
    "+",
    "-",
    "*",
    "/",
    "%",
    "(",
    ")",
    ",",
    "=",
)

ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n"}

# Characters people bring from other languages, with what to write instead.
HINTS = {
    "**": "'**' (power) is not supported",
    "//": "'//' is not needed: '/' already divides whole numbers and rounds down",
    "&&": "use 'and' instead of '&&'",
    "||": "use 'or' instead of '||'",
    "&": "use 'and' instead of '&'",
    "|": "use 'or' instead of '|'",
    "!": "use 'not' instead of '!'",
    ".": "attribute access ('.') is not supported",
    "[": "indexing ('[...]') is not supported",
    "]": "indexing ('[...]') is not supported",
    ":": "':' is not supported (no lambdas, slices or dictionaries)",
    "{": "braces are not allowed inside an expression",
    "}": "braces are not allowed inside an expression",
    ";": "one expression only: ';' is not supported",
}

WHITESPACE = frozenset(" \t\r\n")
DIGITS = frozenset("0123456789")
IDENT_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
IDENT_REST = IDENT_START | DIGITS


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "int", "str", "name", "kw", "op", "end"
    text: str  # the token as written (for messages)
    value: int | str | None
    pos: int


def check_length(source: str) -> None:
    if len(source) > MAX_SOURCE:
        raise ExprError(
            f"expression is too long ({len(source)} characters; the limit is {MAX_SOURCE})",
            MAX_SOURCE,
        )


def tokenize(source: str) -> list[Token]:
    check_length(source)
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c in WHITESPACE:
            i += 1
        elif c in DIGITS:
            i = _number(source, i, tokens)
        elif c in IDENT_START:
            j = i + 1
            while j < n and source[j] in IDENT_REST:
                j += 1
            word = source[i:j]
            if word.startswith("__"):
                raise ExprError(f"names starting with '__' are not allowed ('{word}')", i)
            if word == "lambda":
                raise ExprError("lambdas are not supported", i)
            tokens.append(Token("kw" if word in KEYWORDS else "name", word, word, i))
            i = j
        elif c == '"' or c == "'":
            i = _string(source, i, tokens)
        else:
            two = source[i : i + 2]
            if two in HINTS:
                raise ExprError(HINTS[two], i)
            op = next((o for o in OPERATORS if source.startswith(o, i)), None)
            if op is None:
                raise ExprError(HINTS.get(c, f"unexpected character {c!r}"), i)
            tokens.append(Token("op", op, op, i))
            i += len(op)
    tokens.append(Token("end", "end of expression", None, n))
    return tokens


def _number(source: str, i: int, tokens: list[Token]) -> int:
    n = len(source)
    j = i
    while j < n and source[j] in DIGITS:
        j += 1
    if j < n and source[j] == "." and j + 1 < n and source[j + 1] in DIGITS:
        raise ExprError("decimals are not supported: use whole numbers", j)
    if j < n and source[j] in IDENT_REST:
        raise ExprError(f"invalid number {source[i : j + 1]!r}", i)
    value = int(source[i:j])
    if value > MAX_INT:
        raise ExprError(f"number too large (the limit is {MAX_INT:,})", i)
    tokens.append(Token("int", source[i:j], value, i))
    return j


def _string(source: str, i: int, tokens: list[Token]) -> int:
    quote = source[i]
    n = len(source)
    out: list[str] = []
    j = i + 1
    while True:
        if j >= n or source[j] == "\n":
            raise ExprError("unterminated string (missing closing " + quote + ")", i)
        c = source[j]
        if c == quote:
            break
        if c == "\\":
            nxt = source[j + 1] if j + 1 < n else ""
            if nxt not in ESCAPES:
                raise ExprError(
                    f"unknown escape '\\{nxt}' (use \\\" \\' \\\\ or \\n)",
                    j,
                )
            out.append(ESCAPES[nxt])
            j += 2
        else:
            out.append(c)
            j += 1
    tokens.append(Token("str", source[i : j + 1], "".join(out), i))
    return j + 1
