"""``stats``: how big the story is, per chapter, and what a playthrough is like."""

from __future__ import annotations

import re
from typing import Any

from game.authoring.agency import forks_report, funnel_report, unechoed_report
from game.authoring.playtest import random_runs
from game.story import Story
from game.story.model import Choice, Scene

_TAG = re.compile(r"\{\{|\}\}|\{[^{}]*\}")


def prose_words(source: str) -> int:
    """Words an author wrote: template tags removed, every conditional branch counted."""
    return len(_TAG.sub(" ", source).split())


def _targets(choice: Choice) -> set[str]:
    return {r.target for r in choice.routes} if choice.routes else {choice.target}


def has_consequence(scene: Scene, choice: Choice) -> bool:
    """It changes something, answers the player, or can lead where no other choice does."""
    if choice.effects or choice.reply is not None or len(_targets(choice)) > 1:
        return True
    siblings = set().union(*(_targets(c) for c in scene.choices if c is not choice))
    return not _targets(choice) <= siblings


def format_counts(story: Story) -> dict[str, int]:
    """How much of the format's routing the story uses: route lists and their routes, stays, replies."""
    choices = [c for scene in story.scenes.values() for c in scene.choices]
    return {
        "route_choices": sum(1 for c in choices if c.routes),
        "routes": sum(len(c.routes) for c in choices),
        "stay_choices": sum(1 for c in choices if c.stay),
        "replies": sum(1 for c in choices if c.reply is not None),
        "again_texts": sum(1 for s in story.scenes.values() if s.again is not None),
    }


def story_stats(story: Story, sample_runs: int = 300, seed: int = 0) -> dict[str, Any]:
    chapters: dict[str, dict[str, int]] = {}
    words = choices = consequential = reply_words = again_words = 0
    for scene in story.scenes.values():
        ch = chapters.setdefault(scene.chapter or "(no chapter)", {"scenes": 0, "words": 0, "choices": 0, "endings": 0})
        w = prose_words(scene.text.source)
        # Replies and return-visit texts are counted apart: "words" stays the scenes' own prose.
        reply_words += sum(prose_words(c.reply.source) for c in scene.choices if c.reply is not None)
        again_words += prose_words(scene.again.source) if scene.again is not None else 0
        ch["scenes"] += 1
        ch["words"] += w
        ch["choices"] += len(scene.choices)
        ch["endings"] += 1 if scene.is_ending else 0
        words += w
        choices += len(scene.choices)
        consequential += sum(1 for c in scene.choices if has_consequence(scene, c))
    tally = random_runs(story, sample_runs, seed) if sample_runs > 0 else None
    funnel = funnel_report(story)
    for name, share in funnel["by_chapter"].items():
        chapters[name or "(no chapter)"]["funnel_share"] = share
    return {
        "title": story.title,
        "version": story.version,
        "words": words,
        "scenes": len(story.scenes),
        "choices": choices,
        "endings": len(story.endings),
        "ending_scenes": sum(1 for s in story.scenes.values() if s.is_ending),
        "variables": len(story.variables),
        "consequence_share": round(consequential / choices, 4) if choices else 1.0,
        **format_counts(story),
        "reply_words": reply_words,
        "again_words": again_words,
        "playthrough_runs": sample_runs,
        "mean_words_per_playthrough": round(tally.words / tally.runs, 1) if tally and tally.runs else None,
        "mean_choices_per_playthrough": round(tally.choices_made / tally.runs, 2) if tally and tally.runs else None,
        "funnel_share": funnel["funnel_share"],
        "forks": forks_report(story),
        "unechoed_choices": unechoed_report(story),
        "chapters": chapters,
    }


def format_stats(stats: dict[str, Any]) -> str:
    lines = [
        f"{stats['title']} (version {stats['version']})",
        f"  words {stats['words']:,} · scenes {stats['scenes']} · choices {stats['choices']} · "
        f"endings {stats['endings']} · variables {stats['variables']}",
        f"  choices with a consequence: {stats['consequence_share']:.1%}",
        f"  replies {stats['replies']} ({stats['reply_words']:,} words) · stay-choices {stats['stay_choices']} · "
        f"route lists {stats['route_choices']} ({stats['routes']} routes) · return-visit texts {stats['again_texts']} ({stats['again_words']:,} words)",
        f"  funnels (scenes whose choices all lead to one scene): {stats['funnel_share']:.1%}",
        f"  scenes only some paths reach (the real forks): {stats['forks']['count']} ({stats['forks']['share']:.1%})",
        f"  unechoed choices (no reply, no scene of their own, nothing read later): {stats['unechoed_choices']['count']}",
    ]
    if stats["mean_words_per_playthrough"] is not None:
        lines.append(
            f"  a playthrough ({stats['playthrough_runs']} random runs): "
            f"{stats['mean_words_per_playthrough']:,.0f} words, {stats['mean_choices_per_playthrough']} choices on average"
        )
    lines.append("")
    width = max((len(c) for c in stats["chapters"]), default=10)
    lines.append(f"  {'chapter':<{width}}  scenes   words  choices  endings")
    for name, ch in stats["chapters"].items():
        lines.append(f"  {name:<{width}}  {ch['scenes']:>6}  {ch['words']:>6}  {ch['choices']:>7}  {ch['endings']:>7}")
    return "\n".join(lines)
