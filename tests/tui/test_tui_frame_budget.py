"""What keeps a choice -> frame short: no garbage collection in between, and no work for what did not change.

The timings themselves are measured by ``make bench`` (choice_render_p95_ms); these
tests check the mechanisms, which hold on any machine however busy.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.visual import Visual

from game.session import ChoiceView
from game.tui.heap import YOUNG_THRESHOLD
from game.tui.widgets.choices import ChoiceItem, ChoiceList
from game.tui.widgets.narrative import NarrativeView
from tests.conftest import SCENES
from tests.tui.conftest import make_app, play, scene_text, screen_text, settle, start_game

TO_ORDERS = [1, 1, 1, 1, 1]  # the demo's shortest way to an ending


class _Collections:
    """Counts the collector's passes while armed."""

    def __init__(self) -> None:
        self.armed = False
        self.passes: list[int] = []

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if self.armed and phase == "start":
            self.passes.append(info["generation"])


async def test_no_collection_runs_between_a_choice_key_and_its_frame(saves: Path) -> None:
    app = make_app(saves)
    shown: list[float] = []
    counter = _Collections()

    def frame() -> None:
        # Hooks run before the app's own collection after the frame: disarmed here,
        # only what ran between the key and the frame is counted.
        counter.armed = False
        shown.append(time.perf_counter())

    app.scene_rendered_hooks.append(frame)
    gc.callbacks.append(counter)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await start_game(pilot)
            for pick in TO_ORDERS[:-1]:
                shown.clear()
                counter.armed = True
                await pilot.press(str(pick))
                while not shown:
                    await pilot.pause(0.001)
            assert app.scene_rendered_count >= len(TO_ORDERS)
    finally:
        gc.callbacks.remove(counter)
    assert counter.passes == []


async def test_the_app_leaves_the_collector_as_it_found_it(saves: Path) -> None:
    before = gc.get_threshold()
    app = make_app(saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        await start_game(pilot, [1, 1])
        assert gc.get_freeze_count() > 0  # the story and the game screen, out of the collector's way
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def _view(number: int, label: str, available: bool = True) -> ChoiceView:
    return ChoiceView(number=number, choice=None, label=label, available=available)  # type: ignore[arg-type]


class _Choices(App[None]):
    CSS_PATH = Path(__file__).resolve().parents[2] / "game" / "tui" / "styles" / "game.tcss"

    def compose(self) -> ComposeResult:
        yield ChoiceList(id="choices")


async def test_a_choice_relabelled_at_the_same_height_is_repainted_not_laid_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A layout reflows the whole screen (~3 ms at 100x30 on this project's machines);
    # most scenes' choices take one line each, as the last scene's did.
    app = _Choices()
    async with app.run_test(size=(80, 24)) as pilot:
        choices = app.query_one(ChoiceList)
        choices.set_choices([_view(1, "Go left."), _view(2, "Go right.")])
        await pilot.pause()
        layouts: list[bool] = []
        real = ChoiceItem.refresh

        def refresh(self: ChoiceItem, *regions: Any, **kwargs: Any) -> Any:
            layouts.append(bool(kwargs.get("layout")))
            return real(self, *regions, **kwargs)

        monkeypatch.setattr(ChoiceItem, "refresh", refresh)
        choices.set_choices([_view(1, "Wait."), _view(2, "Run.")])
        assert layouts == [False, False]
        await pilot.pause()
        layouts.clear()
        choices.set_choices([_view(1, "Wait. " * 30), _view(2, "Run.")])
        assert layouts == [True]  # two lines now: its height changed
        await pilot.pause()
        assert "Wait." in str(app.query(ChoiceItem).first().render())


async def test_the_scene_text_is_wrapped_once_a_scene(saves: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The narrative draws cached strips: the text is wrapped when a scene arrives, not
    # again for the layout's height, the render, or a resize that keeps the width.
    wraps: list[str] = []
    real = Visual.to_strips

    def to_strips(widget: Any, visual: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(widget, NarrativeView) and str(visual) == widget.text:
            wraps.append(widget.text)
        return real(widget, visual, *args, **kwargs)

    monkeypatch.setattr(Visual, "to_strips", staticmethod(to_strips))
    app = make_app(saves)
    async with app.run_test(size=(100, 30)) as pilot:
        # The first scene is wrapped at both widths: with and without the scrollbar.
        await start_game(pilot)
        wraps.clear()
        await play(pilot, [1, 1])
        await pilot.resize_terminal(100, 32)  # taller, the same width
        await settle(pilot)
        assert scene_text(app)[:30] in screen_text(app)
    assert len(wraps) == 2


async def test_text_that_scrolls_gives_the_scrollbar_its_column(saves: Path) -> None:
    app = make_app(saves, story=SCENES)  # the campaign's first scene: ~57 lines at its 77-column measure
    async with app.run_test(size=(100, 90)) as pilot:
        await start_game(pilot)
        narrative = app.screen.query_one(NarrativeView)
        width, height = narrative.content_size
        assert narrative.virtual_size.height <= height  # it fits: the whole width, no scrollbar
        assert narrative.virtual_size.width == width and not narrative.show_vertical_scrollbar
        await pilot.resize_terminal(100, 24)
        await settle(pilot)
        width, height = narrative.content_size
        assert narrative.virtual_size.height > height
        assert narrative.show_vertical_scrollbar and narrative.virtual_size.width == width - 1
        # The lines drawn are those of the narrower wrap: none runs under the scrollbar.
        assert all(narrative.render_line(y).cell_length <= width - 1 for y in range(height))
