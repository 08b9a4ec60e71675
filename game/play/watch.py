"""``play --watch``: reload edited scene files while playing, keeping the game state (used by Game)."""

from __future__ import annotations

from pathlib import Path

from game.loader import check_story
from game.loader.sources import story_files
from game.session import Session
from game.story import Story

MAX_SHOWN = 5


class StoryWatcher:
    """Polls the story folder; on a change reloads it, or reports why it could not."""

    def __init__(self, folder: Path, session: Session) -> None:
        self.folder = Path(folder)
        self.session = session
        # The story's id is what saves belong to: an edit that changes it makes
        # another story, and switching to it mid-game would leave the autosave and
        # every save of this game unreadable (and ``fit`` has nothing to bring over).
        self.story_id = session.story.id
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

    def check(self) -> tuple[Story | None, list[str]]:
        """Load the folder again if a file changed. Touches no game state, so a
        view may run it in a worker thread and ``apply`` the result on its own."""
        stamp = self._snapshot()
        if stamp == self._stamp:
            return None, []
        changed = len(set(stamp.items()) ^ set(self._stamp.items()))
        self._stamp = stamp
        story, diagnostics = check_story(self.folder)
        if story is None:
            errors = [d for d in diagnostics if d.is_error]
            lines = [f"The edited story has {len(errors)} error(s); playing on with the last good version:"]
            lines += [f"  {d}" for d in errors[:MAX_SHOWN]]
            if len(errors) > MAX_SHOWN:
                lines.append(f"  ... and {len(errors) - MAX_SHOWN} more (run metallic-rouge validate)")
            return None, lines
        if story.id != self.story_id:
            return None, [
                f"The edited story's id is now {story.id!r}, not {self.story_id!r}: that makes it another story, "
                "whose saves are not this game's; playing on with the last good version.",
                f"  Change the id back to {self.story_id!r} to go on reloading, or restart play to start the new story.",
            ]
        return story, [f"Reloaded the story ({changed} file change(s))."]

    def apply(self, story: Story) -> list[str]:
        """Switch the session to ``story``, keeping the game; notices for the player."""
        if story.id != self.story_id:  # check() never hands over such a story; a caller might
            return [f"Not switched to the story {story.id!r}: this game belongs to {self.story_id!r}."]
        return self.session.replace_story(story)

    def poll(self) -> list[str]:
        """Check and apply in one go; messages for the player, empty when nothing changed."""
        story, messages = self.check()
        if story is not None:
            messages += self.apply(story)
        return messages
