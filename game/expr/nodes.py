"""The syntax tree (frozen dataclasses) and a printer that turns it back into source.

Positions are excluded from equality so that a tree printed and parsed again
compares equal to the original.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class IntLit:
    value: int
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class StrLit:
    value: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class BoolLit:
    value: bool
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Name:
    name: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "-" or "not"
    operand: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # "or" "and" "==" "!=" "<" "<=" ">" ">=" "+" "-" "*" "/" "%"
    left: Node
    right: Node
    pos: int = field(default=0, compare=False)  # where the operator is


@dataclass(frozen=True, slots=True)
class Call:
    func: str
    args: tuple[Node, ...]
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Assign:
    """An effect statement: ``target op value``."""

    target: str
    op: str  # "=", "+=", "-=", "%+=", "%-=" (the last two: fair arithmetic)
    value: Node
    pos: int = field(default=0, compare=False)  # where the operator is
    target_pos: int = field(default=0, compare=False)


Node = IntLit | StrLit | BoolLit | Name | Unary | Binary | Call

COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})

# Binding strength, low to high; the parser and the printer must agree on it.
PRECEDENCE = {"or": 1, "and": 2, "not": 3, **dict.fromkeys(COMPARISONS, 4)}
PRECEDENCE.update({"+": 5, "-": 5, "*": 6, "/": 6, "%": 6})
UNARY_MINUS = 7
ATOM = 8


def start(node: Node) -> int:
    """Where a node's text begins (a binary node begins with its left operand)."""
    while isinstance(node, Binary):
        node = node.left
    return node.pos


def precedence(node: Node) -> int:
    if isinstance(node, Binary):
        return PRECEDENCE[node.op]
    if isinstance(node, Unary):
        return PRECEDENCE["not"] if node.op == "not" else UNARY_MINUS
    return ATOM


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def to_source(node: Node | Assign) -> str:
    """Source text that parses back to an equal tree, with only the parentheses needed."""
    if isinstance(node, Assign):
        return f"{node.target} {node.op} {to_source(node.value)}"
    if isinstance(node, IntLit):
        return str(node.value)
    if isinstance(node, StrLit):
        return quote(node.value)
    if isinstance(node, BoolLit):
        return "true" if node.value else "false"
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Call):
        return f"{node.func}({', '.join(to_source(a) for a in node.args)})"
    if isinstance(node, Unary):
        inner = _wrapped(node.operand, precedence(node))
        return f"not {inner}" if node.op == "not" else f"-{inner}"
    own = PRECEDENCE[node.op]
    # Comparisons do not chain and every binary operator groups to the left,
    # so the right operand (and both sides of a comparison) must bind tighter.
    left_min = own + 1 if node.op in COMPARISONS else own
    return f"{_wrapped(node.left, left_min)} {node.op} {_wrapped(node.right, own + 1)}"


def _wrapped(node: Node, minimum: int) -> str:
    text = to_source(node)
    return text if precedence(node) >= minimum else f"({text})"


def walk(node: Node) -> Iterator[Node]:
    """Every node of a tree, parents before children."""
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, Unary):
            stack.append(current.operand)
        elif isinstance(current, Binary):
            stack.extend((current.right, current.left))
        elif isinstance(current, Call):
            stack.extend(reversed(current.args))


def names(node: Node) -> frozenset[str]:
    """The variables a tree reads."""
    return frozenset(n.name for n in walk(node) if isinstance(n, Name))


def scenes(node: Node) -> frozenset[str]:
    """The scene ids named in visited() / visits()."""
    return frozenset(
        arg.value
        for n in walk(node)
        if isinstance(n, Call) and n.func in ("visited", "visits")
        for arg in n.args
        if isinstance(arg, StrLit)
    )
