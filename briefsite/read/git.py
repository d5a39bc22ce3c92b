"""What the history asks of git, and the one way git is run for it.

git runs with fixed arguments and no shell, and with every setting of the repository that
could start a program for these commands overridden (the list, and why, is in
docs/security.md): a project cloned from elsewhere brings its own `.git/config`, and reading
its history must never run what that file names. File names travel NUL-separated (`-z`),
so a folder or file with any name, in any script, is read as it is.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

from .document import MAX_FILE_BYTES

GIT_TIMEOUT = 120
"""Seconds; a history so large that git takes longer is read as missing, with a message."""

SETTINGS = (
    "core.fsmonitor=false",  # a hook program git would start to list changed files
    "core.hooksPath=/dev/null",  # no hook of the repository's, whatever a command would run
    "core.pager=cat",  # a pager program (with --no-pager and GIT_PAGER as well)
    "log.showSignature=false",  # would start gpg.program (or gpg.ssh.program) on signed commits
    "diff.external=",  # an external diff program (with --no-ext-diff as well)
)
"""The repository's settings overridden on every call (`git -c`, which wins over its config)."""
ENVIRONMENT = {
    "GIT_CONFIG_NOSYSTEM": "1",  # the machine-wide config is not read either
    "GIT_PAGER": "cat",
    "PAGER": "cat",
    "GIT_TERMINAL_PROMPT": "0",  # never wait on a question
    "GIT_OPTIONAL_LOCKS": "0",  # reading takes no lock on the repository
}
LOG_OPTIONS = ("--no-color", "--no-ext-diff", "--no-textconv", "--no-show-signature")
"""For `git log`: no colour codes in what is parsed, no diff or text conversion program, no
signature check."""

Blob: TypeAlias = "bytes | int | None"
"""A file as a commit holds it: its bytes; its size when it is too large to be read
(document.too_large); None when the commit has no such file."""


@dataclass(frozen=True)
class Committed:
    """One briefing file as one commit held it."""

    commit: str
    path: str
    """Relative to the top of the git work tree, as it was named then."""
    when: int
    """Commit time, in seconds since 1970."""


def run_git(top: Path, *args: str, given: bytes | None = None) -> bytes | None:
    """What git prints for `args` in the work tree `top`; None when git is not installed,
    fails or takes longer than GIT_TIMEOUT."""
    git = shutil.which("git")
    if git is None:
        return None
    settings = [part for setting in SETTINGS for part in ("-c", setting)]
    try:
        result = subprocess.run([git, "--no-pager", "--literal-pathspecs", *settings, "-C", str(top), *args],
                                input=given, capture_output=True, timeout=GIT_TIMEOUT, check=False,
                                env={**os.environ, **ENVIRONMENT})
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def work_tree(data: Path) -> tuple[Path, bool] | None:
    """The top of the git work tree holding `data`, and whether it is a shallow clone."""
    out = run_git(data, "rev-parse", "--show-toplevel", "--is-shallow-repository")
    if out is None:
        return None
    lines = os.fsdecode(out).splitlines()
    return Path(lines[0]), len(lines) > 1 and lines[1] == "true"


def commits_touching(top: Path, files: dict[str, Path]) -> dict[str, list[Committed]]:
    """For each briefing, the commits that changed its file, newest first, with the file's
    name at each (renames followed), from one `git log` of the folders they are in."""
    names = {bid: path.resolve().relative_to(top.resolve()).as_posix() for bid, path in files.items()}
    folders = sorted({name.rpartition("/")[0] or "." for name in names.values()})
    out = run_git(top, "log", "-z", "--format=%x1e%H %ct", "--name-status", "-M", *LOG_OPTIONS, "--", *folders)
    following = {name: bid for bid, name in names.items()}
    found: dict[str, list[Committed]] = {bid: [] for bid in files}
    for commit, when, status, paths in _changes(os.fsdecode(out or b"")):
        now = paths[-1]
        bid = following.get(now)
        if bid is None or status.startswith("D"):
            continue
        found[bid].append(Committed(commit, now, when))
        if status.startswith("R"):  # older commits knew the file by its old name
            del following[now]
            following[paths[0]] = bid
    return found


def _changes(out: str) -> list[tuple[str, int, str, list[str]]]:
    """(commit, time, status, paths) of each file changed, from `git log -z --name-status`
    with each commit's line as \\x1e, hash, time: every field ends in NUL, and a status is
    followed by one path, or two for a rename or a copy (so a name is never mistaken for
    anything else)."""
    fields = out.split("\0")
    found = []
    commit, when, at = "", 0, 0
    while at < len(fields):
        field = fields[at].lstrip("\n")
        at += 1
        if field.startswith("\x1e"):
            commit, _, stamp = field[1:].partition(" ")
            when = int(stamp)
        elif field:
            count = 2 if field[0] in "RC" else 1
            found.append((commit, when, field, fields[at:at + count]))
            at += count
    return found


def cat_files(top: Path, wanted: list[Committed]) -> dict[Committed, Blob]:
    """The file each commit held, from one `git cat-file --batch-check` (their sizes) and one
    `git cat-file --batch` (the files small enough to be read); nothing when git fails."""
    names = {c: os.fsencode(f"{c.commit}:{c.path}") for c in wanted if "\0" not in c.path}
    found: dict[Committed, Blob] = dict.fromkeys(wanted)
    try:
        checked = _batch(top, "--batch-check", list(names.values()))
        at, small = 0, []
        for c, name in names.items():
            size, at = _answer(checked, at, name)
            found[c] = size
            if size is not None and size <= MAX_FILE_BYTES:
                small.append(c)
        data, at = _batch(top, "--batch", [names[c] for c in small]), 0
        for c in small:
            size, at = _answer(data, at, names[c])
            if size is not None:
                found[c], at = data[at:at + size], at + size + 1  # the file, and the line break after it
    except ValueError:  # git failed, or said what we cannot read
        return {}
    return found


def _batch(top: Path, mode: str, names: list[bytes]) -> bytes:
    """git's answer for the objects `names` (NUL-separated, so any file name is one name)."""
    out = run_git(top, "cat-file", mode, "-z", given=b"".join(name + b"\0" for name in names)) if names else b""
    if out is None:
        raise ValueError("git cat-file failed")
    return out


_HEADER = re.compile(rb"[0-9a-f]{40,64} (\w+) (\d+)")


def _answer(data: bytes, at: int, name: bytes) -> tuple[int | None, int]:
    """The size of the file git's answer at `at` describes (None: no such file), and where
    the line of that answer ends. An answer that names the object asked for ('<name> missing')
    is matched whole, since a file's name may hold spaces and line breaks."""
    if data.startswith(name + b" missing\n", at):
        return None, at + len(name) + len(b" missing\n")
    end = data.index(b"\n", at)
    header = _HEADER.fullmatch(data, at, end)
    if header is None:
        raise ValueError(f"unexpected answer from git: {data[at:end]!r}")
    return (int(header[2]) if header[1] == b"blob" else None), end + 1
