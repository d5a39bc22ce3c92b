"""Where things are: the project folder and the folders a build reads and writes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import BriefError, display_path

SETTINGS = "mkdocs.yml"
"""The file that marks a project's folder and holds its site settings."""
DEFAULTS = Path(__file__).resolve().parent.parent / "defaults"
"""What the tool brings to every project: templates, stylesheets, scripts, engine settings."""
DEFAULT_TEMPLATES = DEFAULTS / "templates"
DEFAULT_ASSETS = ("stylesheets", "javascripts")
"""Folders of DEFAULTS copied into every site; a project's docs/ file of the same path wins."""


@dataclass(frozen=True)
class Project:
    """Paths of one project, all absolute."""

    root: Path
    """The folder holding mkdocs.yml."""
    data: Path
    """The content folder (data/ unless --data says otherwise)."""

    @classmethod
    def find(cls, start: Path, data: Path | None = None) -> Project | None:
        """The project holding `start`: the nearest folder, from it upward, with a mkdocs.yml
        (as git finds its repository)."""
        start = start.resolve()
        for folder in (start, *start.parents):
            if (folder / SETTINGS).is_file():
                return cls.at(folder / SETTINGS, data)
        return None

    @classmethod
    def locate(cls, config: Path | None, folder: Path | None, data: Path | None, prog: str) -> Project:
        """The project a command works on: its settings file, its folder, or the one around
        the current folder. Raises BriefError, saying how to name or create one."""
        config = config or (folder / SETTINGS if folder else None)
        project = cls.at(config, data) if config else cls.find(Path.cwd(), data)
        if project is None:
            raise BriefError(f"no project here: no {SETTINGS} in {Path.cwd()} or any folder above it; run the "
                             f"command in a project, give --project DIR, or create one with: {prog} init DIR")
        if not project.config.is_file():
            raise BriefError(f"{display_path(project.config)}: settings file not found (give --project DIR, the "
                             f"folder that holds {SETTINGS})")
        return project

    @classmethod
    def at(cls, config: Path, data: Path | None = None) -> Project:
        root = config.resolve().parent
        return cls(root=root, data=(data or root / "data").resolve())

    @property
    def config(self) -> Path:
        return self.root / SETTINGS

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """Where templates are looked up: the project's own templates/ first, so that a file
        there replaces the default of the same name, then the defaults."""
        own = self.templates
        if own.is_dir() and own.resolve() != DEFAULT_TEMPLATES.resolve():
            return (own, DEFAULT_TEMPLATES)
        return (DEFAULT_TEMPLATES,)

    @property
    def docs(self) -> Path:
        """Hand-written pages, copied into the generated docs folder as they are."""
        return self.root / "docs"

    @property
    def build(self) -> Path:
        """Everything generated on the way to the site; safe to delete."""
        return self.root / "build"

    @property
    def generated_docs(self) -> Path:
        return self.build / "docs"

    @property
    def engine_config(self) -> Path:
        return self.build / "mkdocs.yml"

    @property
    def site(self) -> Path:
        return self.root / "site"
