#!/usr/bin/env bash
# Runs every test of the solution and ends with one line: "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/install-tools.sh || { echo "0 passed, 1 failed"; exit 1; }

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

dotnet test BacklogFunctions.sln -c Release --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed:     0, Passed:   117, Skipped:     0, Total: ..."
summary="$(grep -E '^(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" \
  | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\1 \2 \3/' \
  | awk '{ f += $1; p += $2; s += $3 } END { printf "%d passed, %d failed", p, f; if (s > 0) printf ", %d skipped", s; printf "\n" }')"

if [ "$status" -ne 0 ] && [ "$summary" = "0 passed, 0 failed" ]; then
  summary="0 passed, 1 failed"   # the build or the test run itself failed
fi
echo "$summary"
exit "$status"
