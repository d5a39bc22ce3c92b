"""Briefing-site generator: YAML briefings to a static site and PDFs."""

__version__ = "0.1.0"
