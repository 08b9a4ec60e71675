"""Child process for peak_rss_mb_10k: load a story and build its Session, then report ru_maxrss.

Run as ``python -m benchmarks.rss_child FOLDER MODE``; prints one JSON line. MODE is
``cold`` (no cache), ``first`` (a cache miss: load, then write the entry) or ``cached``.
"""

from __future__ import annotations

import json
import resource
import sys
import time


def _vm_hwm_mb() -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def main(folder: str, mode: str) -> None:
    from game.loader import check_story
    from game.session import Session

    start = time.perf_counter()
    story, _ = check_story(folder, use_cache=mode != "cold")  # "first" runs on an empty cache
    assert story is not None
    loaded = time.perf_counter()
    session = Session(story)
    built = time.perf_counter()
    # ru_maxrss is in kilobytes on Linux (bytes on macOS). Linux carries the parent's
    # high-water mark across fork and exec into ru_maxrss, so where the kernel gives
    # this process's own peak (VmHWM) that is used, and both are reported.
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
    peak = _vm_hwm_mb()
    print(json.dumps({
        "peak_rss_mb": round(peak if peak is not None else maxrss, 1),
        "ru_maxrss_mb": round(maxrss, 1),
        "load_s": round(loaded - start, 3),
        "build_s": round(built - loaded, 3),
        "scenes": len(story.scenes),
        "state": session.state,
    }))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
