#!/usr/bin/env bash
# The main job on the embedded default: starts Azurite and the program on 127.0.0.1 (standalone mode, with
# its close scheduler and queue listeners, consolidating into USD), generates a sample company's billing events
# up to the last ended month, its daily FX rates and a plan (targets a little above and below its figures), uploads
# the rates and the targets, sends the events through the signed webhook, prints how many were stored, closes every ended month (catch-up), prints the month-by-month figures
# per currency and the group figures in USD read back through the API, then downloads every file of the
# latest report (board pack, workbook.xlsx, CSV files) through their short-lived links into ./out/, prints the next 12 months of the last closed
# month's stored forecasts per currency and for the group (billings, collections, revenue), its journal entries, one contract explained down to its events, the report page's URL,
# and last a short list of the alerts the close fired for the last ended month and how far its targets are off. Stops
# everything it started (with --keep, only after Enter is pressed, so the page can be opened).
# Usage: scripts/demo.sh [contracts] [seed] [--keep]
set -euo pipefail
cd "$(dirname "$0")/.."

keep=false
positional=()
for arg in "$@"; do
  if [ "$arg" = "--keep" ]; then keep=true; else positional+=("$arg"); fi
done
contracts="${positional[0]:-500}"
seed="${positional[1]:-2026}"
# From January 2024 to the last month that has ended (UTC).
months=$(( ($(date -u +%Y) - 2024) * 12 + $(date -u +%-m) - 1 ))
out="artifacts/demo"
mkdir -p "$out"

scripts/install-tools.sh
echo "building..." >&2
dotnet build src/BacklogFunctions.Cli -c Release -o "$out/cli" --nologo -v quiet >/dev/null
dotnet build src/BacklogFunctions.Host -c Release -o "$out/host" --nologo -v quiet >/dev/null

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
wait_for() { # url or host:port, seconds
  for _ in $(seq 1 "$2"0); do
    if node -e "require('net').connect($1,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1" >&2; return 1
}

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

blob=$(free_port); queue=$(free_port); table=$(free_port); app=$(free_port)
node tools/azurite/node_modules/azurite/dist/src/azurite.js --blobHost 127.0.0.1 --blobPort "$blob" \
  --queueHost 127.0.0.1 --queuePort "$queue" --tableHost 127.0.0.1 --tablePort "$table" \
  --inMemoryPersistence --disableTelemetry --skipApiVersionCheck --silent > "$out/azurite.log" 2>&1 &
pids+=($!)
wait_for "$table" 30
echo "Azurite on 127.0.0.1:$blob/$queue/$table (in memory)" >&2

# Azurite's fixed development account (public, not a secret); a fresh webhook secret and read key per run.
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
export Storage__ConnectionString="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
export BACKLOG_WEBHOOK_SECRET="demo-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export Webhook__Secrets__0="$BACKLOG_WEBHOOK_SECRET"
export BACKLOG_READ_KEY="demo-read-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export ReadApi__Keys__0="$BACKLOG_READ_KEY"
export Close__RunScheduler=true
export Close__ReportingCurrency=USD
export Storage__ListenToQueue=true
export Logging__LogLevel__Default=Warning

"$out/host/BacklogFunctions.Host" --urls "http://127.0.0.1:$app" > "$out/host.log" 2>&1 &
pids+=($!)
wait_for "$app" 60
echo "program on http://127.0.0.1:$app" >&2

"$out/cli/backlog" sample --contracts "$contracts" --months "$months" --seed "$seed" --fx-rates "$out/fx-rates.csv" --targets "$out/targets.csv" --projects-and-usage > "$out/events.ndjson"
echo "generated $(wc -l < "$out/events.ndjson") events of $(grep -c '"type":"contract.signed"' "$out/events.ndjson") contracts ($contracts usual ones, the rest projects and metered usage): $out/events.ndjson, $(( $(wc -l < "$out/fx-rates.csv") - 1 )) daily FX rates into USD: $out/fx-rates.csv, and $(( $(wc -l < "$out/targets.csv") - 1 )) targets: $out/targets.csv" >&2
"$out/cli/backlog" fx import --file "$out/fx-rates.csv" --url "http://127.0.0.1:$app"
# Before any month is closed: every close after it compares with the latest target version.
"$out/cli/backlog" targets --file "$out/targets.csv" --url "http://127.0.0.1:$app"
"$out/cli/backlog" send --events "$out/events.ndjson" --url "http://127.0.0.1:$app" --batch 500

echo "closing every ended month (the scheduler's catch-up, triggered now)..." >&2
node -e "
fetch('http://127.0.0.1:$app/api/close',{method:'POST',headers:{'x-functions-key':process.env.BACKLOG_READ_KEY}})
  .then(r=>r.json()).then(j=>{console.error('closed '+j.closed.length+' months, through '+j.lastEndedMonth)})"
"$out/cli/backlog" periods --url "http://127.0.0.1:$app"

