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

SKELETON = DEFAULTS / "project"
# Package data leaves out names that start with a dot: they are stored without it.
DOT_NAMES = {"gitignore": ".gitignore", "github": ".github"}


def create_project(folder: Path) -> list[Path]:
    """Copy the skeleton into `folder` (new, or empty); the files written."""
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
    return written


def cmd_init(folder: Path, prog: str) -> int:
    written = create_project(folder)
    print(f"Created the project {display_path(folder)}/ ({len(written)} files): its settings in mkdocs.yml, "
          "its content in data/.")
    print(f"Next: cd {folder} && {prog} build   (then {prog} serve, to preview while you edit)")
    return 0
