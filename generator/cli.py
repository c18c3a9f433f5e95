"""Command line: ``python -m generator validate|score|build|release``.

validate                          check every instrument, template and the attestation checklist:
                                  file:line: field: message
score INSTRUMENT ANSWERS.json     score one answers file in CPython and print the result
score RESULTS.json                recompute every result of an exported file; report any mismatch
build [mkdocs build options]      build the site (MkDocs with this project's plugin)
prepare OUT                       the build's first step without MkDocs: check and compile the data, write the
                                  files the generator adds to the site into OUT (pipeline.py)
finish SITE                       the build's last step on a rendered site folder: offline, search index, CSP check,
                                  service worker, compression (pipeline.py)
release [--version V]             build the intranet zip (dist/) with its hosting notes and SHA-256
aggregate FILES_OR_FOLDERS... [--json OUT]
                                  the school (or region) summary of teachers' share files, zips and summaries
"""

from __future__ import annotations

import argparse
import collections
import heapq
import itertools
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from generator.browser import aggregate, engine
from generator.build.editions import edition_url
from generator.build.pipeline import BuildError, SiteBuild, Sources, page_urls
from generator.formats.checker import ValidationError
from generator.formats.checklist import load_checklist
from generator.formats.i18n import load_catalogue
from generator.formats.instrument import load_folder, load_instrument
from generator.formats.template import load_templates
from generator.ship.release import THEME_DIRS, ReleaseError, make_release

SITE_SRC = Path(__file__).resolve().parents[1] / "site_src"


def _validate(args: argparse.Namespace) -> int:
    ui = load_catalogue(Path(args.site_src) / "i18n", "kk").ui
    problems = []
    for what, load in (
        ("instrument", lambda: load_folder(Path(args.assessments))),
        ("template", lambda: load_templates(Path(args.templates), ui)),
    ):
        try:
            loaded = load()
        except ValidationError as error:
            problems += error.problems
            continue
        print(f"{len(loaded)} {what}(s) valid: {', '.join(loaded)}")
    # The checklist names instruments and templates by id: the files' names, whether or not they are valid.
    ids = {folder: {path.stem for path in Path(folder).glob("*.yml")} for folder in (args.assessments, args.templates)}
    try:
        checklist = load_checklist(Path(args.checklist), ids[args.assessments], ids[args.templates])
    except ValidationError as error:
        problems += error.problems
    else:
        print(f"checklist valid: {len(checklist['items'])} item(s) for {len(checklist['categories'])} categories")
    if problems:
        print("\n".join(map(str, problems)), file=sys.stderr)
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    return 0


def _site_link(target: str) -> str:
    """A guide link as the built site writes it (pages are .html files)."""
    path, _, anchor = target.partition("#")
    return path.removesuffix(".md") + ".html" + (f"#{anchor}" if anchor else "")


def _rescore(results_file: Path, assessments: Path) -> int:
    """Recompute every saved result in CPython and compare it with what the browser stored."""
    try:
        data = json.loads(results_file.read_text(encoding="utf-8"))
        records = data["records"] if isinstance(data, dict) and data.get("kind") == "kasibi-results" else None
        if not isinstance(records, list):
            raise ValueError("not a results file exported from the site")
    except (OSError, ValueError, RecursionError) as error:
        print(f"{results_file}: {error}", file=sys.stderr)
        return 1
    # A record names its instrument by id; the id is looked up among the files, never made into a path.
    files = {path.stem: path for path in assessments.glob("*.yml")}
    instruments: dict[str, dict] = {}
    counts = {"match": 0, "mismatch": 0, "skipped": 0}
    for n, record in enumerate(records, 1):
        if not isinstance(record, dict):
            print(f"record {n}: not a saved result (expected an object): skipped")
            counts["skipped"] += 1
            continue
        instrument_id = record.get("instrument")
        name = f"record {n} ({instrument_id}, {record.get('completed_at')})"
        if not isinstance(instrument_id, str) or instrument_id not in files:
            print(f"{name}: no instrument with this id in {assessments}: skipped")
            counts["skipped"] += 1
            continue
        try:
            if instrument_id not in instruments:
                instruments[instrument_id] = load_instrument(files[instrument_id], link=_site_link)
        except (ValidationError, OSError) as error:
            print(f"{name}: cannot load its instrument: {error}")
            counts["skipped"] += 1
            continue
        instrument = instruments[instrument_id]
        if record.get("instrument_version") != instrument["version"]:
            print(
                f"{name}: saved with version {record.get('instrument_version')}, now {instrument['version']}: skipped"
            )
            counts["skipped"] += 1
            continue
        try:
            recomputed = engine.score(instrument, record.get("answers"))
        except engine.AnswerError as error:
            print(f"{name}: MISMATCH: its answers no longer fit ({error})")
            counts["mismatch"] += 1
            continue
        stored = record.get("result")
        if not isinstance(stored, dict):
            print(f"{name}: MISMATCH: its stored result is not an object")
            counts["mismatch"] += 1
            continue
        differing = sorted(k for k in set(recomputed) | set(stored) if recomputed.get(k) != stored.get(k))
        if differing:
            print(f"{name}: MISMATCH in {', '.join(differing)}")
            counts["mismatch"] += 1
        else:
            counts["match"] += 1
    print(f"{counts['match']} match, {counts['mismatch']} mismatch, {counts['skipped']} skipped")
    return 1 if counts["mismatch"] else 0


