"""InkSlop scripts as source files: parse, check, fix, format, estimate, compile, build in code.

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

# public name: (module, name in that module)
_EXPORTS: dict[str, str | tuple[str, str]] = {
    "parse": "inkslop.parser",
    "check": "inkslop.checker",
    "fix": "inkslop.checker",
    "format": ("inkslop.formatter", "format_text"),
    "format_range": "inkslop.formatter",
    "FormatError": "inkslop.formatter",
    "compile": ("inkslop.compiler", "compile_document"),
    "request_body": "inkslop.compiler",
    "estimate": ("inkslop.estimator", "estimate_document"),
    "Estimate": "inkslop.estimator",
    "CompileError": "inkslop.compiler",
    "Script": "inkslop.builder",
    "tts": "inkslop.builder",
    "music": "inkslop.builder",
    "block": "inkslop.builder",
    "void": "inkslop.builder",
    "comment": "inkslop.builder",
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
    "Client": "inkslop.api.client",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module, attribute = _EXPORTS[name] if isinstance(_EXPORTS[name], tuple) \
            else (_EXPORTS[name], name)
        return getattr(import_module(module), attribute)
    raise AttributeError(f"module 'inkslop' has no attribute {name!r}")
