"""Problems found in a story, reported as ``path:line:col: severity[CODE]: message``."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Messages quote the story's files, which may be untrusted: control characters are
# shown escaped (\x1b, \n), so a diagnostic is always one line and never a command
# to the terminal that prints it.
_ESCAPED = {c: f"\\x{c:02x}" for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]}


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    path: str
    line: int = 1
    col: int = 1
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.severity.value}[{self.code}]: {self.message}"
        return text.translate(_ESCAPED)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "col": self.col,
        }

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class StoryLoadError(Exception):
    """The story has errors; ``diagnostics`` lists every one found in the run."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.is_error]
        super().__init__(f"{len(errors)} error(s) in the story")

    def report(self) -> str:
        return "\n".join(str(d) for d in self.diagnostics)
