"""How long ``python -m generator aggregate`` takes for a region's teacher files, and its peak memory.

N teachers' share files (random answers to the instruments a school collects, scored by the engine,
each with its own share id) are written to a temporary folder, one subfolder per school of 500; the
CLI then runs in a child process on the whole folder with ``--json``, and the child reports its wall
time, its CPU time with its worker processes' (the honest figure on a shared machine) and the peak
resident memory of it and of its largest worker (``resource.getrusage``). Memory must stay flat as N
grows: the files are read a few batches at a time and only the counts and the share ids are kept.
Goal: 100,000 files under 10 s.
Usage: python -m bench.aggregate_cli [COUNTS...]   (default 10000 100000; quick mode: 1000)
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.browser import aggregate, engine
from generator.formats.instrument import load_folder

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from answer_sets import random_answers  # noqa: E402 - tests/ holds the answer generator
from school_files import SHARED, random_facts, with_sentinel  # noqa: E402

SCHOOL = 500  # files per school folder
CHILD = """
import resource, sys, time
from generator.cli import main
start = time.perf_counter()
code = main(["aggregate", sys.argv[1], "--json", sys.argv[2]])
elapsed = time.perf_counter() - start
own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
print(f"CHILD {code} {elapsed:.3f} {cpu:.3f} {own.ru_maxrss} {workers.ru_maxrss}")
"""


def write_files(folder: Path, count: int, rng: random.Random) -> None:
    instruments = load_folder(ROOT / "assessments")
    for n in range(count):
        instrument = instruments[rng.choice(SHARED) if rng.random() < 0.5 else SHARED[0]]
        answers = with_sentinel(instrument, random_answers(instrument, rng))
        result = engine.score(instrument, answers)
        data = aggregate.share(
            instrument, answers, result, random_facts(rng), f"{rng.getrandbits(128):032x}", "2026-05"
        )
        school = folder / f"school-{n // SCHOOL:04d}"
        if n % SCHOOL == 0:
            school.mkdir()
        (school / f"teacher-{n:06d}.json").write_text(aggregate.canonical(data), encoding="utf-8")


def run_cli(folder: Path, out: Path) -> tuple[float, float, float, float]:
    """The CLI in a fresh process: wall seconds, CPU seconds (with its workers'), peak RSS in MB of the
    main process and of the largest worker."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), str(out)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    line = next(line for line in done.stdout.splitlines() if line.startswith("CHILD "))
    _, code, seconds, cpu, rss_kb, worker_kb = line.split()
    if code != "0":
        raise SystemExit(f"the CLI failed: {done.stderr[-2000:]}")
    return float(seconds), float(cpu), int(rss_kb) / 1024, int(worker_kb) / 1024


def main() -> None:
    counts = [int(n) for n in sys.argv[1:]] or [10_000, 100_000]
    rng = random.Random(14)
    print(f"python -m generator aggregate FOLDER --json OUT ({time.strftime('%Y-%m-%d')}, child process)")
    with tempfile.TemporaryDirectory(prefix="kasibi-aggregate-") as temp:
        for count in counts:
            folder = Path(temp) / f"region-{count}"
            folder.mkdir()
            write_files(folder, count, rng)
            out = Path(temp) / f"summary-{count}.json"
            seconds, cpu, rss, worker = run_cli(folder, out)
            counted = len(json.loads(out.read_text(encoding="utf-8"))["share_ids"])
            print(
                f"  {count:>7} files  {seconds:7.2f} s  (CPU {cpu:6.2f} s)  peak RSS {rss:7.1f} MB"
                f" (a worker {worker:.1f} MB)  ({counted} teachers counted)"
            )


if __name__ == "__main__":
    main()
