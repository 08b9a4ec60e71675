"""Parse YAML into dicts and lists that remember where each value came from.

Scene files are untrusted data: only the safe loader is used (libyaml's C
version when present, ~10x faster), duplicate keys are reported instead of
silently overwritten, and alias expansion is bounded so a "billion laughs"
file is refused in milliseconds instead of exhausting memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _BaseLoader

    LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    LIBYAML = False

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SPECIAL_KEYS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_EXPANDED_NODES = 2_000_000
# Collections inside collections. A story needs fewer than 10; libyaml needs a
# bound: its scanner is quadratic in flow nesting (20,000 '[' take 1.6 s) and
# its composer recurses in C, so 100,000 '[' crash the process (measured).
MAX_NESTING = 100
# Below this cheap upper bound on the nesting (see _nesting_bound) libyaml is
# fast and safe (5,000 levels compose in 80 ms), so only files above it pay for
# the extra scan; values between MAX_NESTING and the bound that are too deep for
# Python's recursion limit are caught as a RecursionError with the same message.
SAFE_NESTING_BOUND = 5_000


class LMap(dict[Any, Any]):
    """A mapping with the (line, col) of itself, each key and each value (1-based)."""

    __slots__ = ("pos", "key_pos", "val_pos", "val_style")

    def __init__(self) -> None:
        super().__init__()
        self.pos: tuple[int, int] = (1, 1)
        self.key_pos: dict[Any, tuple[int, int]] = {}
        self.val_pos: dict[Any, tuple[int, int]] = {}
        self.val_style: dict[Any, str | None] = {}


class LList(list[Any]):
    __slots__ = ("pos", "item_pos", "item_style")

    def __init__(self) -> None:
        super().__init__()
        self.pos: tuple[int, int] = (1, 1)
        self.item_pos: list[tuple[int, int]] = []
        self.item_style: list[str | None] = []


@dataclass
class Problem:
    code: str
    message: str
    line: int
    col: int


@dataclass
class Parsed:
    data: Any
    text: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_IMPLICIT: dict[str, tuple[tuple[str, Any], ...]] = {
    first: tuple(resolvers)
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    if first is not None
}


class _TrackingLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    problems: list[Problem]

    # libyaml's composer calls back into Python for every node: these three
    # were a quarter of the Python time of a parse (profiled at 10,000 scenes).
    # This loader has no path resolvers, so the descend/ascend bookkeeping is
    # empty, and resolve() keeps PyYAML's rules (first character, then regexps).
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], ()):
                    if regexp.match(value):
                        return tag  # type: ignore[no-any-return]
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


def _construct_mapping(loader: _TrackingLoader, node: yaml.MappingNode) -> LMap:
    result = LMap()
    result.pos = _mark(node)
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            line, col = _mark(key_node)
            loader.problems.append(Problem("E101", "a mapping key must be a plain value", line, col))
            continue
        if key in result:
            line, col = _mark(key_node)
            loader.problems.append(
                Problem("E102", f"duplicate key {key!r} (the later one would silently win)", line, col)
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_pos[key] = _mark(key_node)
        result.val_pos[key] = _mark(value_node)
        result.val_style[key] = getattr(value_node, "style", None)
    return result


def _construct_sequence(loader: _TrackingLoader, node: yaml.SequenceNode) -> LList:
    result = LList()
    result.pos = _mark(node)
    for child in node.value:
        result.append(loader.construct_object(child, deep=True))
        result.item_pos.append(_mark(child))
        result.item_style.append(getattr(child, "style", None))
    return result


_TrackingLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_TrackingLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


class _Builder:
    """Node tree -> LMap/LList/scalars in one direct walk.

    The same result as ``construct_document`` with the constructors above, but
    the generic ``construct_object`` (memo tables, generators, a tag search for
    every node) cost more than libyaml's parse itself on a big story, so the
    plain cases are built here and anything unusual (other tags, merge keys) is
    handed back to PyYAML. ``shared`` is set when the document has anchors:
    only then can a node be reached twice, so only then is a memo kept, and
    recursion refused, as PyYAML does.
    """

    __slots__ = ("loader", "memo", "active")

    def __init__(self, loader: _TrackingLoader, shared: bool) -> None:
        self.loader = loader
        self.memo: dict[int, Any] | None = {} if shared else None
        self.active: set[int] = set()

    def value(self, node: yaml.Node) -> Any:
        if node.__class__ is yaml.ScalarNode:
            if node.tag == _STR:
                return node.value
            return self.loader.construct_object(node, deep=True)
        memo = self.memo
        if memo is not None:
            key = id(node)
            if key in memo:
                return memo[key]
            if key in self.active:
                raise yaml.constructor.ConstructorError(
                    None, None, "found unconstructable recursive node", node.start_mark
                )
            self.active.add(key)
            memo[key] = result = self._collection(node)
            self.active.discard(key)
            return result
        return self._collection(node)

    def _collection(self, node: yaml.Node) -> Any:
        if node.tag == _MAP and node.__class__ is yaml.MappingNode:
            return self.mapping(node)
        if node.tag == _SEQ and node.__class__ is yaml.SequenceNode:
            return self.sequence(node)
        return self.loader.construct_object(node, deep=True)

    def mapping(self, node: yaml.MappingNode) -> LMap:
        loader = self.loader
        problems = loader.problems
        first_problem = len(problems)
        result = LMap()
        mark = node.start_mark
        result.pos = (mark.line + 1, mark.column + 1)
        key_pos, val_pos, val_style = result.key_pos, result.val_pos, result.val_style
        value = self.value
        scalar = yaml.ScalarNode
        for key_node, value_node in node.value:
            tag = key_node.tag
            if tag == _STR:
                key = key_node.value
            elif tag in _SPECIAL_KEYS:
                # A merge key ("<<"): PyYAML flattens the mapping, then it is read
                # again from the start (rare, so not checked for up front).
                del problems[first_problem:]
                loader.flatten_mapping(node)
                return self.mapping(node)
            else:
                key = value(key_node)
            kmark = key_node.start_mark
            try:
                seen = key in result
            except TypeError:
                problems.append(
                    Problem("E101", "a mapping key must be a plain value", kmark.line + 1, kmark.column + 1)
                )
                continue
            if seen:
                problems.append(
                    Problem(
                        "E102",
                        f"duplicate key {key!r} (the later one would silently win)",
                        kmark.line + 1,
                        kmark.column + 1,
                    )
                )
            # Plain strings, most of a story, are read here without a call.
            if value_node.__class__ is scalar:
                result[key] = value_node.value if value_node.tag == _STR else value(value_node)
                val_style[key] = value_node.style
            else:
                result[key] = value(value_node)
                val_style[key] = None
            vmark = value_node.start_mark
            key_pos[key] = (kmark.line + 1, kmark.column + 1)
            val_pos[key] = (vmark.line + 1, vmark.column + 1)
        return result

    def sequence(self, node: yaml.SequenceNode) -> LList:
        result = LList()
        mark = node.start_mark
        result.pos = (mark.line + 1, mark.column + 1)
        item_pos, item_style = result.item_pos, result.item_style
        value = self.value
        scalar = yaml.ScalarNode
        for child in node.value:
            if child.__class__ is scalar:
                result.append(child.value if child.tag == _STR else value(child))
                item_style.append(child.style)
            else:
                result.append(value(child))
                item_style.append(None)
            cmark = child.start_mark
            item_pos.append((cmark.line + 1, cmark.column + 1))
        return result


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """Node count after alias expansion, memoised per node so bombs cost linear time."""
    sizes: dict[int, int] = {}
    order: list[yaml.Node] = []
    stack: list[yaml.Node] = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        order.append(node)
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.append(k)
                stack.append(v)
    for node in reversed(order):
        if isinstance(node, yaml.SequenceNode):
            total = 1 + sum(sizes.get(id(c), 1) for c in node.value)
        elif isinstance(node, yaml.MappingNode):
            total = 1 + sum(sizes.get(id(k), 1) + sizes.get(id(v), 1) for k, v in node.value)
        else:
            total = 1
        sizes[id(node)] = min(total, limit + 1)
    return sizes.get(id(root), 1)


def _nesting_bound(text: str) -> int:
    """An upper bound on how deep values nest, at C speed.

    Every flow level needs a '[' or '{'; a block level needs more indentation or a
    compact '- ' / '? ' on the same line, so at most two levels per column.
    """
    # Splitting on "\n" alone can only make a line longer (YAML also breaks lines
    # at "\r"), which keeps the bound an upper bound.
    longest = max(map(len, text.split("\n")))
    return text.count("[") + text.count("{") + 2 * longest + 2


def _too_deep(text: str, loader_class: Any = _BaseLoader) -> tuple[int, int] | None:
    """Where values first nest deeper than MAX_NESTING, reading events only.

    Events come from libyaml's iterative parser and the scan stops at the first
    level too deep, so the quadratic cost and the C recursion are never reached.
    libyaml from PyYAML 6.0.4 on has a nesting limit of its own (1,000 levels),
    which its scanner can hit while looking ahead, before our level is reached
    as an event; the pure-Python parser never looks that far ahead, so it finds
    our position instead, and the refusal is the same whichever libyaml is in.
    """
    parser = loader_class(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    return event.start_mark.line + 1, event.start_mark.column + 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        if _is_libyaml_nesting_limit(exc) and loader_class is not yaml.SafeLoader:
            return _too_deep(text, yaml.SafeLoader)
        # Otherwise the real parse reports it, and stops at the same place.
    finally:
        parser.dispose()
    return None


def _is_libyaml_nesting_limit(exc: BaseException) -> bool:
    return "maximum nesting depth" in str(getattr(exc, "problem", "") or "")


# C0 controls but tab and newline, DEL, and C1. YAML refuses them written raw, but
# "double-quoted" escapes (\e, \x1b, \u009b, \r...) make them; in a title or a
# text they would reach the player's terminal as commands (ESC sequences can
# recolour, retitle, even write the clipboard). Scene packs are untrusted.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _control_problems(data: Any) -> list[Problem]:
    """E104 for each text value holding a control character (walked without recursion)."""
    problems: list[Problem] = []
    stack: list[Any] = [data]
    seen: set[int] = set()  # an alias shares a node: look at it once
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, LMap):
            items = [(v, node.val_pos.get(k, node.pos)) for k, v in node.items()]
        elif isinstance(node, LList):
            items = list(zip(node, node.item_pos, strict=False))
        else:
            continue
        for value, (line, col) in items:
            if isinstance(value, str):
                found = _CONTROL_RE.search(value)
                if found:
                    problems.append(
                        Problem(
                            "E104",
                            f"control character U+{ord(found.group()):04X} in text: it would be a command "
                            "to the player's terminal; remove the escape that makes it",
                            line,
                            col,
                        )
                    )
            elif isinstance(value, LMap | LList):
                stack.append(value)
    return problems


def parse_yaml(text: str) -> Parsed:
    """Parse one YAML document. Never raises: syntax errors become problems."""
    parsed = Parsed(data=None, text=text)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        parsed.problems.append(
            Problem("E103", f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB", 1, 1)
        )
        return parsed
    too_deep = f"values are nested more than {MAX_NESTING} levels deep"
    if _nesting_bound(text) > SAFE_NESTING_BOUND:
        at = _too_deep(text)
        if at is not None:
            parsed.problems.append(Problem("E103", too_deep, *at))
            return parsed
    loader = _TrackingLoader(text)
    loader.problems = parsed.problems
    try:
        node = loader.get_single_node()
        if node is None:
            return parsed
        # Without an anchor no node can be reached twice, so there is nothing
        # to expand and the (whole-tree) bomb check can be skipped.
        shared = "&" in text
        if shared and _expanded_size(node, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES:
            line, col = _mark(node)
            parsed.problems.append(
                Problem("E103", "aliases expand to too many values (is this a YAML bomb?)", line, col)
            )
            return parsed
        parsed.data = _Builder(loader, shared).value(node)
        if "\\" in text:  # control characters can only come from escapes
            parsed.problems.extend(_control_problems(parsed.data))
    except yaml.MarkedYAMLError as exc:
        if _is_libyaml_nesting_limit(exc):
            mark = exc.problem_mark or exc.context_mark
            fallback = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            parsed.problems.append(Problem("E103", too_deep, *(_too_deep(text) or fallback)))
            return parsed
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(filter(None, [exc.context, exc.problem]))
        parsed.problems.append(Problem("E100", f"YAML syntax error: {what}", line, col))
    except yaml.YAMLError as exc:
        parsed.problems.append(Problem("E100", f"YAML error: {exc}", 1, 1))
    except RecursionError:
        parsed.problems.append(Problem("E103", too_deep, *(_too_deep(text) or (1, 1))))
    except Exception as exc:
        # Untrusted input must never crash the loader. PyYAML's constructors fail in
        # their own ways on explicit tags with wrong values: ValueError (!!int x),
        # KeyError (!!bool x), AttributeError (!!timestamp x), TypeError...
        parsed.problems.append(
            Problem(
                "E100",
                f"YAML could not be read ({type(exc).__name__}: {exc}); "
                "is a value written with an explicit tag such as !!int that does not fit it?",
                1,
                1,
            )
        )
    finally:
        loader.dispose()
    return parsed
