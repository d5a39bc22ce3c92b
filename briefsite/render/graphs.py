"""Relationship graphs drawn at build time by Graphviz, as static SVG.

Pure functions from nodes and edges to an SVG string, independent of the site: the
caller decides the labels and where a node links (the site passes relative .html
addresses; a PDF may pass none). Nothing runs in the reader's browser.

Every piece of user text reaches Graphviz either in an HTML-like label (`html.escape`,
and backslashes doubled) or in a double-quoted DOT string (see `quote`), so a name can
never become DOT syntax, markup or an escape sequence such as \\N. The figure's title
is added to the SVG here, escaped, not passed through Graphviz.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ..core.errors import RenderError
from ..core.shown import ENGLISH, N_, Wording
from ..incremental.drawings import Drawings, drawing_key
from .svg import inline_svg, one_line, with_title

# Fonts with the scripts the briefings use; Pango falls back along the list, and the
# same list becomes the SVG's font-family, so a browser does the same.
FONT = "DejaVu Sans,Noto Sans,Noto Sans CJK SC,sans-serif"
TIMEOUT_SECONDS = 30.0
DOT_HINT = "install Graphviz (the Debian package graphviz; `make site` does it)"


class GraphError(RenderError):
    """Graphviz is missing or failed: the build stops rather than drop a graph."""


@dataclass(frozen=True)
class EdgeStyle:
    """How one relation type is drawn: colour (colour-blind safe), line and line ends."""

    label: str
    colour: str
    phrase: str
    """The relation in words, from {a} to {b}, for readers who cannot see the drawing."""
    style: str = "solid"
    """Graphviz style: solid, dashed or dotted."""
    penwidth: float = 1.4
    directed: bool = True
    """False for relations that hold both ways (allies, rivals): the same end at both ends."""
    arrowhead: str = "normal"
    """The end of the line: an arrowhead shape, or "none"."""

    def dot_attrs(self) -> dict[str, str | float]:
        attrs: dict[str, str | float] = {"color": self.colour, "style": self.style, "penwidth": self.penwidth}
        if self.directed:
            attrs["arrowhead"] = self.arrowhead
        elif self.arrowhead == "none":
            attrs["dir"] = "none"
        else:
            attrs.update(dir="both", arrowhead=self.arrowhead, arrowtail=self.arrowhead)
        return attrs


# The Okabe-Ito palette. Line and ends tell the types apart without colour too: solid
# or dashed for strong or weaker ties, bars at both ends for hostility, and a distinct
# arrowhead for each one-way type.
EDGE_STYLES: dict[str, EdgeStyle] = {
    "ally": EdgeStyle("ally", "#009E73", N_("{a} and {b} are allies"),
        "solid", 2.4, directed=False, arrowhead="none"),
    "partner": EdgeStyle("partner", "#56B4E9", N_("{a} and {b} are partners"),
        "dashed", 2.0, directed=False, arrowhead="none"),
    "rival": EdgeStyle("rival", "#E69F00", N_("{a} and {b} are rivals"),
        "dashed", 2.0, directed=False, arrowhead="tee"),
    "adversary": EdgeStyle("adversary", "#D55E00", N_("{a} and {b} are adversaries"),
        "solid", 2.4, directed=False, arrowhead="tee"),
    "mediator": EdgeStyle("mediator", "#CC79A7", N_("{a} mediates for {b}"),
        "dotted", 2.2, arrowhead="odot"),
    "member-of": EdgeStyle("member of", "#0072B2", N_("{a} is a member of {b}"),
        "solid", 1.4, arrowhead="onormal"),
    "leads": EdgeStyle("leads", "#333333", N_("{a} leads {b}"),
        "solid", 1.4, arrowhead="normal"),
    "backs": EdgeStyle("backs", "#8C510A", N_("{a} backs {b}"),
        "dashed", 1.6, arrowhead="vee"),
    "other": EdgeStyle("other", "#8A8A8A", N_("{a} has another relation to {b}"),
        "dotted", 1.4, arrowhead="normal"),
}

NODE_FILLS = {
    "person": "#FFFFFF",
    "state": "#EEF2F8",
    "organization": "#F3F0F8",
    "armed-group": "#FBEFEA",
    "other": "#F4F4F4",
}
FOCUS_FILL = "#FFF3C4"


@dataclass(frozen=True)
class GraphNode:
    id: str
    label: str
    sublabel: str = ""
    """A second, smaller line: the name in its own script."""
    sublabel_lang: str = ""
    """The language of the second line (a language tag), or "" when unknown."""
    href: str = ""
    """Where the node links; empty for no link."""
    tooltip: str = ""
    kind: str = "other"
    focus: bool = False
    """Drawn highlighted: the actor whose page this is."""


@dataclass(frozen=True)
class GraphEdge:
    source: str
    target: str
    type: str
    tooltip: str = ""
    note: str = ""
    """The relation's note as plain text."""


