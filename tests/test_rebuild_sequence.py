"""The promise as a property: random sequences of what a desk does in a day (edit or delete a
record of each kind, withhold or publish a briefing, commit a new version, change a template
override, build, build --public, `pdf`), and after each build the site is byte for byte a
build from scratch of the same state with the same options.

A short run is part of the suite; `make fuzz` runs a long one (HYPOTHESIS_PROFILE=long).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule, run_state_machine_as_test

from briefsite.app import BuildOptions, build, build_pdfs
from briefsite.authoring.init import create_project
from briefsite.core.project import DEFAULT_TEMPLATES, Project
from briefsite.output.writer import read_tree
from tests.test_history import git

LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
SITE_URL = "https://example.org/briefs/"
FLAGS = ("second", "second_public", "first_links_second", "extra_actor", "extra_source", "override")
COUNTERS = ("summary", "actor_name", "source_title", "term")
PLANTS = ("version-cache", "pdf-cache", "docs", "folder link")
"""Where a file is changed or planted in build/ (see DeskDay.plant)."""


@dataclass(frozen=True)
class Desk:
    """What the desk's data says, as a few choices; `write` makes the files of it (always valid)."""

    second: bool = True
    """The briefing 'second' exists."""
    second_public: bool = False
    """... and is public (else internal: withheld from public builds)."""
    first_links_second: bool = True
    """The first briefing links [[second]] (while it exists)."""
    extra_actor: bool = True
    """The actor 'extra-actor' exists; 'second' names it and the first briefing links it."""
    extra_source: bool = True
    """The source 'extra-source' exists; 'second' and the first briefing's judgment cite it."""
    override: bool = False
    """The project overrides the briefing page's template and the version page's."""
    counters: tuple[int, ...] = (0,) * len(COUNTERS)
    """How many times each kind of record (COUNTERS) was edited (its text carries the count)."""
    versions: int = 1
    """Entries of the first briefing's updates: each one committed."""

    def files(self) -> dict[str, str | None]:
        """Each file of the project this state decides, by path (None: no such file)."""
        c = dict(zip(COUNTERS, self.counters, strict=True))
        links = []
        if self.second and self.first_links_second:
            links.append("as [[second]] says")
        if self.extra_actor:
            links.append("beside [[extra-actor]]")
        summary = f"The example actor keeps its course, edit {c['summary']} [@first-source]" + \
            (" " + " ".join(links) if links else "") + "."
        day = dt.date(2026, 1, 15)
        updates = "".join(f"  - date: {day + dt.timedelta(days=n)}\n    note: Version {n + 1}.\n"
                          for n in reversed(range(self.versions)))
        judgment_sources = "[first-source, extra-source]" if self.extra_source else "[first-source]"
        first = (f"title: A first briefing\ndate: {day}\nstatus: final\naudience: public\nregion: Example region\n"
                 f"tags: [example]\nsummary: {summary}\nkey_judgments:\n  - id: course\n"
                 f"    text: The example actor will keep its course ({self.versions}).\n"
                 f"    likelihood: {'likely' if self.versions % 2 else 'very-likely'}\n    confidence: moderate\n"
                 f"    sources: {judgment_sources}\nactors:\n  - actor: example-actor\n    role: What it does.\n"
                 f"updates:\n{updates}")
        second = None
        if self.second:
            second = (f"title: The second assessment\ndate: 2026-01-12\nstatus: final\n"
                      f"audience: {'public' if self.second_public else 'internal'}\nregion: Other region\n"
                      f"tags: [second]\nsummary: Only in the second assessment"
                      f"{' [@extra-source]' if self.extra_source else ''}.\nactors:\n"
                      + ("  - actor: extra-actor\n    role: Its part.\n" if self.extra_actor else
                         "  - actor: example-actor\n    role: Its part.\n"))
        sources = ("- id: first-source\n  title: The page a claim rests on\n  url: https://example.org/a-page\n"
                   f"  publisher: Publisher {c['source_title']}\n  reliability: B\n  credibility: 2\n")
        if self.extra_source:
            sources += ("- id: extra-source\n  title: The extra source's title\n  url: https://example.org/extra\n"
                        "  reliability: C\n  credibility: 3\n")
        briefing_template = (DEFAULT_TEMPLATES / "briefing.md.j2").read_text(encoding="utf-8")
        page_template = (DEFAULT_TEMPLATES / "version" / "page.html.j2").read_text(encoding="utf-8")
        return {
            "data/briefings/first-briefing.yaml": first,
            "data/briefings/second.yaml": second,
            "data/actors/example-actor.yaml": f"name: Example Actor {c['actor_name']}\nkind: organization\n",
            "data/actors/extra-actor.yaml": "name: The Extra Actor\nkind: person\n" if self.extra_actor else None,
            "data/sources/sources.yaml": sources,
            "data/glossary.yaml": f"- id: example-term\n  term: Example term\n  definition: Meaning {c['term']}.\n",
            "templates/briefing.md.j2": briefing_template + "\n<!-- the desk's own page -->\n" if self.override
            else None,
            "templates/version/page.html.j2": page_template.replace("</body>", "<!-- the desk's own -->\n</body>")
            if self.override else None,
        }

    def write(self, root: Path) -> None:
        for rel, text in self.files().items():
            path = root / rel
            if text is None:
                path.unlink(missing_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")


class DeskDay(RuleBasedStateMachine):
    """One desk; after each build its site is compared with a build from scratch."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="desk-day-"))
        self.root = self.tmp / "desk"
        self.state = Desk()
        self.built: BuildOptions | None = None

    @initialize(public=st.booleans())
    def start(self, public: bool) -> None:
        """A new desk, committed and built once (with its PDFs)."""
        create_project(self.root)
        (self.root / "data" / "briefings" / "first-briefing.yaml").unlink()
        with (self.root / "mkdocs.yml").open("a", encoding="utf-8") as config:
            config.write(f"\nsite_url: {SITE_URL}\n")
        self.state.write(self.root)
        git(self.root, "init", "-q", "-b", "main")
        self._commit("first version")
        self.build_site(public, True)

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _commit(self, message: str) -> None:
        git(self.root, "add", "-A")
        git(self.root, "commit", "-qm", message)

    def _change(self, state: Desk) -> None:
        self.state = state
        state.write(self.root)

    @rule(what=st.sampled_from(COUNTERS))
    def edit(self, what: str) -> None:
        """Edit a record of one kind (a briefing's text, an actor's name, a source, a term)."""
        n = COUNTERS.index(what)
        counters = (*self.state.counters[:n], self.state.counters[n] + 1, *self.state.counters[n + 1:])
        self._change(replace(self.state, counters=counters))

    @rule(flag=st.sampled_from(FLAGS))
    def toggle(self, flag: str) -> None:
        """Delete or bring back a record, withhold or publish a briefing, add or drop the override."""
        self._change(replace(self.state, **{flag: not getattr(self.state, flag)}))

    @rule()
    def commit_version(self) -> None:
        """Issue a new version of the first briefing: an update entry, committed."""
        self._change(replace(self.state, versions=self.state.versions + 1))
        self._commit(f"version {self.state.versions}")

    @rule(public=st.booleans(), pdf=st.booleans())
    def build_site(self, public: bool, pdf: bool) -> None:
        options = BuildOptions(quiet=True, public=public, pdf=pdf)
        build(Project.find(self.root), options)
        self.built = options
        self._assert_as_fresh(options, read_tree(self.root / "site"))

    @precondition(lambda self: self.built is not None)
    @rule()
    def pdf(self) -> None:
        """`pdf` into the site last built: the PDFs a build of this state for its readers makes."""
        assert self.built is not None
        build_pdfs(Project.find(self.root))
        pdfs = {k: v for k, v in read_tree(self.root / "site").items() if k.startswith("pdf/")}
        fresh = self._fresh(replace(self.built, pdf=True))
        assert pdfs == {k: v for k, v in fresh.items() if k.startswith("pdf/")}

    @precondition(lambda self: self.built is not None)
    @rule(pick=st.integers(min_value=0, max_value=50))
    def plant(self, pick: int) -> None:
        """Build, change or plant a file in each folder of build/ (as a zip from a colleague or
        a restored cache could), and build again as before: every kept file is then one the
        build would take."""
        assert self.built is not None
        options = self.built
        self.build_site(options.public, options.pdf)
        for where in PLANTS:
            self._plant(where, pick)
        self.build_site(options.public, options.pdf)

    def _plant(self, where: str, pick: int) -> None:
        outside = self.tmp / "outside"
        outside.mkdir(exist_ok=True)
        (outside / "planted.html").write_text("<script>planted()</script>", encoding="utf-8")
        build_dir = self.root / "build"
        if where == "folder link":
            (build_dir / "docs" / f"planted-{pick}").symlink_to(outside)
            return
        found = sorted(p for p in (build_dir / where).rglob("*") if p.is_file() and not p.is_symlink())
        if not found:
            return
        victim = found[pick % len(found)]
        victim.unlink()  # a new file: the site links the kept one, which must stay as published
        if victim.suffix == ".pdf":
            victim.symlink_to(outside / "planted.html")
        else:
            victim.write_text("<script>planted()</script>", encoding="utf-8")

    def _assert_as_fresh(self, options: BuildOptions, site: dict[str, bytes]) -> None:
        fresh = self._fresh(options)
        assert sorted(site) == sorted(fresh), "not the files of a build from scratch"
        differing = [name for name in site if site[name] != fresh[name]]
        assert not differing, f"differs from a build from scratch of {self.state}: {differing[:5]}"

    def _fresh(self, options: BuildOptions) -> dict[str, bytes]:
        """A build from scratch of this state (the project and its history copied without
        build/ and site/), kept while the state is the same."""
        key = (self.state, options, git(self.root, "rev-parse", "HEAD"))
        if key not in FRESH:
            copy = self.tmp / f"fresh-{len(FRESH)}" / "desk"
            shutil.copytree(self.root, copy, symlinks=True, ignore=shutil.ignore_patterns("build", "site"))
            build(Project.find(copy), options)
            FRESH[key] = read_tree(copy / "site")
            shutil.rmtree(copy.parent)
        return FRESH[key]


FRESH: dict[tuple[Desk, BuildOptions, str], dict[str, bytes]] = {}
"""Sites built from scratch, by state, options and the commit of the history (old versions
are as their commits hold them)."""


SEQUENCES = settings(max_examples=40 if LONG else 4, stateful_step_count=30 if LONG else 10, deadline=None,
                     database=None, derandomize=not LONG, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow
@pytest.mark.first
@pytest.mark.timeout(0 if LONG else 600)
def test_every_build_equals_a_build_from_scratch() -> None:
    run_state_machine_as_test(DeskDay, settings=SEQUENCES)
