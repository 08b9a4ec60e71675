"""Shown text: literal text with ``{expr}``, ``{if}…{elif}…{else}…{end}`` and variation.

Variation blocks (``{seq}a{or}b{end}``, ``{cycle}``, ``{shuffle}``, ``{once}``)
share one block stack with ``{if}``: ``{end}`` closes the innermost open block
of either kind. Blocks are numbered in the order they open; with the address
of the text (scene, key, choice) that number names the block's state in a
game (see ``Context.variant`` and ``game.expr.variation``).

A template is compiled once into a tuple of parts (literal strings and
closures that return strings), so rendering is a single join.
"""

from __future__ import annotations

import re
from typing import Any

from game.expr.closures import Fn
from game.expr.compile import (
    Deferrable,
    Expr,
    compile_condition,
    compile_expr,
    is_constant,
    memoized,
)
from game.expr.env import MAX_DEPTH, CompileEnv, Context
from game.expr.errors import ExprError, ExprRuntimeError
from game.expr.variation import KINDS, pick

_BRACE = re.compile(r"[{}]")
# At a brace: a literal brace ("{{" or "}}"), a whole tag without quotes (the usual case,
# matched in one go), or a lone brace (a tag with quotes in it, or an error).
_TOKEN = re.compile(r"""\{\{|\}\}|\{([^{}"']*)\}|[{}]""")
_KEYWORD = re.compile(r"\s*(if|elif)(?![A-Za-z0-9_])")
_ANY_CASE_KEYWORD = re.compile(
    r"\s*(if|elif|else|end|seq|cycle|shuffle|once|or)(?![A-Za-z0-9_])", re.IGNORECASE
)
_MISSPELT_END = frozenset({"endif", "end if", "/if", "fi", "done"})

Part = str | Fn
_NOTHING: frozenset[str] = frozenset()


class Template(Deferrable):
    """Compiled text; ``render`` fills it in for one moment of play."""

    __slots__ = ("source", "reads", "scene_refs", "conditions", "is_static", "variations", "_fn")

    def __init__(
        self,
        source: str,
        reads: frozenset[str],
        scene_refs: frozenset[str],
        conditions: tuple[Expr, ...],
        is_static: bool,
        fn: Fn,
        variations: tuple[tuple[str, int], ...] = (),
    ) -> None:
        self.source = source
        self.reads = reads
        self.scene_refs = scene_refs
        self.conditions = conditions
        self.is_static = is_static
        # (kind, number of alternatives) of each variation block, by block number.
        self.variations = variations
        self._fn = fn

    def render(self, ctx: Context) -> str:
        try:
            return self._fn(ctx)
        except KeyError as error:
            name = error.args[0] if error.args else None
            if name in self.reads:
                raise ExprRuntimeError(f"variable '{name}' has no value") from None
            raise

    def __repr__(self) -> str:
        return f"Template({self.source!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Template):
            return NotImplemented
        return self.source == other.source

    def __hash__(self) -> int:
        return hash(self.source)


class _Block:
    """An open ``{if}``: its branches so far, and where it started (for errors)."""

    kind = "if"

    def __init__(self, pos: int, condition: Expr) -> None:
        self.pos = pos
        self.branches: list[tuple[Expr, list[Part]]] = [(condition, [])]
        self.otherwise: list[Part] | None = None

    @property
    def current(self) -> list[Part]:
        return self.otherwise if self.otherwise is not None else self.branches[-1][1]


class _Variation:
    """An open ``{seq}``/``{cycle}``/``{shuffle}``/``{once}``: its alternatives so far."""

    def __init__(self, pos: int, kind: str, number: int) -> None:
        self.pos = pos
        self.kind = kind
        self.number = number
        self.alternatives: list[list[Part]] = [[]]

    @property
    def current(self) -> list[Part]:
        return self.alternatives[-1]