def relation_graph_svg(nodes: Sequence[GraphNode], edges: Sequence[GraphEdge], title: str = "",
                       drawings: Drawings | None = None) -> str:
    """The graph as an SVG element, ready to inline in HTML (drawn once when `drawings` keeps it)."""
    drawing = render_svg(relation_graph_dot(nodes, edges), drawings)
    return with_title(_mark_languages(drawing, nodes), title or "Relations")


def _mark_languages(drawing: str, nodes: Sequence[GraphNode]) -> str:
    """Each native name in the drawing marked with its language (lang="" when unknown), so a
    screen reader following the nodes' links reads it in that language."""
    for n in nodes:
        if n.sublabel and n.sublabel != n.label:
            text = re.escape(html.escape(one_line(n.sublabel), quote=False))
            lang = html.escape(n.sublabel_lang)
            # two actors may share a native name: a text already marked keeps its one lang
            drawing = re.sub(rf"<text\b((?:(?! lang=)[^>])*)>({text})</text>", rf'<text\1 lang="{lang}">\2</text>',
                             drawing)
    return drawing


def in_words(nodes: Sequence[GraphNode], edges: Sequence[GraphEdge], words: Wording = ENGLISH) -> list[str]:
    """The graph as sentences, one per relation ("Armenia and Azerbaijan are adversaries"),
    each with its note: what a reader who cannot see the drawing is told instead."""
    names = {n.id: n.label for n in nodes}
    out = []
    for e in merge_edges(e for e in edges if e.source in names and e.target in names):
        style = EDGE_STYLES.get(e.type, EDGE_STYLES["other"])
        sentence = words.translate(style.phrase).format(a=names[e.source], b=names[e.target])
        out.append(f"{sentence}: {e.note}" if e.note else f"{sentence}.")
    return out


def legend_html(types: Iterable[str], drawings: Drawings | None = None, words: Wording = ENGLISH) -> str:
    """A key to the given relation types: an HTML list, each name after a sample line
    drawn by Graphviz with the same style as in the graphs (so it wraps with the page)."""
    items = []
    for t in types:
        label = words.shown("relation", t if t in EDGE_STYLES else "other")
        items.append(f'<li class="graph-key-{html.escape(t)}">{swatch_svg(t, drawings)} {html.escape(label)}</li>')
    return '<ul class="graph-key">' + "".join(items) + "</ul>"


def swatch_svg(relation_type: str, drawings: Drawings | None = None) -> str:
    """A short sample of the line and arrowhead a relation type is drawn with (hidden from
    screen readers: the type's name follows it)."""
    return render_svg(swatch_dot(relation_type), drawings).replace("<svg ", '<svg aria-hidden="true" ', 1)


def types_in(edges: Iterable[GraphEdge]) -> list[str]:
    """The relation types used, in the order of EDGE_STYLES (for a legend)."""
    used = {e.type for e in edges}
    return [t for t in EDGE_STYLES if t in used]


# DOT source -------------------------------------------------------------------

