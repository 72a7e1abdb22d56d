"""Emacs (editors/emacs): batch mode loads inkslop-mode and eglot, eglot connects to the
real `inkslop lsp`, and the server's capabilities and diagnostics come back."""

from __future__ import annotations

import json
from pathlib import Path

from editor_tools import EDITORS, run, server_env, tool

HERE = Path(__file__).parent
SCRIPT = ('+++\n[vars]\nwho = "you"\n+++\n'
          '[tts engine="kokoro_tts" voice="af_hert"]\n'
          "Hello {{ who }}. [# note #]\n"
          "[/tts]\n")


def test_eglot_connects_and_diagnostics_arrive(tmp_path: Path) -> None:
    script = tmp_path / "script.inkslop"
    script.write_text(SCRIPT)
    out = tmp_path / "out.json"
    run([tool("emacs"), "--batch", "-l", str(EDITORS / "emacs" / "inkslop-mode.el"),
         "-l", str(HERE / "emacs_eglot.el"), str(script), str(out)],
        cwd=tmp_path, env=server_env(), timeout=90)
    seen = json.loads(out.read_text())
    assert seen["mode"] == "inkslop-mode"
    assert seen["comment"] == "[# "
    assert seen["faces"] == {"tts": "font-lock-keyword-face",
                             "engine": "font-lock-variable-name-face",
                             '"af_hert"': "font-lock-string-face",
                             "[# note": "font-lock-comment-delimiter-face",
                             "who }}": "font-lock-constant-face",
                             "vars": "font-lock-type-face"}
    assert seen["server"] == "inkslop"
    assert seen["completion"] and seen["hover"] and seen["inlayHints"]
    assert "timeout" not in seen
    messages = [(d["line"], d["text"]) for d in seen["diagnostics"]]
    assert any(line == 5 and "T008" in text and "af_heart" in text for line, text in messages), messages
