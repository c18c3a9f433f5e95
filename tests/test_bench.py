"""Every bench script still runs (one quick round): a bench that breaks fails CI. Nothing about time is asserted."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

# Each bench with its quick-mode arguments and a line its output must have, with a number in it.
BENCHES = {
    "aggregate_cli": (["1000"], r"1000 files\s+\d+\.\d\d s .* peak RSS\s+\d+\.\d MB"),
    "engine_ready": (["{site}", "1"], r"ours/bare cold\s+\d+\.\d\d"),
    "network": (["{site}", "1", "intranet"], r"repeat visit, engine ready .* ratio \d+\.\d\d"),
    "lighthouse": (["{site}", "1"], r"guidance\s+performance \d+ accessibility \d+ best-practices \d+ seo \d+"),
    "release_size": (["{archive}"], r"first visit, instrument page\s+usable after\s+[\d.]+ MB"),
    "school": (["{site}", "100"], r"100 files\s+\d+ ms\s+\(done\)"),
    "pack": (["{site}", "30", "1"], r"30 log rows, warm\s+\d+ ms"),
}


@pytest.mark.parametrize("name", sorted(BENCHES))
def test_bench_runs_and_prints_numbers(name: str, site_dir: Path, request: pytest.FixtureRequest) -> None:
    args, expected = BENCHES[name]
    archive = request.getfixturevalue("archive") if "{archive}" in args else None  # the run's release, made once
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", *(a.format(site=site_dir, archive=archive) for a in args)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(expected, done.stdout), done.stdout
