#!/usr/bin/env bash
# Packs one release archive the way the Action and cargo-binstall expect it:
#   OUTDIR/supportcheck-TARGET.tar.gz   (.zip for Windows targets)
#     supportcheck-TARGET/supportcheck[.exe], README.md, CHANGELOG.md
#   OUTDIR/supportcheck-TARGET.tar.gz.sha256   "<sha256>  <archive name>"
#
# usage: ci/package.sh TARGET BINARY OUTDIR
set -euo pipefail

target=${1:?usage: package.sh TARGET BINARY OUTDIR}
binary=${2:?usage: package.sh TARGET BINARY OUTDIR}
outdir=${3:?usage: package.sh TARGET BINARY OUTDIR}
root=$(cd "$(dirname "$0")/.." && pwd)

name="supportcheck-$target"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name" "$outdir"
exe=supportcheck
[[ "$target" == *windows* ]] && exe=supportcheck.exe
cp "$binary" "$stage/$name/$exe"
cp "$root/README.md" "$root/CHANGELOG.md" "$stage/$name/"

outdir=$(cd "$outdir" && pwd)
if [[ "$target" == *windows* ]]; then
  archive="$name.zip"
  (cd "$stage" && 7z a -tzip -bd "$outdir/$archive" "$name" >/dev/null)
else
  archive="$name.tar.gz"
  tar -czf "$outdir/$archive" -C "$stage" "$name"
fi

cd "$outdir"
if command -v sha256sum >/dev/null 2>&1; then
  sha256sum "$archive" >"$archive.sha256"
else
  shasum -a 256 "$archive" >"$archive.sha256"
fi
echo "$outdir/$archive"
