#!/usr/bin/env bash
# Runs every test of the solution and ends with one line: "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/install-tools.sh --browser || { echo "0 passed, 1 failed"; exit 1; }
# LibreOffice recalculates the workbook's formulas in one test; where it cannot be installed that test is skipped
# and says so.
scripts/install-tools.sh --libreoffice || echo "LibreOffice Calc could not be installed: the workbook recalculation test will be skipped" >&2

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

dotnet test BacklogFunctions.sln -c Release --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed:     0, Passed:   117, Skipped:     0, Total: ..."
read -r passed failed skipped < <(grep -E '^(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" \
  | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\1 \2 \3/' \
  | awk '{ f += $1; p += $2; s += $3 } END { printf "%d %d %d\n", p, f, s }')

# A build error or a crashed test run fails without a test to count: count it as one failure.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi

summary="$passed passed, $failed failed"
if [ "$skipped" -gt 0 ]; then summary="$summary, $skipped skipped"; fi
echo "$summary"
exit "$status"
