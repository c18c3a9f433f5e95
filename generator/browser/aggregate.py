"""The school level: teachers' share files, the school (or region) summary, and the report drawn from it.

Pure standard library, no I/O, no clock: the school page runs it in Pyodide and ``python -m generator
aggregate`` in CPython, so the browser's summary download and the CLI's ``--json`` are the same bytes.

This module is the facade the worker, the CLI and the tests import; the code is in its sibling modules,
each with its part of the formats and rules in its docstring:

- ``school_common``: the format version, the facts a teacher may give, REASONS, ``canonical``, shared helpers;
- ``school_share``: the share file (teacher → school), ``share_json``, ``share_contents_json``;
- ``school_tally``: tallies, as the summary holds them and as they are read back from it;
- ``school_files``: reading files into the summary file (school → region), ``aggregate_files``;
- ``school_report``: the report, privacy rules applied, ``report_json``;
- ``school_pairs``: named mode, mentoring pairs and Lesson Study groups, ``pairs_files``.

Boundary for the browser (strings and lists in, strings out): ``share_json``, ``share_contents_json``,
``aggregate_files``, ``report_json``, ``pairs_files``. A ValueError (bad input to ``share_json``, a file
given to ``report_json`` that is not a summary) carries a message to show.
"""

from __future__ import annotations

from .school_common import CYCLE, FACTS, FORMAT_VERSION, REASONS, Json, RefusedError, _key, canonical
from .school_files import (
    SUMMARY,
    SUMMARY_KEYS,
    Aggregator,
    aggregate,
    aggregate_files,
    aggregate_json,
    entries,
    examine,
)
from .school_pairs import GROUP_SIZE, pairs, pairs_files
from .school_report import (
    ADMIN,
    MIN_GROUP,
    NOT_GIVEN,
    OTHER,
    _quantile,
    breakdown,
    read_summary,
    report,
    report_json,
)
from .school_share import (
    MONTH,
    NAME_MAX,
    SHARE,
    SHARE_ID,
    SHARE_KEYS,
    checked_facts,
    share,
    share_contents,
    share_contents_json,
    share_json,
)
from .school_tally import TALLY_KEYS

__all__ = [
    "ADMIN",
    "CYCLE",
    "FACTS",
    "FORMAT_VERSION",
    "GROUP_SIZE",
    "MIN_GROUP",
    "MONTH",
    "NAME_MAX",
    "NOT_GIVEN",
    "OTHER",
    "REASONS",
    "SHARE",
    "SHARE_ID",
    "SHARE_KEYS",
    "SUMMARY",
    "SUMMARY_KEYS",
    "TALLY_KEYS",
    "Aggregator",
    "Json",
    "RefusedError",
    "_key",
    "_quantile",
    "aggregate",
    "aggregate_files",
    "aggregate_json",
    "breakdown",
    "canonical",
    "checked_facts",
    "entries",
    "examine",
    "pairs",
    "pairs_files",
    "read_summary",
    "report",
    "report_json",
    "share",
    "share_contents",
    "share_contents_json",
    "share_json",
]
