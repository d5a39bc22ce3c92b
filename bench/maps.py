"""The locator maps at scale: how many distinct areas a synthetic library has, the time to draw
their basemaps (once each: the build keeps them), the time each page adds to put its places on
one, and the sizes of the maps as pages carry them.

    python -m bench.maps [--briefings 1000,5000] [--seed 1]
"""

from __future__ import annotations

import argparse
import gzip
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402


def measure(library: Any) -> dict[str, Any]:
    """Draw every distinct area's basemap, then every briefing's map on it, timing both."""
    from briefsite.incremental.maps import KeptMaps
    from briefsite.maps.basemap import basemap
    from briefsite.render import maps
    from briefsite.render.words import words_for

    basemap.cache_clear()  # nothing drawn or loaded before counts (another size, in this process)
    maps.drawn_layers_forgotten()
    start = time.perf_counter()
    for scale in ("50m", "10m"):
        basemap(scale)
    load_seconds = time.perf_counter() - start
    areas = sorted({a for b in library.briefings.values() if (a := maps.area_of(b.area))}, key=repr)
    kept = KeptMaps()
    drawing = []
    for area in areas:
        start = time.perf_counter()
        maps.layer_for((area,), kept)
        drawing.append(time.perf_counter() - start)
    words = words_for(library.site.language)
    placing, sizes, zipped = [], [], []
    for b in library.briefings.values():
        start = time.perf_counter()
        html = maps.briefing_map(library, b, kept, words, lambda n: f"#event-{n}")
        placing.append(time.perf_counter() - start)
        svg = html[html.index("<svg"):html.index("</svg>") + 6] if html else ""
        if svg:
            sizes.append(len(svg.encode("utf-8")))
            zipped.append(len(gzip.compress(svg.encode("utf-8"))))
    return {"briefings": len(library.briefings), "areas": len(areas), "basemap_seconds": load_seconds,
            "draw_total": sum(drawing), "draw_median": statistics.median(drawing), "draw_max": max(drawing),
            "place_total": sum(placing), "place_median": statistics.median(placing),
            "svg_median": statistics.median(sizes), "svg_max": max(sizes), "gzip_max": max(zipped),
            "kept_bytes": len(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))}


def line(found: dict[str, Any]) -> str:
    ms = {key: 1000 * found[key] for key in ("draw_median", "draw_max", "place_median")}
    kb = {key: found[key] / 1024 for key in ("svg_median", "svg_max", "gzip_max")}
    return (f"maps at {found['briefings']:,}: {found['areas']:,} distinct areas, basemaps drawn in "
            f"{found['draw_total']:.1f} s (median {ms['draw_median']:.0f} ms, max {ms['draw_max']:.0f} ms; "
            f"loading the basemap {found['basemap_seconds']:.1f} s), kept in {found['kept_bytes'] / 2**20:.1f} MiB "
            f"of the store; each page's places {ms['place_median']:.1f} ms (all {found['place_total']:.1f} s); "
            f"SVG median {kb['svg_median']:.0f} KB, max {kb['svg_max']:.0f} KB ({kb['gzip_max']:.0f} KB gzipped; "
            "budget 60 / 20)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--briefings", default="1000,5000", help="sizes, comma-separated (default 1000,5000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    from briefsite.read.library import load_library

    for n in (int(s) for s in args.briefings.split(",") if s.strip()):
        with tempfile.TemporaryDirectory() as tmp:
            generate(Path(tmp) / "data", n, seed=args.seed)
            library, report = load_library(Path(tmp) / "data")
            if library is None:
                print(f"the corpus of {n} did not load: {[p.format() for p in report.errors][:3]}")
                return 1
            print(line(measure(library)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
