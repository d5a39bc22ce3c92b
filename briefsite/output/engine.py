"""Run the site engine on the rendered pages, and swap the new site in atomically."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..core import model as m
from ..core.errors import SiteError
from ..core.project import DEFAULT_ASSETS, DEFAULTS, Project
from ..core.text import theme_text
from ..core.values import text_direction
from ..render.words import engine_defaults_in, script_words
from .writer import TreeWriter, write_file, write_tree

# Material 9.8 prints end-of-life notices about MkDocs 2.0 at every build; the
# README says where the ecosystem stands, the build output stays readable.
# NO_MKDOCS_2_WARNING: Material's notice (printed under MkDocs only);
# DISABLE_MKDOCS_2_WARNING: the notice ProperDocs lets plugins print under MkDocs.
# ProperDocs and Zensical print no such notice of their own.
QUIET_ENGINE_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


@dataclass(frozen=True)
class Engine:
    """One site engine: how to run it and where it differs. All of them read mkdocs.yml."""

    name: str
    extra: str
    """The pip extra that installs it; empty for the default engine, a core dependency."""
    runs_hooks: bool
    """Runs MkDocs hooks, so `serve` re-renders the pages through briefsite/mkdocs_hooks.py."""
    search_index: str
    """Where the search index is, relative to the site folder."""

    def build_command(self, config: Path) -> list[str]:
        return [sys.executable, "-m", self.name, "build", "--strict", "--config-file", str(config)]

    def serve_command(self, config: Path, dev_addr: str) -> list[str]:
        command = [sys.executable, "-m", self.name, "serve", "--config-file", str(config), "--dev-addr", dev_addr]
        if self.runs_hooks:
            # Rebuild only the pages our writer changed (it rewrites every page an edit
            # touches, and the search index stays whole in `serve`): an edit shows in about
            # 1 s instead of 3 s at 100 briefings. MkDocs warns that a dirty build may leave
            # stale links, so the preview is not strict; `build` always is.
            command += ["--dirty", "--no-strict"]
        return command


HOOKS = Path(__file__).resolve().parent.parent / "mkdocs_hooks.py"
# Theme overrides: the search box answered from the Pagefind index (output/search.py).
THEME_OVERRIDES = Path(__file__).resolve().parent.parent / "theme"
"""The hooks that re-render the pages in the engine's live server (see Engine.runs_hooks)."""

DEFAULT_ENGINE = "mkdocs"
ENGINES = {
    "mkdocs": Engine("mkdocs", "", True, "search/search_index.json"),
    "properdocs": Engine("properdocs", "properdocs", True, "search/search_index.json"),
    # Zensical runs no MkDocs plugins or hooks.
    "zensical": Engine("zensical", "zensical", False, "search.json"),
}

EXTRA_CSS = "stylesheets/extra.css"
"""A desk's own stylesheet (docs/stylesheets/extra.css), loaded after the tool's by the site and
by the PDFs: one colour or one rule changed without copying the tool's stylesheets."""

# The live preview's own files in the generated docs (never in a built site): a script on
# every page that shows the data's errors, and the file it reads them from.
PREVIEW_SCRIPT = "javascripts/briefsite-preview.js"
PREVIEW_STATE = "preview-problems.json"


def get_engine(name: str = DEFAULT_ENGINE) -> Engine:
    """The engine by name; a clear error when it is unknown or not installed."""
    engine = ENGINES.get(name)
    if engine is None:
        raise SiteError(f"unknown site engine {name!r} (choose from {', '.join(ENGINES)})")
    if importlib.util.find_spec(engine.name) is None:
        pip = f"{sys.executable} -m pip" if sys.prefix != sys.base_prefix else "pip"  # the environment this runs in
        install = f"{pip} install '.[{engine.extra}]'" if engine.extra else f"{pip} install ."
        raise SiteError(f"the site engine {name} is not installed; install it with: {install}")
    return engine


