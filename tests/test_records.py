"""The Watch list and the Track record: figures worked out here, from the YAML alone, agree
with the pages; a judgment is scored with the term of the version issued before its
outcome; indicators are grouped and dated; a public build counts only what is public."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from briefsite.app import check
from briefsite.authoring.init import create_project
from briefsite.core import history
from briefsite.core import model as m
from briefsite.core.project import Project
from briefsite.core.publish import public_subset
from briefsite.read.library import load_library
from briefsite.render import pages as pages_module
from briefsite.render import records
from briefsite.render.pages import render_pages
from tests.test_history import COURSE, FIRST, HEAD, committed, escalation, judgment, updates

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"

# The two yardsticks' ranges as their documents give them, written here again on purpose:
# the test checks the tool's table, it does not read it.
RANGES = {
    "icd-203": {"almost-no-chance": (1, 5), "very-unlikely": (5, 20), "unlikely": (20, 45),
                "roughly-even-chance": (45, 55), "likely": (55, 80), "very-likely": (80, 95),
                "almost-certain": (95, 99)},
    "phia": {"remote-chance": (0, 5), "highly-unlikely": (10, 20), "unlikely": (25, 35),
             "realistic-possibility": (40, 50), "likely": (55, 75), "highly-likely": (80, 90),
             "almost-certain": (95, 100)},
}
LABELS = {term: term.replace("-", " ").capitalize() for terms in RANGES.values() for term in terms}


def write_desk(root: Path, yardstick: str, judgments: int = 36) -> Project:
    """A desk on `yardstick` with `judgments` resolved key judgments and scenarios spread over
    its terms, regions and two years, some happened and some not, a resolved judgment with no
    term, and a draft (withheld from public builds) with an outcome of its own."""
    create_project(root)
    site = root / "data" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + f"yardstick: {yardstick}\n", encoding="utf-8")
    terms = list(RANGES[yardstick])
    briefings = root / "data" / "briefings"
    for n in range(6):
        kjs, scs = [], []
        for k in range(judgments // 6):
            i = n * (judgments // 6) + k
            term = terms[i % len(terms)]
            result = "happened" if (i * 7 + n) % 5 < 2 + terms.index(term) // 3 else "did-not-happen"
            on = f"{2024 + i % 2}-{1 + i % 12:02d}-1{k % 10}"
            outcome = f"    outcome:\n      result: {result}\n      on: {on}\n      note: Settled, case {i}.\n"
            if k % 3 == 2:
                scs.append(f"  - title: Scenario {i}\n    likelihood: {term}\n    description: Case {i}.\n{outcome}")
            else:
                kjs.append(f"  - text: Judgment {i} will hold.\n    likelihood: {term}\n{outcome}")
        if n == 0:
            kjs.append("  - text: A judgment without a term.\n    outcome: {result: happened, on: 2024-05-05}\n")
        region = ["North", "South", "East"][n % 3]
        (briefings / f"case-{n}.yaml").write_text(
            f"title: Case {n}\ndate: 2023-12-0{n + 1}\nstatus: final\naudience: public\nregion: {region}\n"
            f"summary: Case {n}.\nkey_judgments:\n{''.join(kjs)}" + (f"scenarios:\n{''.join(scs)}" if scs else ""),
            encoding="utf-8")
    (briefings / "withheld.yaml").write_text(
        "title: Withheld\ndate: 2023-11-01\nstatus: draft\naudience: public\nsummary: Not yet.\nkey_judgments:\n"
        f"  - text: Withheld judgment.\n    likelihood: {terms[0]}\n"
        "    outcome: {result: happened, on: 2024-02-02}\n", encoding="utf-8")
    return Project.find(root)


def score_pages(library: m.Library, yardstick: str, monkeypatch: pytest.MonkeyPatch, public: bool = False
                ) -> dict[str, str]:
    """The pages; of a PHIA desk the index pages only: a briefing's likelihood badges know ICD 203's
    terms alone so far (the badges' own change brings the other yardstick)."""
    if yardstick != "icd-203":
        every = pages_module.page_jobs
        monkeypatch.setattr(pages_module, "page_jobs", lambda lib: [
            job for job in every(lib) if not job.page.startswith(("briefings/", "actors/"))])
    return render_pages(library, TEMPLATES, public=public)


def expected(data: Path, yardstick: str, public: bool) -> tuple[float, dict[str, tuple[int, int]], int]:
    """From the YAML alone: the Brier score, each term's (scored, happened), and how many are scored.

    Read with BaseLoader: every value stays text, and `on:` stays a key (YAML 1.1 makes it True)."""
    scored: list[tuple[str, bool]] = []
    for path in sorted((data / "briefings").glob("*.yaml")):
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds no objects
        if public and (doc.get("status") != "final" or doc.get("audience") != "public"):
            continue
        for item in [*doc.get("key_judgments", []), *doc.get("scenarios", [])]:
            if "outcome" in item and "likelihood" in item:
                scored.append((item["likelihood"], item["outcome"]["result"] == "happened"))
    ranges = RANGES[yardstick]
    brier = sum(((sum(ranges[t]) / 2) / 100 - happened) ** 2 for t, happened in scored) / len(scored)
    counts = {t: (sum(1 for s, _ in scored if s == t), sum(1 for s, h in scored if s == t and h)) for t in ranges}
    return brier, counts, len(scored)


def shown(page: str) -> tuple[float, dict[str, tuple[int, int]], int]:
    """The page's Brier score, each term's (scored, happened) and the count it says it scored."""
    summary = re.search(r"Brier score ([\d.]+)</strong> over (\d+) scored", page)
    assert summary, "the page gives no Brier score"
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)-(\d+)%</td><td>(\d+)</td><td>(\d+)</td>', page)
    return float(summary.group(1)), {html.unescape(label): (int(n), int(h)) for label, _, _, n, h in rows}, \
        int(summary.group(2))