@memoized("template")
def compile_template(source: str, env: CompileEnv) -> Template:
    if "{" not in source and "}" not in source:
        # Most labels and many texts have no tags: skip the scanner (a third of
        # the templates of a story are compiled through here).
        return Template(source, _NOTHING, _NOTHING, (), True, _callable(source))
    root: list[Part] = []
    stack: list[_Block | _Variation] = []
    variations: list[_Variation] = []
    exprs: list[Expr] = []
    conditions: list[Expr] = []
    has_tags = False
    out = root  # where text goes now: the root, or the open branch of the innermost {if}

    i, n = 0, len(source)
    while i < n:
        brace = _BRACE.search(source, i)  # a plain character scan: fast over long prose
        if brace is None:
            out.append(source[i:])
            break
        j = brace.start()
        if j > i:
            out.append(source[i:j])
        match = _TOKEN.match(source, j)
        assert match is not None  # it matches any brace
        token = match.group()
        if token == "{{" or token == "}}":
            out.append(token[0])
            i = j + 2
            continue
        if token == "}":
            raise ExprError("stray '}' (write '}}' for a literal brace)", j)
        has_tags = True
        content = match.group(1)
        if content is None:  # the tag has quotes in it, or is not closed
            end = _tag_end(source, j)
            content = source[j + 1 : end]
            i = end + 1
        else:
            i = match.end()
        keyword = _KEYWORD.match(content)
        word = content.strip()
        if keyword:
            cond_at = j + 1 + keyword.end()
            cond_src = content[keyword.end() :]
            kind = keyword.group(1)
            if not cond_src.strip():
                raise ExprError(f"'{{{kind}}}' needs a condition, like {{{kind} freedom >= 50}}", j)
            cond = _shifted(compile_condition, cond_src, env, cond_at)
            conditions.append(cond)
            if kind == "if":
                _check_depth(stack, j)
                stack.append(_Block(j, cond))
            else:
                block = _open_block(stack, "elif", j)
                block.branches.append((cond, []))
            out = stack[-1].current
        elif word == "else":
            block = _open_block(stack, "else", j)
            block.otherwise = out = []
        elif word == "end":
            if not stack:
                raise ExprError(
                    "'{end}' without an open block ('{if}', '{seq}', '{cycle}', '{shuffle}' "
                    "or '{once}')",
                    j,
                )
            closed = stack.pop()
            out = stack[-1].current if stack else root
            out.append(_if_part(closed) if isinstance(closed, _Block) else _variation_part(closed))
        elif word in KINDS:
            _check_depth(stack, j)
            opened = _Variation(j, word, len(variations))
            variations.append(opened)
            stack.append(opened)
            out = opened.current
        elif word == "or":
            innermost = stack[-1] if stack else None
            if not isinstance(innermost, _Variation):
                where = (
                    "the innermost open block is an '{if}' (close it with '{end}' first)"
                    if innermost is not None
                    else "no variation block is open"
                )
                raise ExprError(
                    "'{or}' separates the alternatives of a '{seq}', '{cycle}', '{shuffle}' "
                    f"or '{{once}}' block, but {where}",
                    j,
                )
            innermost.alternatives.append([])
            out = innermost.current
        elif not word:
            raise ExprError("empty '{}' (write '{{' for a literal brace)", j)
        elif word in _MISSPELT_END:
            raise ExprError(f"close an '{{if}}' with '{{end}}', not '{{{word}}}'", j)
        elif word.startswith("else if ") or word.startswith("elseif "):
            raise ExprError("write '{elif condition}' instead of '{else if condition}'", j)
        elif (shouty := _ANY_CASE_KEYWORD.match(content)) and shouty.group(1) not in env.variables:
            raise ExprError(
                f"write '{shouty.group(1).lower()}' in lowercase", j + 1 + shouty.start(1)
            )
        else:
            expr = _shifted(compile_expr, content, env, j + 1)
            exprs.append(expr)
            out.append(_interpolation(expr))
    if stack:
        raise ExprError(f"this '{{{stack[-1].kind}}}' is missing its '{{end}}'", stack[-1].pos)

    everything = exprs + conditions
    return Template(
        source,
        frozenset().union(*(e.reads for e in everything)),
        frozenset().union(*(e.scene_refs for e in everything)),
        tuple(conditions),
        not has_tags,
        _callable(_joined(root)),
        tuple((v.kind, len(v.alternatives)) for v in variations),
    )


def defer_template(source: str, env: CompileEnv) -> Template:
    """compile_template, run on first use (for sources already checked, as in the cache)."""
    # Not shared by source like deferred effects: texts are nearly all unique,
    # and hashing each one for a memo cost more than the object it would save.
    return Template.deferred(source, compile_template, env)


# What can end or hide the end of a tag, and the rest of a quoted string
# (backslash escapes included) up to its closing quote on the same line.
_TAG_SPECIAL = re.compile(r"""[{}"']""")
_STRING_REST = {
    '"': re.compile(r'(?:[^\\"\n]|\\[\s\S])*"'),
    "'": re.compile(r"(?:[^\\'\n]|\\[\s\S])*'"),
}


