#!/usr/bin/env bash
# The main job, offline: generate a realistic month of billing events and print the month-end snapshot.
# Usage: scripts/demo.sh [contracts] [months] [seed]
set -euo pipefail
cd "$(dirname "$0")/.."

contracts="${1:-500}"
months="${2:-24}"
seed="${3:-2026}"
out="artifacts/demo"
mkdir -p "$out"

dotnet build src/BacklogFunctions.Cli -c Release -o "$out/bin" --nologo -v quiet >/dev/null
backlog="$out/bin/backlog"

"$backlog" sample --contracts "$contracts" --months "$months" --seed "$seed" > "$out/events.ndjson"
last_month="$(date -u -d "2024-01-01 +$((months - 1)) months" +%Y-%m)"
echo "events: $out/events.ndjson ($(wc -l < "$out/events.ndjson") events of $contracts contracts)" >&2
"$backlog" snapshot --events "$out/events.ndjson" --period "$last_month"
"$backlog" snapshot --events "$out/events.ndjson" --period "$last_month" --format json > "$out/snapshot-$last_month.json"
"$backlog" waterfall --events "$out/events.ndjson" --period "$last_month" --format csv > "$out/waterfall-$last_month.csv"
echo "also written: $out/snapshot-$last_month.json, $out/waterfall-$last_month.csv" >&2
