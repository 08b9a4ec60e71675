"""Benchmarks for issue 6: run them all with ``python -m benchmarks`` (or ``make bench``)."""
