"""The two exceptions of the expression language."""

from __future__ import annotations


class ExprError(Exception):
    """A compile-time problem: bad syntax, a type error, an unknown name, a limit.

    ``offset`` is a 0-based character index into the source that was compiled
    (for templates, into the whole template), so tools can turn it into a
    line and column. ``code`` is the diagnostic a story reports it as (the
    table in docs/authoring.md), given where the error is raised: E221 for a
    variable that is not declared, E220 for every other bad expression.
    """

    def __init__(self, message: str, offset: int = 0, code: str = "E220") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.code = code

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[ExprError], tuple[str, int, str]]:
        # Keeps the offset and code when an error crosses a process boundary (parallel tools).
        return (ExprError, (self.message, self.offset, self.code))

    def shifted(self, by: int) -> ExprError:
        """The same error, relative to an enclosing source that starts ``by`` earlier."""
        return ExprError(self.message, self.offset + by, self.code)


class ExprRuntimeError(Exception):
    """A problem only visible while playing: division by zero, a number or string too big."""
