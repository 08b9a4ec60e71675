"""The outside reader's findings of issue #14, pinned: each test puts the game in
the state the reader was in and checks what the page or the menu now says."""

from __future__ import annotations

from functools import cache

from game.loader import load_story
from game.session import Session
from game.state import SessionState
from game.story import Story
from game.story.model import Value
from tests.conftest import SCENES


@cache
def _story() -> Story:
    return load_story(SCENES)


def at(scene: str, visits: dict[str, int] | None = None, **values: Value) -> Session:
    """A session standing in ``scene`` with the defaults and ``values`` set."""
    story = _story()
    session = Session(story)
    session.restore(SessionState(scene=scene, vars={**story.defaults(), **values}, visits=visits or {}))
    return session


def labels(session: Session) -> list[str]:
    return [view.label for view in session.choices()]


def test_the_alice_question_is_hidden_once_aerkos_is_in_the_case() -> None:
    assert not any("ordinary life" in label for label in labels(at("venus.cell", nine_aerkos="slain")))
    assert any("ordinary life" in label for label in labels(at("venus.cell", nine_aerkos="spared")))


def test_jean_says_you_were_ordered_only_to_an_obedient_rouge() -> None:
    assert "You were ordered to." in at("venus.jean", second_law=90).text()
    free = at("venus.jean", second_law=0).text()
    assert "You were ordered to." not in free and "Nobody sent you" in free


def test_the_obedient_rouge_has_an_answer_for_jean_at_the_top_of_the_ladder() -> None:
    options = labels(at("earth.jean_arrives", visits={"earth.archive_rouge": 1}))
    assert "Tell him what you saw in the archive, as he asks." in options
    assert len(options) >= 2


def test_the_warned_rouge_is_not_offered_the_warning_again() -> None:
    assert "Call Jean and warn him." in labels(at("raid.start"))
    warned = at("raid.start", earth_warned_jean=True)
    assert "Call Jean and warn him." not in labels(warned)
    assert "You warned him three days ago" in warned.text()


def test_the_puppet_master_answers_i_decided_to() -> None:
    text = at("carn.memory", carn_decided=True).text()
    assert "ticking a box" not in text and '"Decided," he repeats' in text


def test_the_glass_remembers_which_answer_was_given() -> None:
    assert "parcel he ordered" in at("earth.naomi_visit", earth_glass_repeated=True, jean_trust=40).text()
    assert "parcel he ordered" not in at("earth.naomi_visit", jean_trust=90).text()


def test_the_warning_shows_in_the_square() -> None:
    text = at("wells.night", wells_warned=True).text()
    assert "since you said you would warn them" in text
    assert "Naomi has not said a word" not in text


def test_chocolate_labels_say_last_only_for_the_last_bar() -> None:
    assert any("your last" in label for label in labels(at("venus.carnival", chocolate=1)))
    assert not any("your last" in label for label in labels(at("venus.carnival", chocolate=9)))


def test_the_descent_names_the_kit_bars_when_no_others_were_got() -> None:
    assert "two bars of chocolate in your pocket, what is left of the three" in " ".join(
        at("pro.descent", chocolate=2).text().split()
    )
    assert "what is left of the three" not in at("pro.descent", chocolate=3, pro_extra_bars=True).text()
