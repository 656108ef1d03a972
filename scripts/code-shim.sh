#!/usr/bin/env bash
# Stands in for the VS Code executable that @vscode/test-electron's runTests() starts:
#   code-shim.sh [folder] --extensionDevelopmentPath=DIR --extensionTestsPath=MODULE [other flags, ignored]
# and runs those tests in code-server's real extension host instead. Exit status: the tests'.
# Starts code-server for the run (and stops it after) unless one already answers on CS_PORT.
# env: E2E_DIR, CS_PORT, FORWARD_ENV (names of variables to pass into the extension host)
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export E2E_DIR=${E2E_DIR:-$PWD/.e2e}
port=${CS_PORT:-8123}

dev= tests= folder=
for arg in "$@"; do
  case "$arg" in
    --extensionDevelopmentPath=*) dev=${arg#*=} ;;
    --extensionTestsPath=*) tests=${arg#*=} ;;
    --*) ;;
    *) [ -d "$arg" ] && folder=$arg ;;
  esac
done
[ -n "$dev" ] && [ -n "$tests" ] || { echo "code-shim: need --extensionDevelopmentPath= and --extensionTestsPath=" >&2; exit 1; }

started= child=
cleanup() {
  if [ -n "$child" ] && kill "$child" 2>/dev/null; then
    for _ in $(seq 1 50); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
  fi
  [ -z "$started" ] || bash "$here/code-server.sh" stop >&2
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/healthz"; then
  bash "$here/code-server.sh" start "${folder:-$PWD}" >&2 || exit 1
  started=1
fi
# In the background, so that a signal reaches the traps at once.
node "$here/run-ext-tests.cjs" "$dev" "$tests" ${folder:+"$folder"} &
child=$!
wait "$child"; rc=$?
child=
exit "$rc"
