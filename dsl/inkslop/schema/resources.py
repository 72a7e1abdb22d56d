"""Where the grammar, the schema and the generated artifacts are, installed or not.

A wheel carries `grammars/` inside the package (`inkslop/grammars`); in a
checkout (an editable install) it is the repository's top-level `grammars/`.
The compiled schema (`_schema.json`) is made at build time next to this file.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).parent.parent  # the `inkslop` package
SCHEMA_DIR = Path(__file__).parent


def grammars_dir() -> Path:
    inside = PACKAGE_DIR / "grammars"
    return inside if inside.is_dir() else PACKAGE_DIR.parent.parent / "grammars"


def compiled_schema_path() -> Path:
    return SCHEMA_DIR / "_schema.json"
