#!/usr/bin/env python3
"""Build the briefing site: `python build_brief.py --help`."""

import os
import sys
from pathlib import Path

VENV_PYTHON = Path(__file__).resolve().parent / ".venv" / "bin" / "python"


def run_in_the_virtualenv() -> None:
    """Any `python` will do: one without the packages hands over to the virtualenv that
    `make site` made, or says how to make it."""
    if VENV_PYTHON.is_file() and Path(sys.prefix).resolve() != VENV_PYTHON.parent.parent.resolve():
        os.execv(VENV_PYTHON, [str(VENV_PYTHON), __file__, *sys.argv[1:]])
    sys.exit("build_brief.py: the packages it needs are not installed; run `make site` once (it creates .venv/)")


if __name__ == "__main__":
    try:
        from briefsite.cli import main
    except ModuleNotFoundError:
        run_in_the_virtualenv()
    sys.exit(main())
