#!/usr/bin/env bash
# The lint benchmark: `supportcheck lint` on a large generated set of
# playbooks, against a PyYAML (libyaml) parse of the same frontmatter and
# against merely reading the files with `cat`.
#
# Usage: benches/lint.sh [DIR] [N]        (from anywhere)
#   DIR  where the corpus is generated (default: a temp dir, removed after);
#        an existing DIR with Markdown files in it is reused as is
#   N    number of playbooks (default 11000, about 60 MB)
#
# Each command runs 5 times after a warm-up run (the files are then in the
# page cache for all three); the best wall-clock time counts. Uses hyperfine
# when it is installed, else a bash loop.
# Targets: lint >= 15x faster than the Python parse, and <= 2x the cat time.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
runs=5

# SUPPORTCHECK_BIN=path/to/supportcheck compares another build (e.g. an older commit).
if [[ -n "${SUPPORTCHECK_BIN:-}" ]]; then
    bin="$(realpath "$SUPPORTCHECK_BIN")"
else
    (cd "$repo" && cargo build --release --quiet)
    bin="$repo/target/release/supportcheck"
fi

if [[ $# -ge 1 ]]; then
    dir="$1"
    mkdir -p "$dir"
else
    dir="$(mktemp -d)"
    trap 'rm -rf "$dir"' EXIT
fi
dir="$(cd "$dir" && pwd)"
if [[ -z "$(find "$dir" -name '*.md' -print -quit)" ]]; then
    python3 "$here/gen_playbooks.py" "$dir" "${2:-11000}"
fi
files=$(find "$dir" -name '*.md' | wc -l)
mb=$(du -sm --apparent-size "$dir" | cut -f1)
echo "corpus: $dir ($files files, $mb MB), $(nproc) cores"

# Everything runs from inside the corpus, so no project config is picked up.
cd "$dir"
lint_cmd=("$bin" lint .)
py_cmd=(python3 "$here/pyyaml_parse.py" .)
cat_cmd=(sh -c "find . -name '*.md' -exec cat {} + > /dev/null")

# Sanity: lint must pass on the corpus, or the timing means nothing.
if ! errors="$("${lint_cmd[@]}" 2>&1)"; then
    echo "lint failed on the corpus:" >&2
    echo "$errors" | head -20 >&2
    exit 1
fi

# best_of NAME CMD...: prints the best wall time in seconds.
best_of() {
    local name="$1"
    shift
    if command -v hyperfine > /dev/null; then
        local json
        json="$(mktemp)"
        hyperfine --style none --warmup 1 --runs "$runs" --export-json "$json" \
            --command-name "$name" -- "$(printf '%q ' "$@")" > /dev/null 2>&1
        python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["min"])' "$json"
        rm -f "$json"
    else
        "$@" > /dev/null 2>&1
        local best="" start end ns
        for _ in $(seq "$runs"); do
            start=$(date +%s%N)
            "$@" > /dev/null 2>&1
            end=$(date +%s%N)
            ns=$((end - start))
            if [[ -z "$best" || $ns -lt $best ]]; then best=$ns; fi
        done
        awk -v ns="$best" 'BEGIN { printf "%.3f\n", ns / 1e9 }'
    fi
}

lint_s=$(best_of lint "${lint_cmd[@]}")
py_s=$(best_of pyyaml "${py_cmd[@]}")
cat_s=$(best_of cat "${cat_cmd[@]}")

awk -v lint="$lint_s" -v py="$py_s" -v cat="$cat_s" 'BEGIN {
    printf "best of %d runs, wall clock:\n", '"$runs"'
    printf "  supportcheck lint        %7.3f s\n", lint
    printf "  python + PyYAML (C)      %7.3f s\n", py
    printf "  find -exec cat           %7.3f s\n", cat
    printf "python / lint = %5.1fx   (target >= 15x)  %s\n", py / lint, (py / lint >= 15 ? "ok" : "MISSED")
    printf "lint / cat    = %5.2fx   (target <= 2x)   %s\n", lint / cat, (lint / cat <= 2 ? "ok" : "MISSED")
}'
