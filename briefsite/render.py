"""The model to Markdown pages for the site engine, through Jinja templates.

Python decides what each page holds (backlinks, citations, labels); templates only
lay it out. Every field from YAML reaches a page either escaped or through
`markup.to_html`, so nothing a user writes can become markup.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import multiprocessing
import posixpath
import re
import traceback
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import model as m
from .errors import BriefError, Mark, Problem, RenderError, display_path
from .markup import PageContext, plain_text, to_html
from .refs import find_refs
from .site import theme_text
from .views import FEED_PAGE, Views, atom_feed

LIKELIHOOD_LABELS = {k: k.replace("-", " ").capitalize() for k in m.LIKELIHOOD_RANGES}


@dataclass(frozen=True)
class Target:
    """Where an id lives on the site."""

    kind: str
    page: str
    """The Markdown page, relative to the docs folder, e.g. 'actors/putin.md'."""
    anchor: str
    title: str


@functools.lru_cache(maxsize=1 << 16)  # pages link to the same few targets again and again
def page_url(from_page: str, to_page: str, anchor: str = "") -> str:
    """A relative link between two generated pages (the site uses .html URLs, not folders)."""
    target = re.sub(r"\.md$", ".html", to_page)
    rel = posixpath.relpath(target, posixpath.dirname(from_page) or ".")
    return rel + (f"#{anchor}" if anchor else "")


class Site:
    """The library, indexed for rendering: targets of ids, backlinks and citations."""

    def __init__(self, library: m.Library, known: dict[str, tuple[set[str], set[str]]] | None = None):
        """`known`: the actors named and sources cited by briefings seen before, by their
        content (PageMemo.refs); updated to this library's."""
        self.lib = library
        self.targets: dict[str, Target] = {}
        for bid, b in library.briefings.items():
            self.targets[bid] = Target("briefing", f"briefings/{bid}.md", "", b.title)
        for aid, a in library.actors.items():
            self.targets[aid] = Target("actor", f"actors/{aid}.md", "", a.name)
        for tid, t in library.terms.items():
            self.targets[tid] = Target("term", "glossary.md", tid, t.term)
        self.glossary = _glossary_words(library.terms)
        self.names_actor: dict[str, set[str]] = {}
        self.cites: dict[str, set[str]] = {}
        self.contents: dict[str, str] = {}
        """Briefing id -> its record as JSON, when `known` was given (PageKeys reuses it)."""
        found: dict[str, tuple[set[str], set[str]]] = {}
        for bid, b in library.briefings.items():
            if known is None:
                self.names_actor[bid], self.cites[bid] = _named_and_cited(b)
                continue
            content = self.contents[bid] = b.model_dump_json()
            seen = found[content] = known.get(content) or _named_and_cited(b)
            self.names_actor[bid], self.cites[bid] = seen
        if known is not None:
            known.clear()
            known.update(found)
        # The inverse maps, built once: a lookup per actor or source page, not a scan of all briefings.
        self._naming: dict[str, list[m.Briefing]] = {}
        self._citing: dict[str, list[m.Briefing]] = {}
        for bid, b in library.briefings.items():  # newest first, and so is every list
            for actor_id in self.names_actor[bid]:
                self._naming.setdefault(actor_id, []).append(b)
            for source_id in self.cites[bid]:
                self._citing.setdefault(source_id, []).append(b)

    def briefings_naming(self, actor_id: str) -> list[m.Briefing]:
        """Backlinks: every briefing that names the actor, newest first."""
        return list(self._naming.get(actor_id, ()))

    def briefings_citing(self, source_id: str) -> list[m.Briefing]:
        return list(self._citing.get(source_id, ()))

    @functools.cached_property
    def fingerprint(self) -> str:
        """Changes whenever a rendered field could: link targets and titles, source hints, glossary."""
        hint = PageHelper(self, "index.md")._source_hint
        parts = (sorted(self.targets.items()), sorted(self.glossary.items()),
                 sorted((source_id, hint(source_id)) for source_id in self.lib.sources))
        return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()

    def marking_of(self, briefing: m.Briefing | None = None) -> str | None:
        if briefing is not None and briefing.marking:
            return briefing.marking
        return self.lib.site.marking


