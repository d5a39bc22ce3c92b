"""Run the site engine on the rendered pages, and swap the new site in atomically."""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from . import model as m
from .errors import SiteError
from .project import Project
from .writer import write_tree

# Material 9.8 prints end-of-life notices about MkDocs 2.0 at every build; the
# README says where the ecosystem stands, the build output stays readable.
QUIET_ENGINE_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def theme_text(value: object) -> str:
    """Plain text for a value the theme inserts into HTML as it is: the site name and
    description, and page titles in front matter. MkDocs templates do not escape, and
    Material writes these inside elements and double-quoted attributes, so &, <, > and "
    are escaped (an apostrophe stays, so titles read right where the theme escapes again).
    """
    return html.escape(str(value), quote=False).replace('"', "&quot;")


def engine_config(project: Project, site: m.SiteConfig, site_dir: Path) -> str:
    """A config that inherits mkdocs.yml and adds what comes from site.yaml.

    Paths are absolute: MkDocs reads relative ones against the inheriting file.
    JSON is valid YAML, and quoting every value keeps user text from being YAML syntax.
    """
    values = {
        "INHERIT": str(project.config),
        "site_name": theme_text(site.title),
        "site_description": theme_text(site.description),
        "docs_dir": str(project.generated_docs),
        "site_dir": str(site_dir),
        "theme": {"language": site.language},
        "hooks": [str(Path(__file__).with_name("mkdocs_hooks.py"))],
        "watch": [str(project.data), str(project.templates), str(project.docs)],
    }
    return "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values.items()) + "\n"


def write_engine_config(project: Project, site: m.SiteConfig, site_dir: Path) -> Path:
    write_tree_file(project.engine_config, engine_config(project, site, site_dir))
    return project.engine_config


def write_tree_file(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def engine_env(project: Project) -> dict[str, str]:
    env = {**os.environ, **QUIET_ENGINE_ENV, "BRIEF_DATA": str(project.data), "BRIEF_ROOT": str(project.root)}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(project.root), env.get("PYTHONPATH", "")]))
    return env


def run_engine_build(project: Project, config: Path, quiet: bool = False) -> None:
    """`mkdocs build --strict`; any warning fails the build."""
    # Never the engine's --quiet: MkDocs then drops warnings before --strict counts them, and
    # a build with broken links passes. The output is captured and shown only on failure.
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config)]
    result = subprocess.run(cmd, cwd=project.root, env=engine_env(project), capture_output=True, text=True)
    if result.returncode != 0:
        lines = [ln for ln in (result.stderr + result.stdout).splitlines() if ln.strip()]
        detail = "\n".join(lines[-15:])
        raise SiteError(f"the site engine failed (exit {result.returncode}):\n{detail}")


def staging_dir(project: Project) -> Path:
    return project.build / "site-new"


def swap_in(project: Project, new_site: Path) -> None:
    """Replace site/ by the freshly built one; the old one survives until the new one is in place."""
    old = project.build / "site-old"
    if old.exists():
        shutil.rmtree(old)
    if project.site.exists():
        project.site.rename(old)
    try:
        new_site.rename(project.site)
    except OSError:
        if old.exists():
            old.rename(project.site)
        raise
    if old.exists():
        shutil.rmtree(old)


def stage_docs(project: Project, pages: dict[str, str]) -> list[str]:
    """Fill the generated docs folder: rendered pages plus the hand-written ones."""
    files: dict[str, str | bytes] = dict(pages)
    if project.docs.is_dir():
        for path in sorted(project.docs.rglob("*")):
            if path.is_file():
                rel = path.relative_to(project.docs).as_posix()
                if rel in files:
                    raise SiteError(f"{path}: a hand-written page has the same path as a generated one ({rel}); rename it")
                files[rel] = path.read_bytes()
    return write_tree(project.generated_docs, files).written