@pytest.mark.parametrize("yardstick", ["icd-203", "phia"])
@pytest.mark.parametrize("public", [False, True], ids=["internal", "public"])
def test_the_track_record_gives_the_brier_score_and_counts_the_yaml_gives(tmp_path: Path, yardstick: str,
                                                                          public: bool,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_desk(tmp_path / "desk", yardstick)
    library, report = load_library(project.data)
    assert library is not None, [p.format() for p in report.errors]
    brier, counts, scored = expected(project.data, yardstick, public)
    assert scored >= 30 and all(n for n, _ in counts.values()), "every term has resolved judgments"
    assert any(0 < h < n for n, h in counts.values()), "some terms both happened and did not"
    pages = score_pages(public_subset(library) if public else library, yardstick, monkeypatch, public)
    page_brier, page_counts, page_scored = shown(pages["track-record.md"])
    assert page_scored == scored
    assert page_brier == pytest.approx(brier, abs=0.0005)  # shown to three decimals
    assert page_counts == {LABELS[t]: c for t, c in counts.items()}
    assert ("Withheld" in pages["track-record.md"]) is not public
    assert "1 more resolved without a likelihood term" in pages["track-record.md"]
    assert "Too few to mean much" not in pages["track-record.md"]
    for label, (n, h) in page_counts.items():  # the chart says the same as the table
        assert f"{label} ({RANGES[yardstick][_key(label)][0]}-" in pages["track-record.md"]
        assert f"{h} of {n} happened" in pages["track-record.md"]


def _key(label: str) -> str:
    return label.lower().replace(" ", "-")


def test_with_few_resolved_judgments_the_page_says_the_figures_mean_little(tmp_path: Path) -> None:
    project = write_desk(tmp_path / "desk", "icd-203", judgments=6)
    library, _ = load_library(project.data)
    assert library is not None
    page = render_pages(library, TEMPLATES)["track-record.md"]
    assert "Too few to mean much" in page and "7 scored judgments so far" in page


def test_the_track_record_stays_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "RESOLVED_LISTED", 5)
    project = write_desk(tmp_path / "desk", "phia")
    library, _ = load_library(project.data)
    assert library is not None
    page = score_pages(library, "phia", monkeypatch)["track-record.md"]
    assert page.count('<li class="resolved ') == 5
    assert "The 5 most recent of 38" in page


V1_SCORED = (HEAD + "key_judgments:\n" + judgment("course", COURSE, "likely", "moderate") + updates(FIRST))
V2_SCORED = (HEAD + "key_judgments:\n" + judgment("course", COURSE, "very-unlikely", "moderate")
             + "    outcome: {result: happened, on: 2026-01-20}\n"
             + escalation("unlikely", "observed") + updates(("2026-02-01", "Re-graded.", None), FIRST))


def test_a_judgment_is_scored_with_its_term_in_the_last_version_before_its_outcome(tmp_path: Path) -> None:
    """Re-graded after the outcome (likely on 15 January, very unlikely on 1 February, settled
    on 20 January): the score is the earlier version's, likely (67.5%)."""
    desk = committed(tmp_path, V1_SCORED, V2_SCORED)
    library, _ = check(desk)
    found = records.track_record(library)
    assert [(r.term, r.term_from and r.term_from.isoformat()) for r in found.entries] == [("likely", "2026-01-15")]
    assert found.brier == pytest.approx((0.675 - 1) ** 2)
    page = render_pages(library, TEMPLATES)["track-record.md"]
    assert "Stated likely (67.5%) on 2026-01-15: Brier score 0.106." in page


