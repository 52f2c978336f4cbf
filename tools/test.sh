#!/usr/bin/env bash
# The test command: starts the test stack, builds once, runs every test, stops the stack, and fails when any test
# failed or was skipped (a skip means a server was missing, which this command must never hide).
#
#   tools/test.sh                          everything
#   tools/test.sh --filter 'FullyQualifiedName~Kerberos'   extra arguments go to `dotnet test`
#
# Ends with one line "N passed, N failed, N skipped". TRX files: artifacts/test-results/.
set -euo pipefail

# A relative KOJICOMPOSER_STACK_DIR means relative to where the command was started.
if [[ -n "${KOJICOMPOSER_STACK_DIR:-}" && "$KOJICOMPOSER_STACK_DIR" != /* ]]; then
    export KOJICOMPOSER_STACK_DIR="$PWD/$KOJICOMPOSER_STACK_DIR"
fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly RESULTS="artifacts/test-results"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# The stack is stopped on every way out, including Ctrl-C and a CI cancel (TERM).
trap 'tools/test-stack.sh stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
tools/test-stack.sh start
# shellcheck source=/dev/null
. "${KOJICOMPOSER_STACK_DIR:-.test-stack}/env"

dotnet build KojiComposer.sln -c Release --nologo -v minimal

rm -rf "$RESULTS"
# The blame collector (there for --blame-hang-timeout) says once per project that nothing hung: drop that line.
set +e
dotnet test KojiComposer.sln -c Release --no-build --nologo -v minimal \
    --logger "trx;LogFilePrefix=tests" --results-directory "$RESULTS" \
    --blame-hang-timeout 10m --blame-hang-dump-type mini \
    "$@" | grep --line-buffered -v "^Data collector 'Blame' message: All tests finished running"
test_rc=${PIPESTATUS[0]}
set -e

# Stop before the summary so that its last line really is the last line.
trap - EXIT
tools/test-stack.sh stop
python3 tools/trx-summary.py "$RESULTS" "$test_rc"
