"""The STIX export at scale: the bundles of a synthetic library, their sizes, the time to make
them, and the whole site's bundle checked as `stix2_validator --version 2.1 --strict
--enforce-refs` and `stix2.parse(..., allow_custom=False)` check it (the tests check 200
briefings; this checks as many as asked, 1,000 by default).

    python -m bench.stix [--briefings 1000] [--seed 1] [--no-check]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402


def measure(library: Any, check: bool = True) -> dict[str, Any]:
    """Make the site's bundle and every briefing's from a loaded library; time them and, with
    `check`, validate the site's bundle strictly and parse it."""
    from briefsite.render import stix

    # What the render stage's index gives the bundles: each actor's span, found once.
    spans = stix.spans_of(library)
    start = time.perf_counter()
    site = stix.to_json(stix.site_bundle(library, spans)).encode("utf-8")
    site_seconds = time.perf_counter() - start
    start = time.perf_counter()
    sizes = {bid: len(stix.to_json(stix.briefing_bundle(library, bid, spans)).encode("utf-8"))
             for bid in library.briefings}
    per_seconds = time.perf_counter() - start
    largest = max(sizes, key=lambda bid: sizes[bid])
    found: dict[str, Any] = {"briefings": len(library.briefings), "site_bytes": len(site),
                             "site_objects": site.count(b"\n") - 1, "site_seconds": site_seconds,
                             "per_briefing_seconds": per_seconds, "largest": [largest, sizes[largest]],
                             "per_briefing_bytes": sum(sizes.values())}
    if check:
        found.update(check_bundle(site.decode("utf-8")))
    return found


def check_bundle(text: str) -> dict[str, Any]:
    """Strict validation (its errors, and its time) and stix2's parsing (its time)."""
    import stix2
    from stix2validator import ValidationOptions, validate_string

    start = time.perf_counter()
    result = validate_string(text, ValidationOptions(version="2.1", strict=True, enforce_refs=True))
    validate_seconds = time.perf_counter() - start
    start = time.perf_counter()
    stix2.parse(text, allow_custom=False)
    return {"valid": result.is_valid, "errors": [str(e) for e in result.errors][:20],
            "validate_seconds": validate_seconds, "parse_seconds": time.perf_counter() - start}


def report_line(found: dict[str, Any]) -> str:
    line = (f"STIX: bundle.json {found['site_bytes'] / 2**20:.1f} MiB ({found['site_objects']} objects) in "
            f"{found['site_seconds']:.2f} s; {found['briefings']} briefings' bundles "
            f"{found['per_briefing_seconds']:.2f} s, {found['per_briefing_bytes'] / 2**20:.1f} MiB, the largest "
            f"{found['largest'][1] / 1024:.0f} KB ({found['largest'][0]})")
    if "valid" in found:
        verdict = "passed" if found["valid"] else "FAILED"
        line += (f"; strict validation {verdict} in {found['validate_seconds']:.1f} s, "
                 f"stix2.parse {found['parse_seconds']:.1f} s")
        line += "".join(f"\n    {error}" for error in found["errors"])
    return line


def main(argv: list[str] | None = None) -> int:
    from briefsite.read.library import load_library

    parser = argparse.ArgumentParser(prog="python -m bench.stix", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--briefings", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-check", action="store_true", help="sizes and times only, no validation")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="briefsite-stix-") as folder:
        start = time.perf_counter()
        generate(Path(folder), args.briefings, args.seed)
        library, report = load_library(Path(folder))
        if library is None:
            print("\n".join(p.format() for p in report.errors))
            return 1
        print(f"{args.briefings} synthetic briefings generated and loaded in {time.perf_counter() - start:.1f} s")
        found = measure(library, check=not args.no_check)
    print(report_line(found))
    return 0 if found.get("valid", True) else 1


if __name__ == "__main__":
    sys.exit(main())
