"""The engine's pages in two processes (output/halves.py): every file of the site byte for
byte as one process writes it, on each engine that runs our hooks, and a failure in the
second process fails the build."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import generate
from briefsite.app import BuildOptions, build
from briefsite.core.project import Project
from briefsite.output import halves
from briefsite.output.engine import ENGINES, engine_env
from tests.conftest import copy_project

HOOK_ENGINES = [name for name, engine in ENGINES.items() if engine.runs_hooks]


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A library of more than SPLIT_FROM pages, rendered and staged for the engine."""
    project = copy_project(tmp_path_factory.mktemp("halves"))
    shutil.rmtree(project.data)
    generate(project.data, 180, seed=5)  # 329 pages: over SPLIT_FROM, and no more (each test builds them twice)
    build(project, BuildOptions(quiet=True, pdf=False))
    assert len(list(project.generated_docs.rglob("*.md"))) >= halves.SPLIT_FROM
    return project


def run_engine(project: Project, engine: str, site: Path, processes: str) -> subprocess.CompletedProcess[str]:
    config = project.build / f"halves-{site.name}.yml"
    config.write_text(f"INHERIT: {json.dumps(str(project.engine_config))}\nsite_dir: {json.dumps(str(site))}\n",
                      encoding="utf-8")
    env = {**engine_env(project), halves.PROCESSES_ENV: processes}
    return subprocess.run([sys.executable, "-m", engine, "build", "--strict", "--config-file", str(config)],
                          cwd=project.root, env=env, capture_output=True, text=True)


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("engine", HOOK_ENGINES)
def test_two_processes_write_the_site_one_process_writes(staged: Project, engine: str, tmp_path: Path) -> None:
    pytest.importorskip(engine)
    two = run_engine(staged, engine, tmp_path / "two", "2")
    one = run_engine(staged, engine, tmp_path / "one", "1")
    assert two.returncode == 0 and one.returncode == 0, two.stderr[-2000:] + one.stderr[-2000:]
    assert "in two processes" in two.stderr and "in two processes" not in one.stderr
    split, whole = files_of(tmp_path / "two"), files_of(tmp_path / "one")
    assert sorted(split) == sorted(whole)
    assert [name for name in whole if split[name] != whole[name]] == []


def test_a_problem_in_the_second_half_fails_the_build(staged: Project, tmp_path: Path) -> None:
    briefings = sorted((staged.generated_docs / "briefings").glob("*.md"))
    originals = {p: p.read_text(encoding="utf-8") for p in briefings}
    try:
        for p in briefings:  # a broken link on every briefing page: both halves hold some
            p.write_text(originals[p] + "\n[gone](no-such-page.md)\n", encoding="utf-8")
        result = run_engine(staged, "mkdocs", tmp_path / "two", "2")
    finally:
        for p, text in originals.items():
            p.write_text(text, encoding="utf-8")
    assert result.returncode != 0
    assert "the second process building half of the pages failed" in result.stderr
