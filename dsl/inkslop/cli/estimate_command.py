"""`inkslop estimate`: how long each block runs, in all, and what it costs; exit 0, or 2 on
an error (a file that cannot be read, a broken configuration, a script with syntax errors:
its estimate covers what parsed and says so)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from inkslop.cli.compile_command import _var


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--var", "variables", multiple=True, metavar="NAME=VALUE",
              help="A variable's value, for narration that uses it.")
@click.option("--stdin-filename", metavar="PATH", help="The name of the script read from `-`.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="Use this configuration file instead of finding one from each script.")
def estimate(paths: tuple[str, ...], output_format: str, variables: tuple[str, ...],
             stdin_filename: str | None, config_path: str | None) -> None:
    """Estimate the duration of scripts (per block, with its place on the timeline) and the
    credits they cost. Files, directories (every *.inkslop below), or - for stdin."""
    from inkslop.config.loader import ConfigError, load_settings, settings_for
    from inkslop.estimate.estimator import estimate_document
    from inkslop.syntax.parser import parse
    from inkslop.files import SourceError, decode, discover, display_path, read_source

    given = _var(variables)
    trouble = False
    results: list[dict[str, Any]] = []
    names = list(paths) or ["."]
    files, errors = discover([n for n in names if n != "-"])
    for error in errors:
        click.echo(f"error: {error}", err=True)
        trouble = True
    sources: list[tuple[str, Path, Any]] = []
    if "-" in names:
        sources.append((stdin_filename or "-", Path(stdin_filename or "stdin.inkslop"), None))
    sources += [(display_path(path), path, path) for path in files]
    for name, where, path in sources:
        try:
            text = read_source(path) if path else decode(sys.stdin.buffer.read(), name)
            settings = load_settings(Path(config_path).resolve()) if config_path \
                else settings_for(where.resolve())
        except (SourceError, ConfigError) as error:
            click.echo(f"error: {error}", err=True)
            trouble = True
            continue
        document = parse(text, settings.schema)
        result = estimate_document(document, settings, given)
        syntax_errors = [d for d in document.diagnostics if d.severity == "error"]
        if syntax_errors:
            click.echo(f"error: {name}: {len(syntax_errors)} syntax error(s) (`inkslop check "
                       f"{name}` shows them): the estimate covers what parsed", err=True)
            trouble = True
        for warning in result.warnings:
            click.echo(f"warning: {name}: {warning}", err=True)
        results.append(_as_json(name, result))
    if output_format == "json":
        click.echo(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(_table(r) for r in results), nl=False)  # a blank line between
    sys.exit(2 if trouble else 0)


def _as_json(path: str, result: Any) -> dict[str, Any]:
    return {
        "path": path,
        "seconds": round(result.seconds, 2),
        "estimated_duration": result.estimated_duration,
        "credits": round(result.credits, 2),
        "blocks": [{
            "tag": b.tag, "line": b.line, "end_line": b.end_line, "engine": b.engine,
            "voice": b.voice, "speed": b.speed, "words": b.words, "seconds": round(b.seconds, 2),
            "start": round(b.start, 2), "end": round(b.end, 2),
        } for b in result.blocks],
        "warnings": list(result.warnings),
    }


def _table(result: dict[str, Any]) -> str:
    rows = [("block", "voice", "words", "seconds", "start–end")]
    for b in result["blocks"]:
        lines = f"{b['line']}" if b["line"] == b["end_line"] else f"{b['line']}-{b['end_line']}"
        voice = b["voice"] or "" if b["tag"] == "tts" or b["voice"] else ""
        if b["speed"] not in (None, 1.0) and voice:
            voice += f" ×{b['speed']:g}"
        rows.append((f"{b['tag']} (lines {lines})", voice, str(b["words"]), f"{b['seconds']:.1f}",
                     f"{_clock(b['start'])}–{_clock(b['end'])}"))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [result["path"]]
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].rjust(widths[2]),
                 row[3].rjust(widths[3]), row[4]]
        lines.append("  " + "  ".join(cells).rstrip())
        if index == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    lines.append(f"  total {result['seconds']:.1f} s, {result['credits']:.2f} credits "
                 f"(estimated_duration {result['estimated_duration']:.1f})")
    return "\n".join(lines) + "\n"


def _clock(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:04.1f}"
