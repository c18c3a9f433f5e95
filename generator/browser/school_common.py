"""What the school level's modules share: the format version, the facts a teacher may give, the reasons a
file is refused, the one serialisation and the instrument helpers (``school_share``, ``school_tally``,
``school_files``, ``school_report``, ``school_pairs``; ``aggregate`` is their facade).

Pure standard library, no I/O, no clock, like every module of the package.
"""

from __future__ import annotations

import json
from typing import Any

FORMAT_VERSION = 1  # of both files, the share and the summary
# Its priorities carry 001 Table 1's forms and methods (school_report); its growth zones make the pairs (school_pairs).
CYCLE = "cycle-self-assessment"

# The optional facts a teacher may add, each with its values (the categories of the qualification ladder; subject
# areas; years of experience). Their names are the catalogue's (site_src/i18n: fact.<fact>.<value>); the name is
# free, up to NAME_MAX characters (school_share).
FACTS: dict[str, tuple[str, ...]] = {
    "category": ("pedagog", "moderator", "expert", "researcher", "master"),
    "subject": ("primary", "languages", "mathematics", "sciences", "social", "arts", "physical", "other"),
    "experience": ("0-3", "4-10", "11-20", "21+"),
}

# Why a file is not counted; what each reason says is the catalogue's (school.refused.<code>).
REASONS = ("not-ours", "results-export", "broken", "version", "instrument", "mismatch", "free-text", "duplicate")

Json = dict[str, Any]


class RefusedError(ValueError):
    """A file the aggregation does not count; ``code`` is one of REASONS."""

    def __init__(self, code: str):
        if code not in REASONS:
            raise ValueError(f"unknown reason {code!r}")
        super().__init__(code)
        self.code = code


def canonical(data: Any) -> str:
    """The one serialisation of shares and summaries (no trailing newline)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _key(value: Any) -> str:
    """A histogram or option key: a number as JSON writes it (3.0 → "3"), a string as it is."""
    if type(value) is str:
        return value
    if type(value) is int:
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return repr(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else json.dumps(value)


def _items(instrument: Json) -> dict[str, Json]:
    return {item["id"]: item for section in instrument["sections"] for item in section["items"]}


def _has_growth_zone(instrument: Json) -> bool:
    return any(rule["kind"] == "extremes" for rule in instrument["rules"])


def _zone_scales(instrument: Json) -> list[Json]:
    [rule] = [rule for rule in instrument["rules"] if rule["kind"] == "extremes"]
    specs = {scale["id"]: scale for scale in instrument["scales"]}
    return [specs[scale_id] for scale_id in rule["scales"]]
