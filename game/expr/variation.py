"""Text variation ({seq}, {cycle}, {shuffle}, {once}): which alternative a showing gets.

A block does not count its own showings: the game does (``Context.variant``),
once per entry into the block's scene, so redraws, ``look``, the history and a
stay-choice's reply never move it on, and its count is saved and undone with
the rest of the game. Given that count this module only decides what to show.
"""

from __future__ import annotations

import random

KINDS = ("seq", "cycle", "shuffle", "once")


def pick(kind: str, count: int, shown: int, salt: str) -> int | None:
    """The alternative (0-based) to show for the ``shown``-th showing, or None for nothing.

    ``seq`` sticks on its last alternative, ``cycle`` loops, ``once`` shows
    each alternative once and then nothing, and ``shuffle`` deals its
    alternatives like a deck: each round of ``count`` showings shows every one
    once, in an order drawn from ``salt`` (the game's seed and the block's
    address), so the same seed plays the same text.
    """
    if kind == "seq":
        return min(shown, count - 1)
    if kind == "cycle":
        return shown % count
    if kind == "once":
        return shown if shown < count else None
    deal, place = divmod(shown, count)
    order = list(range(count))
    random.Random(f"{salt}/{deal}").shuffle(order)
    return order[place]
