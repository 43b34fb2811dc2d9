#!/usr/bin/env bash
# The hostile-answers benchmark: `supportcheck lint` and `status` on an
# answers file with N answers that match no question (each gets a "did you
# mean" lookup) and a comment above and at the end of each (each is found,
# tied to its answer and, on a rewrite, put back). Guards against the
# comment scan or the suggestion lookup turning quadratic.
#
# Usage: benches/answers_comments.sh [N]        (from anywhere; N default 60000)
#
# SUPPORTCHECK_BIN=path/to/supportcheck compares another build (e.g. main's).
# Each command runs 3 times; the best wall-clock time counts.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
n="${1:-60000}"

if [[ -n "${SUPPORTCHECK_BIN:-}" ]]; then
    bin="$(realpath "$SUPPORTCHECK_BIN")"
else
    (cd "$repo" && cargo build --release --quiet)
    bin="$repo/target/release/supportcheck"
fi

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/readiness"
python3 - "$dir/readiness/answers.yaml" "$n" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
lines = ["format: 1", "answers:"]
for i in range(n):
    lines += [f"  # note {i}", f"  p/q{i}:", "    status: met  # checked", "    note: n"]
open(path, "w").write("\n".join(lines) + "\n")
PY
echo "answers file: $n orphaned answers with 2 comments each, $(du -h "$dir/readiness/answers.yaml" | cut -f1)"

best() {
    local best=""
    for _ in 1 2 3; do
        local start end t
        start=$(date +%s.%N)
        (cd "$dir" && "$bin" "$@" >/dev/null 2>&1) || true
        end=$(date +%s.%N)
        t=$(echo "$end - $start" | bc)
        if [[ -z "$best" ]] || (( $(echo "$t < $best" | bc) )); then best=$t; fi
    done
    printf '%-10s %6.2f s\n' "$1" "$best"
}
best lint
best status
