#!/usr/bin/env bash
# Installs what the editor tests (tests/editors/) and the narration tests (tests/speak/)
# need, and only what is missing:
# Neovim, Emacs with eglot and git from Debian's packages; the VS Code extension's build
# and test tools from the npm registry (npm ci in editors/vscode). Safe to run again.
# Needs Node.js 20+ and npm (on the machine), and root or sudo for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

missing=()
command -v nvim >/dev/null || missing+=(neovim)
command -v git >/dev/null || missing+=(git)
if ! command -v emacs >/dev/null; then
  missing+=(emacs-nox)
fi
# eglot is built into Emacs 29+; Debian 12's Emacs 28 takes it from elpa-eglot.
if ! { command -v emacs >/dev/null && emacs --batch --eval "(require 'eglot)" >/dev/null 2>&1; }; then
  missing+=(elpa-eglot)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-editor-tools: apt-get install ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci only when node_modules was not installed from this package-lock.json.
cd editors/vscode
if ! cmp -s package-lock.json node_modules/.installed-package-lock.json 2>/dev/null; then
  echo "install-editor-tools: npm ci (editors/vscode)"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.installed-package-lock.json
fi

# The voice packs the local narration tests (tests/speak/) use, from the npm registry.
cd ../..
bash tests/speak/install-engine-files.sh
