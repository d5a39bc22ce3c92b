"""What a screen reader gets of a PDF (PDF/UA-1): the print HTML made ready for tagging
before WeasyPrint typesets it, and the tables' header cells given a scope after."""

from __future__ import annotations

import base64
import re

_SVG = re.compile(r"<svg\b[^>]*>.*?</svg>", re.DOTALL)
SAMPLE_LINE = "sample of the line"
_SVG_LABEL = re.compile(r'^<svg\b[^>]*\baria-label="([^"]*)"')
_SVG_SIZE = re.compile(r'^<svg\b[^>]*\bwidth="([\d.]+)[a-z]*"[^>]*\bheight="([\d.]+)[a-z]*"')
_TABLE_HEAD = re.compile(r"<thead\b.*?</thead>", re.DOTALL)
_BARE_TH = re.compile(r"<th(?![^>]*\bscope=)(?=[\s>])")


def tagged_html(document: str) -> str:
    """The print HTML as a tagged PDF needs it. WeasyPrint tags an image with its alt text
    but an inline drawing not at all, so each drawing becomes an image of itself, its
    aria-label the alt text.
    A table's header cells say what they head: a column in <thead>, else their row."""
    def as_image(match: re.Match[str]) -> str:
        drawing = match.group(0)
        label = _SVG_LABEL.match(drawing)
        # a sample line of a relation type, its name beside it, is hidden from screen readers on
        # the site; a PDF reader must still be told what it is (PDF/UA has no decorative figure)
        alt = label.group(1) if label else SAMPLE_LINE
        size = _SVG_SIZE.match(drawing)
        dims = f' width="{size.group(1)}" height="{size.group(2)}"' if size else ""
        if "xmlns=" not in drawing.split(">", 1)[0]:
            drawing = drawing.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
        data = base64.b64encode(drawing.encode("utf-8")).decode("ascii")
        return f'<img class="drawing" alt="{alt}"{dims} src="data:image/svg+xml;base64,{data}">'

    document = _SVG.sub(as_image, document)
    document = _TABLE_HEAD.sub(lambda m: _BARE_TH.sub('<th scope="col"', m.group(0)), document)
    return _BARE_TH.sub('<th scope="row"', document)


def scope_header_cells(path: str) -> None:
    """Give each header cell of the PDF's tables a /Scope (Column in a table's head, else
    Row). WeasyPrint links data cells to their headers (/Headers) but leaves the header
    cells without a scope, which PDF/UA checkers read as headers nobody can place."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return
        stack: list[tuple[pikepdf.Object, bool]] = [(root, False)]
        while stack:
            node, in_head = stack.pop()
            if not isinstance(node, pikepdf.Dictionary):
                continue
            role = str(node.get("/S", ""))
            if role == "/TH":
                scope = pikepdf.Name.Column if in_head else pikepdf.Name.Row
                attributes = node.get("/A")
                if isinstance(attributes, pikepdf.Dictionary) and attributes.get("/O") == pikepdf.Name.Table:
                    attributes.Scope = scope
                elif isinstance(attributes, pikepdf.Array):
                    attributes.append(pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=scope))
                else:
                    table = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=scope)
                    node.A = pikepdf.Array([attributes, table]) if attributes is not None else table
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                stack.append((kid, in_head or role == "/THead"))
        pdf.save(path, deterministic_id=True)  # the same document gives the same file, wherever it is made
