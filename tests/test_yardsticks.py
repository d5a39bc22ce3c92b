"""A site on the PHIA yardstick: its terms, ranges and legend on the pages and in the PDF, a
term of the other yardstick refused, and a site that changes yardstick keeps its history."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from briefsite.app import BuildOptions, build, check
from briefsite.core import yardsticks
from briefsite.core.errors import Severity, ValidationError
from tests.test_history import (
    FIRST,
    HEAD,
    SECOND,
    briefing_html,
    committed,
    escalation,
    git,
    judgment,
    text_of,
    updates,
)

COURSE = "The example actor will keep its course."
ICD_VERSION = (HEAD + "key_judgments:\n" + judgment("course", COURSE, "very-likely", "moderate")
               + escalation("roughly-even-chance", "unknown") + updates(FIRST))
PHIA_VERSION = (HEAD + "key_judgments:\n" + judgment("course", COURSE, "likely", "moderate")
                + escalation("realistic-possibility", "unknown") + updates(SECOND, FIRST))


def on_phia(project_root: Path) -> None:
    site = project_root / "data" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "yardstick: phia\n", encoding="utf-8")


def test_each_yardstick_is_ordered_and_maps_to_the_other() -> None:
    for y in yardsticks.YARDSTICKS.values():
        assert [t.midpoint for t in y.terms] == sorted(t.midpoint for t in y.terms)
        assert all(t.low < t.high for t in y.terms)
    # each term's nearest on the other scale is the term of the same row (docs/format.md)
    assert [yardsticks.PHIA.nearest(t.midpoint).key for t in yardsticks.ICD_203.terms] == list(yardsticks.PHIA.keys())
    assert [yardsticks.ICD_203.nearest(t.midpoint).key for t in yardsticks.PHIA.terms] == \
        list(yardsticks.ICD_203.keys())
    assert yardsticks.resolve("likely", yardsticks.PHIA).range == "55-75%"
    assert yardsticks.resolve("likely", yardsticks.ICD_203).range == "55-80%"
    assert yardsticks.resolve("very-likely", yardsticks.PHIA).range == "80-95%"  # kept from an older version


def test_a_phia_site_shows_its_terms_on_the_page_the_legend_and_the_pdf(tmp_path: Path) -> None:
    project = committed(tmp_path, PHIA_VERSION.replace(updates(SECOND, FIRST), updates(FIRST)))
    on_phia(project.root)
    build(project, BuildOptions(quiet=True))
    page = text_of(briefing_html(project))
    assert "Likely 55-75%" in page and "Realistic possibility 40-50%" in page
    legend = text_of((project.site / "legend.html").read_text(encoding="utf-8"))
    assert "Probability Yardstick of the UK Professional Head of Intelligence Assessment" in legend
    for term in yardsticks.PHIA.terms:
        assert f"{term.label} {term.range}" in legend
    assert "Very likely" not in legend and "Roughly even chance" not in legend
    pdf = subprocess.run(["pdftotext", str(project.site / "pdf" / "first-briefing.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    assert "Realistic possibility" in pdf and "40-50%" in pdf


def test_a_term_of_the_other_yardstick_is_refused(tmp_path: Path) -> None:
    project = committed(tmp_path, ICD_VERSION)
    on_phia(project.root)
    with pytest.raises(ValidationError) as failed:
        check(project)
    said = [p.format() for p in failed.value.problems if p.severity == Severity.ERROR]
    assert len(said) == 2 and "'very-likely' is a term of the ICD 203 yardstick (80-95%)" in said[0]
    assert "write 'realistic-possibility' (40-50%), the nearest PHIA term" in said[1]


def test_a_site_that_changes_yardstick_keeps_its_history(tmp_path: Path) -> None:
    """Issued on ICD 203, then the desk moves to PHIA: the earlier version keeps its term
    (with its own range), and the move reads as down, by the terms' places on one line."""
    project = committed(tmp_path, ICD_VERSION)
    on_phia(project.root)
    (project.root / "data" / "briefings" / "first-briefing.yaml").write_text(PHIA_VERSION, encoding="utf-8")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "on PHIA")
    build(project, BuildOptions(quiet=True, pdf=False))
    page = text_of(briefing_html(project))
    assert "Likely (55-75%), down from very likely (80-95%) on 2026-01-15" in page
    first = text_of((project.site / "briefings" / "first-briefing" / "2026-01-15.html").read_text(encoding="utf-8"))
    assert "Very likely 80-95%" in first and "Roughly even chance 45-55%" in first
