#!/usr/bin/env bash
# Byte-for-byte check that two builds say the same: every command that
# evaluates a project runs on a copy of examples/acme with the clock pinned,
# once with each binary, and their standard output, standard error, exit
# code and the files they write are compared. For a refactoring that must
# not change behaviour.
#
# Usage: benches/identical.sh [BASE [NEW]]      (from anywhere)
#   BASE  a supportcheck binary, or a git revision that is built into a temp
#         folder (default: main)
#   NEW   a supportcheck binary (default: target/debug/supportcheck, built)
#
# Prints `OK name` or `DIFF name (what)` per command; exits 1 on a difference.
# KEEP=1 keeps the outputs (the folder is named on stderr).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
work="$(mktemp -d)"
if [[ -n "${KEEP:-}" ]]; then
    echo "outputs kept in $work" >&2
else
    trap 'rm -rf "$work"' EXIT
fi

export SUPPORTCHECK_NOW=2026-12-04T12:00:00Z
export NO_COLOR=1 LC_ALL=C COLUMNS=100
unset SUPPORTCHECK_DIR GITHUB_STEP_SUMMARY

# A binary as given, or one built from a git revision.
binary() {
    local what=$1
    if [[ -x "$what" && -f "$what" ]]; then
        realpath "$what"
        return
    fi
    local src="$work/src-$what"
    mkdir -p "$src"
    git -C "$repo" archive "$what" | tar -x -C "$src"
    (cd "$src" && cargo build --quiet) >&2
    echo "$src/target/debug/supportcheck"
}

base="$(binary "${1:-main}")"
if [[ $# -ge 2 ]]; then
    new="$(realpath "$2")"
else
    (cd "$repo" && cargo build --quiet)
    new="$repo/target/debug/supportcheck"
fi

# The steps, in order: a name, then the arguments. Later steps see what
# earlier ones wrote (a report version, a sign-off, an edited answer).
# A name starting with @ is a shell command that changes the project.
steps=(
    "status|status"
    "status-json|status --format json"
    "status-by-owner|status --by owner"
    "check|check"
    "check-verbose|-v check"
    "check-json|check --format json"
    "check-junit|check --format junit"
    "check-github|check --format github"
    "check-min-score|check --min-score 10 --format json"
    "explain|explain"
    "explain-question|explain support-channels/q1"
    "explain-playbook|explain escalation"
    "report-preview-json|report --preview --format json"
    "report-preview-md|report --preview --format md"
    "export-csv|export --format csv --out -"
    "report|report"
    "diff-live|diff --live"
    "signoff|signoff support-lead --as Dana_Lee --note Reviewed"
    "status-signed|status --format json"
    "@edit-answer|sed -i '0,/status: partial/s//status: met/' readiness/answers.yaml"
    "diff-live-edited|diff --live"
    "diff-live-json|diff --live --format json"
    "status-outdated|status"
    "check-outdated|check --format json"
    "signoff-again|signoff legal --as Jonas_Berg"
    "@require-signed|sed -i 's/^  warn_days: 14$/&\\n  signoffs: [support-lead, legal]\\n  signoffs_signed: true/' supportcheck.yaml"
    "status-unsigned|status --format json"
    "check-unsigned|check"
    "@bad-signers|printf 'not a signer line\\n' >readiness/allowed_signers"
    "check-bad-signers|check --format json"
    "signoff-needs-sign|signoff legal --as Jonas_Berg"
)

# Runs every step with one binary in its own copy of the example.
run_all() {
    local bin=$1 out=$2
    mkdir -p "$out"
    cp -r "$repo/examples/acme" "$out/acme"
    rm -rf "$out/acme/readiness/reports"
    local step name args
    for step in "${steps[@]}"; do
        name=${step%%|*}
        args=${step#*|}
        if [[ "$name" == @* ]]; then
            # A change to the project between commands, run in its folder.
            (cd "$out/acme" && eval "$args")
            continue
        fi
        # Underscores stand for spaces inside one argument.
        local argv=()
        read -r -a argv <<<"$args"
        argv=("${argv[@]//_/ }")
        local rc=0
        (cd "$out" && exec "$bin" -C acme "${argv[@]}") >"$out/$name.out" 2>"$out/$name.err" || rc=$?
        echo "$rc" >"$out/$name.rc"
    done
}

run_all "$base" "$work/base"
run_all "$new" "$work/new"

failed=0
for step in "${steps[@]}"; do
    name=${step%%|*}
    [[ "$name" == @* ]] && continue
    what=()
    for part in out err rc; do
        cmp -s "$work/base/$name.$part" "$work/new/$name.$part" || what+=("$part")
    done
    if [[ ${#what[@]} -eq 0 ]]; then
        echo "OK   $name"
    else
        echo "DIFF $name (${what[*]})"
        failed=1
        diff -u "$work/base/$name.out" "$work/new/$name.out" | head -20 || true
        diff -u "$work/base/$name.err" "$work/new/$name.err" | head -20 || true
    fi
done
# What the commands wrote: the report versions, the sign-offs, the answers.
if diff -r "$work/base/acme" "$work/new/acme" >/dev/null; then
    echo "OK   files written"
else
    echo "DIFF files written"
    diff -r "$work/base/acme" "$work/new/acme" | head -20 || true
    failed=1
fi
exit "$failed"
