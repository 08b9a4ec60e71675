"""The safe expression language of scene files, and the text-template compiler.

Nothing here evaluates Python: source is tokenized, parsed into a small syntax
tree, type-checked against the story's declared variables and compiled into
plain closures. See docs/authoring.md ("Effects", "Expressions", "Text").
"""

from game.expr.compile import (
    Effect,
    Expr,
    compile_condition,
    compile_effect,
    compile_expr,
    defer_condition,
    defer_effect,
)
from game.expr.env import CompileEnv, Context, VarType
from game.expr.errors import ExprError, ExprRuntimeError
from game.expr.lexer import RESERVED
from game.expr.nodes import Node, to_source
from game.expr.parser import parse_effect, parse_expr
from game.expr.template import Template, compile_template, defer_template

__all__ = [
    "CompileEnv",
    "Context",
    "Effect",
    "Expr",
    "ExprError",
    "ExprRuntimeError",
    "Node",
    "RESERVED",
    "Template",
    "VarType",
    "compile_condition",
    "compile_effect",
    "compile_expr",
    "compile_template",
    "defer_condition",
    "defer_effect",
    "defer_template",
    "parse_effect",
    "parse_expr",
    "to_source",
]
