"""Run every benchmark, print the table and write benchmarks/results.json.

``python -m benchmarks`` (or ``make bench``); ``--only load,play,tui,saves,expr,web,walk`` runs some.
Takes about three minutes on two cores; the synthetic stories are generated on the first run.
The web suite needs Debian's chromium and the test extra; without them it is skipped, with why.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.common import Metric

RESULTS = Path(__file__).resolve().parent / "results.json"


def _expr() -> list[Metric]:
    from benchmarks.bench_expr import bench_condition, bench_template

    return [
        Metric("expr_condition_1m_s", bench_condition(), "<=", 2.0, unit="s",
               raw={"what": "1,000,000 evaluations of a compiled condition (benchmarks/bench_expr.py)"}),
        Metric("expr_template_renders_per_s", bench_template(), ">=", 50_000, unit="renders/s",
               raw={"what": "a 400-word text with three {expr} and one {if} (benchmarks/bench_expr.py)"}),
    ]


def _suites() -> dict[str, Callable[[], list[Metric]]]:
    from benchmarks import bench_load, bench_play, bench_saves, bench_tui, bench_walk, bench_web

    return {
        "load": bench_load.run,
        "play": bench_play.run,
        "tui": bench_tui.run,
        "saves": bench_saves.run,
        "expr": _expr,
        "web": bench_web.run,
        "walk": bench_walk.run,
    }


def table(metrics: list[Metric]) -> str:
    rows = [("key", "value", "target", "pass")]
    for m in metrics:
        value = f"{m.value:,.0f}" if abs(m.value) >= 1000 else f"{m.value:.3g}" if m.value < 10 else f"{m.value:.1f}"
        verdict = "-" if m.op == "report" else "pass" if m.passed else "FAIL"
        rows.append((m.key, f"{value} {m.unit}".strip(), m.target_text, verdict))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", default="", help="comma-separated suites: load, play, tui, saves, expr, web, walk")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    from benchmarks import bench_web

    suites = _suites()
    chosen = [s for s in args.only.split(",") if s] or list(suites)
    started = time.perf_counter()
    metrics: list[Metric] = []
    errors: dict[str, str] = {}
    skipped: dict[str, str] = {}
    for name in chosen:
        print(f"running {name}...", file=sys.stderr, flush=True)
        try:
            metrics.extend(suites[name]())
        except bench_web.Skip as exc:
            skipped[name] = str(exc)
            print(f"  {name} skipped: {exc}", file=sys.stderr)
        except Exception as exc:  # one broken suite (say, the TUI mid-rewrite) must not hide the rest
            errors[name] = f"{type(exc).__name__}: {exc}"
            print(f"  {name} failed: {errors[name]}", file=sys.stderr)
    results = {
        m.key: m.as_dict() for m in metrics
    }
    results["_run"] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds": round(time.perf_counter() - started, 1),
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "suites": chosen,
        "errors": errors,
        "skipped": skipped,
    }
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(metrics))
    for name, why in skipped.items():
        print(f"{name}: skipped ({why})")
    targets = [m for m in metrics if m.op != "report"]
    print(f"\n{len([m for m in targets if m.passed])}/{len(targets)} targets met in "
          f"{results['_run']['seconds']} s; written to {args.out}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