def engine_config(project: Project, site: m.SiteConfig, site_dir: Path, engine: str = DEFAULT_ENGINE,
                  preview: bool = False) -> str:
    """A config that inherits mkdocs.yml and adds what comes from site.yaml.

    Paths are absolute: MkDocs reads relative ones against the inheriting file.
    JSON is valid YAML, and quoting every value keeps user text from being YAML syntax.
    Zensical 0.0.73 also reads INHERIT, with three differences handled here: it fails on
    an absolute docs_dir (so it gets one relative to this file, whose folder must hold
    docs_dir and site_dir), it appends lists to the inherited ones instead of replacing
    them and runs no hooks (so hooks and watch are left out; `serve` re-renders itself),
    and its default look is its own "modern" one (so the classic, Material look is asked for).
    The live preview's (`preview`) pages also load PREVIEW_SCRIPT.
    """
    own = engine_settings(project.config)
    values = engine_defaults_in(tool_defaults_not_set(project, own), site.language)
    theme = values.pop("theme", {})
    values.update({
        "INHERIT": str(project.config),
        "site_name": theme_text(site.title),
        "site_description": theme_text(site.description),
        "docs_dir": str(project.generated_docs),
        "site_dir": str(site_dir),
        "theme": {**theme, **site_language(site), "custom_dir": str(THEME_OVERRIDES / "material")},
        "hooks": [str(HOOKS)],
        "watch": [str(d) for d in (project.data, project.templates, project.docs) if d.is_dir()],
        # what the search scripts say, in the site's language: the theme override writes it into the pages
        # and the pages' direction, which the theme override writes per page (theme.direction, if
        # set, would overrule a translated page's own)
        "extra": {"brief_words": script_words(site.language), "brief_direction": text_direction(site.language)},
    })
    if not get_engine(engine).runs_hooks:
        values["docs_dir"] = os.path.relpath(project.generated_docs, project.engine_config.parent)
        values["theme"] = {**theme, **site_language(site), "variant": "classic",
                           "custom_dir": str(THEME_OVERRIDES / "zensical")}
        del values["hooks"], values["watch"]
    if (project.docs / EXTRA_CSS).is_file() and "extra_css" in values:  # the desk's own look, after the tool's
        values["extra_css"] = [*values["extra_css"], EXTRA_CSS]
    if preview:
        scripts = values.get("extra_javascript")
        if scripts is None and get_engine(engine).runs_hooks:  # Zensical appends to the inherited list
            scripts = own.get("extra_javascript") or []
        values["extra_javascript"] = [*(scripts or []), PREVIEW_SCRIPT]
    return "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values.items()) + "\n"


def site_language(site: m.SiteConfig) -> dict[str, str]:
    """The theme's language. Not its direction: the override of the theme's words
    (theme/*/partials/language.html) answers it for each page, from extra.brief_direction (a
    right-to-left language, ar, fa, he, ur..., mirrors the pages, whether the theme has words
    for the language or not) or from a translated page's own."""
    return {"language": site.language}


def tool_defaults() -> dict[str, Any]:
    """The engine settings every project starts from (briefsite/defaults/mkdocs.yml)."""
    return engine_settings(DEFAULTS / "mkdocs.yml")


def tool_defaults_not_set(project: Project, own: dict[str, Any] | None = None) -> dict[str, Any]:
    """The defaults the project's settings (`own`, read when not given) leave as they are:
    whole keys, and single keys of `theme:` (written into the engine's config, which inherits
    the project's settings)."""
    own = engine_settings(project.config) if own is None else own
    defaults = tool_defaults()
    values = {key: value for key, value in defaults.items() if key not in own}
    if "theme" in own:  # the project's keys of theme: win, one by one
        own_theme = own["theme"] if isinstance(own["theme"], dict) else {}
        values["theme"] = {k: v for k, v in defaults.get("theme", {}).items() if k not in own_theme}
    return values


def settings(project: Project) -> dict[str, Any]:
    """The settings the engine works with: the project's over the tool's defaults."""
    own = engine_settings(project.config)
    return {**tool_defaults_not_set(project, own), **own}


def write_engine_config(project: Project, site: m.SiteConfig, site_dir: Path, engine: str = DEFAULT_ENGINE,
                        path: Path | None = None, preview: bool = False) -> Path:
    """The engine's settings, at `path` (default build/mkdocs.yml; the live preview has its own,
    so that a build beside it never points the preview's rebuilds at the build's folders)."""
    path = path or project.engine_config
    write_file(path, engine_config(project, site, site_dir, engine, preview))
    return path


def engine_env(project: Project) -> dict[str, str]:
    env = {**os.environ, **QUIET_ENGINE_ENV, "BRIEF_DATA": str(project.data), "BRIEF_ROOT": str(project.root)}
    # The hooks import briefsite: from the project folder, or from where this package is.
    package_root = str(HOOKS.parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(project.root), package_root, env.get("PYTHONPATH", "")]))
    return env


