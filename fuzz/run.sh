#!/usr/bin/env bash
# Runs one fuzz target for a while, from a corpus seeded with the repository's
# own playbooks, fixtures and examples.
#
#   fuzz/run.sh <playbook|answers|config|project|all> [seconds=600] [extra libFuzzer flags]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain.
# Crashes land in fuzz/artifacts/<target>/; copy each one into
# fuzz/regressions/<target>/ with the fix, and `cargo test --test fuzz_regressions`
# replays it from then on.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?target: playbook, answers, config, project or all}
seconds=${2:-600}
shift $(( $# < 2 ? $# : 2 ))

if [ "$target" = all ]; then
  for t in playbook answers config project; do "$0" "$t" "$seconds" "$@"; done
  exit 0
fi

corpus=corpus/$target
mkdir -p "$corpus" "artifacts/$target"
seed() { cp -n "$@" "$corpus/" 2>/dev/null || true; }
case $target in
  playbook)
    for f in ../checklists/*/*.md ../tests/fixtures/*/*.md ../tests/fixtures/*/*/*.md; do
      [ -f "$f" ] && cp -n "$f" "$corpus/$(echo "$f" | tr / _)"
    done ;;
  answers) seed seeds/answers/* ../examples/acme/readiness/answers.yaml ;;
  config) seed seeds/config/* ../examples/acme/supportcheck.yaml ;;
  project)
    seed seeds/project/*
    # One project per built-in section: its playbooks plus the Acme config and answers.
    for section in ../checklists/*/; do
      name=$(basename "$section")
      out=$corpus/seed-$name
      [ -e "$out" ] && continue
      {
        printf '@@@ supportcheck.yaml\nchecklists: [checklists]\n'
        sed -n '/^gate:/,$p' ../examples/acme/supportcheck.yaml
        printf '@@@ readiness/answers.yaml\n'
        cat ../examples/acme/readiness/answers.yaml
        for f in "$section"*.md; do printf '@@@ checklists/%s/%s\n' "$name" "$(basename "$f")"; cat "$f"; done
      } > "$out"
    done ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
seed regressions/$target/*

# -close_fd_mask=3: the project target runs whole commands, which print.
flags=(-max_total_time="$seconds" -dict=fuzz.dict -timeout=10 -rss_limit_mb=2048
       -max_len=65536 -print_final_stats=1)
[ "$target" = project ] && flags+=(-close_fd_mask=3)
cargo +nightly fuzz run --sanitizer none "$target" "$corpus" -- "${flags[@]}" "$@"