def _glossary_words(terms: dict[str, m.Term]) -> dict[str, tuple[str, str]]:
    words: dict[str, tuple[str, str]] = {}
    for tid, t in terms.items():
        for word in [t.term, *t.aliases]:
            words.setdefault(word.lower(), (tid, plain_text(t.definition)))
    return words


def _named_and_cited(b: m.Briefing) -> tuple[set[str], set[str]]:
    """The actors a briefing names and the sources it cites, anywhere in it."""
    named = {a.actor for a in b.actors}
    named.update(actor for event in b.timeline for actor in event.actors)
    # One scan of all its texts: a reference never spans a line break, so joining them adds none.
    refs = find_refs("\n".join(text for _, text in b.markdown_texts()))
    named.update(ref.target for ref in refs if ref.kind == "link")
    cited = {ref.target for ref in refs if ref.kind == "cite"}
    cited.update(_listed_sources(b))
    return named, cited


def _listed_sources(record: m.Record) -> Iterable[str]:
    for name in type(record).model_fields:
        value = getattr(record, name)
        if name == "sources":
            yield from value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, m.Record):
                    yield from _listed_sources(item)


class PageHelper:
    """Handed to a template as `p`: renders fields in reading order for one page."""

    def __init__(self, site: Site, page: str):
        self.site = site
        self.page = page
        self.ctx = PageContext(
            link_to=self._link_to,
            source_href=lambda sid: f"#source-{sid}",
            source_hint=self._source_hint,
            glossary=site.glossary if not page.startswith("glossary") else {},
        )

    def _link_to(self, target_id: str) -> tuple[str, str] | None:
        target = self.site.targets.get(target_id)
        if target is None:
            return None
        return self.url_of(target_id), target.title

    def _source_hint(self, source_id: str) -> str:
        s = self.site.lib.sources.get(source_id)
        if s is None:
            return ""
        parts = [s.title, s.publisher or "", grade(s)]
        return " — ".join(p for p in parts if p)

    def url_of(self, target_id: str) -> str:
        t = self.site.targets[target_id]
        return page_url(self.page, t.page, t.anchor)

    def url(self, page: str, anchor: str = "") -> str:
        return page_url(self.page, page, anchor)

    def md(self, text: str | None, sources: Iterable[str] = ()) -> Markup:
        """A Markdown field; `sources` (a `sources:` list) become footnote markers at its end."""
        return self._to_html(_with_citations(text, sources), inline=False)

    def md_inline(self, text: str | None, sources: Iterable[str] = ()) -> Markup:
        return self._to_html(_with_citations(text, sources), inline=True)

    def _to_html(self, text: str, inline: bool) -> Markup:
        """to_html, remembered: a field renders the same on the same page in the same state.

        The state is everything the HTML and the page's footnotes and hovers depend on:
        the site's targets and sources (its fingerprint), the page, the footnotes and
        terms seen so far. The live server renders every page at every change; this makes
        the pages whose fields did not change cost a lookup. Only while render_pages is
        asked to remember; subclasses link elsewhere (print), so they always convert.
        """
        if type(self) is not PageHelper or not _FRAGMENTS.enabled:
            return to_html(text, self.ctx, inline=inline)
        ctx = self.ctx
        key = (self.site.fingerprint, text, inline, tuple(ctx.cited), frozenset(ctx.terms_seen))
        hit = _FRAGMENTS.get(self.page, key)
        if hit is None:
            out = to_html(text, ctx, inline=inline)
            _FRAGMENTS.put(self.page, key, (out, tuple(ctx.cited), frozenset(ctx.terms_seen)))
            return out
        out, cited, seen = hit
        ctx.cited[:] = cited
        ctx.terms_seen.update(seen)
        return out

    def footnotes(self) -> list[tuple[int, m.Source, str]]:
        """The sources cited on this page so far, in footnote order, with their ids."""
        return [(n, self.site.lib.sources[sid], sid) for n, sid in enumerate(self.ctx.cited, start=1)]


