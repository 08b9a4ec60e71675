"""Prints how many cases each fuzzer ran, so `make fuzz` shows its counts."""

from __future__ import annotations

import pytest

from tests.fuzz._support import COUNTS, DETAILS, FULL, TIMINGS, private_story_cache

__all__ = ["private_story_cache"]  # an autouse fixture for every test in tests/fuzz


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TIMINGS:
        terminalreporter.section("fuzz timings")
        for name, seconds in sorted(TIMINGS.items()):
            terminalreporter.write_line(f"  {name:<52} {seconds * 1000:>9.1f} ms")
    if not COUNTS:
        return
    mode = "full (FUZZ_FULL=1)" if FULL else "small (set FUZZ_FULL=1 for the full run)"
    terminalreporter.section(f"fuzz cases run: {mode}")
    for name, n in sorted(COUNTS.items()):
        terminalreporter.write_line(f"  {name:<40} {n:>7,}")
    terminalreporter.write_line(f"  {'total':<40} {sum(COUNTS.values()):>7,}")
    for name, n in sorted(DETAILS.items()):
        terminalreporter.write_line(f"  (of which) {name:<29} {n:>7,}")

