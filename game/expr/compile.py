"""Compiles checked syntax trees into closures: ``Expr`` and ``Effect``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from game.expr import closures as c
from game.expr.closures import Fn
from game.expr.env import MAX_INT, MAX_STR, CompileEnv, Context, Value, VarType
from game.expr.errors import ExprError, ExprRuntimeError
from game.expr.nodes import (
    Assign,
    Binary,
    BoolLit,
    Call,
    IntLit,
    Name,
    Node,
    StrLit,
    Unary,
    names,
    scenes,
    start,
    walk,
)
from game.expr.parser import parse_effect, parse_expr
from game.expr.typecheck import NAMES, Checker

# Marks "not a compile-time constant"; None cannot, since no value is None.
_DYNAMIC: Any = object()

# Functions whose result depends on the game, so they are never folded.
_IMPURE = frozenset({"visited", "visits", "random", "first_visit"})


def _missing(error: KeyError, reads: frozenset[str]) -> Exception:
    name = error.args[0] if error.args else None
    if name in reads:
        return ExprRuntimeError(f"variable '{name}' has no value")
    return error


class Deferrable:
    """Lets a compiled object be made from its source alone and compiled on first use.

    A story read from the compiled-story cache was fully checked when the entry
    was written; compiling its tens of thousands of texts, labels, conditions
    and effects again would cost more than the rest of the cached load, and a
    game only ever shows a fraction of them. A deferred object has only
    ``source`` and ``_pending`` set: the first read of any other attribute (say
    ``render`` reading ``_fn``) runs the compiler and fills every slot, after
    which reads cost what they always do (``__getattr__`` runs only for unset
    slots).
    """

    __slots__ = ("_pending",)

    @classmethod
    def deferred(cls: type[D], source: str, compiler: Callable[[str, CompileEnv], D], env: CompileEnv) -> D:
        made = cls.__new__(cls)
        made.source = source  # type: ignore[attr-defined]
        made._pending = (compiler, env)
        return made

    def __getattr__(self, name: str) -> Any:
        try:
            compiler, env = object.__getattribute__(self, "_pending")
        except AttributeError:
            raise AttributeError(name) from None
        compiled = compiler(object.__getattribute__(self, "source"), env)
        for slot in type(self).__slots__:
            object.__setattr__(self, slot, getattr(compiled, slot))
        try:
            del self._pending
        except AttributeError:  # another thread filled it in at the same moment: same result
            pass
        return object.__getattribute__(self, name)


D = TypeVar("D", bound=Deferrable)


class Expr(Deferrable):
    """A compiled expression; call it with a Context to get its value."""

    __slots__ = ("source", "type", "node", "reads", "scene_refs", "fn")

    def __init__(
        self,
        source: str,
        type: str,
        node: Node,
        reads: frozenset[str],
        scene_refs: frozenset[str],
        fn: Fn,
    ) -> None:
        self.source = source
        self.type = type
        self.node = node
        self.reads = reads
        self.scene_refs = scene_refs
        # The bare closure, for callers that evaluate in a tight loop and can
        # live without the friendlier error for a missing variable.
        self.fn = fn

    def __call__(self, ctx: Context) -> Value:
        try:
            return self.fn(ctx)
        except KeyError as error:
            raise _missing(error, self.reads) from None

    def __repr__(self) -> str:
        return f"Expr({self.source!r}: {self.type})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Expr):
            return NotImplemented
        return (self.source, self.type, self.node) == (other.source, other.type, other.node)

    def __hash__(self) -> int:
        return hash((self.source, self.type))


class Effect(Deferrable):
    """A compiled statement; calling it updates ``ctx.vars[target]``."""

    __slots__ = ("source", "target", "op", "value", "reads", "scene_refs", "fn")

    def __init__(
        self, source: str, target: str, op: str, value: Expr, reads: frozenset[str], fn: Fn
    ) -> None:
        self.source = source
        self.target = target
        self.op = op
        self.value = value
        self.reads = reads
        self.scene_refs = value.scene_refs
        self.fn = fn

    def __call__(self, ctx: Context) -> None:
        try:
            self.fn(ctx)
        except KeyError as error:
            raise _missing(error, self.reads) from None

    def __repr__(self) -> str:
        return f"Effect({self.source!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Effect):
            return NotImplemented
        return (self.source, self.target, self.op, self.value) == (
            other.source,
            other.target,
            other.op,
            other.value,
        )

    def __hash__(self) -> int:
        return hash((self.source, self.target))


class _Compiler:
    def __init__(self, types: dict[int, str]) -> None:
        self.types = types

    def compile(self, node: Node) -> tuple[Fn, Any]:
        """The node's closure and, when it is a constant, its value (else _DYNAMIC)."""
        if isinstance(node, IntLit | StrLit | BoolLit):
            return c.constant(node.value), node.value
        if isinstance(node, Name):
            return c.variable(node.name), _DYNAMIC
        if isinstance(node, Unary):
            fn, value = self.compile(node.operand)
            fn = c.invert(fn) if node.op == "not" else c.negate(fn)
            return self.fold(node, fn, value is not _DYNAMIC)
        if isinstance(node, Call):
            return self.call(node)
        return self.binary(node)

    def fold(self, node: Node, fn: Fn, foldable: bool) -> tuple[Fn, Any]:
        if not foldable:
            return fn, _DYNAMIC
        try:
            value = fn(None)
        except ExprRuntimeError as error:
            raise ExprError(f"{error} (in a part that is always the same)", node.pos) from None
        return c.constant(value), value

    def call(self, node: Call) -> tuple[Fn, Any]:
        if node.func == "first_visit":
            return c.first_visit(), _DYNAMIC
        if node.func == "visits" and not node.args:
            return c.here_visits(), _DYNAMIC
        if node.func in ("visited", "visits"):
            scene = node.args[0]
            assert isinstance(scene, StrLit)
            return (c.visited if node.func == "visited" else c.visits)(scene.value), _DYNAMIC
        compiled = [self.compile(arg) for arg in node.args]
        fns = tuple(fn for fn, _ in compiled)
        foldable = node.func not in _IMPURE and all(v is not _DYNAMIC for _, v in compiled)
        if node.func == "abs":
            fn = c.absolute(fns[0])
        elif node.func == "min":
            fn = c.smallest(fns)
        elif node.func == "max":
            fn = c.largest(fns)
        elif node.func == "words":
            fn = c.words(fns[0])
        elif node.func == "plural":
            fn = c.plural(*fns)
        elif node.func == "capital":
            fn = c.capital(fns[0])
        else:
            fn = c.random(fns[0], fns[1])
        return self.fold(node, fn, foldable)

    def binary(self, node: Binary) -> tuple[Fn, Any]:
        op = node.op
        f, left = self.compile(node.left)
        g, right = self.compile(node.right)
        foldable = left is not _DYNAMIC and right is not _DYNAMIC
        if op in c.FN_FN and not foldable:
            return self.comparison(node, f, g, left, right), _DYNAMIC
        if op == "and":
            fn = c.both(f, g)
        elif op == "or":
            fn = c.either(f, g)
        elif op in c.FN_FN:
            fn = c.FN_FN[op](f, g)
        elif op == "+" and self.types[id(node)] == "str":
            fn = c.concat(f, g)
        elif op == "+":
            fn = c.add_const(f, right) if right is not _DYNAMIC else c.add(f, g)
        elif op == "-":
            fn = c.add_const(f, -right) if right is not _DYNAMIC else c.sub(f, g)
        elif op == "*":
            fn = c.mul(f, g)
        elif right is not _DYNAMIC:
            if right == 0:
                raise ExprError("division by zero", node.pos)
            fn = (c.div_const if op == "/" else c.mod_const)(f, right)
        else:
            fn = (c.div if op == "/" else c.mod)(f, g)
        return self.fold(node, fn, foldable)

    def comparison(self, node: Binary, f: Fn, g: Fn, left: Any, right: Any) -> Fn:
        op = node.op
        if left is not _DYNAMIC:
            f, g, right, op = g, f, left, c.MIRROR[op]
            other = node.right
        else:
            other = node.left
        if right is _DYNAMIC:
            return c.FN_FN[op](f, g)
        if isinstance(other, Name):
            return c.NAME_CONST[op](other.name, right)
        return c.FN_CONST[op](f, right)


