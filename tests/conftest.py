"""Shared fixtures: a copy of the example project, built once per test session, and the
browser the tests read the built sites with."""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, sync_playwright

from bench.nginx import nginx_serving
from briefsite.app import BuildOptions, build
from briefsite.authoring.init import create_project
from briefsite.core.project import Project
from briefsite.output.engine import tool_defaults
from tests import ordering

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_DATA = REPO / "data"
ATTACK_DATA = REPO / "tests" / "fixtures" / "attack"
ARABIC = REPO / "tests" / "fixtures" / "arabic"
ARABIC_NAME = "فصائل إدلب الموالية لتركيا"
"""The Arabic site's actor name in Arabic (the pro-Turkish groups in Idlib)."""
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
"""A valid project whose every text field attacks the reader (see docs/security.md)."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest modules run first (tests/ordering.py): begun last, one would keep one worker
    busy long after the other is done."""
    ordering.order(config, items)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    ordering.record(report)


def pytest_sessionfinish(session: pytest.Session) -> None:
    ordering.save(session.config)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden files of rendered pages")
    parser.addoption("--save-durations", action="store_true",
                     help="write this run's durations into tests/durations.json (the order on a fresh clone)")


def add_site_page(project: Project, name: str, text: str) -> None:
    """A hand-written page of docs/ that the site's navigation names, so the site has it
    (a page of docs/ the navigation does not name is the tool's manual, left out)."""
    (project.docs / name).write_text(text, encoding="utf-8")
    nav = tool_defaults()["nav"]
    title = name.removesuffix(".md").replace("-", " ").capitalize()
    nav.insert(4, {title: name})  # after the glossary
    with project.config.open("a", encoding="utf-8") as config:
        config.write("\n" + yaml.safe_dump({"nav": nav}, sort_keys=False))


def copy_project(dest: Path, data: Path | None = None) -> Project:
    """A throwaway copy of the project (settings, templates, docs, content) at dest."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("templates", "docs"):
        shutil.copytree(REPO / folder, dest / folder, dirs_exist_ok=True)
    shutil.copytree(data or EXAMPLE_DATA, dest / "data", dirs_exist_ok=True)
    return Project.at(dest / "mkdocs.yml")


def copy_built(project: Project, dest: Path) -> Project:
    """A copy of a built project, its build/ and site/ with it, to change without touching the
    shared one (links copied as links, times kept)."""
    shutil.copytree(project.root, dest, symlinks=True)
    return Project.at(dest / project.config.name)


def arabic_project(dest: Path) -> Project:
    """The example as an Arabic site (tests/fixtures/arabic/site.yaml), its content the example's
    English, with an Arabic paragraph opening the briefing's summary and an actor's name in Arabic."""
    project = copy_project(dest)
    shutil.copy(ARABIC / "site.yaml", project.data / "site.yaml")
    briefing = project.data / "briefings" / "russia-options-nagorno-karabakh.yaml"
    paragraph = (ARABIC / "summary.md").read_text(encoding="utf-8").strip()
    opened = briefing.read_text(encoding="utf-8").replace("summary: |\n", f"summary: |\n  {paragraph}\n\n", 1)
    briefing.write_text(opened, encoding="utf-8")
    actor = project.data / "actors" / "idlib-pro-turkish-groups.yaml"
    named = f"name: Pro-Turkish groups in Idlib\nnative_name: {ARABIC_NAME}\nnative_lang: ar\n"
    actor.write_text(actor.read_text(encoding="utf-8").replace("name: Pro-Turkish groups in Idlib\n", named, 1),
                     encoding="utf-8")
    return project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A fresh copy of the example project, not built."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def desk(tmp_path: Path) -> Project:
    """A new desk (`init`) whose briefing has three committed versions (tests/test_history.py's)."""
    from tests.test_history import V1, V2, V3, committed

    return committed(tmp_path, V1, V2, V3)


def built_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], Project]) -> Project:
    """A project `make` builds into the folder it is given, built once for the whole run: with
    `-n 2` the first worker to ask builds it and the other waits for it (a build of the example
    is 10 s, most of it typesetting its PDFs). Read-only for the tests, as when one process runs them."""
    shared = factory.getbasetemp()
    if shared.name.startswith("popen-gw"):  # a worker's own folder: the run's is its parent
        shared = shared.parent
    folder = shared / f"built-{name}"
    with (shared / f"built-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = folder / "built"
        if not done.is_file():
            shutil.rmtree(folder, ignore_errors=True)
            done.parent.mkdir(parents=True)
            done.write_text(str(make(folder).root), encoding="utf-8")
        return Project.find(Path(done.read_text(encoding="utf-8")))


def _built_copy(data: Path = EXAMPLE_DATA, project: Callable[[Path], Project] | None = None
                ) -> Callable[[Path], Project]:
    def make(folder: Path) -> Project:
        built = project(folder / "project") if project else copy_project(folder / "project", data)
        build(built, BuildOptions(quiet=True))
        return built
    return make


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The example project, built once with the real site engine (read-only for tests)."""
    return built_once(tmp_path_factory, "example", _built_copy())


@pytest.fixture(scope="session")
def built_arabic(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The example as an Arabic site (arabic_project), built once (read-only for tests)."""
    return built_once(tmp_path_factory, "arabic", _built_copy(project=arabic_project))


@pytest.fixture(scope="session")
def built_attack(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The attack dataset, built once like the example (read-only for tests)."""
    return built_once(tmp_path_factory, "attack", _built_copy(ATTACK_DATA))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless; each launch gets a fresh temporary profile folder."""
    with sync_playwright() as pw:
        yield pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def built_versions(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A desk whose briefing was issued three times, in git: its dated version pages and
    comparisons (tests/test_history.py), built once (read-only for tests)."""
    from tests.test_history import V1, V2, V3, commit_versions

    def make(folder: Path) -> Project:
        create_project(folder / "desk")
        commit_versions(folder / "desk", V1, V2, V3)
        project = Project.find(folder / "desk")
        build(project, BuildOptions(quiet=True, pdf=False))
        return project
    return built_once(tmp_path_factory, "versions", make)


SMALL_PAGES = {"ARCHIVE_PAGE": 7, "TIMELINE_WHOLE": 50, "TIMELINE_PAGE": 12, "SOURCES_WHOLE": 20, "SOURCES_PAGE": 10,
               "GROUPS_WHOLE": 30, "GROUP_PAGE": 8, "ACTORS_WHOLE": 10, "ACTORS_PAGE": 6}
"""Page sizes of render.paging lowered so that 60 briefings split every view, as thousands do."""


@pytest.fixture(scope="session")
def built_large(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """60 synthetic briefings with every view split into pages (SMALL_PAGES), built once."""
    from bench.corpus import generate
    from briefsite.render import paging

    def make(folder: Path) -> Project:
        project = copy_project(folder / "project")
        shutil.rmtree(project.data)
        generate(project.data, 60, seed=3)
        with pytest.MonkeyPatch.context() as patch:
            for name, value in SMALL_PAGES.items():
                patch.setattr(paging, name, value)
            build(project, BuildOptions(quiet=True, pdf=False))
        return project
    return built_once(tmp_path_factory, "large", make)


@pytest.fixture(scope="session")
def served(built_example: Project, built_attack: Project, built_versions: Project, built_large: Project,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Base URLs of the example, the attack site, the desk with versions and the large library,
    each on its own local port."""
    sites = {"example": built_example.site, "attack": built_attack.site, "versions": built_versions.site,
             "large": built_large.site}
    with nginx_serving(sites, tmp_path_factory.mktemp("nginx")) as urls:
        yield urls
