"""The authoring formats and their checks: YAML read with line numbers, the one JSON Schema walker, instruments,
templates, the attestation checklist, and the interface catalogue with its Kazakh number endings."""
