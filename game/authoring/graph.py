"""``graph``: the story map as Graphviz DOT or Mermaid, like Twine's map."""

from __future__ import annotations

from game.story import Story
from game.story.model import Scene


def _scenes(story: Story, chapter: str | None) -> list[Scene]:
    if chapter is None:
        return list(story.scenes.values())
    wanted = chapter.lower()
    return [s for s in story.scenes.values() if wanted in s.chapter.lower() or s.id.startswith(chapter + ".")]


def _esc_dot(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def to_dot(story: Story, chapter: str | None = None) -> str:
    scenes = _scenes(story, chapter)
    ids = {s.id for s in scenes}
    lines = [f'digraph "{_esc_dot(story.title)}" {{', "  rankdir=LR;", '  node [shape=box, style=rounded, fontname="Helvetica"];']
    for scene in scenes:
        attrs = [f'label="{_esc_dot(scene.title)}\\n({scene.id})"']
        if scene.is_ending:
            ending = story.endings.get(scene.ending or "")
            title = ending.title if ending else scene.ending
            attrs = [f'label="END: {_esc_dot(title or "")}\\n({scene.id})"', "shape=doubleoctagon", 'color="crimson"']
        if scene.id == story.start:
            attrs.append("penwidth=2")
        lines.append(f'  "{scene.id}" [{", ".join(attrs)}];')
    for scene in scenes:
        for choice in scene.choices:
            label = _esc_dot(choice.label.source[:40])
            style = []
            if choice.condition is not None:
                label += f"\\n[if {_esc_dot(choice.condition.source)}]"
                style.append("style=dashed" if choice.locked else "style=dotted")
            if choice.locked:
                style.append('color="gray50"')
            target = choice.target
            if target not in ids:
                lines.append(f'  "{target}" [shape=plaintext];')
                ids.add(target)
            attrs = ", ".join(['label="' + label + '"', *style])
            lines.append(f'  "{scene.id}" -> "{target}" [{attrs}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mid(scene_id: str) -> str:
    return "s_" + "".join(ch if ch.isalnum() else "_" for ch in scene_id)


def _esc_mermaid(text: str) -> str:
    return text.replace('"', "#quot;").replace("\n", " ")


def to_mermaid(story: Story, chapter: str | None = None) -> str:
    scenes = _scenes(story, chapter)
    ids = {s.id for s in scenes}
    lines = ["flowchart LR"]
    for scene in scenes:
        title = _esc_mermaid(scene.title)
        if scene.is_ending:
            lines.append(f'  {_mid(scene.id)}(["END: {title}"]):::ending')
        else:
            lines.append(f'  {_mid(scene.id)}["{title}"]')
    for scene in scenes:
        for choice in scene.choices:
            label = _esc_mermaid(choice.label.source[:40])
            if choice.target not in ids:
                lines.append(f'  {_mid(choice.target)}["{_esc_mermaid(choice.target)}"]')
                ids.add(choice.target)
            arrow = "-.->" if choice.locked else "-->"
            prefix = "🔒 " if choice.locked else ""
            lines.append(f'  {_mid(scene.id)} {arrow}|"{prefix}{label}"| {_mid(choice.target)}')
    lines.append("  classDef ending fill:#5c0a14,color:#fff,stroke:#dc143c")
    return "\n".join(lines) + "\n"
