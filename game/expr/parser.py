"""Recursive-descent parser: source text to the syntax tree in ``nodes``.

The grammar, loosest binding first::

    effect     := NAME ("=" | "+=" | "-=" | "%+=" | "%-=") expr
    expr       := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := sum (CMP sum)?            -- never chained
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/" | "%") unary)*
    unary      := "-" unary | atom
    atom       := INT | STR | "true" | "false" | NAME | NAME "(" args? ")" | "(" expr ")"
"""

from __future__ import annotations

from game.expr.env import MAX_DEPTH
from game.expr.errors import ExprError
from game.expr.lexer import ASSIGNMENTS, Token, tokenize
from game.expr.nodes import (
    COMPARISONS,
    Assign,
    Binary,
    BoolLit,
    Call,
    IntLit,
    Name,
    Node,
    StrLit,
    Unary,
    to_source,
)

__all__ = ["FUNCTIONS", "Node", "parse_effect", "parse_expr", "to_source"]

FUNCTIONS = (
    "abs",
    "capital",
    "first_visit",
    "max",
    "min",
    "plural",
    "random",
    "visited",
    "visits",
    "words",
)

# Words from other languages that would otherwise produce a confusing message.
FOREIGN = {
    "lambda": "lambdas are not supported",
    "if": "'x if c else y' is not supported (in text, use {if c}...{else}...{end})",
    "else": "'x if c else y' is not supported (in text, use {if c}...{else}...{end})",
    "in": "'in' is not supported: compare with '==' and join with 'or'",
    "is": "'is' is not supported: use '=='",
    "for": "loops are not supported",
    "True": "write 'true' in lowercase",
    "False": "write 'false' in lowercase",
    "None": "there is no 'None': every variable always has a value",
    "null": "there is no 'null': every variable always has a value",
    "nil": "there is no 'nil': every variable always has a value",
}


def parse_expr(source: str) -> Node:
    """Parse an expression (syntax only: names and types are not checked)."""
    parser = _Parser(source)
    node = parser.expr()
    parser.finish()
    _check_height(node)
    return node


def parse_effect(source: str) -> Assign:
    """Parse an effect statement ``name = expr`` / ``+=`` / ``-=`` / ``%+=`` / ``%-=``."""
    parser = _Parser(source)
    target = parser.peek
    if target.kind != "name":
        if target.kind == "end":
            raise ExprError(
                "empty effect: write 'name = value', 'name += value' or 'name -= value'", 0
            )
        raise ExprError(
            f"an effect starts with the variable to change, like 'freedom += 5', not {_describe(target)}",
            target.pos,
        )
    parser.advance()
    op = parser.peek
    if op.kind != "op" or op.text not in ASSIGNMENTS:
        hint = " (effects assign with '=', '==' compares)" if op.text == "==" else ""
        raise ExprError(
            f"expected '=', '+=', '-=', '%+=' or '%-=' after '{target.text}', "
            f"found {_describe(op)}{hint}",
            op.pos,
        )
    parser.advance()
    value = parser.expr()
    parser.finish()
    _check_height(value)
    return Assign(target.text, op.text, value, op.pos, target.pos)


