"""The public API keeps its names: `inkslop.format`, `inkslop.compile` and
`inkslop.estimate` stay callable even after their stage packages are imported."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = '[tts engine="kokoro_tts" voice="af_heart"]\n  Hello there.\n[/tts]\n'

PROGRAM = f"""
import inkslop
import inkslop.compile.compiler, inkslop.estimate.estimator, inkslop.format.formatter
document = inkslop.parse({SCRIPT!r})
print(repr(inkslop.format({SCRIPT!r})))
print(repr(inkslop.compile(document, {{}})))
print(inkslop.estimate(document).estimated_duration > 0)
print(inkslop.format.formatter.format_text is not None)
"""


def test_the_public_functions_survive_importing_their_stages() -> None:
    # A fresh interpreter: in this one, other tests have imported the stages already.
    run = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                         check=True)
    formatted, compiled, positive, submodule = run.stdout.splitlines()
    assert formatted == repr('[tts engine="kokoro_tts" voice="af_heart"]\nHello there.\n[/tts]\n')
    assert "Hello there." in compiled and "[tts" in compiled
    assert positive == "True" and submodule == "True"
