"""Where things are: the project folder and the folders a build reads and writes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """Paths of one project, all absolute."""

    root: Path
    """The folder holding mkdocs.yml."""
    data: Path
    """The content folder (data/ unless --data says otherwise)."""

    @classmethod
    def at(cls, config: Path, data: Path | None = None) -> Project:
        root = config.resolve().parent
        return cls(root=root, data=(data or root / "data").resolve())

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

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