def _score(args: argparse.Namespace) -> int:
    if args.answers is None:
        return _rescore(Path(args.instrument), Path(args.assessments))
    try:
        instrument = load_instrument(Path(args.instrument))
        answers = json.loads(Path(args.answers).read_text(encoding="utf-8"))
        result = engine.score(instrument, answers)
    except ValidationError as error:
        print(error, file=sys.stderr)
        return 1
    except (OSError, ValueError, RecursionError) as error:  # unreadable or not JSON, or answers that do not fit
        print(f"{args.answers}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def _build(args: argparse.Namespace) -> int:
    return subprocess.call([sys.executable, "-m", "mkdocs", "build", "--strict", *args.mkdocs_args])


def _release(args: argparse.Namespace) -> int:
    try:
        archive = make_release(Path.cwd(), Path(args.dist), args.version)
    except (ReleaseError, OSError) as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{archive} ({archive.stat().st_size / 1_000_000:.1f} MB)")
    print(Path(f"{archive}.sha256").read_text(encoding="utf-8").strip())
    return 0


def _walk(folder: Path, prefix: str) -> Iterator[tuple[str, Path]]:
    """A folder's files named prefix + relative path, in the order sorting those names gives (a
    sub-folder sorts as its name + "/"), read one directory at a time."""
    children = sorted(folder.iterdir(), key=lambda p: p.name + "/" if p.is_dir() else p.name)
    for child in children:
        if child.is_dir() and not child.is_symlink():
            yield from _walk(child, f"{prefix}{child.name}/")
        elif child.is_file():
            yield f"{prefix}{child.name}", child


def _inputs(paths: list[str]) -> Iterator[tuple[str, Path]]:
    """Every file named or under a folder named, as the school page names it (a folder's files as
    folder/sub/file, like the browser's folder picker), in name order; raises OSError for a missing path."""
    given = [Path(path) for path in paths]
    for path in given:
        if not (path.is_dir() or path.is_file()):
            raise OSError(f"{path}: no such file or folder")
    walks = [_walk(p.resolve(), f"{p.resolve().name}/") if p.is_dir() else iter([(p.name, p)]) for p in given]
    return heapq.merge(*walks, key=lambda entry: entry[0])


def _members(inputs: Iterator[tuple[str, Path]]) -> Iterator[tuple[str, bytes | None]]:
    """Each file's content, a zip's members one by one; one file open at a time (None: unreadable)."""
    for name, path in inputs:
        try:
            with path.open("rb") as data:
                yield from aggregate.entries(name, data)
        except OSError:
            yield name, None


_instruments: dict = {}  # a worker process's instruments (set once by _start_worker)
BATCH = 256  # files a worker examines at a time


def _start_worker(instruments: dict) -> None:
    _instruments.update(instruments)


def _examine_batch(contents: list[bytes | None]) -> list[tuple]:
    return [aggregate.examine(content, _instruments) for content in contents]


def _examined(members: Iterator[tuple[str, bytes | None]], instruments: dict, jobs: int) -> Iterator[tuple[str, tuple]]:
    """(name, what aggregate.examine found) for every file in input order, examined in ``jobs`` processes;
    at most a few batches are in flight, so memory stays flat however many files there are."""
    if jobs <= 1:
        yield from ((name, aggregate.examine(content, instruments)) for name, content in members)
        return
    with multiprocessing.Pool(jobs, _start_worker, (instruments,)) as pool:
        pending: collections.deque = collections.deque()
        while batch := list(itertools.islice(members, BATCH)):
            names = [name for name, _ in batch]
            pending.append((names, pool.apply_async(_examine_batch, ([content for _, content in batch],))))
            if len(pending) >= 2 * jobs:
                names, result = pending.popleft()
                yield from zip(names, result.get(), strict=True)
        while pending:
            names, result = pending.popleft()
            yield from zip(names, result.get(), strict=True)


def _aggregate(args: argparse.Namespace) -> int:
    try:
        inputs = _inputs(args.paths)
        instruments = load_folder(Path(args.assessments))
        out = Path(args.json) if args.json else None
        if out is not None and not out.parent.is_dir():
            raise OSError(f"{out.parent}: no such folder for --json")
    except ValidationError as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"aggregate: {error}", file=sys.stderr)
        return 2
    counted = aggregate.Aggregator(instruments)
    jobs = args.jobs or min(
        4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )
    for name, examined in _examined(_members(inputs), instruments, jobs):
        counted.count(name, examined)
    summary = counted.summary()
    if out is not None:
        out.write_text(aggregate.canonical(summary) + "\n", encoding="utf-8")
    rejected = collections.Counter(r["code"] for r in summary["rejected"])
    print(f"Оқылған файлдар / files read: {counted.read}")
    print(f"Есепке алынған педагогтер / teachers counted: {len(summary['share_ids'])}")
    for key, part in summary["instruments"].items():
        print(f"  {key} (v{part['version']}): {part['n']}")
    print(f"Қабылданбаған файлдар / files rejected: {sum(rejected.values())}")
    reasons = load_catalogue(SITE_SRC / "i18n", "kk").ui  # what each reason says, as the school's page says it
    for code, count in sorted(rejected.items()):
        print(f"  {code}: {count} — {reasons[f'school.refused.{code}']}")
    return 0


