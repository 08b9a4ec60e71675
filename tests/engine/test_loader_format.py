"""The scene format of issue 12 at load: replies, stay-choices, routes, again, templates in titles and locked reasons."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from game.loader import check_story, load_story
from game.story.diagnostics import Diagnostic

MakeStory = Callable[..., Path]

SCENES = """\
scenes:
  - id: a
    title: "Day {visits()}"
    text: "The door."
    again: "{seq}The door, again.{or}The door, once more.{end}"
    choices:
      - label: Knock
        reply: "Nobody answers. You have {words(freedom)} {plural(freedom, \\"point\\", \\"points\\")}."
        once: true
      - label: Listen
        reply: Footsteps.
        to: b
      - label: Go
        to:
          - {if: flag, to: good}
          - if: freedom >= 50
            to: b
          - {to: bad}
      - label: Wait
        to: b
        if: freedom >= 60
        locked: "{if flag}Not while the flag is up.{else}Not yet.{end}"
  - id: b
    title: "Braces {{like this}}"
    text: Middle.
    choices:
      - {label: Onward, to: good}
  - id: good
    title: Free
    ending: good
    text: Free.
  - id: bad
    title: Bound
    ending: bad
    text: Bound.
"""


def errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.is_error]


def only_error(make_story: MakeStory, scenes: str, code: str) -> Diagnostic:
    story, diagnostics = check_story(make_story(scenes), use_cache=False)
    found = errors(diagnostics)
    assert story is None and [d.code for d in found] == [code], found
    return found[0]


def test_the_new_keys_load_into_the_model(make_story: MakeStory) -> None:
    story = load_story(make_story(SCENES), use_cache=False)
    a = story.scenes["a"]
    knock, listen, go, wait = a.choices
    assert knock.stay and knock.target == "a" and knock.once and knock.routes == ()
    assert knock.reply is not None and "words(freedom)" in knock.reply.source
    assert not listen.stay and listen.target == "b" and listen.reply is not None and listen.reply.source == "Footsteps."
    assert not go.stay and go.target == "bad" and [r.target for r in go.routes] == ["good", "b", "bad"]
    conditions = [r.condition.source if r.condition is not None else None for r in go.routes]
    assert conditions == ["flag", "freedom >= 50", None]
    assert [r.pos.line for r in go.routes] == [15, 17, 18]
    assert go.pos.line == 18  # the choice's position is its default route's
    assert wait.locked is not None and wait.locked.source.startswith("{if flag}")
    assert a.again is not None and a.again.variations == (("seq", 2),)
    assert a.title == "Day {visits()}" and a.title_template is not None and not a.title_template.is_static
    b = story.scenes["b"]
    assert b.title == "Braces {like this}" and b.title_template is None
    assert story.scenes["good"].title_template is None and story.scenes["good"].again is None


def test_the_new_fields_survive_the_cache(make_story: MakeStory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("METALLIC_ROUGE_CACHE", str(tmp_path / "cache"))
    root = make_story(SCENES)
    fresh = load_story(root)
    cached = load_story(root)
    assert list((tmp_path / "cache").glob("*.story.json"))
    for scene_id, scene in fresh.scenes.items():
        again = cached.scenes[scene_id]
        assert again == scene
        assert (again.title_template.source if again.title_template else None) == (
            scene.title_template.source if scene.title_template else None
        )
        for mine, theirs in zip(scene.choices, again.choices, strict=True):
            assert (mine.stay, mine.target, mine.routes, mine.reply, mine.locked) == (
                theirs.stay,
                theirs.target,
                theirs.routes,
                theirs.reply,
                theirs.locked,
            )


def test_a_choice_with_neither_to_nor_reply_is_an_error_at_the_choice(make_story: MakeStory) -> None:
    knock_reply = '        reply: "Nobody answers. You have {words(freedom)} {plural(freedom, \\"point\\", \\"points\\")}."\n'
    assert knock_reply in SCENES
    err = only_error(make_story, SCENES.replace(knock_reply, ""), "E111")
    assert err.line == 7 and "needs 'to:'" in err.message and "'reply:'" in err.message


def test_a_route_list_needs_a_last_default(make_story: MakeStory) -> None:
    err = only_error(make_story, SCENES.replace("          - {to: bad}\n", ""), "E114")
    assert err.line == 16 and "no default" in err.message


def test_a_route_after_the_default_is_an_error(make_story: MakeStory) -> None:
    err = only_error(make_story, SCENES.replace("          - {to: bad}\n", "          - {to: bad}\n          - {if: flag, to: b}\n"), "E114")
    assert err.line == 19 and "never tried" in err.message and "line 18" in err.message


def test_a_default_before_the_end_is_an_error(make_story: MakeStory) -> None:
    err = only_error(make_story, SCENES.replace("          - {if: flag, to: good}\n", "          - {to: good}\n"), "E114")
    assert err.line == 16


def test_an_unknown_route_target_is_reported_with_a_suggestion(make_story: MakeStory) -> None:
    err = only_error(make_story, SCENES.replace("- {if: flag, to: good}", "- {if: flag, to: goood}"), "E201")
    assert err.line == 15 and "route target 'goood' is not a scene" in err.message and "did you mean 'good'" in err.message


def test_a_bad_route_condition_is_reported_where_it_is_written(make_story: MakeStory) -> None:
    err = only_error(make_story, SCENES.replace("if: freedom >= 50", "if: fredom >= 50"), "E221")
    assert err.line == 16 and "route 2" in err.message and "did you mean 'freedom'" in err.message


@pytest.mark.parametrize(
    ("old", "new", "code", "line", "words"),
    [
        ("          - {to: bad}\n", "          - bad\n", "E112", 18, "should be a mapping"),
        ("- {if: flag, to: good}", "- {if: flag, goto: good}", "E110 E111", 15, "unknown key 'goto'"),
        ("- {if: flag, to: good}", "- {if: true, to: good}", "E112", 15, "'if'"),
        ("        to:\n          - {if: flag, to: good}\n          - if: freedom >= 50\n            to: b\n          - {to: bad}\n", "        to: []\n", "E112", 14, "empty"),
        ("        to: b\n        if: freedom >= 60", "        to: 3\n        if: freedom >= 60", "E112", 20, "'to'"),
    ],
)
def test_malformed_routes(make_story: MakeStory, old: str, new: str, code: str, line: int, words: str) -> None:
    assert old in SCENES
    story, diagnostics = check_story(make_story(SCENES.replace(old, new)), use_cache=False)
    found = errors(diagnostics)
    assert story is None and sorted(d.code for d in found) == code.split(), found
    assert all(d.line == line for d in found) and any(words in d.message for d in found)


@pytest.mark.parametrize(
    ("old", "new", "line", "where"),
    [
        ("The door, again.{or}", "The door, {nobody}.{or}", 5, "'again' text of 'a'"),
        ('title: "Day {visits()}"', 'title: "Day {visits(}"', 3, "title of 'a'"),
        ("{else}Not yet.{end}", "{else}Not {yet}.{end}", 22, "locked reason of choice 4"),
        ("reply: Footsteps.", "reply: \"Foot{steps}.\"", 11, "reply of choice 2"),
    ],
)
def test_templates_in_again_titles_locked_and_replies_are_checked(make_story: MakeStory, old: str, new: str, line: int, where: str) -> None:
    assert old in SCENES
    story, diagnostics = check_story(make_story(SCENES.replace(old, new)), use_cache=False)
    (err,) = errors(diagnostics)
    assert story is None and err.code in ("E220", "E221") and err.line == line and where in err.message


def test_an_again_text_on_an_ending_is_a_warning(make_story: MakeStory) -> None:
    story, diagnostics = check_story(make_story(SCENES.replace("    text: Free.\n", "    text: Free.\n    again: Again.\n")), use_cache=False)
    assert story is not None
    assert [(d.code, d.line) for d in diagnostics] == [("W111", 32)]


@pytest.mark.parametrize("name", ["seq", "cycle", "shuffle", "once", "or"])
def test_a_variable_named_like_a_variation_tag_is_refused(make_story: MakeStory, name: str) -> None:
    manifest = f"""\