def is_constant(expr: Expr) -> bool:
    """True when the value never depends on the game (no variable, visit count or roll)."""
    return not expr.reads and not any(
        isinstance(node, Call) and node.func in _IMPURE for node in walk(expr.node)
    )


def _leaks_non_bool(node: Node) -> bool:
    """True when the value may come straight from a variable rather than from an operator."""
    if isinstance(node, Name):
        return True
    if isinstance(node, Binary) and node.op in ("and", "or"):
        return _leaks_non_bool(node.left) or _leaks_non_bool(node.right)
    return False


def _build(source: str, node: Node, checker: Checker, kind: str) -> Expr:
    fn, _ = _Compiler(checker.types).compile(node)
    return Expr(source, kind, node, names(node), scenes(node), fn)


T = TypeVar("T")


def memoized(kind: str) -> Callable[[Callable[[str, CompileEnv], T]], Callable[[str, CompileEnv], T]]:
    """Compile each (kind, source) once per CompileEnv; the result is immutable, so shared.

    A compile error is remembered too and raised afresh each time, so every
    place that repeats a bad expression still gets its own diagnostic.
    """

    def wrap(compiler: Callable[[str, CompileEnv], T]) -> Callable[[str, CompileEnv], T]:
        def compile_once(source: str, env: CompileEnv) -> T:
            key = (kind, source)
            memo = env.memo
            result = memo.get(key)
            if result is None:
                try:
                    result = compiler(source, env)
                except ExprError as error:
                    result = error
                memo[key] = result
            if isinstance(result, ExprError):
                raise result.shifted(0)
            return result  # type: ignore[no-any-return]

        compile_once.__doc__ = compiler.__doc__
        compile_once.__name__ = compiler.__name__
        compile_once.__qualname__ = compiler.__qualname__
        return compile_once

    return wrap


