"""Build hook: generate what the package loads at run time, never at import time.

- `dsl/inkslop/syntax/_lark_parser.py`: Lark's standalone LALR parser for
  grammars/inkslop.lark (the parse tables), so nothing is generated into
  site-packages when the package is imported (read-only installs work);
- `dsl/inkslop/schema/_schema.json`: grammars/schema.toml validated by pydantic and
  compiled to JSON, which loads fast on the path of `inkslop check`.

Both are written for standard and editable builds alike; tests/test_generated.py
fails when either no longer matches its source.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class GenerateArtifacts(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        root = Path(self.root)
        sys.path.insert(0, str(root / "dsl"))
        try:
            from inkslop.schema.model import compile_schema
            from inkslop.syntax.lark_build import fingerprint, generate, shipped_fingerprint
        finally:
            sys.path.pop(0)
        package = root / "dsl" / "inkslop"
        grammar, tables = root / "grammars" / "inkslop.lark", package / "syntax" / "_lark_parser.py"
        if shipped_fingerprint(tables) != fingerprint(grammar):
            _write(tables, generate(grammar))
        _write(package / "schema" / "_schema.json", compile_schema(root / "grammars" / "schema.toml"))


def _write(path: Path, content: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != content:
        path.write_text(content, encoding="utf-8")