def _tag_end(source: str, opening: int) -> int:
    """The index of the '}' closing the tag at ``opening``; quotes may hide braces.

    Jumps between special characters with regexps: a character-by-character
    loop here was a third of the time to compile a scene's text.
    """
    k = opening + 1
    while (special := _TAG_SPECIAL.search(source, k)) is not None:
        k = special.start()
        ch = source[k]
        if ch == "}":
            return k
        if ch == "{":
            break
        rest = _STRING_REST[ch].match(source, k + 1)
        if rest is None:
            raise ExprError(f"unterminated string (missing closing {ch})", k)
        k = rest.end()
    raise ExprError("unmatched '{' (write '{{' for a literal brace)", opening)


def _check_depth(stack: list[_Block | _Variation], pos: int) -> None:
    if len(stack) >= MAX_DEPTH:
        raise ExprError(f"blocks nested too deeply (the limit is {MAX_DEPTH})", pos)


def _open_block(stack: list[_Block | _Variation], tag: str, pos: int) -> _Block:
    if not stack:
        raise ExprError(f"'{{{tag}}}' without an '{{if}}'", pos)
    block = stack[-1]
    if isinstance(block, _Variation):
        raise ExprError(
            f"'{{{tag}}}' inside a '{{{block.kind}}}' block: an '{{if}}' opened before it "
            f"continues only after the '{{{block.kind}}}' is closed with '{{end}}'",
            pos,
        )
    if block.otherwise is not None:
        raise ExprError(f"'{{{tag}}}' after the '{{else}}' of the same '{{if}}'", pos)
    return block


def _shifted(compiler: Any, source: str, env: CompileEnv, offset: int) -> Expr:
    # Compiled without the padding, so each Expr.source reads cleanly in coverage reports.
    stripped = source.strip()
    offset += len(source) - len(source.lstrip())
    try:
        return compiler(stripped, env)
    except ExprError as error:
        raise error.shifted(offset) from None


def _format(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def _interpolation(expr: Expr) -> Part:
    fn = expr.fn
    if is_constant(expr):
        return _format(fn(None))
    if expr.type == "str":
        return fn
    if expr.type == "bool":
        return lambda ctx: "true" if fn(ctx) else "false"
    return lambda ctx: str(fn(ctx))


def _if_part(block: _Block) -> Part:
    branches = [(cond.fn, _joined(parts)) for cond, parts in block.branches]
    otherwise = _joined(block.otherwise or [])
    if len(branches) == 1:
        cond, body = branches[0]
        if isinstance(body, str) and isinstance(otherwise, str):
            return lambda ctx: body if cond(ctx) else otherwise
        then_fn, else_fn = _callable(body), _callable(otherwise)
        return lambda ctx: then_fn(ctx) if cond(ctx) else else_fn(ctx)
    pairs = tuple((cond, _callable(body)) for cond, body in branches)
    else_fn = _callable(otherwise)

    def choose(ctx: Any) -> str:
        for cond, body in pairs:
            if cond(ctx):
                return body(ctx)
        return else_fn(ctx)

    return choose


def _variation_part(block: _Variation) -> Part:
    alternatives = tuple(_callable(_joined(parts)) for parts in block.alternatives)
    kind, count, number = block.kind, len(alternatives), block.number

    def vary(ctx: Any) -> str:
        shown, salt = ctx.variant(number)
        index = pick(kind, count, shown, salt)
        return "" if index is None else alternatives[index](ctx)

    return vary


def _callable(part: Part) -> Fn:
    if isinstance(part, str):
        return lambda ctx: part
    return part


def _merge(parts: list[Part]) -> list[Part]:
    merged: list[Part] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    return merged


def _joined(parts: list[Part]) -> Part:
    """One part for a whole list: a string when nothing varies, else one closure."""
    merged = tuple(_merge(parts))
    if not merged:
        return ""
    if len(merged) == 1:
        return merged[0]
    if len(merged) == 2:
        a, b = merged
        if isinstance(a, str):
            return lambda ctx: a + b(ctx)  # type: ignore[operator]
        if isinstance(b, str):
            return lambda ctx: a(ctx) + b
        return lambda ctx: a(ctx) + b(ctx)
    return lambda ctx: "".join([p if p.__class__ is str else p(ctx) for p in merged])  # type: ignore[operator]
