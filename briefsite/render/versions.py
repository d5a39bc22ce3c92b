"""Dated versions that can be cited. Every issued version of a briefing that has more than
one gets a page of its own at a stable address, briefings/<id>/<date>.html, marked as
superseded (or as the current version) with a link to the current page; every version but
the first also gets a comparison with the one before it, briefings/<id>/<date>-changes.html:
judgments side by side, prose as a word-level diff.

A version page is a document as issued, not a page of the site engine: its body is the
print templates' (as in its PDF) in a page of our own (templates/version/), written beside
the engine's pages by output/versions.py and never indexed for search, so that readers
find the current text first. What it names that the library no longer holds is shown as
text (history.fitted). Its relationship graph is left out: relations are the actors' as
they are now, not as the version stood.

A version page is rendered as the site's pages are: over the library tracked
(incremental.tracking), so that what it read is kept with it and it is made again exactly
when any of that changed. Its own text is one thing it read (the "version" view: the
versions up to it, and the date of the next), which never changes once issued; a name, a
title, a link's target, a record a public build withholds are others, which can.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import jinja2
from markupsafe import Markup

from ..core import history
from ..core import model as m
from ..core.errors import RenderError
from ..core.translations import language_of
from ..core.wording import word_diff
from ..incremental.drawings import Drawings
from ..incremental.fragments import Fragments
from ..incremental.tracking import VIEW, Dependency, Read, Recorder, TrackedLibrary, digest, grouped
from . import cite
from .context import Reading, SiteForPages
from .environment import Templates, make_environment, template_problem, templates_digest
from .index import LibraryIndex, changes_page, version_page, version_pdf_name
from .print_html import DocumentMeta, PrintGraph, PrintHelper, PrintJob, contents
from .words import Words, catalogues_digest, words_for

FORMAT = "3"
"""Bump whenever what a version page holds changes in code (templates are in its setting)."""
STYLESHEET = "assets/stylesheets/version.css"
T = TypeVar("T")
"""Where the version pages' stylesheet (templates/version/version.css) is written in the site."""


@dataclass(frozen=True)
class Dated:
    """One issued version of a briefing that has several, with its neighbours."""

    bid: str
    version: m.Version
    earlier: tuple[m.Version, ...]
    """The versions before it, oldest first."""
    following: m.Version | None
    """The next version (None: this is the current one)."""

    @property
    def previous(self) -> m.Version | None:
        return self.earlier[-1] if self.earlier else None

    @property
    def day(self) -> str:
        return self.version.date.isoformat()

    @property
    def page(self) -> str:
        return version_page(self.bid, self.version.date)

    @property
    def changes_page(self) -> str | None:
        return changes_page(self.bid, self.version.date) if self.earlier else None

    @property
    def pdf_name(self) -> str:
        return version_pdf_name(self.bid, self.version.date)


def dated_versions(lib: m.Library) -> list[Dated]:
    """Every version of the briefings that have more than one, newest briefing first."""
    found = []
    for bid in lib.briefings:
        versions = lib.versions.get(bid, ())
        if len(versions) < 2:
            continue
        for n, v in enumerate(versions):
            found.append(Dated(bid, v, versions[:n], versions[n + 1] if n + 1 < len(versions) else None))
    return found


def needs_whole(d: Dated, changes: bool) -> list[m.Version]:
    """The versions whose whole files the page of `d` (or its comparison) shows."""
    return [d.version, *([d.previous] if changes and d.previous else [])]


def version_setting(templates: Templates, *, language: str, pdf_links: bool, public: bool,
                    site_url: str | None = None) -> str:
    """What every version page depends on besides what it reads of the library: the code's
    format, the templates, the site's language and the catalogues of our words, whether the
    site links PDFs, whether it is public and its address (which the page's citation gives)."""
    return digest([FORMAT, templates_digest(templates), catalogues_digest(language), pdf_links, public, site_url])


class VersionHelper(PrintHelper):
    """The print helper of a version page: links inside the document go to its anchors, the
    others to the pages of the site (from the version page's folder)."""

    def __init__(self, reading: Reading, anchors: dict[str, str], bid: str, page: str | None):
        super().__init__(reading, anchors, bid)
        self.site_page = page

    def url_of(self, target_id: str) -> str:
        inside = super().url_of(target_id)
        if inside or self.site_page is None:
            return inside
        t = self.reading.view("target", target_id)
        if t is None:
            return inside
        return self.index.url(self.site_page, t.page, t.anchor)

    def url(self, page: str, anchor: str = "") -> str:
        return self.index.url(self.site_page or "", page, anchor)

    def briefing_graph(self, b: m.Briefing) -> PrintGraph | None:
        return None

    def briefing_map(self, b: m.Briefing) -> Markup:
        """None on a version page: it shows what changed in words."""
        return Markup("")


