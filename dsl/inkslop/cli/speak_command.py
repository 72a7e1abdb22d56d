"""`inkslop speak`: hear a script before paying for it, with the local Kokoro engine.

Exit 0 when the audio (and subtitles) are written; 1 when the script has syntax errors
(nothing is rendered); 2 for what stops it otherwise: the `speak` extra not installed,
engine files missing or corrupt, a file that cannot be read or written, bad usage.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from inkslop.cli import fail
from inkslop.cli.inputs import InputError, Reader, sources_of
from inkslop.cli.options import (
    CONFIG_OPTION,
    download_progress,
    reject_unknown_variables,
    var_option,
)
from inkslop.estimate.estimator import estimate_document
from inkslop.estimate.measured import DurationCache
from inkslop.speak import requirements
from inkslop.speak import subtitles as subtitles_mod
from inkslop.speak.errors import SpeakError, SpeakUnavailable
from inkslop.syntax.parser import parse

AUDIO_SUFFIXES = (".wav", ".flac", ".ogg")
SUBTITLE_SUFFIXES = (".srt", ".vtt")
# Command-line players, tried in order; the file's path is appended.
PLAYERS = (("afplay",), ("pw-play",), ("paplay",), ("aplay", "-q"),
           ("ffplay", "-autoexit", "-nodisp", "-loglevel", "quiet"))


@click.command("speak")
@click.argument("script", required=False, type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="The audio file: .wav, .flac or .ogg (default: the script's name, .wav).")
@click.option("--block", type=click.IntRange(min=1), metavar="N",
              help="Only the N-th narrated block (from 1).")
@click.option("--line", type=click.IntRange(min=1), metavar="N",
              help="Only the narrated block that holds line N.")
@click.option("--subtitles", type=click.Path(dir_okay=False), metavar="FILE",
              help="Also write subtitles, one cue per line with its measured times: .srt or .vtt.")
@click.option("--play", is_flag=True, help="Play the audio when it is written.")
@click.option("--install", is_flag=True,
              help="Download the engine files into the cache, verified, and stop.")
@var_option("A variable's value, for narration that uses it.")
@CONFIG_OPTION
def speak(script: str | None, output: str | None, block: int | None, line: int | None,
          subtitles: str | None, play: bool, install: bool, variables: dict[str, str],
          config_path: str | None) -> None:
    """Render the narration of SCRIPT to an audio file with the local Kokoro engine, every
    block in its voice and speed on the timeline `inkslop estimate` reports, music files
    found on this machine mixed under it. Needs the `speak` extra."""
    if install:
        _install(config_path)
        return
    if script is None:
        fail("name the script to speak (or use --install)")
    if block and line:
        fail("use --block or --line, not both")
    target = Path(output or Path(script).with_suffix(".wav").name)
    _check_target(target, AUDIO_SUFFIXES, "-o")
    if subtitles:
        _check_target(Path(subtitles), SUBTITLE_SUFFIXES, "--subtitles")
    require_extra()
    try:
        written = _render(script, target, subtitles, block, line, variables, config_path)
    except SpeakError as error:
        fail(str(error))
    click.echo(f"{script}: {written} written" + (f", subtitles in {subtitles}" if subtitles else ""))
    if play:
        _play(target)


def require_extra() -> None:
    """Exit 2 with the exact install line when the `speak` extra is missing."""
    gone = requirements.missing({**requirements.ENGINE, **requirements.AUDIO})
    if gone:
        fail(str(SpeakUnavailable(gone)))


def _check_target(path: Path, allowed: tuple[str, ...], option: str) -> None:
    """Before minutes of synthesis: a suffix we can write, in a folder that exists."""
    if path.suffix.lower() not in allowed:
        fail(f"{option} {path}: write a {', '.join(allowed)} file")
    if not path.absolute().parent.is_dir():
        fail(f"{option} {path}: the folder {path.parent} does not exist")


def _render(script: str, target: Path, subtitles: str | None, block: int | None,
            line: int | None, variables: dict[str, str], config_path: str | None) -> str:
    from inkslop.speak.script import render  # loads numpy and onnxruntime: only to speak
    from inkslop.syntax.values import variable_names

    document, settings, base = read_script(script, config_path)
    reject_unknown_variables(variables, variable_names(document))
    engine = local_engine(settings, base)
    with progress_bars("measuring", "speaking") as (measuring, speaking):
        rendering, plan = render(document, settings, variables, engine, DurationCache(), base,
                                 block=block, line=line, measuring=measuring, speaking=speaking)
    for name in plan.missing_music:
        click.echo(f"note: music file {name} is not on this machine: narration only", err=True)
    try:
        rendering.write_audio(target)
        if subtitles:
            subtitles_mod.write(subtitles, rendering.cues())
    except OSError as error:
        fail(f"{error.filename or target}: cannot write ({error.strerror or error})")
    return f"{target} ({rendering.seconds:.2f} s)"


def read_script(script: str, config_path: str | None) -> tuple[Any, Any, Path]:
    """The parsed script, its settings and its folder; exit 1 on syntax errors."""
    sources, trouble = sources_of([script])
    if trouble or len(sources) != 1:
        fail(trouble[0] if trouble else f"{script}: name one script")
    try:
        read = Reader(config_path).read(sources[0])
    except InputError as error:
        fail(str(error))
    document = parse(read.text, read.settings.schema)
    errors = [d for d in document.diagnostics if d.severity == "error"]
    if errors:
        fail(f"{script}: {len(errors)} syntax error(s); `inkslop check {script}` shows them",
             status=1)
    return document, read.settings, sources[0].where.parent


def local_engine(settings: Any, search_from: Path) -> Any:
    """The Kokoro engine with the project's `[speak]` files (exit 2 when they are missing)."""
    from inkslop.speak.engine import shared_engine  # numpy and onnxruntime: only to speak
    try:
        return shared_engine(settings.speak, search_from=search_from)
    except SpeakError as error:
        fail(str(error))