def run_engine_build(project: Project, config: Path, quiet: bool = False, engine: str = DEFAULT_ENGINE) -> None:
    """`<engine> build --strict`; any warning fails the build."""
    # Never the engine's --quiet: MkDocs then drops warnings before --strict counts them, and
    # a build with broken links passes. The output is captured and shown only on failure.
    cmd = get_engine(engine).build_command(config)
    result = subprocess.run(cmd, cwd=project.root, env=engine_env(project), capture_output=True, text=True)
    if result.returncode != 0:
        detail = engine_failure(result.stderr + result.stdout)
        raise SiteError(f"the site engine ({engine}) failed (exit {result.returncode}):\n{detail}")


def engine_failure(output: str) -> str:
    """The engine's last lines, without colour codes or the frames of a Python traceback
    (Zensical ends a failed strict build with one, after its own clear report)."""
    lines: list[str] = []
    in_traceback = False
    for line in re.sub(r"\x1b\[[0-9;]*m", "", output).splitlines():
        if line.startswith("Traceback (most recent call last)"):
            in_traceback = True
        elif line.strip() and not (in_traceback and line[0].isspace()):
            in_traceback = False
            lines.append(line)
    return "\n".join(lines[-15:])


def staging_dir(project: Project) -> Path:
    """Where this build puts the new site: a folder of its own (by process id), since the
    engine of a build killed with its parent may still be writing into its folder."""
    return project.build / f"site-new-{os.getpid()}"


def clear_staging(project: Project) -> None:
    """Remove what earlier builds left half made (each in its own folder, see staging_dir)."""
    for folder in project.build.glob("site-new*"):
        _remove(folder)


def _remove(path: Path) -> None:
    """Remove a folder of build/, or the link or file put in its place (never what a link leads to)."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def restore_site(project: Project) -> None:
    """Put the last good site back where a build stopped in the middle of swapping it out
    (killed between its two renames): site/ is missing, build/site-old holds it."""
    old = project.build / "site-old"
    if old.is_dir() and not old.is_symlink() and not project.site.exists():
        old.rename(project.site)


def swap_in(project: Project, new_site: Path) -> None:
    """Replace site/ by the freshly built one; the old one survives until the new one is in place."""
    old = project.build / "site-old"
    _remove(old)
    if project.site.exists():
        project.site.rename(old)
    try:
        new_site.rename(project.site)
    except OSError:
        if old.exists():
            old.rename(project.site)
        raise
    _remove(old)


def stage_docs(project: Project, pages: dict[str, str], preview_errors: list[str] | None = None) -> list[str]:
    """Fill the generated docs folder: rendered pages plus the hand-written ones, and for the
    live preview (`preview_errors` given) its script and the errors it shows (see docs_besides)."""
    files: dict[str, str | bytes] = {**pages, **docs_besides(project, pages.keys(), preview_errors)}
    return write_tree(project.generated_docs, files).written


class StagedDocs:
    """The generated docs folder filled as stage_docs does, a page at a time as the render
    makes it (in whichever process renders it): `begin` with every page's path, `write` each,
    then `finish` with the other files."""

    def __init__(self, project: Project):
        self.project = project
        self._others: dict[str, bytes] = {}
        self._tree: TreeWriter | None = None

    def begin(self, pages: Collection[str]) -> None:
        self._others = docs_besides(self.project, pages)
        self._tree = TreeWriter(self.project.generated_docs, {*pages, *self._others})

    def write(self, page: str, text: str | bytes) -> tuple[str, bool]:
        assert self._tree is not None, "begin() first"
        return self._tree.write(page, text)

    def finish(self) -> list[str]:
        """Write the files besides the pages; those written."""
        assert self._tree is not None, "begin() first"
        return [rel for rel, data in sorted(self._others.items()) if self._tree.put(rel, data)]


def docs_besides(project: Project, pages: Collection[str], preview_errors: list[str] | None = None
                 ) -> dict[str, bytes]:
    """What the generated docs folder holds besides the rendered `pages`.

    A hand-written page is the site's when the navigation names it; the others in docs/
    are the tool's manual, for the people who run the tool, and stay out of the site.
    Everything else in docs/ (stylesheets, images) goes to the site, over the tool's own
    stylesheets and scripts of the same name."""
    files: dict[str, bytes] = {}
    site_pages = nav_pages(project)
    own = {p.relative_to(project.docs).as_posix() for p in project.docs.rglob("*")} if project.docs.is_dir() else set()
    for folder in DEFAULT_ASSETS:  # the tool's stylesheets and scripts, unless the project has its own
        for path in sorted((DEFAULTS / folder).rglob("*")):
            rel = f"{folder}/{path.relative_to(DEFAULTS / folder).as_posix()}"
            if path.is_file() and rel not in own:
                files[rel] = path.read_bytes()
    if project.docs.is_dir():
        for path in sorted(project.docs.rglob("*")):
            if path.is_file():
                rel = path.relative_to(project.docs).as_posix()
                if path.suffix == ".md" and site_pages is not None and rel not in site_pages:
                    continue
                if rel in pages:
                    raise SiteError(f"{path}: a hand-written page has the same path as a generated one ({rel}); "
                                    "rename it")
                files[rel] = path.read_bytes()
    if preview_errors is not None:
        files[PREVIEW_SCRIPT] = (THEME_OVERRIDES / "preview" / "problems.js").read_bytes()
        files[PREVIEW_STATE] = preview_state(preview_errors).encode("utf-8")
    return files


def preview_state(errors: list[str]) -> str:
    """What the live preview's pages say about the data: its errors, or nothing."""
    title = "Errors in the data: this preview shows the last good pages until they are fixed" if errors else ""
    return json.dumps({"title": title, "errors": errors}, ensure_ascii=False, indent=1) + "\n"


