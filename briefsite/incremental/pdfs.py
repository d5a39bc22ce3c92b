"""PDFs typeset before, each with the key of what it was typeset from (build/pdf-cache/)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..core.project import Project


class PdfCache:
    """<name>.pdf beside <name>.key: a PDF is taken again only when its key is unchanged."""

    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def of(cls, project: Project) -> PdfCache:
        return cls(project.build / "pdf-cache")

    def pdf(self, name: str) -> Path:
        """`name` may hold a folder: a version's PDF is <briefing id>/<date>."""
        return self.folder / f"{name}.pdf"

    def _key(self, name: str) -> Path:
        return self.folder / f"{name}.key"

    def has(self, name: str, key: str) -> bool:
        """The PDF was typeset from what has this key, and is still there."""
        key_file = self._key(name)
        key_file.parent.mkdir(parents=True, exist_ok=True)
        if self.pdf(name).is_file() and key_file.is_file() and key_file.read_text(encoding="utf-8") == key:
            return True
        key_file.unlink(missing_ok=True)  # the PDF about to be typeset is not yet what the key says
        return False

    def keep(self, name: str, key: str) -> None:
        """The PDF at self.pdf(name) was just typeset from what has this key."""
        self._key(name).write_text(key, encoding="utf-8")

    def keep_only(self, names: Iterable[str]) -> None:
        """Forget every PDF but these."""
        wanted = {f"{n}.pdf" for n in names}
        for stale in self.folder.rglob("*.pdf"):
            if stale.relative_to(self.folder).as_posix() not in wanted:
                stale.unlink()
                stale.with_suffix(".key").unlink(missing_ok=True)
