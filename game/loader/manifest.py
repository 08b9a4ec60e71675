"""Pass 2 for the manifest's story mapping: endings, meters, tracker, checkpoints, renames, the Story."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from game.expr import CompileEnv, compile_condition
from game.loader import fields as F
from game.loader import references
from game.loader.declarations import Declarations
from game.loader.diagnostics import SourceFile
from game.loader.schema import check_keys, get
from game.loader.yaml_source import LList, LMap
from game.story.model import Band, Ending, Invariant, Meter, Scene, Story, Tracker, TrackerSlot

# Title art is a few lines of text; a bigger file is a mistake (a picture, a log).
MAX_TITLE_ART_BYTES = 16 * 1024
# Wider lines would wrap into noise on the smallest terminal the game supports.
MAX_TITLE_ART_WIDTH = 76


def read_title_art(root: Path, name: str) -> tuple[str | None, str | None]:
    """(the art's text, None), or (None, why it cannot be used) for the manifest's ``title_art:``.

    The file must be inside the story folder: a story is shared as its folder,
    and a manifest must not be able to make the game read any other file.
    """
    base = root.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(base):
        return None, f"title art '{name}' is outside the story folder; put the file inside it"
    try:
        size = path.stat().st_size
        if not path.is_file():
            return None, f"title art '{name}' is not a file"
        if size > MAX_TITLE_ART_BYTES:
            return None, f"title art '{name}' is {size} bytes; title art may be at most {MAX_TITLE_ART_BYTES} bytes"
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, f"title art file '{name}' not found (the path is relative to the story folder)"
    except OSError as exc:
        return None, f"cannot read title art '{name}': {exc.strerror or exc}"
    except UnicodeDecodeError:
        return None, f"title art '{name}' is not UTF-8 text"
    text = text.replace("\r\n", "\n").rstrip()
    if not text.strip():
        return None, f"title art '{name}' is empty"
    return text, None


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

    def __init__(self, decls: Declarations, file: SourceFile, story: LMap, env: CompileEnv) -> None:
        self.decls = decls
        self.file = file
        self.story = story
        self.env = env

    def build(self, scenes: dict[str, Scene], endings: dict[str, Ending]) -> Story | None:
        decls, file, story = self.decls, self.file, self.story
        start = get(story, "start", (str,))
        if start is not None:
            references.check_start(file, start, decls.scene_files, story.val_pos["start"])
        meters = self.meters()
        tracker = self.tracker()
        checkpoints = self.checkpoints()
        renames = self.renames()
        invariants = self.invariants()
        art, art_file = self.title_art()
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
            invariants=invariants,
            title_art=art,
            title_art_file=art_file,
        )

    def invariants(self) -> tuple[Invariant, ...]:
        """The manifest's ``invariants:``: conditions playtest checks after every step."""
        file = self.file
        raw = get(self.story, "invariants", (list,))
        out: list[Invariant] = []
        for i, item in enumerate(raw or ()):
            at = raw.item_pos[i]
            if not isinstance(item, LMap):
                file.error("E112", 'an invariant should be a mapping such as {check: "ids_held <= 9", message: "..."}', at)
                continue
            if not check_keys(file, item, F.INVARIANT, "an invariant"):
                continue
            source = item["check"]
            check = file.compile(
                compile_condition, source, self.env, item.val_pos["check"], item.val_style["check"], f"bad check in invariant {i + 1}"
            )
            if check is not None:
                out.append(Invariant(check, item["message"], source, file.pos(item.val_pos["check"])))
        return tuple(out)

    def title_art(self) -> tuple[str | None, str | None]:
        """The text of the ``title_art:`` file and its path as written, after checking it (E121, W121)."""
        name = get(self.story, "title_art", (str,))
        if name is None:
            return None, None
        at = self.story.val_pos["title_art"]
        text, problem = read_title_art(self.decls.root, name)
        if text is None:
            self.file.error("E121", problem or f"title art '{name}' cannot be used", at)
            return None, None
        wide = max(len(line) for line in text.splitlines())
        if wide > MAX_TITLE_ART_WIDTH:
            self.file.warn(
                "W121",
                f"title art '{name}' is {wide} columns wide; the title screen shows the story's title in plain "
                f"letters instead of art wider than {MAX_TITLE_ART_WIDTH}",
                at,
            )
        return text, name

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
