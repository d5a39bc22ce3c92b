"""The page helper: handed to a template as `p`, it renders a page's fields in reading
order, numbering its footnotes and placing its glossary hovers, and makes its links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from markupsafe import Markup

from ..core import history, sourcing, yardsticks
from ..core import model as m
from ..core.refs import find_refs
from ..core.translations import language_of
from ..core.values import text_direction
from ..incremental.fragments import Fragments
from ..incremental.tracking import read_as
from . import records
from .context import Reading
from .history import movement_html, plain, sparkline, versions_of
from .index import changes_page, sentence_of, version_page
from .markup import Link, PageContext, to_html
from .words import language_name


class Language(NamedTuple):
    """One version of a situation's briefing, as a link to it: a language switch's entry."""

    href: str
    tag: str
    """Its language tag (ru, hy...)."""
    name: str
    """The language's name in that language (русский)."""
    current: bool
    """It is the briefing the links are of (the page's own, or the original a list shows)."""


class PageHelper:
    """Renders the fields of one page of the site, in reading order."""

    def __init__(self, reading: Reading, page: str, fragments: Fragments | None = None, *, glossary: bool = True):
        """`fragments`: fields converted before (the live preview), taken when their inputs are the same."""
        self.reading = reading
        self.index = reading.index
        self.lib = reading.lib
        self.page = page
        self.fragments = fragments
        self.fragments_page = page
        """Under which name its converted fields are kept in `fragments` (the page's own)."""
        self._moved: dict[str, dict[str, history.Movement]] = {}
        self._judged: dict[str, list[tuple[dt.date, dict[str, history.Judged]]]] = {}
        hovers: dict[str, tuple[str, str]] = {}
        if glossary and not page.startswith("glossary"):
            hovers = reading.view("glossary")
        self.ctx = PageContext(
            link_to=self._link_to,
            source_href=lambda sid: f"#source-{sid}",
            source_hint=self._source_hint,
            glossary=hovers,
        )

    def _link_to(self, target_id: str) -> Link | None:
        target = self.reading.view("target", target_id)
        if target is None:
            return None
        return Link(self.url_of(target_id), target.title, target.title_inside or target.title)

    def _source_hint(self, source_id: str) -> str:
        return self.reading.view("hint", source_id)  # type: ignore[no-any-return]

    def url_of(self, target_id: str) -> str:
        t = self.reading.view("target", target_id)
        return self.index.url(self.page, t.page, t.anchor)

    def languages(self, bid: str) -> list[Language]:
        """A briefing's original and its translations as links, the original first ([] when
        it has no translation)."""
        return [Language(self.url_of(i), tag, language_name(tag), i == bid)
                for i, tag in self.reading.view("languages", bid)]

    def alternates(self, bid: str) -> list[dict[str, str]]:
        """A briefing's versions in every language as its front matter lists them, for the theme
        to link in the page's head (hreflang): their languages, names and paths from the site's root."""
        return [{"hreflang": tag, "title": language_name(tag), "href": f"briefings/{i}.html"}
                for i, tag in self.reading.view("languages", bid)]

    def page_language(self, b: m.Briefing) -> dict[str, str]:
        """The language of a briefing's page when it is not the site's, as its front matter
        says it (`lang`, and `dir` when written right to left); {} in the site's language."""
        tag = language_of(b, self.lib.site)
        if tag == self.lib.site.language:
            return {}
        return {"lang": tag, **({"dir": "rtl"} if text_direction(tag) == "rtl" else {})}

    def url(self, page: str, anchor: str = "") -> str:
        return self.index.url(self.page, page, anchor)

    def source_entry(self, source_id: str) -> str:
        """The link to a source's entry on the sources page (or the page of its initial)."""
        return self.url(self.reading.view("source_page", source_id), f"source-{source_id}")

    def md(self, text: str | None, sources: Iterable[str] = ()) -> Markup:
        """A Markdown field; `sources` (a `sources:` list) become footnote markers at its end."""
        return self._to_html(_with_citations(text, sources), inline=False)

    def md_inline(self, text: str | None, sources: Iterable[str] = ()) -> Markup:
        return self._to_html(_with_citations(text, sources), inline=True)

    def _to_html(self, text: str, inline: bool) -> Markup:
        """to_html, remembered when there are `fragments`: a field renders the same on the same
        page in the same state, which is everything the HTML and the page's footnotes and hovers
        depend on: the index's targets and sources (its fingerprint), the page, the footnotes
        and terms seen so far. What the conversion read is noted again when it is taken."""
        if self.fragments is None:
            return to_html(text, self.ctx, inline=inline)
        ctx = self.ctx
        key = (self.index.fingerprint, text, inline, tuple(ctx.cited), frozenset(ctx.terms_seen))
        hit = self.fragments.get(self.fragments_page, key)
        if hit is None:
            with self.reading.recorder.capture() as read:
                out = to_html(text, ctx, inline=inline)
            kept = (out, tuple(ctx.cited), frozenset(ctx.terms_seen), frozenset(read))
            self.fragments.put(self.fragments_page, key, kept)
            return out
        out, cited, seen, read = hit
        ctx.cited[:] = cited
        ctx.terms_seen.update(seen)
        self.reading.recorder.add_all(read)
        return out

    # --- How the briefing's judgments moved (render/history.py) ---

    def _movements(self, bid: str) -> dict[str, history.Movement]:
        """history.movements of the briefing, once per page (each judgment asks)."""
        versions = versions_of(self.reading, bid)
        if bid not in self._moved:
            self._moved[bid] = history.movements(versions, self.yardstick())
        return self._moved[bid]

    def follow_key(self, b: m.Briefing, item: m.KeyJudgment | m.Scenario) -> str:
        """What follows a key judgment or scenario across versions (history.follow_key)."""
        return history.follow_key(b, item)

    def movement(self, bid: str, jid: str | None) -> Markup:
        """The line under a key judgment or scenario: how it moved since the version before."""
        found = self._movements(bid).get(jid or "")
        reason = self.md_inline(found.reason) if found is not None and found.changed and found.reason else Markup("")
        return movement_html(found, reason, self.reading.words)

    def scenario_anchor(self, b: m.Briefing, sc: m.Scenario) -> str:
        """Where a scenario is on its briefing's page (the Watch list and Track record link there)."""
        return records.scenario_anchor(b, sc)

    def changes(self, bid: str) -> history.Changes | None:
        return history.changes(versions_of(self.reading, bid), self.yardstick())

    def judgment_history(self, bid: str, jid: str | None) -> list[history.Point]:
        """The judgment in every version that has it, oldest first (none for one version, or
        when its grades never moved)."""
        versions = versions_of(self.reading, bid)
        if not jid or len(versions) < 2:
            return []
        if bid not in self._judged:  # each version's judgments keyed as the newest's, once per page
            self._judged[bid] = [(v.date, history.judged_as(v.briefing, versions[-1].briefing)) for v in versions]
        points = [history.Point(day, j.likelihood, j.confidence)
                  for day, judged in self._judged[bid] if (j := judged.get(jid)) is not None]
        # a judgment graded the same in every version has no history to show: its line says so
        moved = len({(pt.likelihood, pt.confidence) for pt in points}) > 1
        return points if len(points) > 1 and moved else []

    def sparkline(self, points: list[history.Point], label: str) -> Markup:
        return sparkline(points, label, self.yardstick(), self.reading.words)

    # --- Likelihood terms on the site's yardstick (core/yardsticks.py) ---

    def yardstick(self) -> yardsticks.Yardstick:
        return yardsticks.of(self.lib.site.yardstick)

    def term(self, key: str | None) -> yardsticks.Term | None:
        """A likelihood term as this site shows it (its range on the site's yardstick; a term
        of the other yardstick, from an earlier version, with its own)."""
        return yardsticks.resolve(key, self.yardstick()) if key else None

    def version_links(self, bid: str, day: dt.date) -> list[tuple[str, str]]:
        """(label, link) of the version issued on `day`: its own page, and what it changed
        (none when the briefing has one version, or that one was not found)."""
        versions = versions_of(self.reading, bid)
        dates = [v.date for v in versions]
        if len(versions) < 2 or day not in dates:
            return []
        words = self.reading.words
        found = [(words._("this version"), self.url(version_page(bid, day)))]
        if dates.index(day) > 0:
            found.append((words._("what changed"), self.url(changes_page(bid, day))))
        return found

    def plain(self, text: str) -> str:
        """A Markdown text, plain: a link shows its target's name, or "(unpublished)" for what
        this site does not hold."""
        return plain(text, lambda target_id: self._link_to(target_id), self.reading.words)

    def bottom_line(self, b: m.Briefing) -> str:
        """The first sentence of a briefing's summary, plain, each link as its target's name (for
        lists and covers). A page reads the first sentence, not the whole summary (the view
        'bottom_line'), and the names of the links in it."""
        return sentence_of(self.plain(read_as(b, "bottom_line").summary))

    def source_summary(self, kj: m.KeyJudgment) -> str:
        """The judgment's source summary line (core/sourcing.py), from its sources as this page
        reads them (each field it reads is noted); an earlier version may name one since removed."""
        ids = kj.rests_on()
        held = [self.lib.sources[sid] for sid in ids if sid in self.lib.sources]
        return sourcing.summarise(held, missing=len(ids) - len(held)).line(self.reading.words)

    def supported(self, b: m.Briefing, assumption: m.Assumption) -> list[tuple[int, str]]:
        """(number in the list, id) of each key judgment the assumption supports, in its order."""
        numbers = {kj.id: n for n, kj in enumerate(b.key_judgments, start=1) if kj.id}
        return [(numbers[jid], jid) for jid in dict.fromkeys(assumption.judgments) if jid in numbers]

    def footnotes(self) -> list[tuple[int, m.Source, str]]:
        """The sources cited on this page so far, in footnote order, with their ids."""
        return [(n, self.lib.sources[sid], sid) for n, sid in enumerate(self.ctx.cited, start=1)]


def _with_citations(text: str | None, sources: Iterable[str]) -> str:
    """The text with a marker at its end for each listed source it does not cite already
    (a source cited inline and listed too gets one marker, the inline one)."""
    text = (text or "").rstrip()
    inline = {ref.target for ref in find_refs(text) if ref.kind == "cite"}
    ids = [sid for sid in dict.fromkeys(sources) if sid not in inline]
    if not ids:
        return text
    return f"{text} [" + "; ".join(f"@{sid}" for sid in ids) + "]"