class _FragmentCache:
    """Rendered fields of this render and the one before, by page; older ones are dropped."""

    def __init__(self) -> None:
        self.current: dict[str, dict[Any, Any]] = {}
        self.previous: dict[str, dict[Any, Any]] = {}
        self.enabled = False

    def get(self, page: str, key: Any) -> Any:
        value = self.current.get(page, {}).get(key)
        if value is None:
            value = self.previous.get(page, {}).get(key)
            if value is not None:
                self.current.setdefault(page, {})[key] = value
        return value

    def put(self, page: str, key: Any, value: Any) -> None:
        self.current.setdefault(page, {})[key] = value

    def carry(self, page: str) -> None:
        """A page not rendered this time (PageMemo had it): keep its fields for a later render."""
        if page in self.previous and page not in self.current:
            self.current[page] = self.previous[page]

    def next_render(self, remember: bool) -> None:
        """Start a render; without `remember`, forget everything and keep nothing."""
        self.previous, self.current = (self.current, {}) if remember else ({}, {})
        self.enabled = remember


_FRAGMENTS = _FragmentCache()


def _with_citations(text: str | None, sources: Iterable[str]) -> str:
    ids = list(sources)
    text = (text or "").rstrip()
    if not ids:
        return text
    return f"{text} [" + "; ".join(f"@{sid}" for sid in ids) + "]"


def grade(s: m.Source) -> str:
    """'B3' style Admiralty grade, or '' when ungraded."""
    return f"{s.reliability or ''}{s.credibility or ''}"


def bottom_line(b: m.Briefing) -> str:
    """The first sentence of the summary, as plain text, for lists."""
    text = plain_text(b.summary)
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return match.group(1) if match else text


def md_text(value: Any) -> Markup:
    """Plain text placed where Markdown is parsed (a heading): escape HTML and Markdown."""
    text = str(value).replace("\n", " ")
    text = html.escape(text, quote=False)
    text = re.sub(r"([\\`*_{}\[\]()#+!|])", r"\\\1", text)
    return Markup(text)  # noqa: S704


def make_environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,  # everything from YAML is text unless it went through markup
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md_text"] = md_text
    # front matter: a JSON string (valid YAML), escaped because the theme prints titles as HTML
    env.filters["tojson_text"] = lambda v: Markup(json.dumps(theme_text(v), ensure_ascii=False))  # noqa: S704
    env.globals.update(
        likelihood_label=LIKELIHOOD_LABELS, likelihood_range=m.LIKELIHOOD_RANGES,
        reliability_meaning=m.RELIABILITY_MEANINGS, credibility_meaning=m.CREDIBILITY_MEANINGS,
        grade=grade, bottom_line=bottom_line,
    )
    return env


# The fields of a record that only its own page shows. Every other page that uses a record
# (lists, backlinks, graphs, footnote hovers) reads only its other fields, and the links and
# citations in its text (Site.names_actor, Site.cites); so an edit to these fields leaves
# every other record page as it was. Pages across the library read what LIBRARY_PAGES says
# of them. The tests check both against a full render after edits to every field.
OWN_PAGE_FIELDS: dict[str, set[str]] = {
    "briefing": {"summary", "key_judgments", "assumptions", "sections", "scenarios", "timeline", "related",
                 "updates"},
    "actor": {"summary", "sources"},
}


