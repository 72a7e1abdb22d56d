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
_EXPORTS: dict[str, str | tuple[str, str | None]] = {
    "parse": "inkslop.syntax.parser",
    "check": "inkslop.lint.checker",
    "fix": "inkslop.lint.checker",
    "format": ("inkslop.format", None),  # None: the stage itself, callable (callable_stage.py)
    "format_range": "inkslop.format.formatter",
    "FormatError": "inkslop.format.formatter",
    "compile": ("inkslop.compile", None),
    "request_body": "inkslop.compile.compiler",
    "estimate": ("inkslop.estimate", None),
    "Estimate": "inkslop.estimate.estimator",
    "CompileError": "inkslop.compile.compiler",
    "Script": "inkslop.compile.builder",
    "tts": "inkslop.compile.builder",
    "music": "inkslop.compile.builder",
    "block": "inkslop.compile.builder",
    "void": "inkslop.compile.builder",
    "comment": "inkslop.compile.builder",
    "Settings": "inkslop.config.settings",
    "settings_for": "inkslop.config.loader",
    "load_settings": "inkslop.config.loader",
    "ConfigError": "inkslop.config.loader",
    "Document": "inkslop.syntax.ast",
    "Block": "inkslop.syntax.ast",
    "VoidTag": "inkslop.syntax.ast",
    "Attribute": "inkslop.syntax.ast",
    "Text": "inkslop.syntax.ast",
    "Comment": "inkslop.syntax.ast",
    "Variable": "inkslop.syntax.ast",
    "FrontMatter": "inkslop.syntax.ast",
    "Diagnostic": "inkslop.syntax.diagnostics",
    "default_schema": "inkslop.schema.spec",
    "Client": "inkslop.api.client",
    "submit": "inkslop.batch.submit",
    "Refused": "inkslop.batch.runner",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module, attribute = _EXPORTS[name] if isinstance(_EXPORTS[name], tuple) \
            else (_EXPORTS[name], name)
        target = import_module(module)
        return target if attribute is None else getattr(target, attribute)
    raise AttributeError(f"module 'inkslop' has no attribute {name!r}")
