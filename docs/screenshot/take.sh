#!/usr/bin/env bash
# Takes docs/images/vscode.png: VS Code (code-server, from npm) with the InkSlop extension
# (editors/vscode) and the real `inkslop lsp`, on mantis-shrimp.inkslop, in headless
# Chromium. Not part of the tests. Needs: Node 20, `inkslop` (pip install -e .), and
# Debian's chromium, ripgrep and the headers code-server's native modules build against.
#   bash docs/screenshot/take.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${INKSLOP_SCREENSHOT_WORK:-/tmp/inkslop-screenshot}"
inkslop="$(command -v inkslop)"

apt-get update -qq
apt-get install -y -qq chromium ripgrep libkrb5-dev libsecret-1-dev libxkbfile-dev \
  libx11-dev pkg-config fonts-dejavu-core >/dev/null

# code-server: its install scripts download ripgrep from GitHub, which is not reachable
# here; Debian's rg stands in, and the native modules are built from source.
export npm_config_yes=true npm_config_build_from_source=true
if [ ! -x "$work/node_modules/.bin/code-server" ]; then
  mkdir -p "$work" && cp "$here/package.json" "$here/package-lock.json" "$work/"
  (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund)
  vscode="$work/node_modules/code-server/lib/vscode"
  (cd "$vscode" && npm install --omit=dev --ignore-scripts --no-audit --no-fund)
  mkdir -p "$vscode/node_modules/@vscode/ripgrep/bin"
  ln -sf "$(command -v rg)" "$vscode/node_modules/@vscode/ripgrep/bin/rg"
  (cd "$vscode" && npm rebuild --dangerously-allow-all-scripts)
  (cd "$work/node_modules/code-server" && npm_config_user_agent="npm node linux" \
    npm_config_unsafe_perm=true npm_config_dangerously_allow_all_scripts=true sh ./postinstall.sh)
  (cd "$work/node_modules/argon2" && npm rebuild --dangerously-allow-all-scripts)
fi

# the extension, packaged as a user installs it
(cd "$root/editors/vscode" && npm ci --no-audit --no-fund && npm run --silent package -- --out "$work/inkslop.vsix")
rm -rf "$work/extensions" "$work/user-data" "$work/workspace"
code_server=("$work/node_modules/.bin/code-server" --extensions-dir "$work/extensions"
             --user-data-dir "$work/user-data")
"${code_server[@]}" --install-extension "$work/inkslop.vsix"

mkdir -p "$work/workspace" "$work/user-data/User"
cp "$here/mantis-shrimp.inkslop" "$work/workspace/"
cat > "$work/user-data/User/settings.json" <<JSON
{
  "inkslop.server.path": "$inkslop",
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.colorTheme": "Default Dark Modern",
  "workbench.tips.enabled": false,
  "editor.minimap.enabled": false,
  "editor.fontSize": 14,
  "telemetry.telemetryLevel": "off"
}
JSON

port=18537
"${code_server[@]}" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry \
  --disable-update-check --disable-workspace-trust "$work/workspace" >"$work/code-server.log" 2>&1 &
server=$!
trap 'kill $server' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done

cp "$here/shoot.mjs" "$work/shoot.mjs"
node "$work/shoot.mjs" "http://127.0.0.1:$port" "$work/workspace" "$root/docs/images/vscode.png"
echo "wrote docs/images/vscode.png"
