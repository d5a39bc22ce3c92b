"""The one place that writes generated files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class WriteStats:
    """What a write pass did."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def write_tree(root: Path, files: dict[str, str | bytes]) -> WriteStats:
    """Make `root` hold exactly `files` (relative path -> content).

    A file is written only when its content changed, so the site engine's live
    reload (which watches timestamps) rebuilds only what really changed. Files
    under root that are no longer produced are removed. Nothing outside root is touched.
    """
    stats = WriteStats()
    root.mkdir(parents=True, exist_ok=True)
    resolved_root = root.resolve()
    for rel, content in sorted(files.items()):
        target = (root / rel).resolve()
        if resolved_root not in target.parents:
            raise ValueError(f"refusing to write outside {root}: {rel}")
        data = content.encode("utf-8") if isinstance(content, str) else content
        if target.is_file() and target.read_bytes() == data:
            stats.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        stats.written.append(rel)
    wanted = {(root / rel).resolve() for rel in files}
    for existing in sorted(resolved_root.rglob("*"), reverse=True):
        if existing.is_file() and existing not in wanted:
            existing.unlink()
            stats.removed.append(str(existing.relative_to(resolved_root)))
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()
    return stats


def write_file(path: Path, text: str) -> bool:
    """One generated file outside a tree (the engine's settings): written only when its
    content changed, so the engine's live reload does not see a change that is none."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative POSIX path."""
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