def _check_height(root: Node) -> None:
    """Reject trees more than MAX_DEPTH operators deep.

    Parentheses are limited while parsing; this also bounds long operator
    chains ('1 + 1 + 1 …' is a tree as deep as it is long), so that checking,
    compiling, printing and running a tree never comes near Python's
    recursion limit.
    """
    stack: list[tuple[Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, Unary | Binary | Call):
            depth += 1
            if depth > MAX_DEPTH:
                raise ExprError(
                    f"expression is nested too deeply: more than {MAX_DEPTH} operators inside "
                    "one another (each operator in a chain like 'a + b + c' counts)",
                    node.pos,
                )
            children = (
                (node.operand,)
                if isinstance(node, Unary)
                else (node.left, node.right)
                if isinstance(node, Binary)
                else node.args
            )
            stack.extend((child, depth) for child in children)


def _describe(token: Token) -> str:
    if token.kind == "end":
        return "the end of the expression"
    return repr(token.text)


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = tokenize(source)
        self.index = 0
        self.peek = self.tokens[0]
        self.depth = 0

    def advance(self) -> Token:
        token = self.peek
        self.index += 1
        self.peek = self.tokens[min(self.index, len(self.tokens) - 1)]
        return token

    def at(self, kind: str, *texts: str) -> bool:
        return self.peek.kind == kind and (not texts or self.peek.text in texts)

    def expect_close(self, opening: Token) -> None:
        if self.at("op", *ASSIGNMENTS):
            self.finish()
        if not self.at("op", ")"):
            raise ExprError(
                f"expected ')' to close the '(' at {opening.pos}, found {_describe(self.peek)}",
                self.peek.pos,
            )
        self.advance()

    def enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(
                f"expression is nested too deeply (the limit is {MAX_DEPTH} levels)", token.pos
            )

    def finish(self) -> None:
        token = self.peek
        if token.kind == "end":
            return
        if token.kind == "op" and token.text in ASSIGNMENTS:
            raise ExprError(
                f"assignment ('{token.text}') is not allowed here"
                + (" (did you mean '=='?)" if token.text == "=" else ""),
                token.pos,
            )
        if token.kind == "op" and token.text == ")":
            raise ExprError("unmatched ')'", token.pos)
        if token.kind == "name" and token.text in FOREIGN:
            raise ExprError(FOREIGN[token.text], token.pos)
        raise ExprError(f"unexpected {_describe(token)} (missing an operator?)", token.pos)

    def expr(self) -> Node:
        node = self.and_()
        while self.at("kw", "or"):
            op = self.advance()
            node = Binary("or", node, self.and_(), op.pos)
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.at("kw", "and"):
            op = self.advance()
            node = Binary("and", node, self.not_(), op.pos)
        return node

    def not_(self) -> Node:
        if self.at("kw", "not"):
            op = self.advance()
            self.enter(op)
            operand = self.not_()
            self.depth -= 1
            return Unary("not", operand, op.pos)
        return self.comparison()

    def comparison(self) -> Node:
        node = self.sum()
        if self.peek.kind == "op" and self.peek.text in COMPARISONS:
            op = self.advance()
            node = Binary(op.text, node, self.sum(), op.pos)
            if self.peek.kind == "op" and self.peek.text in COMPARISONS:
                raise ExprError(
                    "comparisons cannot be chained: write 'a < b and b < c' instead of 'a < b < c'",
                    self.peek.pos,
                )
        return node

    def sum(self) -> Node:
        node = self.product()
        while self.at("op", "+", "-"):
            op = self.advance()
            node = Binary(op.text, node, self.product(), op.pos)
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.at("op", "*", "/", "%"):
            op = self.advance()
            node = Binary(op.text, node, self.unary(), op.pos)
        return node

    def unary(self) -> Node:
        if self.at("op", "-"):
            op = self.advance()
            self.enter(op)
            operand = self.unary()
            self.depth -= 1
            return Unary("-", operand, op.pos)
        return self.atom()

    def atom(self) -> Node:
        token = self.peek
        kind = token.kind
        if kind == "int":
            self.advance()
            return IntLit(token.value, token.pos)  # type: ignore[arg-type]
        if kind == "str":
            self.advance()
            return StrLit(token.value, token.pos)  # type: ignore[arg-type]
        if kind == "kw" and token.text in ("true", "false"):
            self.advance()
            return BoolLit(token.text == "true", token.pos)
        if kind == "name":
            if token.text in FOREIGN:
                raise ExprError(FOREIGN[token.text], token.pos)
            self.advance()
            if self.at("op", "("):
                return self.call(token)
            return Name(token.text, token.pos)
        if kind == "op" and token.text == "(":
            self.advance()
            self.enter(token)
            node = self.expr()
            self.expect_close(token)
            self.depth -= 1
            if self.at("op", "("):
                raise ExprError("only the built-in functions can be called", self.peek.pos)
            return node
        if kind == "kw" and token.text == "not":
            raise ExprError("'not' must be in parentheses here, like 'a == (not b)'", token.pos)
        if kind == "op" and token.text == "=":
            raise ExprError("assignment ('=') is not allowed here (did you mean '=='?)", token.pos)
        raise ExprError(f"expected a value, found {_describe(token)}", token.pos)

    def call(self, name: Token) -> Call:
        if name.text not in FUNCTIONS:
            raise ExprError(
                f"unknown function '{name.text}'; the functions are {', '.join(FUNCTIONS)}",
                name.pos,
            )
        opening = self.advance()
        self.enter(opening)
        args: list[Node] = []
        if not self.at("op", ")"):
            args.append(self.expr())
            while self.at("op", ","):
                self.advance()
                args.append(self.expr())
        if self.at("op", "="):
            raise ExprError("named arguments are not supported", self.peek.pos)
        self.expect_close(opening)
        self.depth -= 1
        if self.at("op", "("):
            raise ExprError("only the built-in functions can be called", self.peek.pos)
        return Call(name.text, tuple(args), name.pos)
