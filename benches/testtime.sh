#!/usr/bin/env bash
# Benchmark: how long the test loop makes a developer wait.
#
#   1. `cargo test` from a clean clone of HEAD (the registry cached, an empty
#      target folder): the first run a contributor or CI sees.
#   2. An edit to one renderer (a comment appended to
#      crates/supportcheck-core/src/render/markdown.rs), then `cargo test`
#      again: the everyday loop.
#
# Prints the wall time and peak RSS of each, and exits 1 when the edit loop
# takes longer than EDIT_LIMIT seconds (default 90) or the clean run longer
# than CLEAN_LIMIT seconds (default 180: half of the 6 minutes measured on
# two cores before the test loop was reworked).
#
# Usage: benches/testtime.sh                 (from anywhere in the repository)
#        CLEAN_LIMIT=240 EDIT_LIMIT=120 benches/testtime.sh
# Set CI=true for the tests that need Chromium or poppler to run their
# checks, as .ci/run does; without it they say they skipped.
set -euo pipefail

cd "$(dirname "$0")/.."
CLEAN_LIMIT=${CLEAN_LIMIT:-180}
EDIT_LIMIT=${EDIT_LIMIT:-90}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

git clone --quiet . "$work/p"
# The shared notes the documentation tests read sit beside the checkout.
[ -e ../shared ] && ln -s "$PWD/../shared" "$work/shared"
cd "$work/p"
cargo fetch --quiet

# Runs `cargo test` and prints "<seconds> <peak MB>".
timed_test() {
    local out="$work/time.txt"
    /usr/bin/time -f '%e %M' -o "$out" cargo test --quiet >"$work/test.log" 2>&1 || {
        tail -40 "$work/test.log" >&2
        echo "cargo test failed" >&2
        exit 2
    }
    awk '{ printf "%s %.0f\n", $1, $2 / 1024 }' "$out"
}

read -r clean clean_mb < <(timed_test)
printf '// an edit to one renderer\n' >>crates/supportcheck-core/src/render/markdown.rs
read -r edit edit_mb < <(timed_test)

echo "cargo test from a clean clone:        ${clean} s, peak ${clean_mb} MB (limit ${CLEAN_LIMIT} s)"
echo "one renderer edited, then cargo test: ${edit} s, peak ${edit_mb} MB (limit ${EDIT_LIMIT} s)"
awk -v c="$clean" -v cl="$CLEAN_LIMIT" -v e="$edit" -v el="$EDIT_LIMIT" \
    'BEGIN { exit !(c <= cl && e <= el) }' || {
    echo "over the limit" >&2
    exit 1
}
