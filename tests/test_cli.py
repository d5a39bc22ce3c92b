"""The command line as a user runs it: exit codes, messages, help, live preview."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bench.corpus import generate
from briefsite.cli import main, make_parser
from briefsite.core.project import Project
from briefsite.core.text import library_counts
from tests.conftest import REPO

BRIEFING = "briefings/russia-options-nagorno-karabakh.yaml"


def run(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build_brief.py"), *args], cwd=project.root,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


def edit(project: Project, rel: str, old: str, new: str) -> None:
    path = project.data / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The lines of a run's output that report an error."""
    return [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]


def line_of(project: Project, rel: str, needle: str) -> int:
    lines = (project.data / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_the_version_is_said(capsys: pytest.CaptureFixture[str]) -> None:
    from briefsite import __version__

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip().endswith(__version__)


def test_every_command_has_help_and_is_documented() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in make_parser()._actions if a.dest == "command")
    for name, parser in sub.choices.items():  # type: ignore[union-attr]
        assert parser.description, name
        assert f"build_brief.py {name}" in readme, f"README does not document '{name}'"
        assert "--data" in parser.format_help() or name == "init"  # the script itself runs in other tests


# A command as the README and docs/ show it, in a code block: `python build_brief.py ...` or `briefsite ...`.
DOC_COMMAND = re.compile(r"^\s*(?:python build_brief\.py|briefsite) (.+?)(?:\s+#.*)?$")


def documented_commands() -> list[tuple[str, str]]:
    """(file, the command's arguments) for every command line in a code block of the docs."""
    found = []
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        in_block = False
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith("```"):
                in_block = not in_block
            elif (in_block or line.startswith("    ")) and (match := DOC_COMMAND.match(line)):
                found.append((path.name, match.group(1)))
    return found


def test_every_command_the_docs_show_is_one_the_tool_takes() -> None:
    commands = documented_commands()
    assert len(commands) > 20
    refused = []
    for where, args in commands:
        try:
            make_parser().parse_args(shlex.split(args))
        except SystemExit:
            refused.append(f"{where}: {args}")
    assert refused == []


def test_the_docs_commands_run_as_written_in_a_project(tmp_path: Path) -> None:
    """The ones that only check or add content, pasted into a shell inside a new project."""
    quick = sorted({args for _, args in documented_commands() if args.split()[0] in ("validate", "new")})
    assert "validate" in quick and "new briefing my-id" in quick
    subprocess.run([sys.executable, str(REPO / "build_brief.py"), "init", "desk"], cwd=tmp_path, check=True,
                   capture_output=True)
    for n, args in enumerate(quick):  # each in a fresh copy: the docs show alternatives with one id
        desk = shutil.copytree(tmp_path / "desk", tmp_path / f"desk-{n}")
        result = subprocess.run([sys.executable, str(REPO / "build_brief.py"), *shlex.split(args)],
                                capture_output=True, text=True, cwd=desk / "data")
        assert result.returncode == 0, (args, result.stderr)