def _prepare(args: argparse.Namespace) -> int:
    root = Path.cwd()
    # the Kazakh pages (docs/ without docs/ru/) and the Russian edition's (docs/ru/, addressed under ru/)
    kazakh = {src: url for src, url in page_urls(root / "docs").items() if not src.startswith("ru/")}
    russian = {src: edition_url("ru", url) for src, url in page_urls(root / "docs/ru").items()}
    try:
        build = SiteBuild(Sources.of_project(root))
        files = build.prepare(kazakh, {"ru": russian})
        files += SiteBuild(Sources.of_project(root, "ru"), build).prepare(russian)
    except BuildError as error:
        print(error, file=sys.stderr)
        return 1
    out = Path(args.out)
    for item in files:
        target = out / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if item.source:
            shutil.copyfile(item.source, target)
        else:
            target.write_bytes(item.content if isinstance(item.content, bytes) else item.content.encode())
    print(f"{len(files)} files in {out}")
    return 0


def _finish(args: argparse.Namespace) -> int:
    root = Path.cwd()
    try:
        SiteBuild(Sources.of_project(root)).finish(Path(args.site), [root / "site_src/theme", *THEME_DIRS[1:]])
    except BuildError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check every instrument, template and the attestation checklist")
    validate.add_argument("--assessments", default="assessments")
    validate.add_argument("--templates", default="templates")
    validate.add_argument("--site-src", default="site_src")
    validate.add_argument("--checklist", default="attestation/checklist.yml")
    validate.set_defaults(run=_validate)
    score = commands.add_parser("score", help="score answers, or recompute an exported results file, in CPython")
    score.add_argument("instrument", help="an instrument YAML file, or an exported results file")
    score.add_argument("answers", nargs="?", help="a JSON object of item id → answer")
    score.add_argument("--assessments", default="assessments")
    score.set_defaults(run=_score)
    build = commands.add_parser("build", help="build the site into site/")
    build.add_argument("mkdocs_args", nargs=argparse.REMAINDER)
    build.set_defaults(run=_build)
    prepare = commands.add_parser("prepare", help="check and compile the data; write the site's added files to OUT")
    prepare.add_argument("out")
    prepare.set_defaults(run=_prepare)
    finish = commands.add_parser("finish", help="the last build step on a rendered site folder")
    finish.add_argument("site")
    finish.set_defaults(run=_finish)
    release = commands.add_parser("release", help="build the intranet zip into dist/")
    release.add_argument("--version", help="the release name (default: pyproject.toml's version)")
    release.add_argument("--dist", default="dist")
    release.set_defaults(run=_release)
    summary = commands.add_parser("aggregate", help="the school (or region) summary of share files and summaries")
    summary.add_argument("paths", nargs="+", metavar="FILES_OR_FOLDERS", help="share files, zips, summaries, folders")
    summary.add_argument("--json", metavar="OUT", help="write the summary file (the page's download, byte for byte)")
    summary.add_argument("--assessments", default="assessments")
    summary.add_argument("--jobs", type=int, default=0, help="worker processes (default: the CPUs, at most 4)")
    summary.set_defaults(run=_aggregate)
    args = parser.parse_args(argv)
    return args.run(args)
