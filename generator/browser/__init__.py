"""The Python that runs in the browser: every module here is shipped to the site and run in Pyodide.

Pure standard library, importing nothing from the build side (``generator`` around it) and nothing
outside this package: the same files run unchanged in CPython (build, tests, CLI) and in the
browser's Web Worker, where they are the package ``kasibi``. ``tests/test_build.py`` keeps it so.
"""

from __future__ import annotations

from pathlib import Path

# In the order the worker writes them, each before the modules that import it (the school_* modules before
# their facade `aggregate`); each module is imported only when first used.
MODULES = (
    "engine",
    "documents",
    "docx",
    "school_common",
    "school_share",
    "school_tally",
    "school_files",
    "school_report",
    "school_pairs",
    "aggregate",
)


def module_files() -> list[Path]:
    """The source files the site publishes, one per module."""
    return [Path(__file__).with_name(f"{name}.py") for name in MODULES]