def show_preview_errors(project: Project, errors: list[str]) -> None:
    """Tell the live preview's pages about errors, leaving the last good pages as they are."""
    write_file(project.generated_docs / PREVIEW_STATE, preview_state(errors))


def copy_preview_state(project: Project, site_dir: Path) -> None:
    """Put the preview's state straight into the pages an engine without hooks serves: its
    banner then never waits on that engine noticing the change (Zensical's watcher can miss
    a file put in place by a rename, and the banner would say fixed errors for ever)."""
    state = project.generated_docs / PREVIEW_STATE
    if state.is_file() and site_dir.is_dir():
        write_file(site_dir / PREVIEW_STATE, state.read_text(encoding="utf-8"))


def engine_settings(config: Path) -> dict[str, Any]:
    """mkdocs.yml as MkDocs reads it (`!ENV` resolved), or {} when unreadable."""
    class _Loader(yaml.SafeLoader):
        pass

    def _any(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
        return None

    def _env(loader: yaml.SafeLoader, node: yaml.Node) -> str | None:
        """MkDocs's `!ENV NAME` or `!ENV [NAME, ..., default]`: the first variable set, else the default."""
        if isinstance(node, yaml.ScalarNode):
            return os.environ.get(str(node.value))
        items = [str(n.value) for n in node.value if isinstance(n, yaml.ScalarNode)] if isinstance(
            node, yaml.SequenceNode) else []
        for name in items[:-1] if len(items) > 1 else items:
            if name in os.environ:
                return os.environ[name]
        return items[-1] if len(items) > 1 else None

    _Loader.add_multi_constructor("", _any)  # !!python/name: ... and the like are not ours to judge
    _Loader.add_constructor("!ENV", _env)
    try:
        settings = yaml.load(config.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe loader
    except (OSError, yaml.YAMLError):
        return {}
    return settings if isinstance(settings, dict) else {}


def nav_pages(project: Project) -> set[str] | None:
    """The Markdown pages the site's navigation names (`nav:`, the project's or the tool's),
    or None when it has none (then every page is the site's, as MkDocs has it)."""
    nav = settings(project).get("nav")
    if not isinstance(nav, list):
        return None
    found: set[str] = set()

    def walk(item: object) -> None:
        if isinstance(item, str) and item.endswith(".md"):
            found.add(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(nav)
    return found


def configured_site_url(project: Project) -> str | None:
    """`site_url` from the project's mkdocs.yml, ending in '/', or None when unset or unreadable."""
    url = engine_settings(project.config).get("site_url")
    if not isinstance(url, str) or not re.match(r"(?i)^https?://", url.strip()):
        return None
    url = url.strip()
    return url if url.endswith("/") else url + "/"
