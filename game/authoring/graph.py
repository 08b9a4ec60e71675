"""``graph``: the story map as Graphviz DOT or Mermaid, like Twine's map."""

from __future__ import annotations

from game.story import Story
from game.story.model import Choice, Scene


def ways(scene: Scene, choice: Choice) -> list[tuple[str, str | None]]:
    """(target, what picks it) for each edge a choice draws.

    A plain ``to:`` is one edge with nothing to pick it; each route of a route
    list is an edge labelled with its condition, the default one "otherwise";
    a stay-choice is an edge back to its own scene marked "stays".
    """
    if choice.stay:
        return [(scene.id, "stays")]
    if not choice.routes:
        return [(choice.target, None)]
    return [(r.target, f"if {r.condition.source}" if r.condition is not None else "otherwise") for r in choice.routes]


def _scenes(story: Story, chapter: str | None) -> list[Scene]:
    if chapter is None:
        return list(story.scenes.values())
    wanted = chapter.lower()
    return [s for s in story.scenes.values() if wanted in s.chapter.lower() or s.id.startswith(chapter + ".")]


def _scene_title(scene: Scene) -> str:
    """The title as written: a templated one is filled in only in play, so it is marked as such."""
    return scene.title if scene.title_template is None else f"{scene.title} (template)"


def _esc_dot(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def to_dot(story: Story, chapter: str | None = None) -> str:
    scenes = _scenes(story, chapter)
    ids = {s.id for s in scenes}
    lines = [f'digraph "{_esc_dot(story.title)}" {{', "  rankdir=LR;", '  node [shape=box, style=rounded, fontname="Helvetica"];']
    for scene in scenes:
        attrs = [f'label="{_esc_dot(_scene_title(scene))}\\n({scene.id})"']
        if scene.is_ending:
            ending = story.endings.get(scene.ending or "")
            title = ending.title if ending else scene.ending
            attrs = [f'label="END: {_esc_dot(title or "")}\\n({scene.id})"', "shape=doubleoctagon", 'color="crimson"']
        if scene.id == story.start:
            attrs.append("penwidth=2")
        lines.append(f'  "{scene.id}" [{", ".join(attrs)}];')
    for scene in scenes:
        for choice in scene.choices:
            base = _esc_dot(choice.label.source[:40])
            if choice.condition is not None:
                base += f"\\n[if {_esc_dot(choice.condition.source)}]"
            for target, picked in ways(scene, choice):
                label = base + (f"\\n({_esc_dot(picked)})" if picked is not None else "")
                style = []
                if choice.condition is not None:
                    style.append("style=dashed" if choice.locked else "style=dotted")
                elif picked is not None and choice.routes:
                    style.append('color="steelblue"')
                if choice.locked:
                    style.append('color="gray50"')
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
        title = _esc_mermaid(_scene_title(scene))
        if scene.is_ending:
            lines.append(f'  {_mid(scene.id)}(["END: {title}"]):::ending')
        else:
            lines.append(f'  {_mid(scene.id)}["{title}"]')
    for scene in scenes:
        for choice in scene.choices:
            base = _esc_mermaid(choice.label.source[:40])
            for target, picked in ways(scene, choice):
                label = base + (f" ({_esc_mermaid(picked)})" if picked is not None else "")
                if target not in ids:
                    lines.append(f'  {_mid(target)}["{_esc_mermaid(target)}"]')
                    ids.add(target)
                arrow = "-.->" if choice.locked else "-->"
                prefix = "🔒 " if choice.locked else ""
                lines.append(f'  {_mid(scene.id)} {arrow}|"{prefix}{label}"| {_mid(target)}')
    lines.append("  classDef ending fill:#5c0a14,color:#fff,stroke:#dc143c")
    return "\n".join(lines) + "\n"