def test_the_watch_list_groups_indicators_by_status_newest_change_first(desk: Project, tmp_path: Path) -> None:
    """The desk's indicator was unknown in two versions and observed in the third: it is dated
    by that version. Another dated by observed_on, a third by its briefing's date."""
    library, _ = check(desk)
    groups = {g.status: g for g in records.watch_list(library)}
    assert [(e.text, e.changed.isoformat(), e.found_from) for e in groups["observed"].entries] == [
        ("Troops mass at the border", "2026-02-03", "versions")]
    project = write_desk(tmp_path / "other", "icd-203", judgments=18)
    path = project.data / "briefings" / "case-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    description: Case 5.\n",
        "    description: Case 5.\n    indicators:\n      - text: Seen early\n        status: observed\n"
        "        observed_on: 2023-01-05\n        sources: [first-source]\n      - Never dated\n"
        "      - text: Seen late\n        status: observed\n        observed_on: 2024-06-01\n"), encoding="utf-8")
    other, report = load_library(project.data)
    assert other is not None, [p.format() for p in report.errors]
    groups = {g.status: g for g in records.watch_list(other)}
    assert [(e.text, e.changed.isoformat()) for e in groups["observed"].entries] == [
        ("Seen late", "2024-06-01"), ("Seen early", "2023-01-05")]
    assert [(e.text, e.changed.isoformat(), e.found_from) for e in groups["unknown"].entries] == [
        ("Never dated", "2023-12-02", "briefing")]
    pages = render_pages(other, TEMPLATES)
    watch = pages["watch.md"]
    assert watch.index("Seen late") < watch.index("Seen early") < watch.index("Never dated")
    assert 'href="briefings/case-1.html#scenario--1"' in watch
    assert "{#scenario--1}" in pages["briefings/case-1.md"]
    assert '(observed <time datetime="2023-01-05">2023-01-05</time>)' in pages["briefings/case-1.md"]


def test_an_indicator_is_dated_across_versions_written_before_ids(tmp_path: Path) -> None:
    """The first version gave its scenario no id (the format before ids), the second does:
    the indicator observed in both is dated by the first, and nothing is said to have changed."""
    no_id = escalation("unlikely", "observed").replace("  - id: escalation\n    title:", "  - title:")
    first = HEAD + "key_judgments:\n" + judgment("course", COURSE, "likely", "moderate") + no_id + updates(FIRST)
    second = (HEAD + "key_judgments:\n" + judgment("course", COURSE, "likely", "moderate")
              + escalation("unlikely", "observed") + updates(("2026-01-22", "Ids added.", None), FIRST))
    library, _ = check(committed(tmp_path, first, second))
    groups = {g.status: g for g in records.watch_list(library)}
    assert [(e.text, e.changed.isoformat(), e.found_from) for e in groups["observed"].entries] == [
        ("Troops mass at the border", "2026-01-15", "versions")]
    found = history.changes(library.versions["first-briefing"])
    assert found is not None and found.indicators == []


def test_a_public_watch_list_leaves_out_withheld_briefings(tmp_path: Path) -> None:
    project = write_desk(tmp_path / "desk", "icd-203", judgments=6)
    path = project.data / "briefings" / "withheld.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "scenarios:\n  - title: Hidden\n    description: x\n"
                    "    indicators: [Secret sign]\n", encoding="utf-8")
    library, _ = load_library(project.data)
    assert library is not None
    assert "Secret sign" in render_pages(library, TEMPLATES)["watch.md"]
    assert "Secret sign" not in render_pages(public_subset(library), TEMPLATES, public=True)["watch.md"]


def test_a_briefing_marks_its_resolved_judgments_on_screen_and_in_print(tmp_path: Path) -> None:
    project = write_desk(tmp_path / "desk", "icd-203", judgments=6)
    library, _ = load_library(project.data)
    assert library is not None
    page = render_pages(library, TEMPLATES)["briefings/case-0.md"]
    assert page.count('<p class="outcome outcome-') == 2
    assert re.search(r'outcome-result">(Happened|Did not happen)</span> Outcome known '
                     r'<time datetime="2024-01-10">2024-01-10</time>: Settled, case 0\.', page)