@memoized("expr")
def compile_expr(source: str, env: CompileEnv) -> Expr:
    node = parse_expr(source)
    checker = Checker(env)
    return _build(source, node, checker, checker.check(node))


@memoized("condition")
def compile_condition(source: str, env: CompileEnv) -> Expr:
    """Like compile_expr, but the value must be true/false and is always a real bool."""
    node = parse_expr(source)
    checker = Checker(env)
    kind = checker.check(node)
    if kind != "bool":
        raise ExprError(
            f"a condition must be true or false, but this is {NAMES[kind]}", start(node)
        )
    expr = _build(source, node, checker, kind)
    if _leaks_non_bool(node):
        expr.fn = c.as_bool(expr.fn)
    return expr


@memoized("effect")
def compile_effect(source: str, env: CompileEnv) -> Effect:
    stmt = parse_effect(source)
    checker = Checker(env)
    decl = checker.assign(stmt)
    value = _build(source[stmt.pos + len(stmt.op) :].strip(), stmt.value, checker, decl.type)
    if stmt.op in ("%+=", "%-=") and is_constant(value):
        percent = value.fn(None)
        if not 0 <= percent <= 100:
            raise ExprError(
                f"fair arithmetic takes a percentage from 0 to 100, not {percent}",
                start(stmt.value),
            )
    reads = value.reads | {stmt.target} if stmt.op != "=" else value.reads
    return Effect(source, stmt.target, stmt.op, value, reads, _store(stmt, decl, value.fn))


def _store(stmt: Assign, decl: VarType, value: Fn) -> Fn:
    target = stmt.target
    if decl.type == "int" and stmt.op in ("%+=", "%-="):
        assert decl.min is not None and decl.max is not None  # checked by the type checker
        low, high, up = decl.min, decl.max, stmt.op == "%+="

        def store_fair(ctx: Any) -> None:
            ctx.vars[target] = c.fair_share(ctx.vars[target], value(ctx), low, high, up)

        return store_fair
    if decl.type == "int":
        low = -MAX_INT if decl.min is None else decl.min
        high = MAX_INT if decl.max is None else decl.max
        clamp = decl.min is not None or decl.max is not None
        sign = {"=": 0, "+=": 1, "-=": -1}[stmt.op]

        def store_int(ctx: Any) -> None:
            v = value(ctx)
            if sign:
                v = ctx.vars[target] + sign * v
                if not -MAX_INT <= v <= MAX_INT:
                    raise c.too_big(v)
            if clamp:
                v = low if v < low else high if v > high else v
            ctx.vars[target] = v

        return store_int
    if stmt.op == "+=":

        def append(ctx: Any) -> None:
            v = ctx.vars[target] + value(ctx)
            if len(v) > MAX_STR:
                raise c.too_long(v)
            ctx.vars[target] = v

        return append
    if decl.values is not None:
        allowed = frozenset(decl.values)

        def store_checked(ctx: Any) -> None:
            v = value(ctx)
            if v not in allowed:
                raise ExprRuntimeError(f"{v!r} is not one of {target}'s values")
            ctx.vars[target] = v

        return store_checked

    def store(ctx: Any) -> None:
        ctx.vars[target] = value(ctx)

    return store


def defer_condition(source: str, env: CompileEnv) -> Expr:
    """compile_condition, run on first use (for sources already checked, as in the cache)."""
    return _deferred("deferred condition", Expr, compile_condition, source, env)


def defer_effect(source: str, env: CompileEnv) -> Effect:
    """compile_effect, run on first use (for sources already checked, as in the cache)."""
    return _deferred("deferred effect", Effect, compile_effect, source, env)


def _deferred(
    kind: str, cls: type[D], compiler: Callable[[str, CompileEnv], D], source: str, env: CompileEnv
) -> D:
    # One object per source, like the compilers' own memo: a story repeats its effects.
    key = (kind, source)
    made = env.memo.get(key)
    if made is None:
        made = env.memo[key] = cls.deferred(source, compiler, env)
    return made  # type: ignore[no-any-return]