class PageMemo:
    """Pages rendered before, each with the key of everything it was rendered from.

    A page whose key is unchanged is taken as it was, not rendered again. The key of a
    briefing or actor page is its record, everything of other records that such a page
    can show (see OWN_PAGE_FIELDS), the templates and the options; the key of a page across
    the library is what LIBRARY_PAGES says it reads. The live preview keeps the pages in
    memory. A build keeps them on disk without their text: that is in `store` (the folder
    the pages were written to), and a page is taken from there only if its digest matches.
    """

    def __init__(self, entries: dict[str, tuple[str, str | None, str | None]] | None = None,
                 store: Path | None = None):
        self.entries = entries or {}
        """page -> (key, its text or None when only in `store`, the digest of its text or None)"""
        self.store = store
        self.used: dict[str, tuple[str, str | None, str | None]] = {}
        self.refs: dict[str, tuple[set[str], set[str]]] = {}
        """What briefings name and cite, by their content (see Site)."""
        self.hits = 0
        self.changed_last = True
        """Whether the last render rendered any page anew (then the memo is worth saving)."""
        self.kept_last = 0
        """How many pages the last render took from the memo."""

    def get(self, page: str, key: str) -> str | None:
        found = self.entries.get(page)
        if found is None or found[0] != key:
            return None
        text = found[1] if found[1] is not None else self._stored(page, found[2])
        if text is None:
            return None
        self.hits += 1
        self.used[page] = (key, text, found[2])
        return text

    def _stored(self, page: str, digest: str | None) -> str | None:
        """The page as written before, if it is still exactly what was rendered."""
        if self.store is None or digest is None:
            return None
        try:
            data = (self.store / page).read_bytes()
        except OSError:
            return None
        return data.decode("utf-8") if hashlib.sha256(data).hexdigest() == digest else None

    def put(self, page: str, key: str, text: str) -> None:
        self.used[page] = (key, text, None)

    def finish_render(self) -> None:
        """Keep only this render's pages."""
        self.changed_last = self.hits != len(self.used) or len(self.used) != len(self.entries)
        self.kept_last = self.hits
        self.entries, self.used, self.hits = self.used, {}, 0

    def __getstate__(self) -> dict[str, Any]:
        """Keys and digests only: the texts are in the pages written."""
        entries = {page: (key, None, digest or _digest_of(text))
                   for page, (key, text, digest) in self.entries.items() if digest or text is not None}
        return {"entries": entries, "changed_last": self.changed_last, "refs": self.refs}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["entries"])  # type: ignore[misc]
        self.changed_last = state["changed_last"]
        self.refs = state["refs"]


