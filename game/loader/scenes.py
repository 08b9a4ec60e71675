"""Pass 2 of a load: each scene's mapping -> a Scene, its texts and expressions compiled.

Everything is compiled against the whole story's variables and scene ids (from
pass 1), so an error in one file never hides the errors in another. A scene or
choice whose text does not compile is left out after its diagnostic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from game.expr import CompileEnv, Effect, Expr, compile_condition, compile_effect, compile_template
from game.loader import fields as F
from game.loader import references
from game.loader.diagnostics import SourceFile
from game.loader.schema import check_keys, describe, get
from game.loader.yaml_source import LList, LMap
from game.story.model import Choice, Ending, Scene

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A choice's id when it has none: its label, lowercased, runs of other characters as '-'."""
    slug = _NOT_SLUG.sub("-", text.lower()).strip("-")
    return slug[:48] or "choice"


class SceneBuilder:
    def __init__(self, env: CompileEnv, endings: Mapping[str, Ending]) -> None:
        self.env = env
        self.endings = endings

    def scene(self, file: SourceFile, raw: LMap, chapter: str, location: str) -> Scene | None:
        env = self.env
        scene_id = raw["id"]
        text = file.compile(
            compile_template, raw["text"], env, raw.val_pos["text"], raw.val_style["text"], f"in the text of '{scene_id}'"
        )
        on_enter = self.effects(file, raw, "on_enter", f"on_enter of '{scene_id}'")
        ending = get(raw, "ending", (str,))
        if ending is not None:
            references.check_ending(file, ending, self.endings, raw.val_pos["ending"])
        choices = self.choices(file, raw, scene_id)
        references.check_way_on(
            file, scene_id, ending is not None, bool(raw.get("choices")), raw.key_pos.get("choices"), raw.val_pos["id"]
        )
        if text is None:
            return None
        return Scene(
            id=scene_id,
            title=raw["title"],
            text=text,
            chapter=get(raw, "chapter", (str,), chapter),
            location=get(raw, "location", (str,), location),
            on_enter=on_enter,
            choices=choices,
            ending=ending,
            checkpoint=get(raw, "checkpoint", (bool,), False),
            pos=file.pos(raw.val_pos["id"]),
        )

    def choices(self, file: SourceFile, raw: LMap, scene_id: str) -> tuple[Choice, ...]:
        items = raw.get("choices")
        if not isinstance(items, LList):
            return ()
        env = self.env
        out: list[Choice] = []
        ids: dict[str, tuple[int, int]] = {}
        for i, item in enumerate(items):
            at = items.item_pos[i]
            if not isinstance(item, LMap):
                file.error("E112", f"choice {i + 1} of '{scene_id}' should be a mapping with a label and a target", at)
                continue
            if not check_keys(file, item, F.CHOICE, "a choice"):
                continue
            what = f"choice {i + 1} of '{scene_id}'"
            label = file.compile(compile_template, item["label"], env, item.val_pos["label"], item.val_style["label"], f"in the label of {what}")
            condition: Expr | None = None
            if isinstance(item.get("if"), str):
                condition = file.compile(compile_condition, item["if"], env, item.val_pos["if"], item.val_style["if"], f"bad condition in {what}")
            elif "if" in item and isinstance(item.get("if"), bool):
                file.error("E112", f"'if' in {what} should be a condition such as freedom >= 40", item.val_pos["if"])
            locked = get(item, "locked", (str,))
            if locked is not None and "if" not in item:
                file.warn("W110", f"{what} has a 'locked' reason but no 'if' condition, so it is never locked", item.key_pos["locked"])
            effects = self.effects(file, item, "do", what)
            explicit = get(item, "id", (str,))
            if explicit is not None:
                choice_id = explicit
                if explicit in ids:
                    file.error("E205", f"choice id '{explicit}' is used twice in '{scene_id}'", item.val_pos["id"])
            else:
                choice_id = base = slugify(item["label"])
                n = 2
                while choice_id in ids:
                    choice_id, n = f"{base}-{n}", n + 1
            ids[choice_id] = at
            if label is None:
                continue
            out.append(
                Choice(
                    id=choice_id,
                    label=label,
                    target=item["to"],
                    condition=condition,
                    locked=locked,
                    effects=effects,
                    once=get(item, "once", (bool,), False),
                    index=i,
                    pos=file.pos(item.val_pos["to"]),
                    condition_pos=file.pos(item.val_pos["if"]) if condition is not None else None,
                )
            )
        return tuple(out)

    def effects(self, file: SourceFile, obj: LMap, key: str, what: str) -> tuple[Effect, ...]:
        items = obj.get(key)
        if not isinstance(items, LList):
            return ()
        out: list[Effect] = []
        message = f"bad effect in {what}"
        for i, item in enumerate(items):
            at = items.item_pos[i]
            if not isinstance(item, str):
                file.error("E112", f"each effect in '{key}' should be text such as 'freedom += 5', not {describe(item)}", at)
                continue
            effect = file.compile(compile_effect, item, self.env, at, items.item_style[i], message)
            if effect is not None:
                out.append(effect)
        return tuple(out)
