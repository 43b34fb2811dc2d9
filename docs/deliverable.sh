#!/usr/bin/env bash
# Makes the pictures of docs/deliverable.md and the README: examples/acme
# with two report versions (so it has a trend) and a pinned date, then
# page one of the PDF, the first page of its roadmap, page one at
# 390 px, and page one of the Word document as LibreOffice prints it.
# Needs a built supportcheck on PATH (cargo build), chromium, poppler-utils
# and libreoffice-writer.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/examples/acme/." "$work/"
cd "$work"

# Version 1, a week earlier, when six answers were only partly met.
awk '/status: met$/ && n < 6 { sub(/status: met$/, "status: partial"); n++ } { print }' readiness/answers.yaml >old.yaml
SUPPORTCHECK_NOW=2026-11-27T12:00:00Z supportcheck -q --answers old.yaml report --format json >/dev/null
SUPPORTCHECK_NOW=2026-12-04T12:00:00Z supportcheck -q report --format json,html,pdf,docx >/dev/null
reports=readiness/reports

pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$reports/readiness-v2.pdf" "$root/docs/deliverable-page-one"
cp "$root/docs/deliverable-page-one.png" "$root/docs/report-pdf.png"

shot() { # WIDTH HEIGHT URL OUT
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$work/profile" --window-size="$1,$2" \
    --screenshot="$4" "$3" >/dev/null 2>&1
}
# The roadmap: the first page of the PDF that starts it.
pages=$(pdfinfo "$reports/readiness-v2.pdf" | awk '/^Pages:/ {print $2}')
for page in $(seq 1 "$pages"); do
  if pdftotext -f "$page" -l "$page" "$reports/readiness-v2.pdf" - | grep -qx 'Roadmap'; then
    pdftoppm -png -r 80 -f "$page" -l "$page" -singlefile "$reports/readiness-v2.pdf" "$root/docs/deliverable-roadmap"
    break
  fi
done
# Page one at phone width, through a 390 px frame (headless windows are
# at least 500 px wide).
printf '<!DOCTYPE html><body style="margin:0"><iframe src="readiness-v2.html" width="390" height="2200" style="border:0"></iframe>' >"$reports/phone.html"
shot 390 2200 "file://$work/$reports/phone.html" "$root/docs/deliverable-phone.png"

HOME="$work" soffice -env:UserInstallation="file://$work/lo" --headless \
  --convert-to pdf --outdir "$work/docx" "$reports/readiness-v2.docx" >/dev/null
pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$work/docx/readiness-v2.pdf" "$root/docs/deliverable-docx"
echo "wrote docs/deliverable-*.png and docs/report-pdf.png"