@dataclass(frozen=True)
class JudgmentRow:
    """A judgment or scenario in two versions (one of them None: added or removed)."""

    before: history.Judged | None
    after: history.Judged | None
    text: Markup
    """Its text, as a word diff from before to after."""


@dataclass(frozen=True)
class ProseChange:
    title: str
    diff: Markup


Recorded = tuple[T, tuple[Dependency, ...]]
"""What a version's page, comparison or print document is, and what it read (tracking.grouped)."""


class VersionRenderer:
    """The pages and print documents of dated versions, from the templates of the project,
    each with what it read of the library."""

    def __init__(self, library: m.Library, templates: Templates, *, pdf_links: bool = False,
                 drawings: Drawings | None = None, whole: dict[tuple[str, str], m.Briefing] | None = None,
                 site_url: str | None = None):
        """`whole`: the whole files of earlier versions, by (commit, path) (read.history.read_whole);
        a version missing there is shown with what its history holds. `site_url`: the site's
        address, for the address a page is cited by."""
        self.site_url = site_url
        self.whole = whole or {}
        self.index = LibraryIndex(library)
        self.recorder = Recorder()
        self.lib: Any = TrackedLibrary(library, self.recorder)
        self.templates = templates
        self.envs = {library.site.language: make_environment(templates, library.site.language)}
        self.pdf_links = pdf_links
        self.drawings = drawings
        self._bid = ""
        self._fitted_versions: dict[int, tuple[m.Version, m.Briefing, frozenset[Dependency]]] = {}
        self._fragments = Fragments()

    def _render(self, template: str, language: str, **values: object) -> str:
        """The template with our words in `language`: a translated briefing's versions are in its."""
        if language not in self.envs:
            self.envs[language] = make_environment(self.templates, language)
        try:
            return self.envs[language].get_template(template).render(lib=self.lib, **values)
        except jinja2.TemplateError as exc:
            raise RenderError([template_problem(self.templates, template, exc)]) from None

    def _recorded(self, d: Dated, make: Callable[[], T]) -> Recorded[T]:
        """What `make` gives for the version `d`, and what it read (its own text among it)."""
        self.recorder.start()
        self.recorder.add(Read(VIEW, "version", "", (d.bid, d.day)))
        made = make()
        return made, tuple(grouped(self.recorder.finish()))

    def _helper(self, d: Dated, page: str | None) -> tuple[VersionHelper, m.Briefing, SiteForPages]:
        reading = Reading(self.index, self.lib, self.recorder, self.drawings,
                          versions={d.bid: (*d.earlier, d.version)})
        b = self._fitted(d.bid, d.version)
        anchors = {d.bid: f"briefing-{d.bid}", **{ba.actor: f"actor-{ba.actor}" for ba in b.actors}}
        p = VersionHelper(reading, anchors, d.bid, page)
        # The versions of a briefing share most of their text: a field converted for one is
        # taken for the next when what it depends on is the same (see PageHelper._to_html).
        p.fragments = self._fragments
        p.fragments_page = f"{page is None}|{'|'.join(sorted(anchors))}"
        return p, b, SiteForPages(reading)

    def _fitted(self, bid: str, v: m.Version) -> m.Briefing:
        """history.fitted of a version, once: its page, its comparison and the next one's use
        it, and each is told what fitting it read."""
        if bid != self._bid:  # the versions come briefing by briefing: forget the one before
            self._bid, self._fitted_versions, self._fragments = bid, {}, Fragments()
        found = self._fitted_versions.get(id(v))
        if found is None:
            with self.recorder.capture() as read:
                fitted = self.fitted(self.whole.get((v.commit, v.path), v.briefing))
            found = self._fitted_versions[id(v)] = (v, fitted, frozenset(read))
        else:
            self.recorder.add_all(found[2])
        return found[1]

    def fitted(self, b: m.Briefing) -> m.Briefing:
        return history.fitted(b, self.lib.actors, self.lib.sources, self.lib.briefings)

    def page(self, d: Dated) -> Recorded[str]:
        """The version's page: a banner (superseded or current), then the version as issued."""
        def make() -> str:
            p, b, site = self._helper(d, d.page)
            language = language_of(b, self.lib.site)
            body = self._render("print/_briefing.html.j2", language, b=b, bid=d.bid, p=p, chapter=False, site=site)
            cited = cite.version_citation(self.lib.site, d.bid, b, d.version.date, site_url=self.site_url,
                                          pdf_links=self.pdf_links)
            return self._render("version/page.html.j2", language, d=d, b=b, body=Markup(body),  # noqa: S704
                                site=site, up="../../", pdf=self.pdf_links, note=p.md_inline(d.version.note),
                                cite=cite.cite_block(cited, words_for(language)))

        return self._recorded(d, make)

    def changes(self, d: Dated) -> Recorded[str]:
        """The comparison of the version with the one before it."""
        before = d.previous
        assert before is not None, "the first version has nothing to compare with"

        def make() -> str:
            p, b, site = self._helper(d, d.page)
            old = self._fitted(d.bid, before)
            found = history.changes((before, d.version), p.yardstick())
            return self._render("version/changes.html.j2", language_of(b, self.lib.site), d=d, b=b, p=p, site=site,
                                up="../../",
                                note=p.md_inline(d.version.note), pdf=self.pdf_links,
                                rows=self.judgment_rows(old, b, p), prose=self.prose_changes(old, b, p),
                                indicators=found.indicators if found else [], before=before)

        return self._recorded(d, make)

    def print_job(self, d: Dated) -> Recorded[PrintJob]:
        """The version's PDF: the briefing's print document with a cover that says which
        version it is."""
        def make() -> PrintJob:
            p, b, site = self._helper(d, None)
            language = language_of(b, self.lib.site)
            body = Markup(self._render("print/_briefing.html.j2", language, b=b, bid=d.bid, p=p,  # noqa: S704
                                       chapter=False, site=site))
            title = words_for(language)._("%(title)s (version of %(day)s)", title=b.title, day=d.day)
            meta = DocumentMeta(title=title, language=language, marking=site.marking_of(b) or "",
                                running_title=title, authors=b.authors, subject=p.bottom_line(b), keywords=b.tags,
                                draft=b.status == "draft")

            def document(toc: list[tuple[int, str, Markup]]) -> str:
                return self._render("print/briefing.html.j2", language, b=b, bid=d.bid, body=body, toc=toc, meta=meta,
                                    site=site, version=d)

            return PrintJob(d.pdf_name, document(contents(body, max_level=2)), document([]))

        return self._recorded(d, make)

    def judgment_rows(self, old: m.Briefing, new: m.Briefing, p: VersionHelper) -> list[JudgmentRow]:
        before, after = history.judged_as(old, new), history.judged(new)
        rows = []
        for jid in [*after, *(j for j in before if j not in after)]:
            was, now = before.get(jid), after.get(jid)
            rows.append(JudgmentRow(was, now, diff_html(p.plain(was.text) if was else "",
                                                        p.plain(now.text) if now else "")))
        return rows

    def prose_changes(self, old: m.Briefing, new: m.Briefing, p: VersionHelper) -> list[ProseChange]:
        """Each prose part that changed (bottom line, assumptions, sections, scenarios,
        timeline), as a word diff."""
        found = []
        for title, was, now in _prose_parts(old, new, p.reading.words):
            was_text, now_text = p.plain(was), p.plain(now)
            if was_text != now_text:
                found.append(ProseChange(title, diff_html(was_text, now_text)))
        return found


