"""Build times of the site engines side by side: MkDocs, ProperDocs and Zensical.

Each engine builds its own copy of the project (settings, templates, docs, content)
RUNS times, the engines taking turns so that a busy moment of the machine does not
fall on one engine only. Every build is the whole `build` of build_brief.py without
PDFs (the PDFs do not depend on the engine); printed are the medians of the whole
build and of its site engine step (wall clock), and of the processor time the engine
process used (user + system, all threads: less disturbed by other work on the machine
than the wall clock), in seconds.

Zensical keeps a cache of rendered pages in build/.cache, kept between builds as a
normal build does: "cold" builds delete it first, "warm" ones are the same build
again right after. MkDocs and ProperDocs keep no cache, so their two figures differ
only by noise.

    python -m bench.engines                       # the example in data/
    python -m bench.engines --data /tmp/corpus    # any content folder (see bench/corpus.py)
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from briefsite.app import BuildOptions, build
from briefsite.core.project import Project
from briefsite.output.engine import ENGINES, get_engine, run_engine_build

REPO = Path(__file__).resolve().parent.parent


def copy_project(dest: Path, data: Path) -> Project:
    dest.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("templates", "docs"):
        shutil.copytree(REPO / folder, dest / folder)
    shutil.copytree(data, dest / "data")
    return Project.at(dest / "mkdocs.yml")


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_build(project: Project, engine: str, cold: bool) -> tuple[float, float, float]:
    """(whole build, its site engine step, processor time of the engine alone) in seconds.

    The processor time comes from running the engine once more on the same pages (the
    render step starts processes of its own, Graphviz, that would count too)."""
    if cold:
        shutil.rmtree(project.build / ".cache", ignore_errors=True)
    start = time.perf_counter()
    result = build(project, BuildOptions(quiet=True, engine=engine, pdf=False))
    whole = time.perf_counter() - start
    if cold:
        shutil.rmtree(project.build / ".cache", ignore_errors=True)
    cpu = child_cpu()
    run_engine_build(project, project.engine_config, engine=engine)
    return whole, result.timings["site engine"], child_cpu() - cpu


def engine_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.engines", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO / "data", metavar="DIR",
                        help="the content folder to build (default: the example in data/)")
    parser.add_argument("--runs", type=int, default=3, metavar="N", help="builds of each kind per engine (default 3)")
    parser.add_argument("--engines", nargs="+", choices=list(ENGINES), default=list(ENGINES),
                        help="the engines to compare (default: all)")
    args = parser.parse_args(argv)
    for name in args.engines:
        get_engine(name)  # each must be installed: pip install '.[test]'

    times: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-engines-") as tmp:
        projects = {name: copy_project(Path(tmp) / name, args.data.resolve()) for name in args.engines}
        for name, project in projects.items():  # untimed: imports, first render, PDF-free caches
            build(project, BuildOptions(quiet=True, engine=name, pdf=False))
        for _ in range(args.runs):
            for name, project in projects.items():
                times.setdefault((name, "cold"), []).append(timed_build(project, name, cold=True))
                times.setdefault((name, "warm"), []).append(timed_build(project, name, cold=False))
        pages = sum(1 for _ in projects[args.engines[0]].generated_docs.rglob("*.md"))

    print(f"{args.data}: {pages} pages; median of {args.runs} builds each (seconds, without PDFs)")
    heads = [f"{what} {kind}" for kind in ("cold", "warm") for what in ("build", "engine", "engine CPU")]
    print(f"| {'engine':<18} | " + " | ".join(heads) + " |")
    print(f"|{'-' * 20}|" + "|".join("-" * (len(h) + 1) + ":" for h in heads) + "|")
    for name in args.engines:
        cells = [statistics.median(run[i] for run in times[(name, kind)]) for kind in ("cold", "warm")
                 for i in range(3)]
        print(f"| {name + ' ' + engine_version(name):<18} | "
              + " | ".join(f"{c:>{len(h)}.2f}" for c, h in zip(cells, heads, strict=True)) + " |")
    print(f"(mkdocs-material {engine_version('mkdocs-material')}; Python {sys.version.split()[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
