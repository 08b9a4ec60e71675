"""Pass 2 of a load: each scene's mapping -> a Scene, its texts and expressions compiled.

Everything is compiled against the whole story's variables and scene ids (from
pass 1), so an error in one file never hides the errors in another. A scene or
choice whose text does not compile is left out after its diagnostic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from game.expr import (
    CompileEnv,
    Effect,
    Expr,
    Template,
    compile_condition,
    compile_effect,
    compile_template,
)
from game.loader import fields as F
from game.loader import references
from game.loader.diagnostics import At, SourceFile
from game.loader.schema import check_keys, describe, get
from game.loader.yaml_source import LList, LMap
from game.story.model import Choice, Ending, Route, Scene

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
        again = self.template(file, raw, "again", f"in the 'again' text of '{scene_id}'")
        title, title_template = self.title(file, raw, scene_id)
        on_enter = self.effects(file, raw, "on_enter", f"on_enter of '{scene_id}'")
        ending = get(raw, "ending", (str,))
        if ending is not None:
            references.check_ending(file, ending, self.endings, raw.val_pos["ending"])
            if "again" in raw:
                file.warn("W111", f"ending scene '{scene_id}' has an 'again' text, but an ending is never entered twice", raw.key_pos["again"])
        choices = self.choices(file, raw, scene_id)
        references.check_way_on(
            file, scene_id, ending is not None, bool(raw.get("choices")), raw.key_pos.get("choices"), raw.val_pos["id"]
        )
        if text is None:
            return None
        return Scene(
            id=scene_id,
            title=title,
            text=text,
            chapter=get(raw, "chapter", (str,), chapter),
            location=get(raw, "location", (str,), location),
            on_enter=on_enter,
            choices=choices,
            ending=ending,
            checkpoint=get(raw, "checkpoint", (bool,), False),
            pos=file.pos(raw.val_pos["id"]),
            again=again,
            title_template=title_template,
        )

    def title(self, file: SourceFile, raw: LMap, scene_id: str) -> tuple[str, Template | None]:
        """The title as plain text, and its template when it holds an expression.

        A title with only literal braces (``{{``) is plain text once rendered; one
        with tags keeps its source as ``title`` (what lists of scenes show) and
        the views render ``title_template``.
        """
        source: str = raw["title"]
        if "{" not in source and "}" not in source:
            return source, None
        template = self.template(file, raw, "title", f"in the title of '{scene_id}'")
        if template is None or not template.is_static:
            return source, template
        return template.render(None), None  # type: ignore[arg-type]  # a static text reads nothing

    def template(self, file: SourceFile, obj: LMap, key: str, what: str) -> Template | None:
        """``obj[key]`` compiled as a template, or None when absent or after its error."""
        source = obj.get(key)
        if not isinstance(source, str):
            return None
        compiled: Template | None = file.compile(compile_template, source, self.env, obj.val_pos[key], obj.val_style[key], what)
        return compiled

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
            # A non-text 'if' (e.g. `if: false`) was already reported, once, by check_keys (E112).
            if isinstance(item.get("if"), str):
                condition = file.compile(compile_condition, item["if"], env, item.val_pos["if"], item.val_style["if"], f"bad condition in {what}")
            locked = self.template(file, item, "locked", f"in the locked reason of {what}")
            if "locked" in item and "if" not in item:
                file.warn("W110", f"{what} has a 'locked' reason but no 'if' condition, so it is never locked", item.key_pos["locked"])
            reply = self.template(file, item, "reply", f"in the reply of {what}")
            effects = self.effects(file, item, "do", what)
            way = self.way(file, item, scene_id, what)
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
            if label is None or way is None or ("reply" in item and reply is None) or ("locked" in item and locked is None):
                continue
            target, target_at, routes = way
            out.append(
                Choice(
                    id=choice_id,
                    label=label,
                    target=target,
                    condition=condition,
                    locked=locked,
                    effects=effects,
                    once=get(item, "once", (bool,), False),
                    index=i,
                    pos=file.pos(target_at),
                    condition_pos=file.pos(item.val_pos["if"]) if condition is not None else None,
                    reply=reply,
                    routes=routes,
                    stay="to" not in item,
                )
            )
        return tuple(out)

    def way(self, file: SourceFile, item: LMap, scene_id: str, what: str) -> tuple[str, At, tuple[Route, ...]] | None:
        """Where a choice leads: (target, where it is written, routes), or None after an error.

        No ``to:`` with a ``reply:`` stays in the scene; a list of routes leads
        by the first whose condition holds, and its target is the default's.
        """
        to = item.get("to")
        if to is None:
            if "reply" not in item:
                file.error(
                    "E111",
                    f"{what} needs 'to:' (the scene it leads to) or 'reply:' (a response, staying in this scene)",
                    item.pos,
                )
                return None
            return scene_id, item.val_pos["reply"], ()
        if isinstance(to, str):
            return to, item.val_pos["to"], ()
        if not isinstance(to, LList):  # reported by check_keys
            return None
        if not to:
            file.error("E112", f"the route list of {what} is empty; it needs at least a default such as {{to: scene.id}}", item.val_pos["to"])
            return None
        routes: list[Route] = []
        ok = True
        default_at: At | None = None
        for j, route in enumerate(to):
            at = to.item_pos[j]
            where = f"route {j + 1} of {what}"
            if not isinstance(route, LMap):
                file.error("E112", f"{where} should be a mapping such as {{if: freedom >= 60, to: scene.id}}, not {describe(route)}", at)
                ok = False
                continue
            if not check_keys(file, route, F.ROUTE, f"a route of {what}"):
                ok = False
                continue
            if default_at is not None:
                file.error(
                    "E114",
                    f"{where} comes after the default route (line {default_at[0]}), so it is never tried; "
                    "the route without 'if:' must be the last",
                    at,
                )
                ok = False
                break  # one report for the whole unreachable tail
            condition: Expr | None = None
            if "if" in route:
                if not isinstance(route["if"], str):  # reported by check_keys
                    ok = False
                    continue
                condition = file.compile(compile_condition, route["if"], self.env, route.val_pos["if"], route.val_style["if"], f"bad condition in {where}")
                if condition is None:
                    ok = False
                    continue
            else:
                default_at = at
            routes.append(Route(route["to"], condition, file.pos(route.val_pos["to"])))
        if ok and default_at is None:
            file.error(
                "E114",
                f"the route list of {what} has no default: its last route needs no 'if:' (such as {{to: scene.id}}), "
                "so the choice leads somewhere when no condition holds",
                to.item_pos[-1],
            )
            return None
        if not ok:
            return None
        last = routes[-1]
        return last.target, (last.pos.line, last.pos.col), tuple(routes)

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