def _prose_parts(old: m.Briefing, new: m.Briefing, words: Words) -> Iterable[tuple[str, str, str]]:
    yield words._("Bottom line"), old.summary, new.summary
    yield words._("Assumptions"), "\n".join(a.text for a in old.assumptions), "\n".join(a.text for a in new.assumptions)
    was = {s.title: s.body for s in old.sections}
    now = {s.title: s.body for s in new.sections}
    for title in [*now, *(t for t in was if t not in now)]:
        yield title, was.get(title, ""), now.get(title, "")
    old_scenarios = {s.id or s.title: s for s in old.scenarios}
    new_scenarios = {s.id or s.title: s for s in new.scenarios}
    for sid in [*new_scenarios, *(s for s in old_scenarios if s not in new_scenarios)]:
        o, n = old_scenarios.get(sid), new_scenarios.get(sid)
        title = n.title if n else o.title if o else sid
        yield (words._("Scenario: %(title)s", title=title),
               "\n".join(filter(None, [o.description, o.implications or ""])) if o else "",
               "\n".join(filter(None, [n.description, n.implications or ""])) if n else "")
    yield (words._("Timeline"), "\n".join(f"{e.date}: {e.event}" for e in old.timeline),
           "\n".join(f"{e.date}: {e.event}" for e in new.timeline))


_RUN_TAGS = {"removed": ("del", "removed: "), "added": ("ins", "added: ")}


def diff_html(old: str, new: str) -> Markup:
    """A word diff as HTML: removed words struck through, added words underlined, each run
    also said in words for screen readers (which do not announce <del> and <ins>)."""
    out = []
    for kind, text in word_diff(old, new):
        if kind == "same":
            out.append(Markup("{}").format(text))
            continue
        tag, said = _RUN_TAGS[kind]
        lead = text[:len(text) - len(text.lstrip())]
        out.append(Markup('{}<{} class="diff-{}"><span class="sr-only">[{}]</span>{}</{}>').format(
            lead, Markup(tag), Markup(kind), said.strip(), text.lstrip(), Markup(tag)))
    return Markup("").join(out)
