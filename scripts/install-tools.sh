#!/usr/bin/env bash
# Installs what the project runs besides .NET: Azurite (pinned in tools/azurite/package-lock.json), the board
# pack's font (Debian's fonts-liberation2; the build copies it next to the program) and, with --browser,
# Debian's Chromium for the report page's browser tests, and with --libreoffice, headless LibreOffice Calc for the
# workbook's recalculation test, and with --pdf-tools, poppler's pdftoppm (the README's picture of the workbook).
# Usage: scripts/install-tools.sh [--browser] [--libreoffice] [--pdf-tools]
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Node.js and npm are required (Azurite runs on Node)" >&2
  exit 1
fi

if [ ! -f tools/azurite/node_modules/azurite/dist/src/azurite.js ]; then
  npm ci --prefix tools/azurite --no-audit --no-fund --loglevel=error >&2
fi

# Debian packages, installed only when missing.
packages=()
[ -f /usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf ] || packages+=(fonts-liberation2)
for option in "$@"; do
  case "$option" in
    --browser) command -v chromium >/dev/null 2>&1 || packages+=(chromium) ;;
    --libreoffice) command -v soffice >/dev/null 2>&1 || packages+=(libreoffice-calc-nogui) ;;
    --pdf-tools) command -v pdftoppm >/dev/null 2>&1 || packages+=(poppler-utils) ;;
    *) echo "unknown option $option (use --browser, --libreoffice, --pdf-tools)" >&2; exit 2 ;;
  esac
done
if [ "${#packages[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "needs the Debian packages ${packages[*]}; install them with your package manager" >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "installing ${packages[*]} (apt)..." >&2
  $sudo apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2
fi
