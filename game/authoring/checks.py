"""``validate``: the loader's errors plus deep checks on the story as a whole.

The deep checks are analysis.py's (reachability, conditions, variables) and
agency.py's: W312 for a choice the player cannot tell from its siblings (the
same rule ``stats`` counts as ``unechoed_choices``) and W314 for a scene that
names a tracker slot the player may already have seen gone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from game.authoring.agency import continuity_diagnostics, echo_diagnostics
from game.authoring.analysis import analyse
from game.loader import check_story
from game.loader.declarations import Declarations
from game.loader.sources import story_files
from game.story import Diagnostic, Story


@dataclass
class Report:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    scenes: int = 0
    story: Story | None = None

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors

    def as_dict(self) -> dict[str, object]:
        return {
            "errors": self.errors,
            "warnings": self.warnings,
            "files": self.files,
            "scenes": self.scenes,
            "diagnostics": [d.as_dict() for d in self.diagnostics],
        }


def validate_story(folder: str | Path) -> Report:
    story, diagnostics = check_story(folder)
    report = Report(diagnostics=list(diagnostics), story=story)
    if story is not None:
        report.diagnostics.extend(analyse(story))
        report.diagnostics.extend(echo_diagnostics(story))
        report.diagnostics.extend(continuity_diagnostics(story))
        report.files = len(story.files)
        report.scenes = len(story.scenes)
    elif Path(folder).is_dir():
        # No Story to count from: read the folder's declarations again (only when
        # there are errors) so the summary counts what is there, not what failed.
        decls = Declarations(Path(folder), None)
        decls.read()
        report.files = len(story_files(Path(folder)))
        report.scenes = len(decls.scene_files)
    report.diagnostics.sort(key=lambda d: (d.path, d.line, d.col, d.code))
    return report
