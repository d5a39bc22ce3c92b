"""Relationship graphs: Graphviz on hostile text, the SVG made fit for inlining, the cache,
and a clear failure when Graphviz is missing."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from briefsite.core.errors import BriefError
from briefsite.incremental.drawings import Drawings
from briefsite.read.library import load_library
from briefsite.render import graphs
from briefsite.render import svg as svg_module
from briefsite.render.graphs import GraphEdge, GraphError, GraphNode
from briefsite.render.pages import render_pages
from tests.conftest import EXAMPLE_DATA, REPO

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
HOSTILE = 'Evil "quoted" \\N back\\slash\\ <script>alert(1)</script> {braces} & [x] |y| \'apos\''


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_quote_leaves_no_quote_or_markup_and_escapes_backslashes() -> None:
    assert graphs.quote('a"b<c>&d') == '"a&quot;b&lt;c&gt;&amp;d"'
    assert graphs.quote("a\\Nb") == '"a\\\\\\\\Nb"'  # one backslash, written four times
    assert graphs.quote("ends with \\") == '"ends with \\\\\\\\ "'  # never backslash-quote at the end
    assert graphs.quote("line\nbreak\x00") == '"line break"'


def test_hostile_names_are_drawn_as_written() -> None:
    """Quotes, backslashes, escape sequences (\\N), markup and braces reach the picture as
    text, in labels and tooltips alike: none of it becomes DOT, SVG or HTML."""
    nodes = [GraphNode("evil", HOSTILE, sublabel=HOSTILE + " 2", href="../actors/evil.html", tooltip=HOSTILE),
             GraphNode("other-one", "Нікол Փաշինյան 東京", href="../actors/other-one.html")]
    edges = [GraphEdge("evil", "other-one", "rival", tooltip=HOSTILE)]
    svg = graphs.relation_graph_svg(nodes, edges, title=HOSTILE)
    root = parse(svg)  # well-formed XML
    shown = texts(root)
    assert HOSTILE in shown and HOSTILE + " 2" in shown
    assert "Нікол Փաշինյան 東京" in shown
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
    assert "<script" not in svg and "&lt;script&gt;" in svg
    titles = [a.get(f"{XLINK}title") for a in root.iter(f"{SVG}a")]
    assert titles.count(HOSTILE) == 2  # the node's tooltip and the edge's
    assert root.get("aria-label") == HOSTILE
    assert [t.text for t in root.iter(f"{SVG}title")] == [HOSTILE]


@pytest.mark.parametrize("text", ["ends with a backslash \\", "\\E \\G \\H \\T \\L \\n \\l \\\\ two",
                                  "tab\there", "&lt; is not <", "it's"])
def test_tooltips_show_exactly_what_was_written(text: str) -> None:
    nodes = [GraphNode("a", text, tooltip=text, href="a.html"), GraphNode("b", "B")]
    root = parse(graphs.relation_graph_svg(nodes, [GraphEdge("a", "b", "backs", tooltip=text)]))
    expected = svg_module.one_line(text)
    titles = [(a.get(f"{XLINK}title") or "").rstrip(" ") for a in root.iter(f"{SVG}a")]
    assert titles.count(expected.rstrip(" ")) == 2, titles
    assert expected in texts(root)


def test_dot_source_keeps_user_text_inside_strings() -> None:
    dot = graphs.relation_graph_dot([GraphNode("a", HOSTILE, tooltip=HOSTILE + "\\")],
                                    [GraphEdge("a", "a", "ally", HOSTILE)])
    for line in dot.splitlines():
        assert '\\"' not in line, line  # no escaped quote: every string ends where it should
        assert "<script" not in line, line
    assert "&lt;script&gt;" in dot


def test_svg_is_ready_to_inline() -> None:
    nodes = [GraphNode("a", "Alpha", href="alpha.html"), GraphNode("b", "Beta", href="beta.html")]
    svg = graphs.relation_graph_svg(nodes, [GraphEdge("a", "b", "leads")], "A graph")
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg and "<!--" not in svg
    assert "\n\n" not in svg  # a blank line would end Markdown's HTML block
    assert ' id="' not in svg  # several drawings share a page
    assert "style=" not in svg  # a strict Content-Security-Policy refuses style attributes
    root = parse(svg)
    assert root.get("class") == "graphviz" and root.get("viewBox") and root.get("role") == "group"
    assert root.get("width", "").isdigit() and root.get("height", "").isdigit()
    assert [t.text for t in root.iter(f"{SVG}title")] == ["A graph"]
    hrefs = sorted(a.get(f"{XLINK}href") for a in root.iter(f"{SVG}a") if a.get(f"{XLINK}href"))
    assert hrefs == ["alpha.html", "beta.html"]
    families = {t.get("font-family") for t in root.iter(f"{SVG}text")}
    assert families == {graphs.FONT} and graphs.FONT.startswith("DejaVu Sans,Noto Sans")


def test_link_areas_lie_over_the_linked_nodes() -> None:
    """A typesetter that does not follow links inside SVG (WeasyPrint) lays links of its own
    over the nodes: one per linked node, around its label, in fractions of the drawing."""
    nodes = [GraphNode("a", "Alpha", href="#actor-a"), GraphNode("b", "Beta"),
             GraphNode("c", "Gamma", "Гамма", href="#actor-c")]
    svg = graphs.relation_graph_svg(nodes, [GraphEdge("a", "b", "leads"), GraphEdge("b", "c", "ally")])
    root = parse(svg)
    assert svg_module.svg_size(svg) == (float(root.get("width", "")), float(root.get("height", "")))
    areas = {a.href: a for a in svg_module.link_areas(svg)}
    assert sorted(areas) == ["#actor-a", "#actor-c"]  # a node without a link gets none
    _, _, width, height = (float(x) for x in root.get("viewBox", "").split())
    graph = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "graph")
    dx, dy = (float(x) for x in graph.get("transform", "").split("translate(")[1].rstrip(")").split())
    for label, href in (("Alpha", "#actor-a"), ("Гамма", "#actor-c")):
        text = next(t for t in root.iter(f"{SVG}text") if t.text == label)
        x, y = (float(text.get("x", "")) + dx) / width, (float(text.get("y", "")) + dy) / height
        area = areas[href]
        assert area.left < x < area.left + area.width and area.top < y < area.top + area.height, label
        assert 0 <= area.left and area.left + area.width <= 1 and 0 <= area.top and area.top + area.height <= 1
    assert svg_module.link_areas(graphs.swatch_svg("ally")) == []


def test_edges_are_styled_by_type() -> None:
    nodes = [GraphNode(x, x.upper()) for x in "abcd"]
    edges = [GraphEdge("a", "b", "ally"), GraphEdge("b", "c", "partner"), GraphEdge("c", "d", "mediator")]
    root = parse(graphs.relation_graph_svg(nodes, edges))
    paths = {(p.get("stroke"), p.get("stroke-dasharray")) for g in root.iter(f"{SVG}g")
             if g.get("class") == "edge" for p in g.iter(f"{SVG}path")}
    assert ("#009e73", None) in paths  # ally: solid green
    assert ("#56b4e9", "5,2") in paths  # partner: dashed blue
    assert ("#cc79a7", "1,5") in paths  # mediator: dotted purple
    assert set(graphs.types_in(edges)) == {"ally", "partner", "mediator"}


def test_two_way_relations_written_on_both_actors_are_drawn_once() -> None:
    edges = [GraphEdge("a", "b", "rival", "one"), GraphEdge("b", "a", "rival", "two"),
             GraphEdge("a", "b", "leads"), GraphEdge("b", "a", "leads")]
    merged = graphs.merge_edges(edges)
    assert [(e.source, e.target, e.type) for e in merged] == [("a", "b", "rival"), ("a", "b", "leads"),
                                                             ("b", "a", "leads")]
    assert merged[0].tooltip == "one; two"
    assert graphs.merge_edges([GraphEdge("a", "b", "ally", "One."), GraphEdge("b", "a", "ally", "Two.")])[0].tooltip \
        == "One. Two."


def test_the_graph_in_words_has_one_sentence_per_relation() -> None:
    nodes = [GraphNode("a", "Armenia"), GraphNode("z", "Azerbaijan"), GraphNode("p", "Pashinyan")]
    edges = [GraphEdge("a", "z", "adversary", note="At war."), GraphEdge("z", "a", "adversary", note="Since 2020."),
             GraphEdge("p", "a", "leads"), GraphEdge("a", "ghost", "member-of")]
    assert graphs.in_words(nodes, edges) == [  # the edge to an unknown node is not drawn, nor told
        "Armenia and Azerbaijan are adversaries: At war. Since 2020.",
        "Pashinyan leads Armenia.",
    ]
    assert all(style.phrase.count("{a}") == style.phrase.count("{b}") == 1 for style in graphs.EDGE_STYLES.values())


def test_native_names_in_a_drawing_carry_their_language() -> None:
    drawing = graphs.relation_graph_svg(
        [GraphNode("a", "Armenia", "Հայաստան", "hy"), GraphNode("s", "Saudi Arabia", "السعودية", "ar"),
         GraphNode("x", "X", "Иск")], [GraphEdge("a", "s", "ally")])
    assert 'lang="hy">Հայաստան</text>' in drawing
    assert 'lang="ar">السعودية</text>' in drawing
    assert 'lang="">Иск</text>' in drawing  # unknown: not read as English


def test_two_actors_sharing_a_native_name_give_a_drawing_that_parses() -> None:
    drawing = graphs.relation_graph_svg(
        [GraphNode("a", "Leila Aram", "Лейла Арам", "ru"), GraphNode("b", "Leyla Aram", "Лейла Арам")],
        [GraphEdge("a", "b", "ally")])
    names = [t for t in parse(drawing).iter(f"{SVG}text") if "".join(t.itertext()) == "Лейла Арам"]
    assert [t.get("lang") for t in names] == ["ru", "ru"]


def test_edges_to_unknown_nodes_are_left_out() -> None:
    dot = graphs.relation_graph_dot([GraphNode("a", "A")], [GraphEdge("a", "ghost", "ally")])
    assert "ghost" not in dot


def test_legend_lists_each_type_with_its_sample() -> None:
    key = graphs.legend_html(["ally", "member-of"])
    root = ET.fromstring(key)
    items = root.findall("li")
    assert [("".join(li.itertext())).strip() for li in items] == ["ally", "member of"]
    assert all(li.find(f"{SVG}svg") is not None for li in items)
    assert all(li.find(f"{SVG}svg").get("aria-hidden") == "true" for li in items)


def test_same_input_is_drawn_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = graphs.run_dot

    def counting(source: str, timeout: float = graphs.TIMEOUT_SECONDS) -> str:
        calls.append(source)
        return real(source, timeout)

    monkeypatch.setattr(graphs, "run_dot", counting)
    nodes = [GraphNode("a", "A")]
    drawings = Drawings()
    first = graphs.relation_graph_svg(nodes, [], drawings=drawings)
    assert graphs.relation_graph_svg(nodes, [], drawings=drawings) == first
    assert len(calls) == 1
    graphs.relation_graph_svg([GraphNode("a", "A changed")], [], drawings=drawings)
    assert len(calls) == 2


def test_missing_graphviz_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graphs.shutil, "which", lambda name: None)
    with pytest.raises(GraphError, match=r"Graphviz program `dot` was not found.*graphviz") as info:
        graphs.relation_graph_svg([GraphNode("a", "A")], [])
    assert isinstance(info.value, BriefError)  # the command line reports it without a traceback


def test_graphviz_timeout_and_failure_are_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    def too_slow(*args: object, **kwargs: object) -> None:
        raise subprocess.TimeoutExpired("dot", 30)

    monkeypatch.setattr(graphs.subprocess, "run", too_slow)
    with pytest.raises(GraphError, match="longer than"):
        graphs.render_svg("digraph { a }")
    monkeypatch.undo()
    with pytest.raises(GraphError, match="Graphviz failed"):
        graphs.render_svg("digraph { this is not dot")


def test_a_build_draws_its_graphs_in_two_graphviz_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Starting `dot` costs more than drawing a small graph: the pages' graphs are drawn together."""

    runs: list[int] = []
    real_run = graphs.run_dot

    def counting(source: str, timeout: float = graphs.TIMEOUT_SECONDS) -> str:
        runs.append(source.count("digraph"))
        return real_run(source, timeout)

    monkeypatch.setattr(graphs, "run_dot", counting)
    library, _ = load_library(EXAMPLE_DATA)
    assert library is not None
    pages = render_pages(library, Path(REPO / "templates"))
    assert len(runs) == 2 and runs[0] > 15, runs  # the graphs, then the samples of the key
    assert "<svg" in pages["briefings/russia-options-nagorno-karabakh.md"]


def test_a_graph_that_takes_too_long_names_the_file_of_its_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """10,000 actors named in one briefing timed Graphviz out with no page named: the error says
    which file's page (the batch of all graphs timing out is no error: each is drawn again alone)."""
    def too_long(source: str, timeout: float = graphs.TIMEOUT_SECONDS) -> str:
        if "Putin" in source:  # the batch of all graphs, then each graph that draws him alone
            raise GraphError(f"Graphviz took longer than {timeout:g} s to draw a relationship graph")
        return real_run(source, timeout)

    real_run = graphs.run_dot
    monkeypatch.setattr(graphs, "run_dot", too_long)
    library, _ = load_library(EXAMPLE_DATA)
    assert library is not None
    with pytest.raises(GraphError) as failure:
        render_pages(library, Path(REPO / "templates"))
    message = failure.value.problems[0].message
    assert message.startswith("data/actors/") or message.startswith("data/briefings/"), message
    assert message.endswith(": the relationship graph of its page: Graphviz took longer than 30 s to draw a "
                            "relationship graph")
