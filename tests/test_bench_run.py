"""The benchmark's own measurements (bench/run.py): what it reports must be what happened."""

from __future__ import annotations

import subprocess
import sys

from bench.run import _sampling_all_processes

HOLD = 200 * 2**20
TOUCHED = f"import time; b = bytearray({HOLD}); b[::4096] = b'x' * len(b[::4096]); time.sleep(1)"


def test_peak_memory_counts_the_processes_a_build_starts() -> None:
    """A child holding 200 MB for a second adds 200 MB to the peak, over this process alone."""
    alone: dict[str, int] = {}
    with _sampling_all_processes(alone, every=0.05):
        subprocess.run([sys.executable, "-c", "import time; time.sleep(1)"], check=True)
    peak: dict[str, int] = {}
    with _sampling_all_processes(peak, every=0.05):
        subprocess.run([sys.executable, "-c", TOUCHED], check=True)
    added = peak["all"] - alone["all"]
    assert 0.9 * HOLD < added < HOLD + 60 * 2**20, (alone, peak)
