"""Factories for the small closures a compiled expression is made of.

Every node becomes one Python closure; the common shapes (a variable compared
with a constant, arithmetic with a constant) get their own closure so that a
typical condition costs only a few function calls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from game.expr.env import MAX_INT, MAX_STR, Value
from game.expr.errors import ExprRuntimeError

Fn = Callable[[Any], Any]


def too_big(value: int) -> ExprRuntimeError:
    sign = "-" if value < 0 else ""
    return ExprRuntimeError(f"number out of range: {sign}{_scientific(abs(value))} (the limit is ±10^15)")


def _scientific(n: int) -> str:
    """``n`` (>= 0) as 1.234e+20, without float(), which overflows past 1e308 (an OverflowError
    instead of this message), nor str() past the 4,300 digits Python refuses to convert."""
    if n.bit_length() > 13_000:  # about 3,900 digits
        return f"about 10^{int(n.bit_length() * 0.30103)}"
    digits = str(n)
    head = digits[:4].ljust(4, "0")
    return f"{head[0]}.{head[1:]}e+{len(digits) - 1:02d}"


def too_long(text: str) -> ExprRuntimeError:
    return ExprRuntimeError(f"string too long: {len(text)} characters (the limit is {MAX_STR:,})")


def zero_division() -> ExprRuntimeError:
    return ExprRuntimeError("division by zero")


def constant(value: Value) -> Fn:
    return lambda ctx: value


def variable(name: str) -> Fn:
    return lambda ctx: ctx.vars[name]


# --- comparisons -------------------------------------------------------------
# One table per operand shape; each entry builds the closure for one operator.

NAME_CONST: dict[str, Callable[[str, Value], Fn]] = {
    "==": lambda n, c: lambda ctx: ctx.vars[n] == c,
    "!=": lambda n, c: lambda ctx: ctx.vars[n] != c,
    "<": lambda n, c: lambda ctx: ctx.vars[n] < c,
    "<=": lambda n, c: lambda ctx: ctx.vars[n] <= c,
    ">": lambda n, c: lambda ctx: ctx.vars[n] > c,
    ">=": lambda n, c: lambda ctx: ctx.vars[n] >= c,
}

FN_CONST: dict[str, Callable[[Fn, Value], Fn]] = {
    "==": lambda f, c: lambda ctx: f(ctx) == c,
    "!=": lambda f, c: lambda ctx: f(ctx) != c,
    "<": lambda f, c: lambda ctx: f(ctx) < c,
    "<=": lambda f, c: lambda ctx: f(ctx) <= c,
    ">": lambda f, c: lambda ctx: f(ctx) > c,
    ">=": lambda f, c: lambda ctx: f(ctx) >= c,
}

# A constant on the left is turned around, so only the mirrored operator is needed.
MIRROR = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

FN_FN: dict[str, Callable[[Fn, Fn], Fn]] = {
    "==": lambda f, g: lambda ctx: f(ctx) == g(ctx),
    "!=": lambda f, g: lambda ctx: f(ctx) != g(ctx),
    "<": lambda f, g: lambda ctx: f(ctx) < g(ctx),
    "<=": lambda f, g: lambda ctx: f(ctx) <= g(ctx),
    ">": lambda f, g: lambda ctx: f(ctx) > g(ctx),
    ">=": lambda f, g: lambda ctx: f(ctx) >= g(ctx),
}


# --- arithmetic ----------------------------------------------------------------


def add(f: Fn, g: Fn) -> Fn:
    def run(ctx: Any) -> int:
        v = f(ctx) + g(ctx)
        if -MAX_INT <= v <= MAX_INT:
            return v
        raise too_big(v)

    return run


def add_const(f: Fn, c: int) -> Fn:
    def run(ctx: Any) -> int:
        v = f(ctx) + c
        if -MAX_INT <= v <= MAX_INT:
            return v
        raise too_big(v)

    return run


def sub(f: Fn, g: Fn) -> Fn:
    def run(ctx: Any) -> int:
        v = f(ctx) - g(ctx)
        if -MAX_INT <= v <= MAX_INT:
            return v
        raise too_big(v)

    return run


def mul(f: Fn, g: Fn) -> Fn:
    def run(ctx: Any) -> int:
        v = f(ctx) * g(ctx)
        if -MAX_INT <= v <= MAX_INT:
            return v
        raise too_big(v)

    return run


def div(f: Fn, g: Fn) -> Fn:
    def run(ctx: Any) -> int:
        a = f(ctx)
        b = g(ctx)
        if b == 0:
            raise zero_division()
        return a // b

    return run


def mod(f: Fn, g: Fn) -> Fn:
    def run(ctx: Any) -> int:
        a = f(ctx)
        b = g(ctx)
        if b == 0:
            raise zero_division()
        return a % b

    return run


def div_const(f: Fn, c: int) -> Fn:
    return lambda ctx: f(ctx) // c


def mod_const(f: Fn, c: int) -> Fn:
    return lambda ctx: f(ctx) % c


def concat(f: Fn, g: Fn) -> Fn:
    def run(ctx: Any) -> str:
        v = f(ctx) + g(ctx)
        if len(v) <= MAX_STR:
            return v
        raise too_long(v)

    return run


def negate(f: Fn) -> Fn:
    return lambda ctx: -f(ctx)


# --- logic -------------------------------------------------------------------


def both(f: Fn, g: Fn) -> Fn:
    return lambda ctx: f(ctx) and g(ctx)


def either(f: Fn, g: Fn) -> Fn:
    return lambda ctx: f(ctx) or g(ctx)


def invert(f: Fn) -> Fn:
    return lambda ctx: not f(ctx)


def as_bool(f: Fn) -> Fn:
    return lambda ctx: True if f(ctx) else False


# --- functions ---------------------------------------------------------------


def visited(scene: str) -> Fn:
    return lambda ctx: ctx.visits(scene) > 0


def visits(scene: str) -> Fn:
    return lambda ctx: ctx.visits(scene)


def absolute(f: Fn) -> Fn:
    return lambda ctx: abs(f(ctx))


def smallest(fns: tuple[Fn, ...]) -> Fn:
    if len(fns) == 1:
        return fns[0]
    if len(fns) == 2:
        f, g = fns
        return lambda ctx: min(f(ctx), g(ctx))
    return lambda ctx: min([f(ctx) for f in fns])


def largest(fns: tuple[Fn, ...]) -> Fn:
    if len(fns) == 1:
        return fns[0]
    if len(fns) == 2:
        f, g = fns
        return lambda ctx: max(f(ctx), g(ctx))
    return lambda ctx: max([f(ctx) for f in fns])


def random(f: Fn, g: Fn) -> Fn:
    def run(ctx: Any) -> int:
        low = f(ctx)
        high = g(ctx)
        if low > high:
            raise ExprRuntimeError(
                f"random({low}, {high}): the first number is larger than the second"
            )
        return ctx.random(low, high)

    return run


def here_visits() -> Fn:
    """visits() with no argument: the scene being played (for a reply, the choice's own)."""
    return lambda ctx: ctx.visits(ctx.state)


def first_visit() -> Fn:
    return lambda ctx: ctx.visits(ctx.state) == 1


def words(f: Fn) -> Fn:
    return lambda ctx: number_words(f(ctx))


def plural(f: Fn, one: Fn, many: Fn) -> Fn:
    return lambda ctx: one(ctx) if f(ctx) in (1, -1) else many(ctx)


def capital(f: Fn) -> Fn:
    return lambda ctx: capitalized(f(ctx))


# --- words(n) ----------------------------------------------------------------------
# Spelled out from -100 to 100, digits beyond: the usual rule of style guides,
# and the largest numbers a story's prose says in words ("a hundred Ids").
WORDS_LIMIT = 100
_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int) -> str:
    if not -WORDS_LIMIT <= n <= WORDS_LIMIT:
        return str(n)
    if n < 0:
        return "minus " + number_words(-n)
    if n == 100:
        return "one hundred"
    if n < 20:
        return _UNITS[n]
    tens, units = divmod(n, 10)
    return _TENS[tens] + (f"-{_UNITS[units]}" if units else "")


def capitalized(text: str) -> str:
    """The first letter in upper case, the rest as written ("iD" stays "ID", unlike str.capitalize)."""
    return text[:1].upper() + text[1:]


# --- fair arithmetic ---------------------------------------------------------------


def fair_share(current: int, percent: int, low: int, high: int, up: bool) -> int:
    """``%+=``/``%-=``: move ``percent`` % of the way to ``high`` (or ``low``).

    The step is rounded down, so the result rounds toward where the value
    started, as ChoiceScript does: a meter approaches its end but only
    reaches it with 100 %.
    """
    if not 0 <= percent <= 100:
        raise ExprRuntimeError(
            f"fair arithmetic takes a percentage from 0 to 100, not {percent}"
        )
    current = low if current < low else high if current > high else current
    if up:
        return current + (high - current) * percent // 100
    return current - (current - low) * percent // 100