def quote(text: str) -> str:
    """A DOT double-quoted string (a tooltip, a URL) that Graphviz writes out as `text`.

    Graphviz keeps character entities in these strings as they are and writes them into
    the SVG, so quotes and markup travel as entities (no backslash-quote, no raw < or &).
    A backslash passes two rounds of escape processing (\\N, \\E are names there), so it
    is written four times; one that ends the text gets a space after it, as the DOT
    lexer would read backslash-quote as an escaped quote.
    """
    text = html.escape(one_line(text), quote=True).replace("\\", "\\" * 4)
    return f'"{text} "' if text.endswith("\\") else f'"{text}"'


def _label_text(text: str) -> str:
    """Text inside an HTML-like label. Graphviz reads escape sequences (\\N, \\n) there
    too, after the entities: a doubled backslash is one backslash."""
    return html.escape(one_line(text)).replace("\\", "\\\\")


class HtmlLabel(str):
    """An HTML-like label, written to DOT as it is (between < and >)."""


def html_label(*lines: tuple[str, int, str]) -> HtmlLabel:
    """An HTML-like label <...> of (text, point size, colour) lines, the text escaped."""
    parts = [f'<FONT POINT-SIZE="{size}" COLOR="{colour}">{_label_text(text)}</FONT>'
             for text, size, colour in lines if one_line(text)]
    return HtmlLabel("<" + "<BR/>".join(parts or [" "]) + ">")


def _attrs(**values: str | float) -> str:
    out = []
    for key, value in values.items():
        if isinstance(value, HtmlLabel):
            out.append(f"{key}={value}")
        elif isinstance(value, str):
            out.append(f"{key}={quote(value)}")
        else:
            out.append(f"{key}={value:g}")
    return "[" + " ".join(out) + "]"


def _joined(first: str, more: str) -> str:
    """Two notes on one relation as one text, the second left out when the first holds it."""
    if not more or more in first:
        return first
    return more if not first else f"{first} {more}" if first[-1] in ".!?" else f"{first}; {more}"


def merge_edges(edges: Iterable[GraphEdge]) -> list[GraphEdge]:
    """One edge per relation: a two-way type written on both actors is drawn once."""
    seen: dict[tuple[object, ...], int] = {}
    merged: list[GraphEdge] = []
    for e in edges:
        style = EDGE_STYLES.get(e.type, EDGE_STYLES["other"])
        key: tuple[object, ...] = (e.type, e.source, e.target) if style.directed else \
            (e.type, frozenset((e.source, e.target)))
        if key in seen:
            i = seen[key]
            first = merged[i]
            merged[i] = replace(first, tooltip=_joined(first.tooltip, e.tooltip), note=_joined(first.note, e.note))
            continue
        seen[key] = len(merged)
        merged.append(e)
    return merged


