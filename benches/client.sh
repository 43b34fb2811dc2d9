#!/usr/bin/env bash
# Benchmark: the client deliverables on a generated set of 20,000 questions
# with full answers (benches/gen_check.py). Times `report --format json`
# (the record alone) against `report --format json,html` with hyperfine
# when it is installed (else the best of five runs), prints the ratio, and
# exits 1 when the HTML costs 2x the JSON-only run or more. Then prints the
# PDF once and reports its time, size and pages (needs Chromium; poppler's
# pdfinfo for the page count), and exports and re-imports the register.
#
# Usage: benches/client.sh           (from the repository root)
#        QUESTIONS=20000 benches/client.sh
set -euo pipefail

cd "$(dirname "$0")/.."
N=${QUESTIONS:-20000}
cargo build --release --quiet
bin="$PWD/target/release/supportcheck"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 benches/gen_check.py "$work" "$N"
printf 'checklists: [playbooks]\nanswers: answers.yaml\nreports: reports\n' > "$work/supportcheck.yaml"
cd "$work"

# Best wall time in seconds of five runs of the command; each run writes a
# new version into its own reports folder, so the folder stays small.
best() {
    local best=999999 i t0 t1 t
    for i in 1 2 3 4 5; do
        rm -rf out
        t0=$(date +%s.%N)
        "$bin" -q "$@" --out out >/dev/null
        t1=$(date +%s.%N)
        t=$(echo "$t1 - $t0" | bc)
        if (( $(echo "$t < $best" | bc) )); then best=$t; fi
    done
    echo "$best"
}

json=$(best report --format json)
html=$(best report --format json,html)
ratio=$(echo "scale=2; $html / $json" | bc)
printf '%s questions: report json %.3f s, json+html %.3f s, ratio %s\n' "$N" "$json" "$html" "$ratio"
if command -v hyperfine >/dev/null 2>&1; then
    hyperfine -w 1 -r 5 --prepare 'rm -rf out' \
        "$bin -q report --format json --out out" \
        "$bin -q report --format json,html --out out"
fi

if command -v chromium >/dev/null 2>&1 || [ -n "${SUPPORTCHECK_BROWSER:-}" ]; then
    rm -rf out
    t0=$(date +%s.%N)
    "$bin" -q report --format pdf --out out >/dev/null
    t1=$(date +%s.%N)
    pdf=$(ls out/*.pdf)
    pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
    printf 'pdf: %.1f s, %s MB, %s pages\n' "$(echo "$t1 - $t0" | bc)" \
        "$(( $(stat -c %s "$pdf") / 1048576 ))" "${pages:-?}"
else
    echo "pdf: skipped (no chromium)"
fi

t0=$(date +%s.%N)
"$bin" -q export --out register.xlsx >/dev/null
t1=$(date +%s.%N)
"$bin" -q import register.xlsx >/dev/null
t2=$(date +%s.%N)
printf 'export xlsx: %.2f s (%s KB), import: %.2f s\n' "$(echo "$t1 - $t0" | bc)" \
    "$(( $(stat -c %s register.xlsx) / 1024 ))" "$(echo "$t2 - $t1" | bc)"

if (( $(echo "$ratio >= 2" | bc) )); then
    echo "the HTML report costs ${ratio}x the JSON alone (limit: under 2x)" >&2
    exit 1
fi
