"""Turning a problem at a YAML position into a Diagnostic at the author's file:line:col."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from game.expr import CompileEnv, ExprError
from game.loader.sources import display_path
from game.loader.yaml_source import Parsed
from game.story.diagnostics import Diagnostic, Severity
from game.story.model import Pos

At = tuple[int, int]  # (line, column) as the YAML parser gives them


class SourceFile:
    """One parsed file plus helpers that turn YAML positions into diagnostics."""

    def __init__(self, path: Path, parsed: Parsed, sink: list[Diagnostic]) -> None:
        self.path = path
        self.name = display_path(path)
        self.parsed = parsed
        self.sink = sink
        self._lines: list[str] | None = None

    def error(self, code: str, message: str, at: At | None = None) -> None:
        line, col = at or (1, 1)
        self.sink.append(Diagnostic(code, message, self.name, line, col))

    def warn(self, code: str, message: str, at: At | None = None) -> None:
        line, col = at or (1, 1)
        self.sink.append(Diagnostic(code, message, self.name, line, col, Severity.WARNING))

    def pos(self, at: At) -> Pos:
        return Pos(self.name, at[0], at[1])

    def locate(self, at: At, style: str | None, source: str, offset: int) -> At:
        """The file position of character ``offset`` inside a scalar that starts at ``at``."""
        line, col = at
        offset = max(0, min(offset, len(source)))
        if style in ("|", ">"):
            if self._lines is None:
                self._lines = self.parsed.lines
            before = source[:offset].split("\n")
            first = line  # the content starts on the line after the indicator
            body_line = first + len(before) - 1
            text_line = self._lines[body_line] if body_line < len(self._lines) else ""
            indent = len(text_line) - len(text_line.lstrip(" "))
            return body_line + 1, indent + len(before[-1]) + 1
        quote = 1 if style in ('"', "'") else 0
        return line, col + quote + offset

    def compile(
        self,
        fn: Callable[[str, CompileEnv], Any],
        source: str,
        env: CompileEnv,
        at: At,
        style: str | None,
        what: str,
    ) -> Any:
        """``fn(source, env)``, or None after reporting its error (under the code the error carries)."""
        try:
            return fn(source, env)
        except ExprError as exc:
            self.error(exc.code, f"{what}: {exc.message}", self.locate(at, style, source, exc.offset))
            return None
