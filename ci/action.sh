#!/usr/bin/env bash
# The shell steps of the supportcheck GitHub Action (action.yml), kept here
# so the test suite can run them with a fake GITHUB_* environment.
#
#   action.sh install   download the prebuilt binary for this runner, check
#                       its sha256, put it on GITHUB_PATH
#   action.sh run       the Markdown diff against the latest report and the
#                       gate (check --format github) in the job summary, then
#                       a new report version; sets the exit-code and
#                       reports-dir outputs
#   action.sh gate      ends the job with the gate's exit code
#
# Inputs arrive as INPUT_* variables (set by action.yml's env blocks).
set -euo pipefail

fail() {
  echo "::error title=supportcheck action::$*"
  exit 2
}

# The Rust target whose release archive runs on this runner; fails when
# there is none.
target() {
  case "${RUNNER_OS:-$(uname -s)}/${RUNNER_ARCH:-$(uname -m)}" in
    Linux/X64 | Linux/x86_64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64 | Linux/aarch64) echo aarch64-unknown-linux-gnu ;;
    macOS/X64 | Darwin/x86_64) echo x86_64-apple-darwin ;;
    macOS/ARM64 | Darwin/arm64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) return 1 ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

# owner/name and ref of this action. github.action_repository is not
# reliably set inside composite actions, so fall back to the folder the
# runner checked the action out to: .../_actions/OWNER/NAME/REF (with
# backslashes on Windows).
checkout='[/\\]_actions[/\\]([^/\\]+)[/\\]([^/\\]+)[/\\]([^/\\]+)[/\\]?$'

action_repo() {
  if [ -n "${ACTION_REPOSITORY:-}" ]; then
    echo "$ACTION_REPOSITORY"
  elif [[ "${GITHUB_ACTION_PATH:-}" =~ $checkout ]]; then
    echo "${BASH_REMATCH[1]}/${BASH_REMATCH[2]}"
  fi
}

action_ref() {
  if [ -n "${ACTION_REF:-}" ]; then
    echo "$ACTION_REF"
  elif [[ "${GITHUB_ACTION_PATH:-}" =~ $checkout ]]; then
    echo "${BASH_REMATCH[3]}"
  fi
}

install() {
  local version=${INPUT_VERSION:-}
  if [ -z "$version" ]; then
    # The action's own tag when it is a release (v1.2.3), else the latest.
    version=$(action_ref)
    [[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || version=latest
  fi
  local base=${INPUT_DOWNLOAD_URL:-}
  if [ -z "$base" ]; then
    local repo
    repo=$(action_repo)
    [ -n "$repo" ] || fail "cannot tell which repository this action came from; set the download-url input"
    if [ "$version" = latest ]; then
      base="${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/latest/download"
    else
      base="${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download/v${version#v}"
    fi
  fi
  local t ext
  t=$(target) ||
    fail "no prebuilt supportcheck for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}; install it with cargo instead"
  ext=tar.gz
  [[ "$t" == *windows* ]] && ext=zip
  local asset="supportcheck-$t.$ext"
  local dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/supportcheck-install"
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "downloading $base/$asset"
  curl -fsSL --retry 3 -o "$dir/$asset" "$base/$asset" || fail "cannot download $base/$asset"
  curl -fsSL --retry 3 -o "$dir/$asset.sha256" "$base/$asset.sha256" ||
    fail "cannot download $base/$asset.sha256"
  local expected actual
  expected=$(cut -d' ' -f1 <"$dir/$asset.sha256" | tr -d '\r\n')
  actual=$(sha256_of "$dir/$asset")
  [ "$expected" = "$actual" ] ||
    fail "checksum mismatch for $asset: the .sha256 file says $expected, the download is $actual"
  if [ "$ext" = zip ] && command -v unzip >/dev/null 2>&1; then
    unzip -q "$dir/$asset" -d "$dir"
  elif [ "$ext" = zip ]; then
    7z x -bd -y -o"$dir" "$dir/$asset" >/dev/null
  else
    tar -xzf "$dir/$asset" -C "$dir"
  fi
  local bin="$dir/supportcheck-$t"
  "$bin/supportcheck" --version
  echo "$bin" >>"${GITHUB_PATH:?GITHUB_PATH is not set}"
}

run() {
  local out=${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}
  local summary=${GITHUB_STEP_SUMMARY:?GITHUB_STEP_SUMMARY is not set}
  # First what the answers change since the latest report (the news on a
  # pull request), before a new version is written.
  local err
  err=$(mktemp)
  if supportcheck diff --live --format markdown >"$err.md" 2>"$err"; then
    cat "$err.md" >>"$summary"
  elif grep -q "no report in" "$err"; then
    printf '_No earlier readiness report to compare with: the first one is written now._\n\n' >>"$summary"
  else
    echo "::warning title=supportcheck diff::$(head -n 1 "$err")"
  fi
  rm -f "$err" "$err.md"

  # The gate: annotations, and its own summary below the diff.
  local args=(check --format github)
  [ -z "${INPUT_FAIL_ON:-}" ] || args+=(--fail-on "$INPUT_FAIL_ON")
  local code=0
  supportcheck "${args[@]}" || code=$?
  echo "exit-code=$code" >>"$out"
  [ "$code" -le 1 ] || return 0 # could not run: its error is in the log

  local formats=${INPUT_FORMATS-md,json,html}
  if [ -n "$formats" ]; then
    local written
    written=$(supportcheck --quiet report --format "$formats")
    local first=${written%%$'\n'*}
    local dir
    dir="$PWD/$(dirname "$first")"
    # upload-artifact on Windows wants a Windows path, not Git Bash's /d/a/...
    if command -v cygpath >/dev/null 2>&1; then dir=$(cygpath -w "$dir"); fi
    echo "reports-dir=$dir" >>"$out"
  fi
}

gate() {
  local code=${EXIT_CODE:-2}
  case "$code" in
    0) echo "supportcheck: the readiness gate passed" ;;
    1) echo "supportcheck: the readiness gate failed (see the annotations and the job summary)" ;;
    *) echo "supportcheck: could not run (exit $code)" ;;
  esac
  exit "$code"
}

case "${1:-}" in
  install | run | gate) "$1" ;;
  *)
    echo "usage: action.sh install|run|gate" >&2
    exit 2
    ;;
esac
