"""The command line: build, validate, serve, and the authoring tools (new, schema, sources)."""

from __future__ import annotations

import argparse
import errno
import functools
import http.server
import json
import sys
import traceback
import webbrowser
from collections import Counter
from pathlib import Path

from . import __version__, app, console, preview
from .authoring import fix, init, schema, skeletons, sources
from .core.errors import BriefError, display_path
from .core.project import Project
from .core.text import counted, library_counts
from .output.engine import DEFAULT_ENGINE, ENGINES, get_engine

# How the user called us: the installed command, or this repository's script.
PROG = "briefsite" if Path(sys.argv[0]).name == "briefsite" else "python build_brief.py"

DESCRIPTION = """\
Turn briefings written in YAML into a searchable static site (MkDocs with Material).

Content lives in a folder (data/ by default): site.yaml, briefings/<id>.yaml,
actors/<id>.yaml, sources/*.yaml and glossary.yaml. See docs/format.md.
"""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--debug", action="store_true", help="show a traceback for every error")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--project", type=Path, default=None, metavar="DIR",
                       help="the project folder (default: the nearest folder with a mkdocs.yml, from "
                            "here upward)")
        p.add_argument("--data", type=Path, default=None, metavar="DIR",
                       help="the content folder (default: data/ in the project)")
        p.add_argument("--config", type=Path, default=None, metavar="FILE",
                       help="the project's settings file (default: mkdocs.yml in the project)")
        p.add_argument("--strict", action="store_true", help="treat warnings as errors")
        p.add_argument("--warnings", choices=["grouped", "all"], default="grouped",
                       help="grouped (default: a kind given often is one line with a count) or all")
        p.add_argument("--debug", action="store_true", help="show a traceback for every error")

    def paper_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--paper", choices=["a4", "letter"], default="a4", help="PDF paper size (default a4)")

    def engine_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--engine", choices=list(ENGINES), default=DEFAULT_ENGINE,
                       help=f"the site engine (default {DEFAULT_ENGINE}; see docs/engines.md)")

    p = sub.add_parser("init", help="create a new project: a folder for a desk's content",
                       description="Create a project folder with its settings (mkdocs.yml), a tiny valid example "
                                   "in data/, a .gitignore, a README and a publishing workflow. Every other "
                                   "command finds the project from the folder it runs in, upward.")
    p.add_argument("folder", type=Path, metavar="DIR", help="the new folder")

    p = sub.add_parser("build", help="validate, render and build the site into site/",
                       description="Validate the content, render every page and build the site into site/. "
                                   "The new site replaces the old one only when the whole build succeeded.")
    common(p)
    engine_option(p)
    p.add_argument("--quiet", action="store_true", help="print only problems")
    p.add_argument("--public", action="store_true",
                   help="for the open web: only final, public briefings and what they use")
    p.add_argument("--no-pdf", action="store_true", help="skip the PDFs (site/pdf/)")
    p.add_argument("--no-wait", action="store_true",
                   help="fail at once, instead of waiting, when another build of the project is running")
    paper_option(p)

    p = sub.add_parser("pdf", help="only make the PDFs, into site/pdf/",
                       description="Make the PDF of each named briefing (or 'briefing-book'), or all of them, "
                                   "into pdf/ of the current site, for the readers it was built for (after "
                                   "'build --public', only what a public build publishes). A PDF whose content "
                                   "did not change comes from the cache in build/pdf-cache/.")
    common(p)
    p.add_argument("ids", nargs="*", metavar="ID", help="briefing ids or briefing-book (default: all)")
    p.add_argument("--public", action="store_true",
                   help="refuse unless the site was built with --public (the PDFs always follow the site: "
                        "after a public build, only public ones)")
    p.add_argument("--quiet", action="store_true", help="print only problems")
    paper_option(p)

    p = sub.add_parser("validate", help="only check the content; exit 1 if anything is wrong",
                       description="Check every file against the format and print all problems at once. "
                                   "Writes nothing.")
    common(p)
    p.add_argument("--format", choices=["text", "json"], default="text",
                   help="text (default) or json, for editors and CI")

    p = sub.add_parser("serve", help="live preview: re-render and reload on every change",
                       description="Render the pages, then run the site engine's live server. Editing a YAML "
                                   "file, a template or a docs page re-renders and reloads the page. While it "
                                   "starts, the address already shows the last build (site/), saying so.")
    common(p)
    engine_option(p)
    p.add_argument("--dev-addr", "--addr", dest="dev_addr", default="127.0.0.1:8000", metavar="HOST:PORT",
                   help="address to serve on (default 127.0.0.1:8000; --addr, as for view, is the same)")

    p = sub.add_parser("view", help="read the built site in the browser, with search",
                       description="Serve site/ as it was built, on this machine only, and open it in the "
                                   "browser. Search needs the site served: opened as a file, a browser lets "
                                   "no page load the search index.")
    common(p)
    p.add_argument("--addr", "--dev-addr", dest="addr", default="127.0.0.1:8000", metavar="HOST:PORT",
                   help="address to serve on (default 127.0.0.1:8000; --dev-addr, as for serve, is the same)")
    p.add_argument("--no-browser", action="store_true", help="only serve; open no browser")

    p = sub.add_parser("new", help="write a commented skeleton of a new briefing, actor, source or term",
                       description="Write a commented skeleton of a new item in the right place: "
                                   "briefings/ID.yaml, actors/ID.yaml, a source at the end of sources/new.yaml "
                                   "(or --file), a term at the end of glossary.yaml. Never overwrites a file "
                                   "or reuses an id.")
    common(p)
    p.add_argument("kind", choices=skeletons.KINDS, help="what to create")
    p.add_argument("id", help="its id: lowercase letters, digits and single hyphens")
    p.add_argument("--file", metavar="NAME", help="for a source: the file under sources/ (default new.yaml)")

    p = sub.add_parser("schema", help="write the JSON Schemas of the YAML files into schema/",
                       description="Generate the JSON Schemas that YAML editors use for completion and "
                                   "checking (schema/<kind>.schema.json) from the typed records.")
    common(p)
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if a schema file is out of date")

    p = sub.add_parser("fix", help="rewrite content for the current format (fix ids)",
                       description="'fix ids' gives every key judgment and scenario written without an id one made "
                                   "from its words, in every briefing, so that it is followed by its id from one "
                                   "version to the next. Only the id lines are added: comments, order, quotes and "
                                   "layout stay as written.")
    common(p)
    p.add_argument("what", choices=["ids"], help="what to fix")
    p.add_argument("--dry-run", action="store_true", help="write nothing; show the change as a diff")

    p = sub.add_parser("sources", help="import sources from the links in a text, or from a CSL JSON or BibTeX export",
                       description="'sources import FILE' reads a text (an article, a list of links), and adds "
                                   "a source for every http(s) link the content does not hold yet to "
                                   "sources/imported.yaml (or --to); each new source's title is left for you "
                                   "to write. A reference manager's export (CSL JSON: a .json file; BibTeX: a "
                                   ".bib file) adds a source for every reference whose address is new, with "
                                   "its title, authors, dates and language.")
    common(p)
    p.add_argument("action", choices=["import"], help="what to do")
    p.add_argument("file", type=Path, metavar="FILE", help="the text to read links from, or the export to read")
    p.add_argument("--to", metavar="NAME", help="the file under sources/ to add to (default imported.yaml)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        if args.command == "init":
            return init.cmd_init(args.folder, PROG)
        project = Project.locate(args.config, args.project, args.data, PROG)
        return {"build": cmd_build, "pdf": cmd_pdf, "validate": cmd_validate, "serve": cmd_serve, "view": cmd_view,
                "new": cmd_new,
                "schema": cmd_schema, "sources": cmd_sources, "fix": cmd_fix}[args.command](project, args)
    except BriefError as exc:
        if args.debug:
            traceback.print_exc()
        console.print_failure(exc.problems, args.command, sys.stderr, getattr(args, "strict", False),
                              getattr(args, "warnings", "grouped") == "all")
        return 1
    except OSError as exc:  # the disk full, a folder not writable, a file gone: one line, never a traceback
        if args.debug:
            traceback.print_exc()
        print(os_error_line(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def os_error_line(exc: OSError) -> str:
    """What the operating system refused, on which file, and what to do; what was built before is kept."""
    where = f"{display_path(Path(exc.filename))}: " if exc.filename else ""
    what = exc.strerror or str(exc)
    hint = {errno.ENOSPC: "free some space on the disk", errno.EACCES: "check who may write there",
            errno.EPERM: "check who may write there", errno.EROFS: "the disk is read-only: build elsewhere",
            errno.EDQUOT: "free some of your disk quota"}.get(exc.errno or 0, "check the file and run again")
    return (f"error: {where}{what.lower() if what[:1].isupper() and what[1:2].islower() else what}; {hint}. "
            "The last good site is kept as it was.")


def again(args: argparse.Namespace, command: str) -> str:
    """`command` as a hint to type next, with the options this run was given (--project, --data)."""
    options = [f"--{name} {value}" for name, value in (("project", args.project), ("config", args.config),
                                                        ("data", args.data)) if value is not None]
    return " ".join([PROG, command, *options])


def cmd_build(project: Project, args: argparse.Namespace) -> int:
    stages = len(app.BUILD_STAGES) - (1 if args.no_pdf else 0)
    with console.Progress(sys.stderr, stages, quiet=args.quiet) as progress:
        options = app.BuildOptions(strict=args.strict, quiet=args.quiet, public=args.public, engine=args.engine,
                                   wait=not args.no_wait,
                                   pdf=not args.no_pdf, paper=args.paper)
        result = app.build(project, options, progress)
    if not args.quiet:
        console.print_problems(result.warnings, sys.stderr, args.warnings == "all")
    for note in result.notes:  # said even with --quiet: something in build/ was tampered with
        print(note, file=sys.stderr)
    lib = result.library  # the last line, --quiet or not
    counts = library_counts(len(lib.briefings), len(lib.actors), len(lib.sources), len(lib.terms))
    warned = f", {counted(len(result.warnings), 'warning')}" if result.warnings else ""
    print(f"Built {display_path(project.site)}/: {counts}{warned} "
          f"({', '.join(f'{k} {v:.2f} s' for k, v in result.timings.items())}).")
    return 0


def cmd_pdf(project: Project, args: argparse.Namespace) -> int:
    result = app.build_pdfs(project, args.ids, paper=args.paper, strict=args.strict, public=args.public)
    for note in result.notes:
        print(note, file=sys.stderr)
    if not args.quiet:
        console.print_problems(result.warnings, sys.stderr, args.warnings == "all")
        print(f"Wrote {counted(len(result.pages_written), 'PDF')} into {display_path(project.site / 'pdf')}/ "
              f"({result.timings['pdf']:.2f} s).")
    return 0


def cmd_validate(project: Project, args: argparse.Namespace) -> int:
    try:
        library, report = app.check_remembering(project, strict=args.strict)
        problems = report.problems
        ok = True
    except BriefError as exc:
        problems, ok = exc.problems, False
    if args.format == "json":
        json.dump({"ok": ok, "problems": [p.to_dict() for p in problems]}, sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif ok:
        console.print_problems(problems, sys.stderr, args.warnings == "all")
        print(f"{display_path(project.data)}: valid ({counted(len(problems), 'warning')}).")
    else:
        console.print_failure(problems, "validate", sys.stderr, args.strict, args.warnings == "all")
    return 0 if ok else 1


def cmd_serve(project: Project, args: argparse.Namespace) -> int:
    return preview.serve(project, get_engine(args.engine), args.dev_addr, args.warnings == "all")


def cmd_view(project: Project, args: argparse.Namespace) -> int:
    if not (project.site / "index.html").is_file():
        raise BriefError(f"{display_path(project.site)}/ holds no built site yet; run: {again(args, 'build')}")
    host, _, port = args.addr.rpartition(":")
    handler = functools.partial(preview.QuietHandler, directory=str(project.site))
    try:
        server = http.server.ThreadingHTTPServer((host or "127.0.0.1", int(port)), handler)
    except (OSError, ValueError) as exc:
        raise BriefError(f"cannot serve on {args.addr}: {exc}; give another with --addr HOST:PORT") from None
    url = f"http://{host or '127.0.0.1'}:{server.server_address[1]}/"
    print(f"Serving {display_path(project.site)}/ at {url} (Ctrl-C to stop).")
    if not args.no_browser:
        webbrowser.open(url)
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


# --- Authoring tools: they write content or schemas, never the site ----------------------------

def _refused(exc: BriefError, args: argparse.Namespace) -> int:
    if args.debug:
        traceback.print_exc()
    for p in exc.problems:
        print(p.format(), file=sys.stderr)
    return 1


def cmd_new(project: Project, args: argparse.Namespace) -> int:
    try:
        written = skeletons.scaffold(project, args.kind, args.id, file=args.file)
    except BriefError as exc:
        return _refused(exc, args)
    where = display_path(written.file)
    if args.kind in ("briefing", "actor"):
        print(f"Created {where}.")
    else:
        print(f"Added {args.kind} '{args.id}' to {where}{' (a new file)' if written.created else ''}, "
              f"line {written.lines[0]}.")
    print(f"Replace the lines marked TODO, then check with: {again(args, 'validate')}")
    return 0


def cmd_schema(project: Project, args: argparse.Namespace) -> int:
    folder = schema.schema_dir(project)
    if args.check:
        stale = schema.stale_schemas(folder)
        for path in stale:
            print(f"error: {display_path(path)}: out of date with the records in briefsite/core/model.py; "
                  f"run: {again(args, 'schema')}", file=sys.stderr)
        if not stale:
            print(f"{display_path(folder)}/: up to date.")
        return 1 if stale else 0
    written = schema.write_schemas(folder)
    for path in written:
        print(f"Wrote {display_path(path)}")
    if not written:
        print(f"{display_path(folder)}/: up to date.")
    return 0


DIFFS_SHOWN = 5
"""Files whose diff `fix --dry-run` prints (the rest are counted): a screen, not thousands of lines."""


def cmd_fix(project: Project, args: argparse.Namespace) -> int:
    result = fix.fix_ids((project.data / "briefings").glob("*.yaml"), write=not args.dry_run)
    for line in result.skipped:
        print(f"warning: {line}", file=sys.stderr)
    if args.dry_run:
        for fixed in result.fixed[:DIFFS_SHOWN]:
            print(fixed.diff, end="")
    for fixed in result.fixed:
        shown = ", ".join(fixed.ids[:3]) + (f" and {len(fixed.ids) - 3} more" if len(fixed.ids) > 3 else "")
        print(f"{display_path(fixed.file)}: {'would add' if args.dry_run else 'added'} "
              f"{counted(len(fixed.ids), 'id')} ({shown})")
    if args.dry_run and len(result.fixed) > DIFFS_SHOWN:
        print(f"(the diffs of {len(result.fixed) - DIFFS_SHOWN} more files are not shown)")
    if not result.fixed:
        print("Every key judgment and scenario has an id: nothing to do.")
    elif args.dry_run:
        print(f"Nothing written. To write: {again(args, 'fix ids')}")
    else:
        print(f"Check with: {again(args, 'validate')}")
    return 0


def cmd_sources(project: Project, args: argparse.Namespace) -> int:
    try:
        result = sources.import_sources(project, args.file, to=args.to)
    except BriefError as exc:
        return _refused(exc, args)
    everything = args.warnings == "all"
    known = list(result.known.items())
    for url, source_id in known if everything or len(known) <= console.GROUP_OVER else known[:console.EXAMPLES]:
        print(f"already a source: {url} ('{source_id}')")
    if len(known) > console.GROUP_OVER and not everything:
        print(f"... and {len(known) - console.EXAMPLES} more already sources (`--warnings all` lists them)")
    for line in _skipped_lines(result.skipped, everything):
        print(line, file=sys.stderr)
    added = result.written.ids if result.written else []
    if result.written:
        for w in sources.title_warnings(result.written, result.untitled):
            print(w.format(), file=sys.stderr)
    done = f"added {len(added)} to {display_path(result.written.file)}" if result.written else "nothing to add"
    if result.form == "text":
        print(f"{len(result.links)} distinct links, {len(result.known)} already sources; {done}.")
    else:
        print(f"{counted(result.items, 'reference')} ({result.form}), {len(result.known)} already sources, "
              f"{result.not_added} skipped; {done}.")
    return 0


def _skipped_lines(skipped: list[sources.Skipped], everything: bool) -> list[str]:
    """Each reference skipped and value left out, or for a reason given often one line with the
    count and the first places."""
    counts = Counter(s.reason for s in skipped)
    lines: list[str] = []
    for reason in dict.fromkeys(s.reason for s in skipped):
        these = [s.problem for s in skipped if s.reason == reason]
        if everything or counts[reason] <= console.GROUP_OVER:
            lines += [p.format() for p in these]
        else:
            places = ", ".join(f"{p.file}:{p.mark.line}" if p.mark else p.file for p in these[:console.EXAMPLES])
            lines.append(f"warning: {counts[reason]:,} {reason}, e.g. {places} ... "
                         "(`--warnings all` lists them)")
    return lines
