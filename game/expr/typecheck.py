"""Static checks against the declared variables: every node gets a type or an ExprError."""

from __future__ import annotations

from game.expr.env import CompileEnv, VarType
from game.expr.errors import ExprError
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
    start,
)
from game.names import did_you_mean

ARITHMETIC = frozenset({"+", "-", "*", "/", "%"})
ORDERING = frozenset({"<", "<=", ">", ">="})
NAMES = {"int": "a whole number", "bool": "true/false", "str": "a string"}

# The functions whose arguments are not all whole numbers: parameter types, result type.
SIGNATURES: dict[str, tuple[tuple[str, ...], str]] = {
    "first_visit": ((), "bool"),
    "words": (("int",), "str"),
    "plural": (("int", "str", "str"), "str"),
    "capital": (("str",), "str"),
}
EXAMPLES = {
    "first_visit": "write first_visit()",
    "words": "like words(chocolate)",
    "plural": 'like plural(chocolate, "bar", "bars")',
    "capital": "like capital(name)",
}


def _count(n: int) -> str:
    return "exactly 1 argument" if n == 1 else f"exactly {n} arguments"


def _value_error(var: str, decl: VarType, literal: StrLit) -> ExprError:
    values = decl.values or ()
    return ExprError(
        f"{literal.value!r} is not one of {var}'s values: {', '.join(values)}"
        + did_you_mean(literal.value, values),
        literal.pos,
    )


