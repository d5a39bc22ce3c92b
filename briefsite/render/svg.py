"""Graphviz's SVG made fit for a page, and read back: no prolog, ids or titles of its own,
a figure title, the drawing's size, and where its links are (for print, which does not
follow links inside SVG)."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass


def one_line(text: str) -> str:
    """One line of text without control characters (XML 1.0 forbids most of them)."""
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", str(text))
    text = re.sub(r"[\ud800-\udfff\ufffe\uffff]", "\ufffd", text)
    return " ".join(text.split())


def inline_svg(svg: str) -> str:
    """Graphviz's SVG as an element for an HTML page: no prolog, doctype, comments or
    blank lines (Markdown would end the HTML block there), no ids (several graphs share
    a page), no titles (those of nodes and edges only repeat ids; the links and shapes
    carry readable tooltips; `with_title` names the figure). No style attribute either (a Content-Security-
    Policy without 'unsafe-inline' refuses it): the page's stylesheet makes the class
    `graphviz` responsive with `max-width: 100%; height: auto`, and the natural size in
    width and height (pixels) keeps a small graph from being blown up."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r'\s(?:id)="[^"]*"', "", svg)
    svg = re.sub(r"<title>.*?</title>\n?", "", svg, flags=re.S)
    svg = re.sub(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"',
                 lambda m: f'<svg width="{_px(m.group(1))}" height="{_px(m.group(2))}" class="graphviz"',
                 svg, count=1)
    svg = re.sub(r"\n\s*\n", "\n", svg)
    return svg.strip()


def with_title(svg: str, title: str) -> str:
    """The SVG named for assistive technology: a <title> first inside it, and role=group
    (it holds links, so it is not a single image)."""
    text = html.escape(one_line(title))
    head = svg.index(">") + 1
    return svg[:head].replace("<svg ", f'<svg role="group" aria-label="{text}" ', 1) + \
        f"<title>{text}</title>" + svg[head:]


def _px(points: str) -> str:
    return f"{float(points) * 4 / 3:.0f}"


# Reading a drawing back ------------------------------------------------------------

_SVG = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


@dataclass(frozen=True)
class LinkArea:
    """Where a linked node sits in a drawing, in fractions of the drawing's width and height."""

    href: str
    left: float
    top: float
    width: float
    height: float


def svg_size(svg: str) -> tuple[float, float]:
    """The natural width and height of an inlined drawing, in CSS pixels."""
    root = ET.fromstring(svg)
    return float(root.get("width", "0")), float(root.get("height", "0"))


def link_areas(svg: str) -> list[LinkArea]:
    """The boxes of the nodes that link somewhere, read back from an inlined drawing.

    For a typesetter that draws SVG but does not follow links inside it (WeasyPrint): it
    can lay links of its own over the drawing, sized in fractions so they scale with it.
    """
    root = ET.fromstring(svg)
    box = [float(x) for x in _NUMBER.findall(root.get("viewBox", ""))]
    graph = next((g for g in root.iter(f"{_SVG}g") if g.get("class") == "graph"), None)
    if len(box) != 4 or box[2] <= 0 or box[3] <= 0 or graph is None:
        return []
    transform = graph.get("transform", "")
    scale = _transform_args(transform, "scale", (1.0, 1.0))
    shift = _transform_args(transform, "translate", (0.0, 0.0))
    areas = []
    for node in graph.iter(f"{_SVG}g"):
        if node.get("class") != "node":
            continue
        for link in node.iter(f"{_SVG}a"):
            href = link.get(_XLINK_HREF) or link.get("href") or ""
            points = [p for shape in link for p in _shape_points(shape)]
            if not href or not points:
                continue
            xs = [(x + shift[0]) * scale[0] - box[0] for x, _ in points]
            ys = [(y + shift[1]) * scale[1] - box[1] for _, y in points]
            areas.append(LinkArea(href, min(xs) / box[2], min(ys) / box[3],
                                  (max(xs) - min(xs)) / box[2], (max(ys) - min(ys)) / box[3]))
    return areas


def _transform_args(transform: str, name: str, default: tuple[float, float]) -> tuple[float, float]:
    match = re.search(rf"{name}\(([^)]*)\)", transform)
    values = [float(x) for x in _NUMBER.findall(match.group(1))] if match else []
    if not values:
        return default
    return (values[0], values[1] if len(values) > 1 else (values[0] if name == "scale" else 0.0))


def _shape_points(shape: ET.Element) -> list[tuple[float, float]]:
    """The points (corners, control points) that bound a node's shape: Graphviz writes
    boxes as absolute paths or polygons, ellipses by centre and radii."""
    tag = shape.tag.removeprefix(_SVG)
    if tag in ("path", "polygon", "polyline"):
        numbers = [float(x) for x in _NUMBER.findall(shape.get("d" if tag == "path" else "points", ""))]
        return list(zip(numbers[::2], numbers[1::2], strict=False))
    if tag == "ellipse":
        cx, cy, rx, ry = (float(shape.get(k, "0")) for k in ("cx", "cy", "rx", "ry"))
        return [(cx - rx, cy - ry), (cx + rx, cy + ry)]
    return []
