"""The two exceptions of the expression language."""

from __future__ import annotations


class ExprError(Exception):
    """A compile-time problem: bad syntax, a type error, an unknown name, a limit.

    ``offset`` is a 0-based character index into the source that was compiled
    (for templates, into the whole template), so tools can turn it into a
    line and column.
    """

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[ExprError], tuple[str, int]]:
        # Keeps the offset when an error crosses a process boundary (parallel tools).
        return (ExprError, (self.message, self.offset))

    def shifted(self, by: int) -> ExprError:
        """The same error, relative to an enclosing source that starts ``by`` earlier."""
        return ExprError(self.message, self.offset + by)


class ExprRuntimeError(Exception):
    """A problem only visible while playing: division by zero, a number or string too big."""
