"""How the build scales: `make bench`, or `python -m bench.run [--sizes 10,100,1000] [--runs 3]`.

For each size (10 to 5,000 by default) it generates a synthetic library (bench/corpus.py)
in a throwaway project and measures, as medians of several runs:

- the build (`app.build` without PDFs) in a fresh child process: load+validate,
  render (with staging), site engine, the whole wall time of the process, the CPU time
  of our own process, and peak resident memory (getrusage: our process, and the largest
  child, the site engine, which runs while ours is alive: their sum bounds the peak);
- a plain `mkdocs build` of the same staged pages (build/docs) with the same settings
  and no hooks, interleaved with our builds so both see the same machine load;
- the build again after an edit to one briefing, with build/ (and its cache) kept from
  the build before, as an analyst rebuilds after an edit;
- PDF export of one briefing, again unchanged, and the book at 100 briefings; at 100 and
  1,000, a sample typeset ours and with no stylesheet (bench/pdf_floor.py), and the book at 100;
- at the largest size up to 1,000, an edit to one briefing as the live server handles it: load,
  validate, render and stage in a warm process, and which files were written;
- at 100 and 1,000 briefings, the live server on the project as its last build left it: when
  the address first answers, when the preview itself does, how long after an edit the page shows it;
- the peak memory of our processes by stage, and Pagefind's apart (proportional set sizes);
- the locator maps at 1,000 and 5,000 briefings (bench/maps.py): distinct areas, the time
  to draw their basemaps and to put each page's places on one, the maps' sizes.

Then every target is printed as met or not met. The machine's other work shows in wall
times; CPU times are steadier.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import commit_history, generate  # noqa: E402
from bench.search import checks as search_checks  # noqa: E402
from bench.search import report_lines as search_report  # noqa: E402
from bench.search import search_line  # noqa: E402

SIZES = (10, 100, 300, 1000, 5000)
SEED = 1
ENGINE_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
BARE_SITE = Path("build") / "bench-bare-site"
STARTING = "__briefsite/starting.js"
"""In a page the live server answers with while it starts (the last build's, briefsite/interim.py)."""


def child_env() -> dict[str, str]:
    """The environment of every child: quiet engine, and this checkout's briefsite importable
    from the throwaway projects (the live server's hooks import it)."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return {**os.environ, **ENGINE_ENV, "PYTHONPATH": path}
GIB = 2**30

# The targets.
OURS_SHARE = 0.05
OURS_SECONDS = 1.5
GROWTH = 11.0
BUILD_SECONDS = 60.0
BUILD_BYTES = GIB
EDIT_SECONDS = 0.5
SERVE_SECONDS = 3.0
SERVE_START_SECONDS = 5.0
PDF_FLOOR_RATIO = 1.15
BOOK_SECONDS = 60.0


# --- In the child process ---------------------------------------------------------------

def _project(path: str) -> Any:
    from briefsite.core.project import Project

    return Project.at(Path(path) / "mkdocs.yml")


def _rss() -> dict[str, int]:
    """Peak resident memory in bytes (Linux reports KiB) of this process and of its largest child."""
    return {"rss_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            "rss_children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}


@contextlib.contextmanager
def _sampling_all_processes(peak: dict[str, Any], every: float = 0.2) -> Iterator[dict[str, str]]:
    """Sample the memory of this process and all it started (the render's second process,
    the engine's two, Pagefind) every `every` seconds, by proportional set size (what forked
    processes share is counted once, not in each): peak["all"] is the largest sum, peak["ours"]
    the largest sum without Pagefind, peak["pagefind"] Pagefind's largest, and peak["stages"]
    our largest sum in each stage (the caller sets stage["now"] as the build goes)."""
    done = threading.Event()
    stage = {"now": "start"}
    stages: dict[str, int] = {}
    peak["stages"] = stages

    def sample() -> None:
        while not done.wait(every):
            ours = pagefind = 0
            for pid in _process_tree(os.getpid()):
                size = _pss(pid)
                if _is_pagefind(pid):
                    pagefind += size
                else:
                    ours += size
            peak["all"] = max(peak.get("all", 0), ours + pagefind)
            peak["ours"] = max(peak.get("ours", 0), ours)
            peak["pagefind"] = max(peak.get("pagefind", 0), pagefind)
            stages[stage["now"]] = max(stages.get(stage["now"], 0), ours)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield stage
    finally:
        done.set()
        sampler.join()


def _is_pagefind(pid: int) -> bool:
    with contextlib.suppress(OSError):
        return "pagefind" in Path(f"/proc/{pid}/comm").read_text()
    return False


def _process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = Path(f"/proc/{entry}/stat").read_text()
                children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _pss(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    return 0


def _time_graphviz() -> dict[str, float]:
    """Count the Graphviz runs of the render stage and their wall time (measurement only)."""
    spent = {"seconds": 0.0, "runs": 0}
    try:
        from briefsite.render import graphs
    except ImportError:
        return spent
    run_dot = getattr(graphs, "run_dot", None)
    if run_dot is None:
        return spent

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return run_dot(*args, **kwargs)
        finally:
            spent["seconds"] += time.perf_counter() - start
            spent["runs"] += 1

    graphs.run_dot = timed  # type: ignore[assignment]
    return spent


def child_build(path: str) -> dict[str, Any]:
    """One whole build without PDFs, as `build_brief.py build` does it."""
    from briefsite.app import BuildOptions, build

    project = _project(path)
    graphviz = _time_graphviz()
    cpu = time.process_time()
    start = time.perf_counter()
    peak: dict[str, Any] = {}
    with _sampling_all_processes(peak) as stage:
        result = build(project, BuildOptions(quiet=True, pdf=False),
                       progress=lambda name, _detail: stage.update(now=name))
    wall = time.perf_counter() - start
    pages = sum(1 for _ in project.generated_docs.rglob("*.md"))
    largest = max(project.site.rglob("*.html"), key=lambda path: path.stat().st_size)
    return {"timings": result.timings, "build": wall, "cpu": time.process_time() - cpu, "pages": pages,
            "graphviz": graphviz["seconds"], "graphviz_runs": graphviz["runs"],
            "largest": [largest.relative_to(project.site).as_posix(), largest.stat().st_size],
            "home": (project.site / "index.html").stat().st_size, "all_processes": peak.get("all", 0),
            "ours": peak.get("ours", 0), "pagefind": peak.get("pagefind", 0), "stages": peak["stages"], **_rss()}


def child_history(path: str) -> dict[str, Any]:
    """Reading every briefing's versions from git: from nothing (a first build) and with what
    a build keeps (by commit and path), after the library is loaded."""
    from briefsite.read.history import read_history
    from briefsite.read.library import load_library

    project = _project(path)
    library, _ = load_library(project.data)
    assert library is not None
    files = {bid: project.data / "briefings" / f"{bid}.yaml" for bid in library.briefings}
    kept: dict[Any, Any] = {}
    start = time.perf_counter()
    found = read_history(project.data, library.briefings, files, kept)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    read_history(project.data, library.briefings, files, kept)
    warm = time.perf_counter() - start
    return {"cold": cold, "warm": warm, "versions": sum(len(v) for v in found.versions.values()),
            "missing": found.missing}


def _snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in root.rglob("*") if p.is_file()}


def edit_briefing(file: Path, marker: str) -> str:
    """Add a paragraph at the end of a briefing's summary (a literal block); return the original text."""
    original = file.read_text(encoding="utf-8")
    lines = original.splitlines()
    start = lines.index("summary: |") + 1
    end = next((i for i in range(start, len(lines)) if lines[i] and not lines[i].startswith("  ")), len(lines))
    lines[end:end] = ["", f"  {marker}"]
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return original


def child_edit(path: str, repeats: int = 3) -> dict[str, Any]:
    """What the live server does after an edit to one briefing, in a warm process (median of `repeats`)."""
    from briefsite import app
    from briefsite.incremental.memory import Memory

    project = _project(path)
    sink = open(os.devnull, "w")  # noqa: SIM115 - warnings of the live preview
    memory = app.preview_memory(project)
    start = time.perf_counter()
    assert app.render_docs(project, sink, memory)  # the server's first render
    first = time.perf_counter() - start
    files = sorted((project.data / "briefings").glob("*.yaml"))
    seconds, cpus, checks = [], [], []
    checking = Memory()  # load+validate alone, remembering as the live server does
    app.check(project, memory=checking)
    for i in range(repeats):
        file = files[(i + 1) * len(files) // (repeats + 1)]
        before = _snapshot(project.generated_docs)
        original = edit_briefing(file, f"An edited sentence for the benchmark, number {i}.")
        try:
            time.sleep(0.01)  # a new modification time for whatever is written
            cpu = time.process_time()
            start = time.perf_counter()
            assert app.render_docs(project, sink, memory)
            seconds.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
            after = _snapshot(project.generated_docs)
            start = time.perf_counter()
            app.check(project, memory=checking)
            checks.append(time.perf_counter() - start)
        finally:
            file.write_text(original, encoding="utf-8")
            app.render_docs(project, sink, memory)
        if i == 0:
            written = sorted(k for k in after if k not in before or after[k][0] != before[k][0])
            changed = sorted(k for k in after if k not in before or after[k][1] != before[k][1])
            removed = sorted(set(before) - set(after))
    return {"first": first, "seconds": statistics.median(seconds), "cpu": statistics.median(cpus),
            "check": statistics.median(checks), "repeats": repeats, "written": written, "changed": changed,
            "removed": removed}


def child_pdf(path: str, book: bool) -> dict[str, Any]:
    """PDF of one briefing, the same again unchanged, and optionally the book."""
    from briefsite import app
    from briefsite.incremental.drawings import Drawings
    from briefsite.output import pdf
    from briefsite.render.books import BOOK

    project = _project(path)
    library, _ = app.check(project)
    dest = project.build / "bench-pdf"
    drawings = Drawings()  # the graphs drawn once in the process, as a build draws them for its pages and PDFs
    bid = next(iter(library.briefings))
    out: dict[str, Any] = {}
    start = time.perf_counter()
    first = pdf.export_with_kept(project, library, dest, names=[bid], drawings=drawings)
    out["one"] = time.perf_counter() - start
    out["one_pages"] = first.rendered.get(bid, (0, 0.0))[0]
    start = time.perf_counter()
    again = pdf.export_with_kept(project, library, dest, names=[bid], drawings=drawings)
    out["again"] = time.perf_counter() - start
    out["again_cached"] = bid in again.cached and not again.rendered
    if book:
        start = time.perf_counter()
        result = pdf.export_with_kept(project, library, dest, names=[BOOK], drawings=drawings)
        out["book"] = time.perf_counter() - start
        out["book_pages"] = result.rendered.get(BOOK, (0, 0.0))[0]
    return {**out, **_rss()}


def child_pdfs(path: str, books_only: bool) -> dict[str, Any]:
    """Every briefing's PDF from scratch on both cores, or the books (the latest briefings',
    the first region's and the first tag's), each timed."""
    from briefsite import app
    from briefsite.output import pdf
    from briefsite.render.books import books

    project = _project(path)
    library, _ = app.check(project)
    dest = project.build / "bench-pdf"
    shutil.rmtree(project.build / "pdf-cache", ignore_errors=True)
    planned = books(library)
    out: dict[str, Any] = {"books": len(planned)}
    if books_only:
        regions = [b for b in planned if b.name.startswith("books/region-")][:1]
        tags = [b for b in planned if b.name.startswith("books/tag-")][:1]
        out["typeset"] = []
        for book in [planned[0], *regions, *tags]:
            start = time.perf_counter()
            result = pdf.export_with_kept(project, library, dest, names=[book.name])
            out["typeset"].append([book.name, book.what, result.rendered[book.name][0], time.perf_counter() - start])
    else:
        start = time.perf_counter()
        result = pdf.export_with_kept(project, library, dest, names=list(library.briefings))
        out["seconds"] = time.perf_counter() - start
        out["count"] = len(result.rendered)
        out["pages"] = sum(pages for pages, _ in result.rendered.values())
    return {**out, **_rss()}


def child_profile(path: str, limit: int) -> dict[str, Any]:
    """cProfile of load+validate+render+stage, cold, printed to stderr."""
    import cProfile
    import pstats

    from briefsite import app

    project = _project(path)
    memory = app.preview_memory(project)
    profile = cProfile.Profile()
    profile.enable()
    ok = app.render_docs(project, open(os.devnull, "w"), memory)  # noqa: SIM115
    profile.disable()
    stats = pstats.Stats(profile, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit)
    return {"ok": ok}


# --- In the parent ----------------------------------------------------------------------

def run_child(mode: str, project: Path, *extra: str, stderr: Any = subprocess.PIPE) -> tuple[dict[str, Any], float]:
    """Run a child mode in a fresh interpreter; its result and its wall time."""
    cmd = [sys.executable, "-m", "bench.run", "--child", mode, "--project", str(project), *extra]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=child_env(), stdout=subprocess.PIPE,
                          stderr=stderr, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"bench child '{mode}' failed (exit {proc.returncode}):\n{(proc.stderr or '')[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1]), wall


def make_project(dest: Path, briefings: int, seed: int) -> Path:
    """The project's settings, templates and hand-written pages, with a generated library."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("templates", "docs"):
        shutil.copytree(ROOT / folder, dest / folder)
    generate(dest / "data", briefings, seed)
    return dest


def clean(project: Path) -> None:
    for folder in ("build", "site"):
        shutil.rmtree(project / folder, ignore_errors=True)


def bare_engine(project: Path, keep: bool = False) -> float:
    """A plain `mkdocs build` of the staged pages, same settings, no hooks and the theme as
    it comes (its own lunr search); wall seconds. `keep`: leave the site in BARE_SITE."""
    config = project / "build" / "bench-bare.yml"
    site_dir = project / BARE_SITE
    plain_theme = project / "build" / "bench-plain-theme"
    shutil.rmtree(site_dir, ignore_errors=True)
    plain_theme.mkdir(parents=True, exist_ok=True)
    config.write_text(f"INHERIT: {json.dumps(str(project / 'build' / 'mkdocs.yml'))}\n"
                      f"site_dir: {json.dumps(str(site_dir))}\nhooks: []\n"
                      f"theme: {{custom_dir: {json.dumps(str(plain_theme))}}}\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--config-file", str(config)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=project, env=child_env(), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"plain mkdocs build failed:\n{proc.stderr[-3000:]}")
    if not keep:
        shutil.rmtree(site_dir, ignore_errors=True)
    return seconds


def measure_search(project: Path) -> dict[str, Any]:
    """bench/search.py in a child process: the site's search and the theme's lunr search on
    the plain build kept by the last `bare_engine(keep=True)`."""
    if not (Path("/usr/sbin/nginx").exists() and Path("/usr/bin/chromium").exists()):
        return {"error": "needs nginx and chromium (make bench installs them)"}
    cmd = [sys.executable, "-m", "bench.search", "--site", str(project / "site"),
           "--lunr-site", str(project / BARE_SITE), "--data", str(project / "data")]
    proc = subprocess.run(cmd, cwd=ROOT, env=child_env(), capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
            return str(response.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


@contextlib.contextmanager
def live_server(project: Path, port: int, dirty: bool) -> Iterator[subprocess.Popen[bytes]]:
    """`build_brief.py serve`; or, `dirty`, the engine's own `mkdocs serve --dirty` on the
    settings that command wrote: the same hooks re-render, only the pages written are
    rebuilt (--no-strict: a dirty build always warns that other pages' links may be stale)."""
    address = f"127.0.0.1:{port}"
    env = child_env()
    if dirty:
        cmd = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "--config-file",
               str(project / "build" / "mkdocs.yml"), "--dev-addr", address]
        env.update(BRIEF_DATA=str(project / "data"), BRIEF_ROOT=str(project))
    else:
        cmd = [sys.executable, str(ROOT / "build_brief.py"), "serve", "--config", str(project / "mkdocs.yml"),
               "--dev-addr", address]
    log = open(project / "build" / f"bench-serve{'-dirty' * dirty}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # the server and the engine it started, nothing else
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def measure_serve(project: Path, dirty: bool = False, timeout: float = 240.0) -> dict[str, Any]:
    """Start the live server (on a project built before), edit a briefing, poll its page until
    the edit shows: when the address first answered with the page (the last build's, while the
    preview starts), when the preview itself answered, and how long the edit took to show."""
    (project / "build").mkdir(exist_ok=True)
    port = free_port()
    file = sorted((project / "data" / "briefings").glob("*.yaml"))[0]
    url = f"http://127.0.0.1:{port}/briefings/{file.stem}.html"
    with live_server(project, port, dirty) as proc:
        start = time.perf_counter()
        answering = None
        while (page := fetch(url)) is None or "Synthetic" not in page or STARTING in page:
            if answering is None and page is not None and "Synthetic" in page:
                answering = time.perf_counter() - start
            if proc.poll() is not None or time.perf_counter() - start > timeout:
                return {"error": f"the server did not come up (see {project / 'build' / 'bench-serve.log'})"}
            time.sleep(0.1)
        ready = time.perf_counter() - start
        time.sleep(1.5)  # let the watcher settle after the first build
        marker = f"Benchmark marker {int(time.time() * 1000)}"
        original = edit_briefing(file, marker)
        try:
            start = time.perf_counter()
            while marker not in (fetch(url) or ""):
                if time.perf_counter() - start > timeout:
                    return {"startup": answering or ready, "ready": ready,
                            "error": f"the edit did not show within {timeout:.0f} s"}
                time.sleep(0.05)
            shown = time.perf_counter() - start
        finally:
            file.write_text(original, encoding="utf-8")
    return {"startup": answering or ready, "ready": ready, "shown": shown}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def fmt_mib(n: float) -> str:
    return f"{n / 2**20:.0f} MiB"


def measure_pdfs_at_scale(project: Path, n: int, *, pdfs: bool, typeset_books: bool) -> None:
    """Print what every briefing's PDF costs from scratch, and what the books come to."""
    if pdfs:
        r, _ = run_child("pdfs", project)
        seconds, count, pages = r["seconds"], max(r["count"], 1), max(r["pages"], 1)
        print(f"        every briefing's PDF from scratch: {count} PDFs, {pages} pages in {fmt_s(seconds)} "
              f"({seconds / count:.2f} s a PDF, {1000 * seconds / pages:.0f} ms a page); "
              f"peak memory {fmt_mib(r['rss_self'] + r['rss_children'])}", flush=True)
    if typeset_books:
        r, _ = run_child("pdfs", project, "--book")
        typeset = "; ".join(f"{name} ({what}): {pages} pages in {fmt_s(seconds)}"
                            for name, what, pages, seconds in r["typeset"])
        print(f"        books: {r['books']} planned; typeset {typeset}; peak memory "
              f"{fmt_mib(r['rss_self'] + r['rss_children'])}", flush=True)


def pdf_available() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("briefsite.output.pdf", "weasyprint"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="numbers of briefings (default 10,100,1000)")
    parser.add_argument("--ten-thousand", action="store_true",
                        help="also build 10,000 briefings (about 15 minutes on two cores)")
    parser.add_argument("--runs", type=int, default=3, help="runs per size; medians are printed (default 3)")
    parser.add_argument("--big-runs", type=int, default=2, metavar="N",
                        help="runs at 1,000 briefings and more (default 2)")
    parser.add_argument("--huge-runs", type=int, default=1, metavar="N",
                        help="runs at 5,000 briefings and more (default 1)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--work", type=Path, default=None, help="where the projects go (default: a temporary folder)")
    parser.add_argument("--no-serve", action="store_true", help="skip the live-server measurement")
    parser.add_argument("--history", type=int, default=5, metavar="N",
                        help="at the largest size up to 1000, the cost of N versions per briefing in git (0: skip)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF measurements")
    parser.add_argument("--no-search", action="store_true", help="skip the search measurements (browser)")
    parser.add_argument("--no-stix", action="store_true",
                        help="skip the STIX export's check at 1,000 briefings (bench/stix.py: about a minute)")
    parser.add_argument("--no-maps", action="store_true",
                        help="skip the maps' cost at 1,000 and 5,000 briefings (bench/maps.py: about two minutes)")
    parser.add_argument("--pdfs-at", type=int, default=0, metavar="N",
                        help="at the size N (one of --sizes), every briefing's PDF from scratch")
    parser.add_argument("--books-at", type=int, default=0, metavar="N",
                        help="at the size N (one of --sizes), typeset the latest briefings' book, a region's, a tag's")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="only profile load+validate+render+stage of N briefings (cProfile) and stop")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--project", help=argparse.SUPPRESS)
    parser.add_argument("--book", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        result = {"build": lambda: child_build(args.project), "edit": lambda: child_edit(args.project),
                  "pdf": lambda: child_pdf(args.project, args.book),
                  "pdfs": lambda: child_pdfs(args.project, args.book),
                  "profile": lambda: child_profile(args.project, 35),
                  "history": lambda: child_history(args.project)}[args.child]()
        print(json.dumps(result))
        return 0

    work = args.work or Path(tempfile.mkdtemp(prefix="briefsite-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if args.profile:
            project = make_project(work / f"n{args.profile}", args.profile, args.seed)
            run_child("profile", project, stderr=None)
            return 0
        return bench(args, work)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


def bench(args: argparse.Namespace, work: Path) -> int:
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()] + ([10_000] if args.ten_thousand else [])
    rows: dict[int, dict[str, Any]] = {}
    print(f"Benchmark of the build: sizes {', '.join(map(str, sizes))} briefings, seed {args.seed}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start.", flush=True)
    history_size = max((n for n in sizes if n <= 1000), default=0)
    for n in sizes:
        project = make_project(work / f"n{n}", n, args.seed)
        runs = args.runs if n < 1000 else min(args.runs, args.big_runs if n < 5000 else args.huge_runs)
        builds, walls, bares = [], [], []
        for i in range(runs):
            clean(project)
            result, wall = run_child("build", project)
            builds.append(result)
            walls.append(wall)
            bares.append(bare_engine(project, keep=i == runs - 1))
        row: dict[str, Any] = {"runs": runs, "pages": builds[-1]["pages"]}
        for key in ("load+validate", "render", "site engine"):
            row[key] = median([b["timings"].get(key, float("nan")) for b in builds])
        row["ours"] = median([b["timings"]["load+validate"] + b["timings"]["render"] for b in builds])
        row["graphviz"] = median([b["graphviz"] for b in builds])
        row["graphviz_runs"] = builds[-1]["graphviz_runs"]
        row["total"] = median(walls)
        row["cpu"] = median([b["cpu"] for b in builds])
        row["bare"] = median(bares)
        row["rss_self"] = max(b["rss_self"] for b in builds)
        row["rss_children"] = max(b["rss_children"] for b in builds)
        row["rss"] = row["rss_self"] + row["rss_children"]
        row["all_processes"] = max(b["all_processes"] for b in builds)
        row["ours_peak"] = max(b["ours"] for b in builds)
        row["pagefind_peak"] = max(b["pagefind"] for b in builds)
        row["stages"] = {stage: max(b["stages"].get(stage, 0) for b in builds) for stage in builds[-1]["stages"]}
        row["largest"], row["home"] = builds[-1]["largest"], builds[-1]["home"]
        print(f"  {n:>5} briefings, {row['pages']} pages, {runs} runs: total {fmt_s(row['total'])} (load+validate "
              f"{fmt_s(row['load+validate'])}, render {fmt_s(row['render'])}, engine {fmt_s(row['site engine'])}), "
              f"plain mkdocs {fmt_s(row['bare'])} ({row['total'] / row['bare']:.2f}); peak of our processes "
              f"{fmt_mib(row['ours_peak'])}, Pagefind {fmt_mib(row['pagefind_peak'])}; load average "
              f"{os.getloadavg()[0]:.1f}", flush=True)
        row["load"] = os.getloadavg()[0]
        if not args.no_search:
            row["search"] = measure_search(project)
            shutil.rmtree(project / BARE_SITE, ignore_errors=True)
            print(f"        search: {search_line(row['search'])}", flush=True)
        if not args.no_pdf and pdf_available():
            row["pdf"], _ = run_child("pdf", project, *(["--book"] if n == 100 else []))
            if n in (100, 1000):  # a sample typeset ours and with no stylesheet; the book at 100
                row["pdf_floor"] = measure_pdf_floor(project, 10 if n == 100 else 20, book=n == 100)
                print(f"        PDF against WeasyPrint's floor: {pdf_floor_line(row['pdf_floor'])}", flush=True)
        if n in (args.pdfs_at, args.books_at) and pdf_available():
            measure_pdfs_at_scale(project, n, pdfs=n == args.pdfs_at, typeset_books=n == args.books_at)
        if not args.no_serve and n in (100, 1000):  # on the project as its last build left it
            row["serve"] = measure_serve(project)
            print(f"        live server: {serve_line(row['serve'])}", flush=True)
            if "error" not in row["serve"] and n == 100:
                row["serve_dirty"] = measure_serve(project, dirty=True)
        row.update(measure_rebuilds(project, runs))
        print(f"        rebuilt after an edit to one briefing, with the cache of the build before: total "
              f"{fmt_s(row['re_total'])} (load+validate {fmt_s(row['re_load+validate'])}, render "
              f"{fmt_s(row['re_render'])}, engine {fmt_s(row['re_site engine'])})", flush=True)
        if args.history and n == history_size:
            row["history"] = measure_history(project, args.history)
            h = row["history"]
            print(f"        history: {h['versions']} versions in git ({args.history} per briefing), read in "
                  f"{fmt_s(h['cold'])} from nothing ({100 * h['cold'] / h['build']:.1f}% of a {fmt_s(h['build'])} "
                  f"build from scratch), {fmt_s(h['warm'])} with what a build keeps", flush=True)
            print(f"        version pages and comparisons: {fmt_s(h['pages_cold'])} from nothing "
                  f"({100 * h['pages_cold'] / h['build']:.1f}% of the build), {fmt_s(h['pages_warm'])} with what a "
                  "build keeps", flush=True)
        if not args.no_stix and n == 1000:
            print("        " + measure_stix(n, args.seed), flush=True)
        rows[n] = row
    if not args.no_maps:
        print("  " + "\n  ".join(measure_maps((1000, 5000), args.seed)), flush=True)
    largest = max(n for n in sizes if n <= 1000) if min(sizes) <= 1000 else min(sizes)  # the edit's target is at 1,000
    edit, _ = run_child("edit", work / f"n{largest}")
    report(rows, edit, largest, args)
    return 0


def measure_pdf_floor(project: Path, sample: int, book: bool) -> dict[str, Any]:
    """bench/pdf_floor.py in a child process: a sample typeset ours and with no stylesheet."""
    cmd = [sys.executable, "-m", "bench.pdf_floor", "--project", str(project), "--sample", str(sample),
           *(["--book"] if book else [])]
    proc = subprocess.run(cmd, cwd=ROOT, env=child_env(), capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]}
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def pdf_floor_line(r: dict[str, Any]) -> str:
    if "error" in r:
        return f"FAILED: {r['error']}"
    line = (f"{r['count']} briefings ({r['pages']} pages): ours {fmt_s(r['ours'])}, no stylesheet "
            f"{fmt_s(r['floor'])}, ratio {r['ratio']:.2f}")
    if "book" in r:
        b = r["book"]
        line += (f"; the book ({b['pages']} pages): ours {fmt_s(b['ours'])}, no stylesheet {fmt_s(b['floor'])}, "
                 f"ratio {b['ratio']:.2f}")
    return line


def serve_line(r: dict[str, Any]) -> str:
    if "error" in r and "ready" not in r:
        return r["error"]
    line = (f"answering after {fmt_s(r['startup'])} (the last build's pages), the preview itself after "
            f"{fmt_s(r['ready'])}")
    return line + (f"; {r['error']}" if "error" in r else f"; an edit showed after {fmt_s(r['shown'])}")


def measure_stix(briefings: int, seed: int) -> str:
    """The STIX bundles of the same synthetic library, made and checked strictly (bench/stix.py)."""
    cmd = [sys.executable, "-m", "bench.stix", "--briefings", str(briefings), "--seed", str(seed)]
    proc = subprocess.run(cmd, cwd=ROOT, env=child_env(), capture_output=True, text=True)
    return proc.stdout.strip().splitlines()[-1] if proc.returncode == 0 else f"STIX: FAILED\n{proc.stdout}{proc.stderr}"


def measure_maps(sizes: tuple[int, ...], seed: int) -> list[str]:
    """The maps of the same synthetic libraries: distinct areas, drawing, placing, sizes (bench/maps.py)."""
    cmd = [sys.executable, "-m", "bench.maps", "--briefings", ",".join(map(str, sizes)), "--seed", str(seed)]
    proc = subprocess.run(cmd, cwd=ROOT, env=child_env(), capture_output=True, text=True)
    return proc.stdout.strip().splitlines() if proc.returncode == 0 else [f"maps: FAILED\n{proc.stdout}{proc.stderr}"]


def measure_history(project: Path, versions: int) -> dict[str, Any]:
    """Give the project a git history of `versions` versions of every briefing, then time a
    build from scratch and the reading of the history alone (child_history)."""
    commit_history(project / "data", versions)
    clean(project)
    first, build = run_child("build", project)
    again, _ = run_child("build", project)  # build/ kept: the version pages come from its cache
    result, _ = run_child("history", project)
    return {**result, "build": build, "pages_cold": first["timings"].get("versions", 0.0),
            "pages_warm": again["timings"].get("versions", 0.0)}


def measure_rebuilds(project: Path, runs: int) -> dict[str, float]:
    """`build` again after an edit to one briefing, keeping build/ (and so build/cache) of the
    build before, as an analyst rebuilds after an edit: medians of `runs` edits."""
    files = sorted((project / "data" / "briefings").glob("*.yaml"))
    results, walls = [], []
    for i in range(runs):
        file = files[(i + 1) * len(files) // (runs + 1)]
        original = edit_briefing(file, f"An edited sentence for the benchmark's rebuild, number {i}.")
        try:
            result, wall = run_child("build", project)
        finally:
            file.write_text(original, encoding="utf-8")
        results.append(result)
        walls.append(wall)
    out = {f"re_{key}": median([r["timings"][key] for r in results])
           for key in ("load+validate", "render", "site engine")}
    out["re_ours"] = median([r["timings"]["load+validate"] + r["timings"]["render"] for r in results])
    out["re_cache"] = median([r["timings"].get("cache write", float("nan")) for r in results])
    out["re_total"] = median(walls)
    return out


def report(rows: dict[int, dict[str, Any]], edit: dict[str, Any], largest: int, args: argparse.Namespace) -> None:
    print()
    header = ("briefings", "pages", "runs", "load+valid.", "render", "of which dot", "engine", "total", "our CPU",
              "plain mkdocs", "total/plain", "ms/page", "peak, all processes", "peak RSS")
    print(" | ".join(header))
    print(" | ".join("-" * len(h) for h in header))
    for n, r in rows.items():
        print(" | ".join([f"{n:>9}", f"{r['pages']:>5}", f"{r['runs']:>4}", f"{fmt_s(r['load+validate']):>11}",
                          f"{fmt_s(r['render']):>6}", f"{fmt_s(r['graphviz']):>7} ({r['graphviz_runs']:>4})",
                          f"{fmt_s(r['site engine']):>6}", f"{fmt_s(r['total']):>5}",
                          f"{fmt_s(r['cpu']):>7}", f"{fmt_s(r['bare']):>12}", f"{r['total'] / r['bare']:>11.2f}",
                          f"{1000 * r['bare'] / r['pages']:>7.1f}", f"{fmt_mib(r['all_processes']):>19}",
                          f"{fmt_mib(r['rss'])} ({fmt_mib(r['rss_self'])} ours + "
                          f"{fmt_mib(r['rss_children'])} engine)"]))
    print("\nPage sizes: " + "; ".join(f"{n} briefings: largest {r['largest'][1] / 1024:.0f} KB ({r['largest'][0]}), "
                                      f"home {r['home'] / 1024:.0f} KB" for n, r in rows.items()))
    sizes = list(rows)
    if len(sizes) > 1:
        print(f"\nGrowth from {sizes[0]:,} briefings (each stage's time at a size over its time at {sizes[0]:,}):")
        stages = ("load+validate", "render", "site engine", "total", "bare")
        print(" | ".join(("briefings", "work", *stages)))
        print(" | ".join("-" * len(h) for h in ("briefings", "work", *stages)))
        first = rows[sizes[0]]
        for n in sizes[1:]:
            print(" | ".join([f"{n:>9}", f"{n / sizes[0]:>4.1f}x",
                              *(f"{rows[n][key] / first[key]:>{len(key)}.1f}x" for key in stages)]))
    print("\nRebuilt after an edit to one briefing (build/ and its cache kept from the build before):")
    print(" | ".join(("briefings", "load+valid.", "render", "engine", "cache write", "total", "ours of total")))
    print(" | ".join(("-" * 9, "-" * 11, "-" * 6, "-" * 6, "-" * 11, "-" * 5, "-" * 13)))
    for n, r in rows.items():
        print(" | ".join([f"{n:>9}", f"{fmt_s(r['re_load+validate']):>11}", f"{fmt_s(r['re_render']):>6}",
                          f"{fmt_s(r['re_site engine']):>6}", f"{fmt_s(r['re_cache']):>11}",
                          f"{fmt_s(r['re_total']):>5}", f"{r['re_ours'] / r['re_total']:>13.1%}"]))
    print("'cache write' is the cache for the next build, written while the engine runs (inside its time).")
    print("\n'total' is the wall time of the whole build process (start-up included); 'our CPU' is the CPU time of our "
          "main process during the build (load, validate, render, stage; the engine and the second render process "
          "are children); 'ms/page' is plain mkdocs per page (the theme's cost per page); 'of which dot' is the time "
          "our main process spent waiting for Graphviz (relationship graphs), with the number of its `dot` runs.")
    if any(r["runs"] < args.runs for r in rows.values()):
        print(f"Sizes of 1,000 briefings and more ran {args.big_runs} times (--big-runs), the others {args.runs}.")

    print("\nPDF:")
    if args.no_pdf:
        print("  skipped (--no-pdf)")
    elif not pdf_available():
        print("  PDF: not available (briefsite/output/pdf.py or WeasyPrint missing)")
    else:
        for n, r in rows.items():
            p = r.get("pdf", {})
            line = (f"  {n:>5} briefings: one briefing {fmt_s(p['one'])} ({p['one_pages']} pages); again unchanged "
                    f"{fmt_s(p['again'])} ({'from the cache' if p['again_cached'] else 'TYPESET AGAIN'})")
            if "book" in p:
                line += f"; the book {fmt_s(p['book'])} ({p['book_pages']} pages)"
            print(line)

    print(f"\nEdit to one briefing at {largest} briefings (warm process, as the live server does it; median of "
          f"{edit['repeats']} edits): {fmt_s(edit['seconds'])} (CPU {fmt_s(edit['cpu'])}; "
          f"load+validate alone {fmt_s(edit['check'])}; "
          f"the first render of the process took {fmt_s(edit['first'])}); "
          f"{len(edit['written'])} files written: {', '.join(edit['written']) or 'none'}; "
          f"{len(edit['changed'])} changed.")
    for n in (100, 1000):
        serve = rows.get(n, {}).get("serve")
        if serve:
            print(f"Live server at {n:,} briefings, on the project as its last build left it: {serve_line(serve)}.")
    dirty = rows.get(100, {}).get("serve_dirty", {})
    if "shown" in dirty:
        print(f"For comparison, `mkdocs serve --dirty` on the same settings (rebuilds only the pages written): up "
              f"after {fmt_s(dirty['ready'])}; the edit showed after {fmt_s(dirty['shown'])}.")
    print("\nPeak memory by stage (proportional set sizes, sampled every 0.2 s), our processes; Pagefind apart:")
    for n, r in rows.items():
        stages = ", ".join(f"{stage} {fmt_mib(size)}" for stage, size in r["stages"].items())
        print(f"  {n:>5} briefings: {stages}; Pagefind {fmt_mib(r['pagefind_peak'])}")

    if not args.no_search:
        print("\nSearch, in Chromium on the site served by nginx (gzip), each query on a freshly opened page; "
              "lunr is the theme's own search on a plain mkdocs build of the same pages:")
        for line in search_report(rows):
            print("  " + line)

    print("\nTargets:")
    checks: list[tuple[str, bool | None, str]] = []
    big = rows.get(1000)
    if big:
        share = big["ours"] / big["total"]
        checks.append(("our stages (load, validate, render) < 5% of the whole build at 1,000, from scratch",
                       share < OURS_SHARE, f"{share:.1%} ({fmt_s(big['ours'])} of {fmt_s(big['total'])})"))
        checks.append(("our stages < 1.5 s at 1,000, from scratch", big["ours"] < OURS_SECONDS, fmt_s(big["ours"])))
        share = big["re_ours"] / big["re_total"]
        checks.append(("our stages < 5% of a rebuild after an edit at 1,000 (cache kept)", share < OURS_SHARE,
                       f"{share:.1%} ({fmt_s(big['re_ours'])} of {fmt_s(big['re_total'])})"))
        checks.append(("our stages < 1.5 s in a rebuild after an edit at 1,000 (cache kept)",
                       big["re_ours"] < OURS_SECONDS, fmt_s(big["re_ours"])))
        checks.append(("whole build at 1,000 < 60 s (no PDFs)", big["total"] < BUILD_SECONDS,
                       f"{fmt_s(big['total'])}, {big['pages']} pages"))
    for n in (1000, 5000):
        if n in rows:
            r = rows[n]
            checks.append((f"peak memory of our processes at {n:,} < 1 GiB, every stage (no PDFs; Pagefind apart)",
                           r["ours_peak"] < BUILD_BYTES, f"{fmt_mib(r['ours_peak'])} (Pagefind "
                           f"{fmt_mib(r['pagefind_peak'])}; all together {fmt_mib(r['all_processes'])})"))
    for n in (300, 1000):
        if n in rows:
            r = rows[n]
            checks.append((f"from scratch at {n:,}: whole build / plain MkDocs <= 1.0 (medians of {r['runs']} "
                           "interleaved runs; both use the two cores, so other work on the machine weighs on ours)",
                           r["total"] <= r["bare"], f"{r['total'] / r['bare']:.2f} ({fmt_s(r['total'])} against "
                           f"{fmt_s(r['bare'])}; load average {r['load']:.1f})"))
    if big and 100 in rows:
        growth = big["total"] / rows[100]["total"]
        checks.append(("linear: 1,000 briefings cost at most 11x 100", growth <= GROWTH,
                       f"{growth:.1f}x (ours {big['ours'] / rows[100]['ours']:.1f}x, "
                       f"plain mkdocs {big['bare'] / rows[100]['bare']:.1f}x)"))
    only_changed = edit["written"] == edit["changed"] and not edit["removed"]
    checks.append((f"an edit rewrites only the files whose content changed (at {largest})", only_changed,
                   f"{len(edit['written'])} written, {len(edit['changed'])} changed"))
    if largest >= 1000:
        checks.append((f"an edit costs our stages < 0.5 s (the target is at 1,000; measured at {largest:,})",
                       edit["seconds"] < EDIT_SECONDS, fmt_s(edit["seconds"])))
    for n in (100, 1000):
        serve = rows.get(n, {}).get("serve")
        if serve:
            ok = "shown" in serve and serve["shown"] < SERVE_SECONDS
            checks.append((f"the live server shows an edit within 3 s at {n:,}", ok,
                           fmt_s(serve["shown"]) if "shown" in serve else serve["error"]))
    serve = rows.get(1000, {}).get("serve")
    if serve:
        ok = "startup" in serve and serve["startup"] <= SERVE_START_SECONDS
        checks.append(("the live server answers within 5 s at 1,000, on a project built before", ok,
                       serve_line(serve)))
    if not args.no_pdf and pdf_available():
        cached = all(r["pdf"]["again_cached"] for r in rows.values() if "pdf" in r)
        checks.append(("PDFs of unchanged briefings are not typeset again", cached, "from the cache" if cached else
                       "typeset again"))
        for n in (100, 1000):
            floor = rows.get(n, {}).get("pdf_floor")
            if floor and "error" not in floor:
                checks.append((f"PDFs within 1.15x of WeasyPrint with no stylesheet, at {n:,} (same print HTML, "
                               "same run)", floor["ratio"] <= PDF_FLOOR_RATIO, pdf_floor_line(floor)))
                if "book" in floor:
                    checks.append((f"the book of {n:,} briefings within 1.15x of WeasyPrint with no stylesheet",
                                   floor["book"]["ratio"] <= PDF_FLOOR_RATIO, f"{floor['book']['ratio']:.2f}"))
            elif floor:
                checks.append((f"PDF floor at {n:,}", False, floor["error"]))
        book = rows.get(100, {}).get("pdf", {}).get("book")
        if book is not None:
            checks.append(("the book of 100 briefings < 60 s", book < BOOK_SECONDS, fmt_s(book)))
    elif not args.no_pdf:
        checks.append(("PDF targets", None, "PDF: not available"))
    checks.extend(search_checks(rows))
    for name, ok, figure in checks:
        verdict = "n/a" if ok is None else ("met" if ok else "NOT MET")
        print(f"  [{verdict:>7}] {name}: {figure}")


if __name__ == "__main__":
    sys.exit(main())