class Checker:
    """Types a tree; afterwards ``types`` maps id(node) to its type."""

    def __init__(self, env: CompileEnv) -> None:
        self.env = env
        self.types: dict[int, str] = {}

    def check(self, node: Node) -> str:
        kind = self._check(node)
        self.types[id(node)] = kind
        return kind

    def variable(self, name: str, pos: int) -> VarType:
        decl = self.env.variables.get(name)
        if decl is None:
            hint = did_you_mean(name, self.env.variables)
            if not hint and name.lower() in ("true", "false"):
                hint = f" (did you mean '{name.lower()}'?)"
            raise ExprError(f"unknown variable '{name}'{hint}", pos, code="E221")
        return decl

    def _check(self, node: Node) -> str:
        if isinstance(node, IntLit):
            return "int"
        if isinstance(node, StrLit):
            return "str"
        if isinstance(node, BoolLit):
            return "bool"
        if isinstance(node, Name):
            return self.variable(node.name, node.pos).type
        if isinstance(node, Unary):
            want = "bool" if node.op == "not" else "int"
            self.expect(node.operand, want, f"'{node.op}' needs")
            return want
        if isinstance(node, Call):
            return self.call(node)
        return self.binary(node)

    def expect(self, node: Node, want: str, what: str) -> None:
        got = self.check(node)
        if got != want:
            raise ExprError(f"{what} {NAMES[want]}, but this is {NAMES[got]}", start(node))

    def binary(self, node: Binary) -> str:
        op = node.op
        if op in ("and", "or"):
            self.expect(node.left, "bool", f"'{op}' needs")
            self.expect(node.right, "bool", f"'{op}' needs")
            return "bool"
        left = self.check(node.left)
        right = self.check(node.right)
        if op == "+" and left == right == "str":
            return "str"
        if op in ARITHMETIC or op in ORDERING:
            if op == "+" and {left, right} == {"int", "str"}:
                raise ExprError(f"cannot add {NAMES[left]} and {NAMES[right]} with '+'", node.pos)
            for side, kind in ((node.left, left), (node.right, right)):
                if kind != "int":
                    also = " or strings" if op == "+" else ""
                    raise ExprError(
                        f"'{op}' needs {NAMES['int']}{also}, but this is {NAMES[kind]}",
                        start(side),
                    )
            return "bool" if op in ORDERING else "int"
        assert op in COMPARISONS
        if left != right:
            raise ExprError(
                f"cannot compare {NAMES[left]} with {NAMES[right]} using '{op}'", node.pos
            )
        if left == "str":
            self.check_values(node.left, node.right)
            self.check_values(node.right, node.left)
        return "bool"

    def check_values(self, var: Node, literal: Node) -> None:
        if isinstance(var, Name) and isinstance(literal, StrLit):
            decl = self.env.variables[var.name]
            if decl.values is not None and literal.value not in decl.values:
                raise _value_error(var.name, decl, literal)

    def call(self, node: Call) -> str:
        func, args = node.func, node.args
        if func == "visits" and not args:
            return "int"  # the current scene's visits
        if func in ("visited", "visits"):
            if len(args) != 1 or not isinstance(args[0], StrLit):
                raise ExprError(
                    f'{func}() takes one scene id in quotes, like {func}("canal.start")'
                    + (" (or nothing, for the current scene)" if func == "visits" else ""),
                    args[0].pos if len(args) == 1 else node.pos,
                )
            scene = args[0].value
            ids = self.env.scene_ids
            if ids is not None and scene not in ids:
                raise ExprError(f"unknown scene '{scene}'" + did_you_mean(scene, ids), args[0].pos)
            self.check(args[0])
            return "bool" if func == "visited" else "int"
        if func in SIGNATURES:
            params, result = SIGNATURES[func]
            if len(args) != len(params):
                count = "no arguments" if not params else _count(len(params))
                raise ExprError(
                    f"{func}() takes {count}, not {len(args)}: {EXAMPLES[func]}", node.pos
                )
            for arg, want in zip(args, params, strict=True):
                self.expect(arg, want, f"{func}() needs")
            return result
        arity = {"abs": (1, 1), "random": (2, 2)}.get(func, (1, None))
        low, high = arity
        if len(args) < low or (high is not None and len(args) > high):
            if high is None:
                count = "at least 1 argument"
            else:
                count = _count(low)
            raise ExprError(f"{func}() takes {count}, not {len(args)}", node.pos)
        for arg in args:
            self.expect(arg, "int", f"{func}() needs")
        return "int"

    def assign(self, stmt: Assign) -> VarType:
        decl = self.variable(stmt.target, stmt.target_pos)
        kind = decl.type
        if stmt.op in ("%+=", "%-="):
            if kind != "int" or decl.min is None or decl.max is None:
                raise ExprError(
                    f"'{stmt.op}' (fair arithmetic) moves a number a share of the way to the end "
                    f"of its range, so {stmt.target} needs to be a whole number with a min and a max",
                    stmt.pos,
                )
        elif stmt.op != "=":
            if kind == "bool" or (stmt.op == "-=" and kind == "str"):
                raise ExprError(
                    f"'{stmt.op}' cannot change {stmt.target} ({NAMES[kind]}): use '='", stmt.pos
                )
            if kind == "str" and decl.values is not None:
                raise ExprError(
                    f"'+=' cannot change {stmt.target}: it only takes one of its values "
                    f"({', '.join(decl.values)}); use '='",
                    stmt.pos,
                )
        got = self.check(stmt.value)
        if got != kind:
            raise ExprError(
                f"{stmt.target} holds {NAMES[kind]}, but this is {NAMES[got]}", start(stmt.value)
            )
        if kind == "str" and decl.values is not None:
            self.check_assigned_values(stmt, decl)
        return decl

    def check_assigned_values(self, stmt: Assign, decl: VarType) -> None:
        value = stmt.value
        allowed = decl.values or ()
        if isinstance(value, StrLit):
            if value.value not in allowed:
                raise _value_error(stmt.target, decl, value)
            return
        if isinstance(value, Name):
            source = self.env.variables[value.name].values
            extra = sorted(set(source) - set(allowed)) if source is not None else None
            if extra is None or extra:
                what = f"values {', '.join(extra)} that" if extra else "any string, which"
                raise ExprError(
                    f"{value.name} may hold {what} {stmt.target} does not allow", value.pos
                )
            return
        raise ExprError(
            f"{stmt.target} only takes one of its values ({', '.join(allowed)}): "
            f'assign a string in quotes, like {stmt.target} = "{allowed[0] if allowed else ""}"',
            start(value),
        )
