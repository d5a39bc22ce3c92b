"""The one writer: writes only what changed, removes what is gone, stays inside its folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefsite.output.writer import write_tree


def test_writes_only_changed_files(tmp_path: Path) -> None:
    root = tmp_path / "out"
    first = write_tree(root, {"a.md": "A", "sub/b.md": "B"})
    assert sorted(first.written) == ["a.md", "sub/b.md"]
    old = (root / "a.md").stat().st_mtime_ns
    os.utime(root / "a.md", ns=(old - 10**9, old - 10**9))
    second = write_tree(root, {"a.md": "A", "sub/b.md": "B2"})
    assert second.written == ["sub/b.md"] and second.unchanged == 1
    assert (root / "a.md").stat().st_mtime_ns == old - 10**9  # untouched: live reload stays quiet


def test_removes_files_no_longer_produced(tmp_path: Path) -> None:
    root = tmp_path / "out"
    write_tree(root, {"a.md": "A", "old/gone.md": "G"})
    stats = write_tree(root, {"a.md": "A"})
    assert stats.removed == ["old/gone.md"]
    assert not (root / "old").exists()


def test_refuses_to_write_outside_its_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="outside"):
        write_tree(tmp_path / "out", {"../escape.md": "x"})
    assert not (tmp_path / "escape.md").exists()
