"""Command line: ``python -m generator validate|score|build``.

validate [FOLDER]                 check every instrument; problems as file:line: field: message
score INSTRUMENT ANSWERS.json     score one answers file in CPython and print the result
build [mkdocs build options]      build the site (MkDocs with this project's plugin)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from . import engine
from .checker import ValidationError
from .i18n import load_catalogue
from .release import make_release
from .schema import load_folder, load_instrument
from .template_schema import load_templates


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
    if problems:
        print("\n".join(map(str, problems)), file=sys.stderr)
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    return 0


def _score(args: argparse.Namespace) -> int:
    try:
        instrument = load_instrument(Path(args.instrument))
        answers = json.loads(Path(args.answers).read_text(encoding="utf-8"))
        result = engine.score(instrument, answers)
    except ValidationError as error:
        print(error, file=sys.stderr)
        return 1
    except (OSError, json.JSONDecodeError, engine.AnswerError) as error:
        print(f"{args.answers}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def _build(args: argparse.Namespace) -> int:
    return subprocess.call([sys.executable, "-m", "mkdocs", "build", "--strict", *args.mkdocs_args])


def _release(args: argparse.Namespace) -> int:
    try:
        archive = make_release(Path.cwd(), Path(args.dist), args.version)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{archive} ({archive.stat().st_size / 1_000_000:.1f} MB)")
    print(Path(f"{archive}.sha256").read_text(encoding="utf-8").strip())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check every instrument and template file")
    validate.add_argument("--assessments", default="assessments")
    validate.add_argument("--templates", default="templates")
    validate.add_argument("--site-src", default="site_src")
    validate.set_defaults(run=_validate)
    score = commands.add_parser("score", help="score an answers file with the CPython engine")
    score.add_argument("instrument", help="an instrument YAML file")
    score.add_argument("answers", help="a JSON object of item id → answer")
    score.set_defaults(run=_score)
    build = commands.add_parser("build", help="build the site into site/")
    build.add_argument("mkdocs_args", nargs=argparse.REMAINDER)
    build.set_defaults(run=_build)
    release = commands.add_parser("release", help="build the intranet zip into dist/")
    release.add_argument("--version", help="the release name (default: pyproject.toml's version)")
    release.add_argument("--dist", default="dist")
    release.set_defaults(run=_release)
    args = parser.parse_args(argv)
    return args.run(args)
