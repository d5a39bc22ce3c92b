"""Benchmarks of the build at scale: a synthetic corpus and the timing script."""