story:
  id: tiny
  title: Tiny
  version: 1.0.0
  start: a
  variables:
    {name}: {{type: bool, default: false}}
  endings:
    good: {{title: Good}}
"""
    scenes = "scenes:\n  - {id: a, title: A, text: A., ending: good}\n"
    _, diagnostics = check_story(make_story(scenes, manifest), use_cache=False)
    (err,) = errors(diagnostics)
    assert err.code == "E113" and err.line == 7 and "reserved" in err.message and "text-variation tag" in err.message


MANIFEST_MORE = """\
story:
  id: tiny
  title: Tiny
  version: 1.0.0
  start: a
  variables:
    held: {type: int, default: 0, min: 0, max: 20}
  invariants:
    - {check: "held <= 9", message: "more Ids than there are Nine"}
    - check: held >= 0
      message: never negative
  endings:
    good: {title: Good}
"""
ENDING_ONLY = "scenes:\n  - {id: a, title: A, text: A., ending: good}\n"


def test_invariants_compile_with_their_messages(make_story: MakeStory) -> None:
    story = load_story(make_story(ENDING_ONLY, MANIFEST_MORE), use_cache=False)
    first, second = story.invariants
    assert (first.source, first.message, first.pos.line) == ("held <= 9", "more Ids than there are Nine", 9)
    assert (second.source, second.message, second.pos.line) == ("held >= 0", "never negative", 10)
    assert first.check.reads == frozenset({"held"})


@pytest.mark.parametrize(
    ("old", "new", "code", "line", "words"),
    [
        ('check: "held <= 9"', 'check: "hold <= 9"', "E221", 9, "did you mean 'held'"),
        ('check: "held <= 9"', 'check: "held + 9"', "E220", 9, "invariant 1"),
        ("      message: never negative\n", "", "E111", 10, "missing 'message'"),
        ('    - {check: "held <= 9", message: "more Ids than there are Nine"}', "    - held <= 9", "E112", 9, "should be a mapping"),
        ("      message: never negative", "      message: never negative\n      level: 3", "E110", 12, "unknown key 'level'"),
    ],
)
def test_bad_invariants(make_story: MakeStory, old: str, new: str, code: str, line: int, words: str) -> None:
    assert old in MANIFEST_MORE
    story, diagnostics = check_story(make_story(ENDING_ONLY, MANIFEST_MORE.replace(old, new)), use_cache=False)
    (err,) = errors(diagnostics)
    assert story is None and err.code == code and err.line == line and err.path.endswith("story.yaml") and words in err.message


def art_story(make_story: MakeStory, art: str | bytes | None, name: str = "art/title.txt") -> Path:
    root = make_story(ENDING_ONLY, MANIFEST_MORE.replace("  endings:", f"  title_art: {name}\n  endings:"))
    if art is not None:
        (root / "art").mkdir(exist_ok=True)
        target = root / "art" / "title.txt"
        if isinstance(art, bytes):
            target.write_bytes(art)
        else:
            target.write_text(art, encoding="utf-8")
    return root


def test_title_art_is_read_from_the_story_folder(make_story: MakeStory) -> None:
    story = load_story(art_story(make_story, "  /\\\\\n /  \\\\ TINY\n\n"), use_cache=False)
    assert story.title_art == "  /\\\\\n /  \\\\ TINY" and story.title_art_file == "art/title.txt"
    assert load_story(make_story(ENDING_ONLY, MANIFEST_MORE), use_cache=False).title_art is None


@pytest.mark.parametrize(
    ("art", "name", "words"),
    [
        (None, "art/title.txt", "not found"),
        ("x" * 20000, "art/title.txt", "at most 16384 bytes"),
        (b"\xff\xfe art", "art/title.txt", "not UTF-8"),
        ("   \n", "art/title.txt", "empty"),
        ("art", "../outside.txt", "outside the story folder"),
        ("art", "art", "not a file"),
    ],
)
def test_bad_title_art_is_an_error_at_the_key(make_story: MakeStory, art: str | bytes | None, name: str, words: str) -> None:
    story, diagnostics = check_story(art_story(make_story, art, name), use_cache=False)
    (err,) = errors(diagnostics)
    assert story is None and err.code == "E121" and err.line == 12 and err.path.endswith("story.yaml") and words in err.message


def test_wide_title_art_is_a_warning(make_story: MakeStory) -> None:
    story, diagnostics = check_story(art_story(make_story, "=" * 90), use_cache=False)
    assert story is not None and [(d.code, d.line) for d in diagnostics] == [("W121", 12)]


def test_the_cache_notices_an_edited_or_added_art_file(make_story: MakeStory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("METALLIC_ROUGE_CACHE", str(tmp_path / "cache"))
    root = art_story(make_story, "FIRST")
    assert load_story(root).title_art == "FIRST"
    assert load_story(root).title_art == "FIRST"  # from the cache
    (root / "art" / "title.txt").write_text("SECOND")
    assert load_story(root).title_art == "SECOND"
    (root / "art" / "title.txt").unlink()
    story, diagnostics = check_story(root)
    assert story is None and [d.code for d in errors(diagnostics)] == ["E121"]
    (root / "art" / "title.txt").write_text("THIRD")
    assert load_story(root).title_art == "THIRD"


def test_a_bare_no_as_a_reply_is_explained(make_story: MakeStory) -> None:
    err = only_error(make_story, SCENES.replace("reply: Footsteps.", "reply: No"), "E112")
    assert err.line == 11 and "not false (true/false)" in err.message and "put the text in quotes" in err.message
