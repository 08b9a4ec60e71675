"""Pass 2 for the manifest's story mapping: endings, meters, tracker, checkpoints, renames, the Story."""

from __future__ import annotations

from types import MappingProxyType

from game.loader import fields as F
from game.loader import references
from game.loader.declarations import Declarations
from game.loader.diagnostics import SourceFile
from game.loader.schema import check_keys, get
from game.loader.yaml_source import LList, LMap
from game.story.model import Band, Ending, Meter, Scene, Story, Tracker, TrackerSlot


def read_endings(file: SourceFile, story: LMap) -> dict[str, Ending]:
    raw = get(story, "endings", (dict,))
    endings: dict[str, Ending] = {}
    if raw is None:
        return endings
    if not raw:
        file.error("E111", "the story declares no endings", story.val_pos.get("endings"))
    for ending_id, spec in raw.items():
        at = raw.key_pos.get(ending_id)
        if not isinstance(ending_id, str) or not F.ID_RE.match(ending_id):
            file.error("E113", f"ending id {ending_id!r} may use only letters, digits, '.', '_' and '-'", at)
            continue
        if not isinstance(spec, LMap):
            file.error("E112", f"ending '{ending_id}' should be a mapping with a title", at)
            continue
        if check_keys(file, spec, F.ENDING, f"ending '{ending_id}'"):
            endings[ending_id] = Ending(ending_id, spec["title"], get(spec, "description", (str,), ""))
    return endings


class StoryParts:
    """The story-level parts of the manifest, checked against what pass 1 declared."""

    def __init__(self, decls: Declarations, file: SourceFile, story: LMap) -> None:
        self.decls = decls
        self.file = file
        self.story = story

    def build(self, scenes: dict[str, Scene], endings: dict[str, Ending]) -> Story | None:
        decls, file, story = self.decls, self.file, self.story
        start = get(story, "start", (str,))
        if start is not None:
            references.check_start(file, start, decls.scene_files, story.val_pos["start"])
        meters = self.meters()
        tracker = self.tracker()
        checkpoints = self.checkpoints()
        renames = self.renames()
        version = story.get("version")
        if not all(isinstance(story.get(k), str) for k in ("id", "title", "start")) or version is None:
            return None
        return Story(
            id=story["id"],
            title=story["title"],
            version=str(version),
            start=story["start"],
            variables=MappingProxyType(dict(decls.variables)),
            scenes=MappingProxyType(scenes),
            endings=MappingProxyType(endings),
            meters=meters,
            tracker=tracker,
            checkpoints=checkpoints + tuple(s.id for s in scenes.values() if s.checkpoint and s.id not in checkpoints),
            renames=MappingProxyType(renames),
            author=get(story, "author", (str,), ""),
            root=decls.root,
            files=tuple(f.name for f in decls.files),
        )

    def meters(self) -> tuple[Meter, ...]:
        file = self.file
        raw = get(self.story, "meters", (list,))
        meters: list[Meter] = []
        for i, item in enumerate(raw or ()):
            if not isinstance(item, LMap):
                file.error("E112", f"meter {i + 1} should be a mapping with var and label", raw.item_pos[i])
                continue
            if not check_keys(file, item, F.METER, "a meter"):
                continue
            decl = references.declared_int(file, self.decls.variables, item["var"], item.val_pos["var"], "meter")
            bands: list[Band] = []
            for j, band in enumerate(get(item, "bands", (list,)) or ()):
                if isinstance(band, LMap) and check_keys(file, band, F.BAND, "a band"):
                    bands.append(Band(band["from"], band["label"]))
                elif not isinstance(band, LMap):
                    file.error("E112", "a band should be a mapping such as {from: 0, label: Gear}", item["bands"].item_pos[j])
            if decl is not None:
                meters.append(
                    Meter(
                        var=decl.name,
                        label=item["label"],
                        min=decl.min if decl.min is not None else 0,
                        max=decl.max if decl.max is not None else 100,
                        group=get(item, "group", (str,), ""),
                        bands=tuple(sorted(bands, key=lambda b: b.start)),
                    )
                )
        return tuple(meters)

    def tracker(self) -> Tracker | None:
        file = self.file
        raw = get(self.story, "tracker", (dict,))
        if raw is None or not check_keys(file, raw, F.TRACKER, "the tracker"):
            return None
        slots: list[TrackerSlot] = []
        items = raw["slots"]
        for i, item in enumerate(items if isinstance(items, LList) else ()):
            if not isinstance(item, LMap):
                file.error("E112", "a tracker slot should be a mapping with name and var", items.item_pos[i])
                continue
            if not check_keys(file, item, F.SLOT, "a tracker slot"):
                continue
            if not references.is_declared(file, self.decls.variables, item["var"], item.val_pos["var"], "tracker"):
                continue
            aliases = _text_list(file, item, "aliases", "an alias")
            gone = _text_list(file, item, "gone", "a gone value")
            decl = self.decls.variables[item["var"]]
            for j, value in enumerate(gone):
                if decl.type != "str" or (decl.values is not None and value not in decl.values):
                    allowed = f"one of {', '.join(decl.values)}" if decl.values else "a text value"
                    at = item["gone"].item_pos[j]
                    file.error("E230", f"gone value {value!r} is not a value of '{item['var']}' ({allowed})", at)
            slots.append(TrackerSlot(item["name"], item["var"], get(item, "form", (str,), ""), aliases, gone))
        return Tracker(get(raw, "title", (str,), ""), tuple(slots))

    def checkpoints(self) -> tuple[str, ...]:
        raw = get(self.story, "checkpoints", (list,))
        out: list[str] = []
        for i, item in enumerate(raw or ()):
            if references.is_scene(self.file, self.decls.scene_files, item, raw.item_pos[i], f"checkpoints entry {item!r}"):
                out.append(item)
        return tuple(out)

    def renames(self) -> dict[str, str]:
        file = self.file
        raw = get(self.story, "renames", (dict,))
        out: dict[str, str] = {}
        for old, new in (raw or {}).items():
            at = raw.val_pos.get(old)
            if not isinstance(old, str) or not isinstance(new, str):
                file.error("E112", "renames map an old scene id to a new one", at)
            elif references.is_scene(file, self.decls.scene_files, new, at, f"rename target '{new}'"):
                out[old] = new
        return out


def _text_list(file: SourceFile, obj: LMap, key: str, what: str) -> tuple[str, ...]:
    """A tracker slot's list of names or values: text items only, each reported where it is."""
    raw = get(obj, key, (list,))
    out: list[str] = []
    for i, item in enumerate(raw or ()):
        if not isinstance(item, str) or not item.strip():
            file.error("E112", f"{what} should be text, not {item!r}", raw.item_pos[i])
            continue
        out.append(item)
    return tuple(out)
