"""Neovim (editors/neovim): Debian's Neovim, headless, opens a script with the config,
the client attaches to the real `inkslop lsp`, and the server's diagnostics arrive."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from editor_tools import EDITORS, run, server_env, tool

HERE = Path(__file__).parent
SCRIPT = ('+++\n[vars]\nwho = "you"\n+++\n'
          '[tts engine="kokoro_tts" voice="af_hert"]\n'
          "Hello {{ who }}. [# note #]\n"
          "[/tts]\n")
SYNTAX = {"1:1": "inkslopFrontMatterDelimiter", "2:2": "tomlTable", "3:1": "tomlKey",
          "5:2": "inkslopTagName", "5:6": "inkslopAttribute", "5:13": "inkslopString",
          "6:9": "inkslopVariable", "6:18": "inkslopComment"}


def nvim_version() -> str:
    return subprocess.run([tool("nvim"), "--version"], capture_output=True,
                          text=True).stdout.splitlines()[0]


def test_client_attaches_and_diagnostics_arrive(tmp_path: Path) -> None:
    (tmp_path / "inkslop.toml").write_text("")
    script = tmp_path / "videos" / "script.inkslop"
    script.parent.mkdir()
    script.write_text(SCRIPT)
    out = tmp_path / "out.json"
    env = server_env() | {"INKSLOP_EDITORS": str(EDITORS), "INKSLOP_NVIM_OUT": str(out),
                          "INKSLOP_NVIM_SYNTAX": " ".join(SYNTAX)}
    run([tool("nvim"), "--headless", "-u", str(HERE / "nvim_diagnostics.lua"), str(script)],
        cwd=tmp_path, env=env, timeout=60)
    seen = json.loads(out.read_text())
    assert seen["filetype"] == "inkslop", nvim_version()
    assert seen["commentstring"] == "[# %s #]"
    assert seen["syntax"] == SYNTAX  # front matter coloured as TOML, the script as InkSlop
    assert seen["attached"] and seen["client"] == "inkslop" and seen["server"], nvim_version()
    assert seen["root"] == str(tmp_path)  # the folder of inkslop.toml
    assert seen["has_diagnostics"], seen
    assert [(d["line"], d["col"], d["code"]) for d in seen["diagnostics"]] == [(4, 31, "T008")]
    assert "af_heart" in seen["diagnostics"][0]["message"]


def test_setup_uses_vim_lsp_config_on_neovim_0_11(tmp_path: Path) -> None:
    """On 0.11+ setup() hands lsp/inkslop.lua's config to vim.lsp.config and enables it
    (here with vim.lsp.config stubbed: Debian's Neovim is older)."""
    lua = f"""
    vim.opt.runtimepath:prepend({json.dumps(str(EDITORS / "neovim"))})
    local seen = {{}}
    vim.lsp.config = function(name, config) seen.config = {{ name, config }} end
    vim.lsp.enable = function(name) seen.enabled = name end
    require("inkslop").setup({{ cmd = {{ "/opt/inkslop", "lsp" }} }})
    seen.defaults = dofile({json.dumps(str(EDITORS / "neovim" / "lsp" / "inkslop.lua"))})
    local out = io.open({json.dumps(str(tmp_path / "out.json"))}, "w")
    out:write(vim.fn.json_encode(seen))
    out:close()
    """
    (tmp_path / "check.lua").write_text(lua)
    run([tool("nvim"), "--headless", "-u", "NONE", "-c", f"luafile {tmp_path / 'check.lua'}",
         "-c", "qall!"], cwd=tmp_path, timeout=30)
    seen = json.loads((tmp_path / "out.json").read_text())
    assert seen["config"] == ["inkslop", {"cmd": ["/opt/inkslop", "lsp"]}]
    assert seen["enabled"] == "inkslop"
    assert seen["defaults"]["cmd"] == ["inkslop", "lsp"]
    assert seen["defaults"]["filetypes"] == ["inkslop"]
