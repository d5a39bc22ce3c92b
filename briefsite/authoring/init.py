"""`init DIR`: a new content project (a desk's own folder), apart from the tool.

It gets the tool's tiny example (defaults/project/): its settings file, data/ with one valid
briefing, a .gitignore, a README for the desk and the publishing workflow. Templates and
stylesheets stay in the tool; the project holds only the ones it overrides.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..core.errors import BriefError, display_path
from ..core.project import DEFAULTS
from .schema import schema_comment, schema_kind_of, write_schemas

SKELETON = DEFAULTS / "project"
# Package data leaves out names that start with a dot: they are stored without it.
DOT_NAMES = {"gitignore": ".gitignore", "github": ".github"}
MANUAL = DEFAULTS / "manual"
"""The tool's manual, shipped in the package."""
MANUAL_PAGES = ("format.md", "errors.md", "authoring.md", "views.md", "hosting.md", "security.md", "engines.md")
"""The pages of it a desk reads: written into the desk's manual/ by `init`, kept current by `build`."""


def create_project(folder: Path) -> list[Path]:
    """Copy the skeleton into `folder` (new, or empty), each content file with the line that
    names its schema, and write the schemas and the manual beside; the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BriefError(f"{display_path(folder)}: already exists and is not an empty folder; "
                         "give the name of a new folder")
    written = []
    for source in sorted(SKELETON.rglob("*")):
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        parts = source.relative_to(SKELETON).parts
        target = folder.joinpath(DOT_NAMES.get(parts[0], parts[0]), *parts[1:])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    for target in written:
        kind = schema_kind_of(folder / "data", target) if target.is_relative_to(folder / "data") else None
        if kind is not None:
            line = schema_comment(folder / "schema", target, kind)
            target.write_text(f"{line}\n{target.read_text(encoding='utf-8')}", encoding="utf-8")
    written += write_schemas(folder / "schema")
    written += keep_manual(folder / "manual")
    return written


def keep_desk_files(root: Path) -> None:
    """Keep a desk's schemas and manual as this version of the tool writes them (after an
    upgrade, its editor and its manual describe the format it builds): only the folders the
    desk has, only the files that differ."""
    if (root / "schema").is_dir():
        write_schemas(root / "schema")
    if (root / "manual").is_dir():
        keep_manual(root / "manual")


def keep_manual(folder: Path) -> list[Path]:
    """Write the manual's pages into `folder` where they differ; those written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in MANUAL_PAGES:
        text = (MANUAL / name).read_bytes()
        target = folder / name
        if not target.is_file() or target.read_bytes() != text:
            target.write_bytes(text)
            written.append(target)
    return written


def cmd_init(folder: Path, prog: str) -> int:
    written = create_project(folder)
    print(f"Created the project {display_path(folder)}/ ({len(written)} files): its settings in mkdocs.yml, "
          "its content in data/.")
    print(f"Next: cd {folder} && {prog} build   (then {prog} serve, to preview while you edit)")
    return 0
