"""What values an expression can take, from the declared ranges alone.

A small abstract interpreter over the expression tree: ints become intervals,
bools and strings become sets of possible values. It is sound but not exact
(it does not know that two mentions of one variable are the same value), so a
condition it calls never-true really is, and one it cannot decide is left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from game.expr.nodes import Binary, BoolLit, Call, IntLit, Name, Node, StrLit, Unary
from game.story.model import VarDecl

INF = float("inf")


@dataclass(frozen=True, slots=True)
class Interval:
    lo: float
    hi: float


ANY_INT = Interval(-INF, INF)
BOOLS = frozenset({True, False})
Abstract = Interval | frozenset | None  # None: any string


def _value(node: Node, variables: Mapping[str, VarDecl]) -> Abstract:
    if isinstance(node, IntLit):
        return Interval(node.value, node.value)
    if isinstance(node, BoolLit):
        return frozenset({node.value})
    if isinstance(node, StrLit):
        return frozenset({node.value})
    if isinstance(node, Name):
        decl = variables.get(node.name)
        if decl is None:
            return None
        if decl.type == "int":
            return Interval(decl.min if decl.min is not None else -INF, decl.max if decl.max is not None else INF)
        if decl.type == "bool":
            return BOOLS
        return frozenset(decl.values) if decl.values else None
    if isinstance(node, Unary):
        inner = _value(node.operand, variables)
        if node.op == "not":
            return frozenset(not v for v in inner) if isinstance(inner, frozenset) else BOOLS
        return Interval(-inner.hi, -inner.lo) if isinstance(inner, Interval) else ANY_INT
    if isinstance(node, Call):
        return _call(node, variables)
    if isinstance(node, Binary):
        return _binary(node, variables)
    return None


def _call(node: Call, variables: Mapping[str, VarDecl]) -> Abstract:
    args = [_value(a, variables) for a in node.args]
    ints = [a for a in args if isinstance(a, Interval)]
    if node.func in ("visited", "first_visit"):
        return BOOLS
    if node.func == "visits":
        # Without an argument, the current scene's: the player is in it, so at least once.
        return Interval(0 if node.args else 1, INF)
    if node.func in ("words", "plural", "capital"):
        return None  # some text
    if len(ints) != len(args) or not ints:
        return ANY_INT
    if node.func == "min":
        return Interval(min(a.lo for a in ints), min(a.hi for a in ints))
    if node.func == "max":
        return Interval(max(a.lo for a in ints), max(a.hi for a in ints))
    if node.func == "abs":
        a = ints[0]
        if a.lo >= 0:
            return a
        if a.hi <= 0:
            return Interval(-a.hi, -a.lo)
        return Interval(0, max(-a.lo, a.hi))
    if node.func == "random" and len(ints) == 2:
        return Interval(min(ints[0].lo, ints[1].lo), max(ints[0].hi, ints[1].hi))
    return ANY_INT


def _binary(node: Binary, variables: Mapping[str, VarDecl]) -> Abstract:
    left, right = _value(node.left, variables), _value(node.right, variables)
    op = node.op
    if op in ("and", "or"):
        lset = left if isinstance(left, frozenset) else BOOLS
        rset = right if isinstance(right, frozenset) else BOOLS
        if op == "and":
            return frozenset(a and b for a in lset for b in rset)
        return frozenset(a or b for a in lset for b in rset)
    if isinstance(left, Interval) and isinstance(right, Interval):
        return _int_op(op, left, right)
    if op in ("==", "!="):
        if isinstance(left, frozenset) and isinstance(right, frozenset):
            results = {(a == b) for a in left for b in right}
            return frozenset(r if op == "==" else not r for r in results)
        return BOOLS
    return None if op == "+" else BOOLS


def _int_op(op: str, a: Interval, b: Interval) -> Abstract:
    if op == "+":
        return Interval(a.lo + b.lo, a.hi + b.hi)
    if op == "-":
        return Interval(a.lo - b.hi, a.hi - b.lo)
    if op == "*":
        corners = [x * y for x in (a.lo, a.hi) for y in (b.lo, b.hi) if not (x == 0 and abs(y) == INF) and not (y == 0 and abs(x) == INF)]
        return Interval(min(corners, default=0), max(corners, default=0))
    if op in ("/", "%"):
        return ANY_INT
    possible = set()
    if op == "<":
        possible = {a.lo < b.hi} | ({False} if a.hi >= b.lo else set())
    elif op == "<=":
        possible = {a.lo <= b.hi} | ({False} if a.hi > b.lo else set())
    elif op == ">":
        possible = {a.hi > b.lo} | ({False} if a.lo <= b.hi else set())
    elif op == ">=":
        possible = {a.hi >= b.lo} | ({False} if a.lo < b.hi else set())
    elif op == "==":
        overlap = a.lo <= b.hi and b.lo <= a.hi
        single = a.lo == a.hi == b.lo == b.hi
        possible = ({True} if overlap else set()) | (set() if single else {False})
    elif op == "!=":
        overlap = a.lo <= b.hi and b.lo <= a.hi
        single = a.lo == a.hi == b.lo == b.hi
        possible = (set() if single else {True}) | ({False} if overlap else set())
    return frozenset(possible) if possible else BOOLS


def possible_values(node: Node, variables: Mapping[str, VarDecl]) -> Abstract:
    return _value(node, variables)