def _digest_of(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


def _sha(*parts: Any) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(str(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def templates_digest(templates_dir: Path) -> str:
    """A digest of every template (a change to any one may change any page)."""
    files = sorted(p for p in templates_dir.rglob("*") if p.is_file())
    return _sha(*(f"{p.relative_to(templates_dir).as_posix()}:{hashlib.sha256(p.read_bytes()).hexdigest()}"
                  for p in files))


class PageKeys:
    """The key of every page for PageMemo (see there)."""

    def __init__(self, site: Site, templates_dir: Path, options: tuple[Any, ...]):
        lib = site.lib
        self.lib = lib
        own: dict[str, str] = {}
        shared: list[Any] = [templates_digest(templates_dir), repr(options), lib.site.model_dump_json()]
        for bid, b in lib.briefings.items():
            own[f"briefings/{bid}.md"] = site.contents.get(bid) or b.model_dump_json()
            shared += [bid, b.model_dump_json(exclude=OWN_PAGE_FIELDS["briefing"]),
                       sorted(site.names_actor[bid]), sorted(site.cites[bid])]
        for aid, a in lib.actors.items():
            own[f"actors/{aid}.md"] = a.model_dump_json()
            shared += [aid, a.model_dump_json(exclude=OWN_PAGE_FIELDS["actor"])]
        shared += [f"{sid}{s.model_dump_json()}" for sid, s in lib.sources.items()]
        shared += [f"{tid}{t.model_dump_json()}" for tid, t in lib.terms.items()]
        self.shared = _sha(*shared)
        self.own = own
        self._library_keys: dict[str, str] = {}

    def of(self, page: str) -> str:
        own = self.own.get(page)
        if own is not None:
            return _sha(self.shared, page, own)
        key = self._library_keys.get(page)
        if key is None:
            reads = LIBRARY_PAGES[page]
            key = self._library_keys[page] = _sha(self.shared, page, self._read_by(reads) if reads else "")
        return key

    @functools.cache  # noqa: B019 - one PageKeys per render; several pages read the same
    def _read_by(self, reads: Callable[[m.Briefing], str]) -> str:
        return _sha(*(reads(b) for b in self.lib.briefings.values()))


_ENVIRONMENTS: dict[Path, jinja2.Environment] = {}


def _environment(templates_dir: Path) -> jinja2.Environment:
    """One environment per templates folder for the life of the process: its compiled
    templates are reused (Jinja compiles a template again when its file changes)."""
    env = _ENVIRONMENTS.get(templates_dir)
    if env is None:
        env = _ENVIRONMENTS[templates_dir] = make_environment(templates_dir)
    return env


def render_pages(library: m.Library, templates_dir: Path, *, pdf_links: bool = False,
                 site_url: str | None = None, remember: bool = False,
                 memo: PageMemo | None = None, workers: int = 1) -> dict[str, str]:
    """Every generated page, by its path inside the docs folder.

    `pdf_links`: the build makes PDFs (pdf/ of the site), so pages link to them.
    `site_url`: the site's address (mkdocs.yml), for absolute links in the Atom feed.
    `remember`: keep the rendered fields for the next call, which then converts only the
    fields that changed (the live preview renders at every edit; a one-off build leaves it
    off and saves the memory, about 130 MB at 1,000 briefings).
    `memo`: pages of an earlier render; those whose key is unchanged are not rendered again.
    `workers`: 2 renders half the pages in a second process when there are many (a one-off
    build on a machine with two cores or more; not with `remember`, whose memory is this
    process's).
    """
    site = Site(library, memo.refs if memo is not None else None)
    env = _environment(templates_dir)
    _FRAGMENTS.next_render(remember)
    keys = PageKeys(site, templates_dir, (pdf_links, site_url)) if memo is not None else None
    jobs = _page_jobs(library, site)
    kept: dict[str, str] = {}
    if memo is not None and keys is not None:
        for job in jobs:
            text = memo.get(job.page, keys.of(job.page))
            if text is not None:
                kept[job.page] = text
                _FRAGMENTS.carry(job.page)
    views = Views(site)  # timeline, indexes, graphs (views.py)
    common = {"site": site, "lib": library, "pdf_links": pdf_links, "views": views}

    def draw_graphs(pages: Container[str]) -> None:
        views.prefetch_graphs(lambda page: PageHelper(site, page), only=pages)

    def render_one(job: _Job) -> str:
        if job.template is None:
            return atom_feed(library, site_url)
        try:
            return env.get_template(job.template).render(p=PageHelper(site, job.page), **common, **job.values)
        except jinja2.TemplateError as exc:
            raise RenderError([_template_problem(templates_dir, job.template, exc)]) from None

    todo = [job for job in jobs if job.page not in kept]
    if workers > 1 and not remember and len(todo) >= PARALLEL_FROM and _CAN_FORK:
        rendered = _render_in_two_processes(todo, render_one, draw_graphs)
    else:
        draw_graphs({job.page for job in todo})
        rendered = {job.page: render_one(job) for job in todo}
    if memo is not None and keys is not None:
        for page, text in rendered.items():
            memo.put(page, keys.of(page), text)
        memo.finish_render()
    return {job.page: kept[job.page] if job.page in kept else rendered[job.page] for job in jobs}


@dataclass(frozen=True)
class _Job:
    """One page to render: its path, its template (None: the Atom feed) and the template's values."""

    page: str
    template: str | None
    values: dict[str, Any]


def _page_jobs(library: m.Library, site: Site) -> list[_Job]:
    """Every page of the site, in the order the site lists them."""
    jobs = [_Job("index.md", "home.md.j2", {})]
    jobs += [_Job(f"briefings/{bid}.md", "briefing.md.j2", {"b": b, "bid": bid})
             for bid, b in library.briefings.items()]
    jobs.append(_Job("actors/index.md", "actors.md.j2", {}))
    jobs += [_Job(f"actors/{aid}.md", "actor.md.j2",
                  {"a": a, "aid": aid, "backlinks": site.briefings_naming(aid)}) for aid, a in library.actors.items()]
    jobs += [_Job(page, template, {}) for page, template in (
        ("sources.md", "sources.md.j2"), ("glossary.md", "glossary.md.j2"), ("timeline.md", "timeline.md.j2"),
        ("tags/index.md", "tags.md.j2"), ("regions.md", "regions.md.j2"), ("status.md", "status.md.j2"),
        ("legend.md", "legend.md.j2"))]
    jobs.append(_Job(FEED_PAGE, None, {}))
    return jobs


_CAN_FORK = "fork" in multiprocessing.get_all_start_methods()  # not on Windows

PARALLEL_FROM = 200
"""Pages to render before a second process pays: starting it and sending its pages back
costs about 0.1 s; 1,500 pages take about 9 s in one process."""


def _render_in_two_processes(jobs: list[_Job], render_one: Callable[[_Job], str],
                             draw_graphs: Callable[[Container[str]], None]) -> dict[str, str]:
    """Render every other page in a forked copy of this process, the rest here, at the same
    time. The copy has the same library, templates and state: its pages are what this
    process would have rendered. A problem there is raised here, as if met here."""
    context = multiprocessing.get_context("fork")
    theirs, ours = jobs[1::2], jobs[0::2]
    reader, writer = context.Pipe(duplex=False)

    def work() -> None:
        message: tuple[Any, ...]
        try:
            draw_graphs({job.page for job in theirs})
            message = ("pages", {job.page: render_one(job) for job in theirs})
        except BriefError as exc:
            message = ("problems", type(exc), exc.problems)
        except BaseException:  # noqa: BLE001 - a bug: its traceback, for the error raised here
            message = ("crash", traceback.format_exc())
        writer.send(message)
        writer.close()

    helper = context.Process(target=work, name="render", daemon=True)
    helper.start()
    writer.close()
    try:
        draw_graphs({job.page for job in ours})
        pages = {job.page: render_one(job) for job in ours}
        try:
            message = reader.recv()
        except EOFError:
            message = ("crash", f"the second render process ended (exit code {helper.exitcode}) without its pages")
    except BaseException:
        helper.terminate()
        raise
    finally:
        helper.join()
        reader.close()
    if message[0] == "problems":
        raise message[1](message[2])
    if message[0] == "crash":
        raise RuntimeError(f"rendering in a second process failed:\n{message[1]}")
    pages.update(message[1])
    return pages


def _timeline_of(b: m.Briefing) -> str:
    return b.model_dump_json(include={"timeline"})


def _feed_entry_of(b: m.Briefing) -> str:
    return b.model_dump_json(include={"summary", "updates"})


LIBRARY_PAGES: dict[str, Callable[[m.Briefing], str] | None] = {
    # Pages across the library, and what each reads of a briefing's OWN_PAGE_FIELDS
    # (None: nothing). Their other inputs are those of every record page but its own.
    "index.md": bottom_line, "tags/index.md": bottom_line, "regions.md": bottom_line, "status.md": bottom_line,
    "timeline.md": _timeline_of, FEED_PAGE: _feed_entry_of,
    "actors/index.md": None, "sources.md": None, "glossary.md": None, "legend.md": None,
}


def _template_problem(templates_dir: Path, template: str, exc: jinja2.TemplateError) -> Problem:
    line = getattr(exc, "lineno", None)
    name = getattr(exc, "filename", None) or str(templates_dir / template)
    return Problem(display_path(Path(name)), Mark(line, 1) if line else None, (),
                   f"template error: {getattr(exc, 'message', None) or exc}")
