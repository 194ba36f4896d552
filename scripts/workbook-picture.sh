#!/usr/bin/env bash
# Writes the README's picture of a workbook's Contracts sheet: its top-left corner as LibreOffice Calc prints it
# (each sheet on one PDF page; Contracts is the third), rasterized and cropped by poppler's pdftoppm.
# Usage: scripts/workbook-picture.sh WORKBOOK.xlsx OUT.png   (e.g. out/workbook.xlsx after scripts/demo.sh)
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 WORKBOOK.xlsx OUT.png" >&2; exit 2; }
workbook="$(realpath "$1")"
out="$(realpath -m "$2")"
cd "$(dirname "$0")/.."
scripts/install-tools.sh --libreoffice --pdf-tools

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$workbook" "$work/workbook.xlsx"
soffice --headless -env:UserInstallation="file://$work/profile" \
  --convert-to 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}' \
  --outdir "$work" "$work/workbook.xlsx" >/dev/null
pdftoppm -f 3 -l 3 -r 80 -x 0 -y 0 -W 1600 -H 560 -png -singlefile "$work/workbook.pdf" "${out%.png}"
echo "wrote $out"
