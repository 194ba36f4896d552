#!/usr/bin/env bash
# Installs what the project runs besides .NET: Azurite (pinned in tools/azurite/package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Node.js and npm are required (Azurite runs on Node)" >&2
  exit 1
fi

if [ ! -f tools/azurite/node_modules/azurite/dist/src/azurite.js ]; then
  npm ci --prefix tools/azurite --no-audit --no-fund --loglevel=error >&2
fi