def test_any_python_runs_the_script_with_the_virtualenv() -> None:
    """`python build_brief.py`, as the README writes it, with the system's Python: it hands
    over to the virtualenv `make site` made, instead of failing on a missing package."""
    result = subprocess.run(["/usr/bin/python3", str(REPO / "build_brief.py"), "--help"], capture_output=True,
                            text=True, cwd=REPO, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: python build_brief.py")


def test_validate_example_passes(project: Project) -> None:
    result = run(project, "validate")
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_misspelled_likelihood(project: Project) -> None:
    edit(project, BRIEFING, "likelihood: likely", "likelihood: probable")
    line = line_of(project, BRIEFING, "likelihood: probable")
    result = run(project, "validate")
    assert result.returncode == 1
    errors = error_lines(result)
    assert errors == [f"error: data/{BRIEFING}:{line}:17: key_judgments[0].likelihood: 'probable' is not a "
                      "likelihood term (did you mean 'likely'?) (allowed: ICD 203: "
                      "almost-no-chance, very-unlikely, unlikely, "
                      "roughly-even-chance, "
                      "likely, very-likely, almost-certain; "
                      "PHIA: remote-chance, highly-unlikely, unlikely, realistic-possibility, likely, "
               "highly-likely, almost-certain)"]
    assert "Traceback" not in result.stderr


def test_dangling_actor_id(project: Project) -> None:
    edit(project, BRIEFING, "- actor: putin", "- actor: putinn")
    line = line_of(project, BRIEFING, "- actor: putinn")
    result = run(project, "validate")
    assert result.returncode == 1
    errors = error_lines(result)
    assert len(errors) == 1
    assert re.fullmatch(rf"error: data/{BRIEFING}:{line}:\d+: actors\[\d+\]\.actor: no actor has the id 'putinn' "
                        r"\(did you mean 'putin'\?\)", errors[0]), errors[0]


def test_duplicate_source_url(project: Project) -> None:
    sources = project.data / "sources" / "extra.yaml"
    sources.write_text("- id: mt-again\n  title: Same article\n"
                       "  url: HTTPS://www.TheMoscowTimes.com/2020/10/15/russias-options-in-nagorno-karabakh-range"
                       "-from-bad-to-worse-a71760/\n  kind: opinion\n", encoding="utf-8")
    result = run(project, "validate")
    assert result.returncode == 1
    errors = error_lines(result)
    assert len(errors) == 1
    assert re.fullmatch(r"error: data/sources/\w+\.yaml:\d+:8: \[0\]\.url: source '[\w-]+' has the same URL as "
                        r"source '[\w-]+' \(data/sources/\w+\.yaml:\d+\); keep one of them", errors[0]), errors[0]
    assert "mt-again" in errors[0] and "mt-options" in errors[0]


def test_yaml_syntax_error(project: Project) -> None:
    edit(project, BRIEFING, "status: final", "status: 'final")
    result = run(project, "validate")
    assert result.returncode == 1
    errors = error_lines(result)
    assert len(errors) == 1
    assert re.fullmatch(rf"error: data/{BRIEFING}:\d+:\d+: YAML syntax error: .*quote may be left open.*", errors[0])
    assert "Traceback" not in result.stderr


def test_build_with_errors_builds_nothing(project: Project) -> None:
    edit(project, BRIEFING, "likelihood: likely", "likelihood: probable")
    result = run(project, "build")
    assert result.returncode == 1
    assert "nothing was built" in result.stderr
    assert not project.site.exists()


def test_data_flag_points_elsewhere(project: Project, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    project.data.rename(other)
    assert run(project, "validate").returncode == 1
    result = run(project, "validate", "--data", str(other))
    assert result.returncode == 0, result.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return str(response.read().decode("utf-8"))


def wait_for(predicate, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


# The live preview (`serve`) is tested with every site engine in test_engines.py.


def test_counts_read_as_english() -> None:
    assert library_counts(1, 2, 0, 1) == "1 briefing, 2 actors, 0 sources, 1 term"
    assert library_counts(5000, 2500, 10000, 500) == "5,000 briefings, 2,500 actors, 10,000 sources, 500 terms"


def test_warnings_of_a_frequent_kind_are_one_line(project: Project) -> None:
    """The example's six sources without archive_url: one line with the count and the first places;
    `--warnings all` lists them; a project turns the kind off in site.yaml."""
    grouped = run(project, "validate").stderr.splitlines()
    assert grouped[0] == (
        "warning: 6 sources without archive_url, e.g. data/sources/sources.yaml:3:3, data/sources/sources.yaml:17:3, "
        "data/sources/sources.yaml:31:3 ... (`--warnings all` lists them; `ignore_warnings: [source-without-archive]` "
        "in site.yaml turns them off)")
    # the others, one line each: a source without accessed date, and the versions this copy has no git for
    assert len(grouped) == 3 and "has no accessed date" in grouped[1] and "no git history" in grouped[2]
    every = run(project, "validate", "--warnings", "all").stderr.splitlines()
    assert len(every) == 8 and len([line for line in every if "has no archive_url" in line]) == 6
    (project.data / "site.yaml").write_text((project.data / "site.yaml").read_text(encoding="utf-8")
                                            + "ignore_warnings: [source-without-archive, source-without-accessed, "
                                            "history-incomplete]\n", encoding="utf-8")
    result = run(project, "validate")
    assert result.stderr == "" and result.stdout.strip() == "data: valid (0 warnings)."
    quiet = run(project, "build", "--quiet", "--no-pdf")
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert quiet.stdout.startswith("Built site/: 1 briefing, 19 actors") and quiet.stdout.count("\n") == 1


@pytest.mark.slow
def test_a_build_of_150_briefings_prints_a_screenful(tmp_path: Path) -> None:
    generate(tmp_path / "data", briefings=150)
    (tmp_path / "mkdocs.yml").write_text("site_name: Bench\n", encoding="utf-8")
    for data in (tmp_path / "data" / "sources").glob("*.yaml"):  # sources as a hurried desk writes them
        data.write_text(re.sub(r"\n  (archive_url|accessed): .*", "", data.read_text(encoding="utf-8")),
                        encoding="utf-8")
    result = subprocess.run([sys.executable, str(REPO / "build_brief.py"), "build", "--no-pdf"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300, env={**os.environ, "CI": "true"})
    assert result.returncode == 0, result.stderr[-2000:]
    lines = (result.stdout + result.stderr).splitlines()
    assert len(lines) <= 30, "\n".join(lines)
    assert any(re.match(r"warning: 300 sources without archive_url, e\.g\. ", line) for line in lines)
