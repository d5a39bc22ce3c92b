"""Time and peak memory of refusing inputs built to hurt: `python bench/limits.py`.

Each case runs in a fresh child process that writes a small valid project with one bad
file (the cases of the "Limits" section of tests/catalogue.py), validates it, and reports
its own peak resident memory (getrusage). The last row is the largest file that is
accepted, for comparison. The target is well under 500 MB and a second per case.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LIMIT_MB = 500


def _largest_accepted() -> str:
    """A source list just under the 5 MiB limit, every entry valid."""
    from briefsite.read.document import MAX_FILE_BYTES

    entry = ("- id: src-{n}\n  title: Source number {n}\n  url: https://example.org/{n}\n"
             "  accessed: 2020-10-20\n  archive_url: https://archive.example.org/{n}\n  kind: news\n")
    parts, size, n = [], 0, 0
    while True:
        text = entry.format(n=n)
        if size + len(text) > MAX_FILE_BYTES:
            return "".join(parts)
        parts.append(text)
        size += len(text)
        n += 1


def run_one(key: str) -> dict[str, object]:
    """In the child: make the case, validate it, measure."""
    from briefsite.read.library import load_library
    from tests.catalogue import CASES, TODAY, whole, write_project

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if key == "largest-accepted":
            edits = (whole("sources/bulk.yaml", _largest_accepted()),)
        else:
            edits = next(c for c in CASES if c.key == key).edits
        data = write_project(root, edits)
        size = sum(p.stat().st_size for p in data.rglob("*.yaml"))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        os.chdir(root)
        start = time.perf_counter()
        _, report = load_library(Path("data"), today=TODAY)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    errors = [p.format() for p in report.errors]
    return {"case": key, "bytes": size, "seconds": seconds, "rss_before_mb": before / 1024,
            "peak_rss_mb": peak / 1024, "errors": len(errors), "first": errors[0] if errors else ""}


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(run_one(sys.argv[2])))
        return 0
    from tests.catalogue import CASES

    keys = [c.key for c in CASES if c.section == "Limits"] + ["largest-accepted"]
    print(f"{'case':<18} {'input':>12} {'time':>8} {'peak RSS':>9}  message")
    worst = 0.0
    for key in keys:
        child = subprocess.run([sys.executable, __file__, "--one", key], capture_output=True, text=True,
                               cwd=ROOT, timeout=300)
        if child.returncode != 0:
            print(f"{key:<18} failed:\n{child.stderr}")
            return 1
        r = json.loads(child.stdout)
        worst = max(worst, float(r["peak_rss_mb"]))
        first = str(r["first"])
        shown = first if len(first) <= 90 else first[:87] + "..."
        print(f"{key:<18} {int(r['bytes']):>12,} {float(r['seconds']):>7.3f}s {float(r['peak_rss_mb']):>6.0f} MB  "
              f"{shown or '(accepted)'}")
    print(f"worst peak RSS {worst:.0f} MB (target under {LIMIT_MB} MB)")
    return 0 if worst < LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main())
