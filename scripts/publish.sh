#!/usr/bin/env bash
# Publishes the program as a complete Azure Functions app folder (custom handler): a self-contained
# linux-x64 executable with its run bit, host.json and one folder per function, and no local settings.
# Builds in a folder of its own (--artifacts-path), so it never disturbs the repository's bin/ and obj/.
# Usage: scripts/publish.sh [output folder]   (default artifacts/functionapp)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/functionapp}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rm -rf "$out"
dotnet publish src/BacklogFunctions.Host -c Release -r linux-x64 --self-contained \
  -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:DebugType=none \
  --artifacts-path "$work" -o "$out" --nologo -v quiet
rm -f "$out/local.settings.json"
echo "$out"
