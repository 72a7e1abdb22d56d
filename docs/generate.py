"""Write docs/language.md and docs/rules.md from the schema and the rules.

    python docs/generate.py           write them
    python docs/generate.py --check   exit 1, naming the stale files, if they differ

tests/test_reference.py fails when the committed files are stale.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from inkslop.lint.reference import language_reference, rules_reference
from inkslop.schema.model import compile_schema
from inkslop.schema.spec import schema_from_data

DOCS = Path(__file__).resolve().parent
SCHEMA_SOURCE = DOCS.parent / "grammars" / "schema.toml"


def pages() -> dict[Path, str]:
    """Each docs file and what it should hold."""
    # From the schema's source, not the package's compiled copy, which only a build refreshes.
    schema = schema_from_data(json.loads(compile_schema(SCHEMA_SOURCE)))
    return {DOCS / "language.md": language_reference(schema),
            DOCS / "rules.md": rules_reference()}


def stale(expected: dict[Path, str]) -> list[Path]:
    return [path for path, text in expected.items()
            if not path.is_file() or path.read_text(encoding="utf-8") != text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the files are stale")
    args = parser.parse_args(argv)
    expected = pages()
    outdated = stale(expected)
    if args.check:
        for path in outdated:
            print(f"{path.relative_to(DOCS.parent)} is stale: run python docs/generate.py",
                  file=sys.stderr)
        return 1 if outdated else 0
    for path in outdated:
        path.write_text(expected[path], encoding="utf-8", newline="\n")
        print(f"wrote {path.relative_to(DOCS.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
