"""What a map shows and how: the frame around an area (countries, or a box of longitude and
latitude), in a Lambert azimuthal equal-area projection centred on it (PROJ, through pyproj),
scaled to the drawing's pixels.

Equal-area and centred: sizes compare truly across the map, and the distortion of shapes
stays small over the few thousand kilometres a locator map covers; a box across the
antimeridian or near a pole needs no special case, as the projection's centre is the area's.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Proj
from shapely.geometry.base import BaseGeometry

from .basemap import basemap

WIDTH = 640
"""The drawing's width in pixels (it scales down to the column on a phone)."""
MIN_RATIO, MAX_RATIO = 0.55, 1.0
"""The height as a share of the width: an area's shape within these bounds, padded to fit."""
PADDING = 0.12
"""Room around the area, as a share of its size: its neighbours show, and the labels fit."""
DETAILED_BELOW_KM = 900.0
"""A frame narrower than this is drawn on the 1:10m basemap, wider ones on 1:50m..."""
COARSE_FROM_KM = 6000.0
"""... and one this wide or wider (a continent) on 1:110m, five times faster to draw."""
MIN_SPAN_KM = 60.0
"""The smallest frame: a box around a town is widened to show its surroundings."""


@dataclass(frozen=True)
class Frame:
    """A map's projection and its window onto it: a point (lat, lon) goes to pixels (x, y)."""

    lat0: float
    lon0: float
    left: float
    """Projected metres at the drawing's left edge."""
    top: float
    """Projected metres at the drawing's top edge."""
    metres_per_pixel: float
    width: int
    height: int

    @property
    def scale(self) -> str:
        km = self.width * self.metres_per_pixel / 1000
        return "10m" if km < DETAILED_BELOW_KM else "50m" if km < COARSE_FROM_KM else "110m"

    def to_pixels(self, lons: np.ndarray, lats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        xs, ys = _projection(round(self.lat0, 6), round(self.lon0, 6))(lons, lats)
        return (np.asarray(xs) - self.left) / self.metres_per_pixel, (self.top - np.asarray(ys)) / self.metres_per_pixel

    def point(self, lat: float, lon: float) -> tuple[float, float]:
        xs, ys = self.to_pixels(np.array([lon]), np.array([lat]))
        return float(xs[0]), float(ys[0])

    def inside(self, x: float, y: float, margin: float = 0.0) -> bool:
        return margin <= x <= self.width - margin and margin <= y <= self.height - margin

    def geometries(self, shapes: Sequence[BaseGeometry]) -> list[BaseGeometry]:
        """Shapes of longitude/latitude in pixels, clipped to the drawing: all at once (shapely's
        functions over arrays, one call to PROJ), each one a collection of its pieces, never
        united (the basemap's shapes are taken as they are, not all valid)."""
        if not shapes:
            return []
        # detail far finer than a pixel goes before projecting: fewer points to project and simplify
        degrees = 0.3 * self.metres_per_pixel / 111_000
        pieces: list[list[BaseGeometry]] = [[] for _ in shapes]
        for box in self.lonlat_boxes:
            near = shapely.simplify(shapely.clip_by_rect(np.asarray(shapes, dtype=object), *box), degrees,
                                    preserve_topology=False)
            drawn = shapely.clip_by_rect(shapely.transform(near, self._transform), 0, 0, self.width, self.height)
            for found, one in zip(pieces, drawn, strict=True):
                if not one.is_empty:
                    found.extend(p for p in shapely.get_parts(one) if not p.is_empty)
        return [shapely.GeometryCollection(found) for found in pieces]

    def _transform(self, coords: np.ndarray) -> np.ndarray:
        xs, ys = self.to_pixels(coords[:, 0], coords[:, 1])
        return np.column_stack([xs, ys])

    @functools.cached_property
    def lonlat_boxes(self) -> tuple[tuple[float, float, float, float], ...]:
        """Boxes of longitude/latitude that hold the drawing (two across the antimeridian, one
        around the globe when it holds a pole), with a margin: shapes are clipped to these
        before they are projected, so that nothing from the far side of the globe is drawn."""
        t = _projection(round(self.lat0, 6), round(self.lon0, 6))
        edge = np.linspace(0, 1, 25)
        w, h = self.width * self.metres_per_pixel, self.height * self.metres_per_pixel
        xs = self.left + np.concatenate([edge * w, np.full(25, w), edge * w, np.zeros(25)])
        ys = self.top - np.concatenate([np.zeros(25), edge * h, np.full(25, h), edge * h])
        lons, lats = t(xs, ys, inverse=True)
        south, north = max(-90.0, float(np.min(lats)) - 2), min(90.0, float(np.max(lats)) + 2)
        pole_x, pole_y = self.point(90.0 if self.lat0 > 0 else -90.0, self.lon0)
        if self.inside(pole_x, pole_y):
            return ((-180.0, south, 180.0, 90.0),) if self.lat0 > 0 else ((-180.0, -90.0, 180.0, north),)
        relative = (np.asarray(lons) - self.lon0 + 180.0) % 360.0 - 180.0
        west, east = self.lon0 + float(np.min(relative)) - 2, self.lon0 + float(np.max(relative)) + 2
        if west < -180:
            return ((west + 360, south, 180.0, north), (-180.0, south, east, north))
        if east > 180:
            return ((west, south, 180.0, north), (-180.0, south, east - 360, north))
        return ((west, south, east, north),)

    def km_per_pixel(self) -> float:
        return self.metres_per_pixel / 1000


@functools.cache
def _projection(lat0: float, lon0: float) -> Proj:
    """The projection centred there, longitude and latitude in (WGS84) to metres out: a Proj,
    which PROJ makes in a quarter of a millisecond (a Transformer takes 9)."""
    return Proj(f"+proj=laea +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m")


def main_parts(shape: BaseGeometry) -> BaseGeometry:
    """A country's parts that make its extent: those at least a quarter the size of its largest
    (Russia without Chukotka's side of the antimeridian, France without its overseas regions,
    French Guiana being a sixth of the mainland's size)."""
    parts = list(shapely.get_parts(shape))
    largest = max(p.area for p in parts)
    return shapely.MultiPolygon([p for p in parts if p.area >= largest / 4])


def codes_outline(codes: Sequence[str]) -> np.ndarray | None:
    """The points (longitude, latitude) of these countries' main parts (None if the basemap
    knows none of the codes)."""
    world = basemap("50m")
    shapes = [main_parts(world.by_key[c].shape) for c in codes if c in world.by_key]
    if not shapes:
        return None
    return np.concatenate([np.asarray(shapely.get_coordinates(s)) for s in shapes])


def box_outline(south: float, west: float, north: float, east: float) -> np.ndarray:
    """Points along a box's edges; west > east runs east over the antimeridian."""
    span = (east - west) % 360 or 360
    edge = np.linspace(0, 1, 21)
    lons = np.concatenate([west + edge * span, np.full(21, west + span), west + edge * span, np.full(21, west)])
    lats = np.concatenate([np.full(21, south), south + edge * (north - south), np.full(21, north),
                           south + edge * (north - south)])
    return np.column_stack([(lons + 180) % 360 - 180, lats])


def frame_around(outline: np.ndarray) -> Frame:
    """The frame around these points (longitude, latitude)."""
    return _frame_around(outline[:, 0], outline[:, 1])


def _frame_around(lons: np.ndarray, lats: np.ndarray) -> Frame:
    lon0 = _middle_longitude(lons)
    lat0 = (float(np.min(lats)) + float(np.max(lats))) / 2
    xs, ys = _projection(round(lat0, 6), round(lon0, 6))(lons, lats)
    xs, ys = np.asarray(xs), np.asarray(ys)
    x0, x1, y0, y1 = float(np.min(xs)), float(np.max(xs)), float(np.min(ys)), float(np.max(ys))
    span_x = max(x1 - x0, MIN_SPAN_KM * 1000)
    span_y = max(y1 - y0, MIN_SPAN_KM * 1000 * MIN_RATIO)
    span_x, span_y = span_x * (1 + 2 * PADDING), span_y * (1 + 2 * PADDING)
    ratio = min(max(span_y / span_x, MIN_RATIO), MAX_RATIO)
    if span_y / span_x > ratio:
        span_x = span_y / ratio
    else:
        span_y = span_x * ratio
    height = round(WIDTH * ratio)
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    metres_per_pixel = span_x / WIDTH
    return Frame(round(lat0, 6), round(lon0, 6), mx - WIDTH * metres_per_pixel / 2, my + height * metres_per_pixel / 2,
                 metres_per_pixel, WIDTH, height)


def _middle_longitude(lons: np.ndarray) -> float:
    """The middle of the longitudes, the short way round: the widest gap between them is the
    part of the globe they leave out (across the antimeridian, for Chukotka and Alaska)."""
    ordered = np.sort(np.asarray(lons) % 360)
    gaps = np.diff(np.concatenate([ordered, [ordered[0] + 360]]))
    widest = int(np.argmax(gaps))
    start = ordered[(widest + 1) % len(ordered)]
    extent = 360 - float(gaps[widest])
    return float((start + extent / 2 + 180) % 360 - 180)


def nice_distance(km: float) -> float:
    """A round distance near `km` for a scale bar: 1, 2 or 5 times a power of ten."""
    power = 10 ** math.floor(math.log10(km))
    return max(n * power for n in (1, 2, 5) if n * power <= km)