def relation_graph_dot(nodes: Sequence[GraphNode], edges: Sequence[GraphEdge]) -> str:
    """The DOT source of a relationship graph. Edges to unknown nodes are left out."""
    ids = {n.id for n in nodes}
    # neato: a force-directed layout (relations are a network, not a hierarchy), with a
    # fixed seed so the same input always gives the same drawing. Not fdp: its drawing
    # changes with where the program lands in memory (2 runs in 1,000 differ).
    graph: dict[str, str | float] = {"fontname": FONT, "layout": "neato", "model": "subset", "start": 7,
                                     "overlap": "false",
                                     "sep": "+4", "splines": "true", "pack": "true", "pad": 0.15,
                                     "bgcolor": "white"}
    node: dict[str, str | float] = {"fontname": FONT, "shape": "box", "style": "rounded,filled",
                                    "color": "#5F6B7A", "penwidth": 1, "margin": "0.12,0.06"}
    lines = [
        "digraph relations {",
        f"  graph {_attrs(**graph)};",
        f"  node {_attrs(**node)};",
        f"  edge {_attrs(fontname=FONT, arrowsize=0.8)};",
    ]
    for n in nodes:
        attrs: dict[str, str | float] = {
            "label": html_label((n.label, 13, "#1A1A1A"),
                                *([(n.sublabel, 10, "#4A4A4A")] if n.sublabel and n.sublabel != n.label else [])),
            "fillcolor": FOCUS_FILL if n.focus else NODE_FILLS.get(n.kind, NODE_FILLS["other"]),
            "tooltip": n.tooltip or n.label,
        }
        if n.focus:
            attrs["penwidth"] = 2.2
            attrs["color"] = "#1A1A1A"
        if n.href:
            attrs["URL"] = n.href
            attrs["target"] = "_top"
        lines.append(f"  {quote(n.id)} {_attrs(**attrs)};")
    for e in merge_edges(edges):
        if e.source not in ids or e.target not in ids or e.source == e.target:
            continue
        s = EDGE_STYLES.get(e.type, EDGE_STYLES["other"])
        attrs = {**s.dot_attrs(), "tooltip": e.tooltip or s.label}
        lines.append(f"  {quote(e.source)} -> {quote(e.target)} {_attrs(**attrs)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def swatch_dot(relation_type: str) -> str:
    s = EDGE_STYLES.get(relation_type, EDGE_STYLES["other"])
    attrs = {**s.dot_attrs(), "arrowsize": 0.8, "minlen": 4}
    return "\n".join([
        "digraph key {",
        f"  graph {_attrs(rankdir='LR', ranksep=0.1, pad=0.03, bgcolor='transparent')};",
        # nodes as tall as an arrowhead, so the drawing's box holds it whole
        f"  node {_attrs(shape='none', label='', width=0.01, height=0.16, margin=0)};",
        f"  a -> b {_attrs(**attrs)};",
        "}",
    ]) + "\n"


# Running Graphviz ---------------------------------------------------------------

def render_svg(dot_source: str, drawings: Drawings | None = None, timeout: float = TIMEOUT_SECONDS) -> str:
    """`dot -Tsvg` on the source, cleaned for inlining; drawn once when `drawings` keeps it."""
    key = drawing_key(dot_source)
    found = drawings.get(key) if drawings is not None else None
    if found is None:
        found = inline_svg(run_dot(dot_source, timeout))
        if drawings is not None:
            drawings.put_all({key: found})
    return found


def prefetch(dot_sources: Iterable[str], drawings: Drawings, timeout: float = TIMEOUT_SECONDS) -> None:
    """Draw many graphs in one Graphviz run: starting `dot` costs far more than drawing a
    small graph (100 graphs: 2.8 s as 100 runs, 0.05 s as one). `render_svg` then finds
    them drawn. If the run's output cannot be matched graph by graph, nothing is kept and
    each graph is drawn on its own when asked for."""
    todo: dict[str, str] = {}
    for source in dot_sources:
        key = drawing_key(source)
        if key not in drawings:
            todo.setdefault(key, source)
    if len(todo) < 2 or len(todo) > drawings.size:
        return
    try:
        output = run_dot("".join(todo.values()), timeout * max(1, len(todo) // 20))
    except GraphError:
        return  # each graph is drawn on its own when asked for, and a failure then names its page
    found = [d for d in re.split(r"(?=<\?xml )", output) if d.strip()]
    if len(found) == len(todo):
        drawings.put_all({key: inline_svg(drawing) for key, drawing in zip(todo, found, strict=True)})


def dot_command() -> str:
    path = shutil.which("dot")
    if path is None:
        raise GraphError(f"cannot draw the relationship graphs: the Graphviz program `dot` was not found; {DOT_HINT}")
    return path


def run_dot(dot_source: str, timeout: float = TIMEOUT_SECONDS) -> str:
    """The raw SVG Graphviz writes for the source."""
    try:
        result = subprocess.run([dot_command(), "-Tsvg"], input=dot_source.encode("utf-8"),
                                capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise GraphError(f"Graphviz took longer than {timeout:g} s to draw a relationship graph") from None
    except OSError as exc:
        raise GraphError(f"cannot run Graphviz `dot`: {exc}; {DOT_HINT}") from None
    if result.returncode != 0 or b"<svg" not in result.stdout:
        detail = result.stderr.decode("utf-8", "replace").strip()[-500:]
        raise GraphError(f"Graphviz failed to draw a relationship graph (exit {result.returncode}): {detail}")
    return result.stdout.decode("utf-8")