last=$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m)
echo "waiting for the report of $last (rendered from the report-requests queue)..." >&2
mkdir -p out
node -e "
const base='http://127.0.0.1:$app', headers={'x-functions-key':process.env.BACKLOG_READ_KEY};
const fs=require('fs');
(async()=>{
  let report;
  for (let i=0;i<600 && !report;i++) {
    const r=await fetch(base+'/api/reports/$last',{headers});
    if (r.ok) report=await r.json(); else await new Promise(s=>setTimeout(s,200));
  }
  if (!report) { console.error('no report of $last after 120 s'); process.exit(1); }
  for (const f of report.files) {
    const bytes=Buffer.from(await (await fetch(f.url)).arrayBuffer());
    const path='out/'+f.name; fs.writeFileSync(path,bytes);
    console.log(path.padEnd(24)+String(bytes.length).padStart(10)+' bytes  sha256 '+f.sha256);
  }
  console.log('links expire at '+report.linksExpireAt);
})().catch(e=>{console.error(e);process.exit(1)})"
echo "the next 12 months of $last as the close stored them (GET /api/periods/$last/forecast):"
node -e "
const headers={'x-functions-key':process.env.BACKLOG_READ_KEY};
const money=a=>{const [i,d]=a.split('.');return (i.replace(/\\B(?=(\\d{3})+(?!\\d))/g,',')+(d===undefined?'':'.'+d)).padStart(18)};
(async()=>{
  const r=await fetch('http://127.0.0.1:$app/api/periods/$last/forecast',{headers});
  if (!r.ok) { console.error('no stored forecast of $last: '+r.status); process.exit(1); }
  const stored=await r.json();
  for (const t of [...stored.totals, ...(stored.consolidated ? [{...stored.consolidated, currency:'Group '+stored.consolidated.currency}] : [])]) {
    console.log('  '+t.currency.padEnd(10)+'billings'.padStart(18)+'collections'.padStart(18)+'revenue'.padStart(18));
    console.log('  '+'overdue'.padEnd(10)+money(t.overdueBilling)+money(t.collectionsOverdue)+''.padStart(18));
    for (let i=0;i<12;i++) console.log('  '+t.billingsForecast[i].month.padEnd(10)+money(t.billingsForecast[i].amount)+money(t.collectionsForecast[i].amount)+money(t.revenueWaterfall[i].amount));
  }
})().catch(e=>{console.error(e);process.exit(1)})"
echo "the journal of $last for the general ledger (GET /api/periods/$last/journal):"
node -e "
const headers={'x-functions-key':process.env.BACKLOG_READ_KEY};
const money=a=>{if(/^0(\.0+)?$/.test(a))return ''.padStart(18);const [i,d]=a.split('.');return (i.replace(/\B(?=(\d{3})+(?!\d))/g,',')+(d===undefined?'':'.'+d)).padStart(18)};
(async()=>{
  const r=await fetch('http://127.0.0.1:$app/api/periods/$last/journal',{headers});
  if (!r.ok) { console.error('no journal of $last: '+r.status); process.exit(1); }
  let currency='';
  for (const l of (await r.json()).lines) {
    if (l.currency!==currency) { currency=l.currency; console.log('  '+currency.padEnd(24)+'debit'.padStart(18)+'credit'.padStart(18)+'  memo'); }
    console.log('  '+l.account.padEnd(24)+money(l.debit)+money(l.credit)+'  '+l.memo);
  }
})().catch(e=>{console.error(e);process.exit(1)})"
echo "one contract of $last explained down to its events (a contract with revenue this month; GET /api/periods/$last/contracts/{id}/explain?format=text):"
node -e "
const base='http://127.0.0.1:$app', headers={'x-functions-key':process.env.BACKLOG_READ_KEY};
(async()=>{
  const journal=await (await fetch(base+'/api/periods/$last/journal?detail=contract',{headers})).json();
  const revenue=journal.lines.filter(l=>l.entry==='revenue' && !l.priorPeriodAdjustment).sort((a,b)=>Number(b.credit)-Number(a.credit))[0];
  if (!revenue) { console.log('  no revenue in $last'); return; }
  const r=await fetch(base+'/api/periods/$last/contracts/'+encodeURIComponent(revenue.contractId)+'/explain?format=text',{headers});
  if (!r.ok) { console.error('no explanation: '+r.status); process.exit(1); }
  console.log((await r.text()).split('\n').map(l=>'  '+l).join('\n'));
})().catch(e=>{console.error(e);process.exit(1)})"
echo "report page: http://127.0.0.1:$app/api/reports/page (sign in with this run's read key: $BACKLOG_READ_KEY)"
"$out/cli/backlog" alerts --url "http://127.0.0.1:$app" --period "$last" --format summary
if [ "$keep" = true ]; then
  read -r -p "Azurite and the program keep running; press Enter to stop them. " _
fi
