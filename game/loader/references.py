"""Semantic checks: every name a story uses refers to something it declares.

Choice targets, the start scene, a scene's ending, the variables of meters and
the tracker, checkpoints and renames. Each check reports where the name is
written, with a did-you-mean when one is close.
"""

from __future__ import annotations

from collections.abc import Mapping

from game.loader.diagnostics import At, SourceFile
from game.loader.sources import MANIFEST_NAME
from game.names import did_you_mean
from game.story.diagnostics import Diagnostic
from game.story.model import Ending, Scene, VarDecl


def check_targets(scenes: Mapping[str, Scene], scene_files: Mapping[str, SourceFile], sink: list[Diagnostic]) -> None:
    """E201 for each choice, or route of a choice, that leads to no scene."""
    for scene in scenes.values():
        for choice in scene.choices:
            ways = [(r.target, r.pos) for r in choice.routes] if choice.routes else [(choice.target, choice.pos)]
            for target, pos in ways:
                if target in scene_files:
                    continue
                more = did_you_mean(target, scene_files)
                what = "route target" if choice.routes else "choice target"
                sink.append(
                    Diagnostic("E201", f"{what} '{target}' is not a scene{more}", scene_files[scene.id].name, pos.line, pos.col)
                )


def check_start(file: SourceFile, start: str, scene_ids: Mapping[str, object], at: At) -> None:
    if start not in scene_ids:
        more = did_you_mean(start, scene_ids)
        file.error("E202", f"start scene '{start}' is not a scene{more}", at)


def check_ending(file: SourceFile, ending: str, endings: Mapping[str, Ending], at: At) -> None:
    if ending not in endings:
        more = did_you_mean(ending, endings, f"; the story's endings are: {', '.join(endings) or 'none'}")
        file.error("E203", f"'{ending}' is not an ending declared in {MANIFEST_NAME}{more}", at)


def check_way_on(
    file: SourceFile, scene_id: str, is_ending: bool, has_choices: bool, choices_at: At | None, id_at: At
) -> None:
    """E204: an ending scene has no choices, and every other scene has some."""
    if is_ending and has_choices:
        file.error("E204", f"ending scene '{scene_id}' cannot have choices: reaching it ends the game", choices_at)
    if not is_ending and not has_choices:
        file.error("E204", f"scene '{scene_id}' has no choices and no ending: the player would be stuck", id_at)


def declared_int(file: SourceFile, variables: Mapping[str, VarDecl], name: str, at: At, what: str) -> VarDecl | None:
    """The int variable a meter shows, or None after E230."""
    decl = variables.get(name)
    if decl is None:
        more = did_you_mean(name, variables)
        file.error("E230", f"{what} variable '{name}' is not declared{more}", at)
        return None
    if decl.type != "int":
        file.error("E230", f"{what} variable '{name}' must be an int, not {decl.type}", at)
        return None
    return decl


def is_declared(file: SourceFile, variables: Mapping[str, VarDecl], name: str, at: At, what: str) -> bool:
    if name not in variables:
        file.error("E230", f"{what} variable '{name}' is not declared", at)
        return False
    return True


def is_scene(file: SourceFile, scene_ids: Mapping[str, object], item: object, at: At, subject: str) -> bool:
    """E230 ``<subject> is not a scene`` unless ``item`` is a scene id (for checkpoints and renames)."""
    if not isinstance(item, str) or item not in scene_ids:
        file.error("E230", f"{subject} is not a scene", at)
        return False
    return True
