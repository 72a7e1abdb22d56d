"""Project configuration, found upward from each checked file.

`.inkslop.toml`, `inkslop.toml` or `[tool.inkslop]` in `pyproject.toml`: in
each directory from the file's up to the root, the first of these that exists
(and, for pyproject.toml, has a `[tool.inkslop]` table) wins. Keys:

    select = ["ALL"]            # codes or prefixes of the rules to run
    ignore = ["C001"]           # codes or prefixes to leave out
    music-library = ["music/Carefree.opus"]   # tracks that `file` may name
    [severity]                  # a code's severity: error, warning or info
    T008 = "error"
    [format]
    indent = 2                  # spaces per level of nesting (default 0)
    line-ending = "lf"          # auto (the file's own, default), lf or crlf
    [estimate]
    credit-rate = 0.081         # credits per second (default derived from InkSlop's example)
    max-seconds = 60            # warn when a script runs longer (D001; default 180, false: off)
    engine = "kokoro"           # measure every block with the local engine (default "model")
    [submit]                    # the preflight of every paid request (submit, batch)
    allow-warnings = ["T005"]   # warnings it lets through (true: all; default: none)
    max-credits = 20            # refuse a video or batch estimated to cost more
    [speak]                     # the local engine's files (default: found, see `inkslop speak`)
    model = "models/kokoro-v1.0.int8.onnx"   # relative to this file; also voices, url
    [api]
    account = "work"            # whose rate limits to count (default: one per API base URL)
    [estimate.model.engines.my_tts]   # overrides of the duration model, same shape
    [schema.engines.my_tts.voices]   # extends or overrides grammars/schema.toml
    narrator = { language = "en-US", gender = "female" }

A broken configuration is a ConfigError that names the file and the key.
Values are `inkslop.config.settings.Settings`. Validation uses pydantic, imported only when a configuration exists.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

from inkslop.config.settings import DEFAULT_MAX_SECONDS, Settings, default_settings
from inkslop.lint.selectors import check_selectors
from inkslop.schema.spec import default_schema, schema_from_data

CONFIG_FILES = (".inkslop.toml", "inkslop.toml", "pyproject.toml")


class ConfigError(Exception):
    """A configuration that cannot be used; str() names the file and the key."""

    def __init__(self, path: Path, key: str, message: str) -> None:
        self.path, self.key, self.message = path, key, message
        where = f"{path}: `{key}`" if key else str(path)
        super().__init__(f"{where}: {message}")


def find_config_file(start: Path) -> Path | None:
    """The configuration file nearest to `start` (a file or directory), or None."""
    return ConfigFinder().config_file(start)


class ConfigFinder:
    """Configuration discovery that remembers, per directory, which file applies: a run
    over many scripts stats each directory's candidate names once, not once per script.
    Make a new finder for each run (a long-lived one would miss files created since)."""

    def __init__(self) -> None:
        self._nearest: dict[str, Path | None] = {}
        self._real: dict[str, str] = {}  # a directory as named -> its real path

    def config_file(self, start: Path, *, is_file: bool = False) -> Path | None:
        """The configuration file nearest to `start` (a file or directory; `is_file` when
        the caller knows which, to spare a stat), or None."""
        name = os.fspath(start)
        directory = os.path.dirname(name) or "." if is_file or not os.path.isdir(name) else name
        real = self._real.get(directory)
        if real is None:
            # realpath, not resolve(): it never raises, even on a symlink loop
            real = self._real[directory] = os.path.realpath(directory)
        return self._nearest_to(real)

    def settings_for(self, path: Path, *, is_file: bool = False) -> Settings:
        """The settings that apply to a file: from its nearest configuration, or the defaults."""
        config = self.config_file(path, is_file=is_file)
        return load_settings(config) if config else default_settings()

    def _nearest_to(self, folder: str) -> Path | None:
        chain: list[str] = []
        found: Path | None = None
        while folder not in self._nearest:
            chain.append(folder)
            found = _config_in(Path(folder))
            parent = os.path.dirname(folder)
            if found is not None or parent == folder:
                break
            folder = parent
        else:
            found = self._nearest[folder]
        for visited in chain:  # every directory walked shares the answer found above it
            self._nearest[visited] = found
        return found


def _config_in(folder: Path) -> Path | None:
    for name in CONFIG_FILES:
        candidate = folder / name
        if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
            return candidate
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    # A cheap test first: most pyproject files have no such table, and tomllib costs time.
    if "tool.inkslop" not in text:
        return False
    return "inkslop" in _read_toml(pyproject).get("tool", {})


def settings_for(path: Path) -> Settings:
    """The settings that apply to a file: from its nearest configuration, or the defaults."""
    return ConfigFinder().settings_for(path)


def load_settings(path: Path) -> Settings:
    """The settings of a configuration file, read again whenever the file changes."""
    try:
        state = path.stat()
    except OSError as error:
        raise ConfigError(path, "", f"cannot be read: {error.strerror}") from None
    return _load_settings(path, state.st_mtime_ns, state.st_size)


def forget_cached_settings() -> None:
    """Empty the cache of loaded configurations (an editor calls this when it is told a
    configuration file changed, since an edit may keep the file's size and time)."""
    _load_settings.cache_clear()


@cache
def _load_settings(path: Path, mtime_ns: int, size: int) -> Settings:
    data = _read_toml(path)
    prefix = ""
    if path.name == "pyproject.toml":
        data, prefix = data.get("tool", {}).get("inkslop", {}), "tool.inkslop."
    return _settings_from(data, path, prefix)


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # only when a configuration file is read

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(path, "", f"cannot be read: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, "", f"is not valid TOML: {error}") from None
    except UnicodeDecodeError:
        raise ConfigError(path, "", "is not UTF-8") from None


def _settings_from(data: dict[str, Any], path: Path, prefix: str) -> Settings:
    # pydantic and the models load only when a project has a configuration file
    from pydantic import ValidationError  # pydantic: only for a value that is wrong

    from inkslop.config.model import ConfigModel
    from inkslop.schema.model import SchemaModel

    try:
        model = ConfigModel.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        key = prefix + ".".join(str(p) for p in first["loc"])
        raise ConfigError(path, key, _message(first)) from None
    allowed = model.submit.allow_warnings
    for key, codes in (("select", model.select), ("ignore", model.ignore),
                       ("severity", list(model.severity)),
                       ("submit.allow-warnings", [] if isinstance(allowed, bool) else allowed)):
        problem = check_selectors(codes or [])
        if problem:
            raise ConfigError(path, prefix + key, problem)
    schema = default_schema()
    if model.schema_:
        try:
            merged = SchemaModel.model_validate(schema.extended_data(model.schema_))
        except ValidationError as error:
            first = error.errors()[0]
            key = prefix + "schema." + ".".join(str(p) for p in first["loc"])
            raise ConfigError(path, key, _message(first)) from None
        schema = schema_from_data(merged.model_dump())
    if model.estimate.model:
        # the duration model's tables load only for a project that overrides them
        from inkslop.estimate.duration_model import DurationModel, DurationModelError

        try:
            DurationModel.load().with_overrides(model.estimate.model)
        except DurationModelError as error:
            raise ConfigError(path, prefix + "estimate.model", str(error)) from None
    return Settings(
        select=tuple(c.upper() for c in model.select) if model.select else ("ALL",),
        ignore=tuple(c.upper() for c in model.ignore),
        severity={c.upper(): s for c, s in model.severity.items()},
        music_library=tuple(model.music_library),
        schema=schema,
        format_indent=model.format.indent,
        line_ending=model.format.line_ending,
        credit_rate=model.estimate.credit_rate,
        max_seconds=_max_seconds(model.estimate.max_seconds),
        allow_warnings=_allowed_warnings(model.submit.allow_warnings),
        max_credits=model.submit.max_credits,
        api_account=model.api.account,
        duration_model=model.estimate.model,
        estimate_engine=model.estimate.engine,
        speak=_speak(model.speak, path),
        path=path,
        data=data,
    )


def _speak(speak: Any, path: Path) -> dict[str, str]:
    """`[speak]` with its file paths taken from the configuration file's folder."""
    found = {k: v for k, v in speak.model_dump().items() if v}
    for name in ("model", "voices"):
        if name in found:
            found[name] = str((path.parent / Path(found[name]).expanduser()).resolve())
    return found


def _max_seconds(configured: float | bool | None) -> float | None:
    """`max-seconds`: unset, the default limit; false, no limit."""
    if configured is None:
        return DEFAULT_MAX_SECONDS
    return None if configured is False else float(configured)


def _allowed_warnings(configured: bool | list[str]) -> bool | tuple[str, ...]:
    """`allow-warnings`: true, false, or codes and prefixes (`["ALL"]`, as in `select`: all)."""
    if isinstance(configured, bool):
        return configured
    codes = tuple(c.upper() for c in configured)
    return True if "ALL" in codes else codes


def _message(error: dict[str, Any]) -> str:
    message = str(error["msg"])
    return message[0].lower() + message[1:]
