"""InkSlop scripts as source files: parse, check, fix (format, estimate, compile to come).

    >>> import inkslop
    >>> document = inkslop.parse('[tts engine="kokoro_tts" voice="af_hert"]\\nHi!\\n[/tts]\\n')
    >>> [d.code for d in inkslop.check(document)]
    ['T008']

Names are imported on first use, so `import inkslop` stays cheap for the
command line (`inkslop check` runs on every commit).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "parse": "inkslop.parser",
    "check": "inkslop.checker",
    "fix": "inkslop.checker",
    "Settings": "inkslop.config",
    "settings_for": "inkslop.config",
    "load_settings": "inkslop.config",
    "ConfigError": "inkslop.config",
    "Document": "inkslop.ast",
    "Block": "inkslop.ast",
    "VoidTag": "inkslop.ast",
    "Attribute": "inkslop.ast",
    "Text": "inkslop.ast",
    "Comment": "inkslop.ast",
    "Variable": "inkslop.ast",
    "FrontMatter": "inkslop.ast",
    "Diagnostic": "inkslop.diagnostics",
    "default_schema": "inkslop.schema",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'inkslop' has no attribute {name!r}")
