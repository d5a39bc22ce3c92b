#!/usr/bin/env python3
"""Build the briefing site: `python build_brief.py --help`."""

import sys

from briefsite.cli import main

if __name__ == "__main__":
    sys.exit(main())
