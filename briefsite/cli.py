"""The command line: build, validate, serve."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import traceback
from pathlib import Path

from . import pipeline
from .errors import BriefError, Problem, display_path
from .project import Project
from .render import render_pages
from .site import engine_env, stage_docs, write_engine_config

DESCRIPTION = """\
Turn briefings written in YAML into a searchable static site (MkDocs with Material).

Content lives in a folder (data/ by default): site.yaml, briefings/<id>.yaml,
actors/<id>.yaml, sources/*.yaml and glossary.yaml. See docs/format.md.
"""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build_brief.py", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--debug", action="store_true", help="show a traceback for every error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--data", type=Path, default=None, metavar="DIR",
                       help="the content folder (default: data/ next to mkdocs.yml)")
        p.add_argument("--config", type=Path, default=Path("mkdocs.yml"), metavar="FILE",
                       help="the site engine's settings (default: mkdocs.yml)")
        p.add_argument("--strict", action="store_true", help="treat warnings as errors")
        p.add_argument("--debug", action="store_true", help="show a traceback for every error")

    p = sub.add_parser("build", help="validate, render and build the site into site/",
                       description="Validate the content, render every page and build the site into site/. "
                                   "The new site replaces the old one only when the whole build succeeded.")
    common(p)
    p.add_argument("--quiet", action="store_true", help="print only problems")
    p.add_argument("--public", action="store_true",
                   help="for the open web: only final, public briefings and what they use")

    p = sub.add_parser("validate", help="only check the content; exit 1 if anything is wrong",
                       description="Check every file against the format and print all problems at once. "
                                   "Writes nothing.")
    common(p)
    p.add_argument("--format", choices=["text", "json"], default="text",
                   help="text (default) or json, for editors and CI")

    p = sub.add_parser("serve", help="live preview: re-render and reload on every change",
                       description="Render the pages, then run the site engine's live server. Editing a YAML "
                                   "file, a template or a docs page re-renders and reloads the page.")
    common(p)
    p.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT",
                   help="address to serve on (default 127.0.0.1:8000)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        project = Project.at(args.config, args.data)
        if not project.config.is_file():
            raise BriefError(f"{display_path(args.config)}: settings file not found (run from the project folder "
                             "or give --config)")
        return {"build": cmd_build, "validate": cmd_validate, "serve": cmd_serve}[args.command](project, args)
    except BriefError as exc:
        if args.debug:
            traceback.print_exc()
        _print_problems(exc.problems)
        return 1
    except KeyboardInterrupt:
        return 130


def _print_problems(problems: list[Problem]) -> None:
    for p in problems:
        print(p.format(), file=sys.stderr)
    errors = sum(1 for p in problems if p.severity.value == "error")
    warnings = len(problems) - errors
    if errors:
        print(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}: "
              "nothing was built; the previous site is unchanged.", file=sys.stderr)


def cmd_build(project: Project, args: argparse.Namespace) -> int:
    result = pipeline.build(project, strict=args.strict, quiet=args.quiet, public=args.public)
    for w in result.warnings:
        print(w.format(), file=sys.stderr)
    if not args.quiet:
        lib = result.library
        print(f"Built {display_path(project.site)}/: {len(lib.briefings)} briefings, {len(lib.actors)} actors, "
              f"{len(lib.sources)} sources, {len(lib.terms)} terms "
              f"({', '.join(f'{k} {v:.2f} s' for k, v in result.timings.items())}).")
    return 0


def cmd_validate(project: Project, args: argparse.Namespace) -> int:
    try:
        library, report = pipeline.check(project, strict=args.strict)
        problems = report.problems
        ok = True
    except BriefError as exc:
        problems, ok = exc.problems, False
    if args.format == "json":
        json.dump({"ok": ok, "problems": [p.to_dict() for p in problems]}, sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif ok:
        for p in problems:
            print(p.format(), file=sys.stderr)
        print(f"{display_path(project.data)}: valid ({len(problems)} warnings).")
    else:
        _print_problems(problems)
    return 0 if ok else 1


def cmd_serve(project: Project, args: argparse.Namespace) -> int:
    library, report = pipeline.check(project)
    for w in report.warnings:
        print(w.format(), file=sys.stderr)
    stage_docs(project, render_pages(library, project.templates))
    config = write_engine_config(project, library.site, project.build / "serve-site")
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--config-file", str(config), "--dev-addr", args.dev_addr]
    os.chdir(project.root)
    return subprocess.call(cmd, env=engine_env(project))
