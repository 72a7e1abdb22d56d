"""Helix (editors/helix): Debian 12 has no Helix package, so languages.toml is checked
for the shape Helix reads, and its server command is started and answers."""

from __future__ import annotations

import tomllib
from pathlib import Path

from editor_tools import EDITORS, lsp_session, server_env

# The keys Helix reads (helix-core/src/syntax/config.rs, LanguageConfiguration and
# LanguageServerConfiguration: unknown keys of a language are an error there).
LANGUAGE_KEYS = {"name", "language-id", "scope", "file-types", "shebangs", "roots",
                 "comment-token", "comment-tokens", "block-comment-tokens", "text-width",
                 "soft-wrap", "auto-format", "formatter", "path-completion", "word-completion",
                 "diagnostic-severity", "grammar", "injection-regex", "language-servers",
                 "indent", "debugger", "auto-pairs", "rulers", "workspace-lsp-roots",
                 "persistent-diagnostic-sources", "rainbow-brackets"}
SERVER_KEYS = {"command", "args", "environment", "config", "timeout", "required-root-patterns"}


def config() -> dict:
    return tomllib.loads((EDITORS / "helix" / "languages.toml").read_text())


def test_language_entry() -> None:
    [language] = config()["language"]
    assert set(language) <= LANGUAGE_KEYS
    assert {"name", "scope", "file-types"} <= set(language)  # required
    assert language["name"] == "inkslop"
    assert language["scope"] == "source.inkslop"
    assert language["file-types"] == ["inkslop"]
    assert language["block-comment-tokens"] == {"start": "[#", "end": "#]"}
    assert language["indent"] == {"tab-width": 2, "unit": "  "}
    # every server it names is defined
    assert set(language["language-servers"]) <= set(config()["language-server"])


def test_server_command_starts_and_answers(tmp_path: Path) -> None:
    server = config()["language-server"]["inkslop"]
    assert set(server) <= SERVER_KEYS
    answers = lsp_session([server["command"], *server["args"]], tmp_path, server_env(),
                          '[tts engine="kokoro_tts" voice="af_hert"]\nHi\n[/tts]\n')
    assert answers["initialize"]["serverInfo"]["name"] == "inkslop"
    assert answers["initialize"]["capabilities"]["inlayHintProvider"]
    assert [d["code"] for d in answers["diagnostics"]] == ["T008"]
    assert answers["exit_code"] == 0
