"""``play --watch``: reload edited scene files while playing, keeping the game state."""

from __future__ import annotations

from pathlib import Path

from game.loader import check_story
from game.loader.build import story_files
from game.session import Session

MAX_SHOWN = 5


class StoryWatcher:
    """Polls the story folder; on a change reloads it, or reports why it could not."""

    def __init__(self, folder: Path, session: Session) -> None:
        self.folder = Path(folder)
        self.session = session
        self._stamp = self._snapshot()

    def _snapshot(self) -> dict[Path, tuple[int, int]]:
        stamp: dict[Path, tuple[int, int]] = {}
        for path in story_files(self.folder) if self.folder.is_dir() else []:
            try:
                st = path.stat()
            except OSError:
                continue
            stamp[path] = (st.st_mtime_ns, st.st_size)
        return stamp

    def poll(self) -> list[str]:
        """Messages for the player; empty when nothing changed."""
        stamp = self._snapshot()
        if stamp == self._stamp:
            return []
        changed = len(set(stamp.items()) ^ set(self._stamp.items()))
        self._stamp = stamp
        story, diagnostics = check_story(self.folder)
        if story is None:
            errors = [d for d in diagnostics if d.is_error]
            lines = [f"The edited story has {len(errors)} error(s); playing on with the last good version:"]
            lines += [f"  {d}" for d in errors[:MAX_SHOWN]]
            if len(errors) > MAX_SHOWN:
                lines.append(f"  ... and {len(errors) - MAX_SHOWN} more (run metallic-rouge validate)")
            return lines
        notices = self.session.replace_story(story)
        return [f"Reloaded the story ({changed} file change(s))."] + notices
