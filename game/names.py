"""Suggesting the name an author probably meant, for every "did you mean" in a message."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, candidates: Iterable[str], otherwise: str = "") -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or ``otherwise`` when none is close.

    ``otherwise`` lets a message list the choices instead (``; the keys are: ...``)
    when the typo is too far from any of them to guess.
    """
    close = difflib.get_close_matches(word, list(candidates), n=1)
    return f" (did you mean '{close[0]}'?)" if close else otherwise