def measured_estimate(document: Any, settings: Any, given: dict[str, str],
                      search_from: Path) -> Any:
    """`estimate --engine kokoro`: every block measured, through the cache (exit 2 when
    the engine cannot run). With the stock engine files and every block in the cache, the
    engine is not even loaded."""
    from inkslop.speak.script import measure_document, narrated  # numpy, onnxruntime

    if not (settings.speak.get("model") or settings.speak.get("voices")):
        cached = estimate_document(document, settings, given)  # stock files' keys
        if all(block.measured for block in narrated(cached)):
            return cached
    require_extra()
    engine = local_engine(settings, search_from)
    try:
        with progress_bars("measuring") as (report,):
            return measure_document(document, settings, given, engine, DurationCache(), report)
    except SpeakError as error:
        fail(str(error))


@contextmanager
def progress_bars(*labels: str) -> Iterator[tuple[Callable[[int, int], None] | None, ...]]:
    """One rich progress bar per label on a terminal's stderr (their callbacks), else None."""
    if not sys.stderr.isatty():
        yield tuple(None for _ in labels)
        return
    from rich.console import Console  # rich loads only on a terminal
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        tasks = [bar.add_task(label, total=None) for label in labels]
        yield tuple(lambda done, total, task=task: bar.update(task, completed=done, total=total)
                    for task in tasks)


def _install(config_path: str | None) -> None:
    """Fill the engine cache from `[speak] url` (of --config, else the configuration found
    from the current folder), else INKSLOP_KOKORO_URL, else the official release."""
    from inkslop.config.loader import ConfigError, load_settings, settings_for
    from inkslop.speak.files import install

    try:
        settings = load_settings(Path(config_path)) if config_path \
            else settings_for(Path.cwd() / "any.inkslop")
    except ConfigError as error:
        fail(str(error))
    try:
        with download_progress("engine files") as report:
            done = install(base_url=settings.speak.get("url"), progress=_per_file(report))
    except SpeakError as error:
        fail(str(error))
    for path in done:
        click.echo(f"{path} (verified)")


def _per_file(report: Callable[[int, int], None] | None) -> Any:
    if report is None:
        return None
    return lambda _name, done, total: report(done, total or None)


def _play(path: Path) -> None:
    for command in PLAYERS:
        if shutil.which(command[0]):
            result = subprocess.run([*command, str(path)], check=False)
            if result.returncode:
                fail(f"{command[0]} could not play {path} (exit {result.returncode})")
            return
    if sys.platform == "win32":
        import winsound  # Windows only

        winsound.PlaySound(str(path), winsound.SND_FILENAME)
        return
    fail(f"no audio player found (looked for {', '.join(c[0] for c in PLAYERS)}); "
         f"the audio is in {path}")
