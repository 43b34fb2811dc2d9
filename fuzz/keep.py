#!/usr/bin/env python3
"""Copies a few interesting inputs from a fuzz corpus into fuzz/regressions/.

Usage: fuzz/keep.py TARGET [PER_FEATURE=3]

For each feature below (YAML anchors, tags, block scalars, tabs, CRLF, a BOM,
invalid UTF-8, NUL bytes, deep nesting, ...) it keeps the smallest corpus
inputs that show it, so `cargo test` replays a spread of the shapes the
fuzzer reached. Crashes are kept by hand, with their fix.
"""
import hashlib
import os
import re
import sys

FEATURES = {
    "anchor": rb"&[A-Za-z]",
    "alias": rb"\*[A-Za-z]",
    "merge": rb"<<:",
    "tag": rb"!!?[A-Za-z]",
    "block": rb"[|>][-+]?\s*\n",
    "flow": rb"\{[^}\n]*:",
    "tab": rb"\t",
    "crlf": rb"\r\n",
    "bom": rb"\xef\xbb\xbf",
    "nul": rb"\x00",
    "deep": rb"(\[\s*){8}|(\{\s*){8}",
    "quote": rb"\"[^\"\n]*\\",
    "fence": rb"\n---\s*\n",
    "waiver": rb"waiver",
    "criteria": rb"criteria",
    "files": rb"@@@ ",
}


def main():
    target = sys.argv[1]
    per = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    here = os.path.dirname(os.path.abspath(__file__))
    corpus = os.path.join(here, "corpus", target)
    out = os.path.join(here, "regressions", target)
    os.makedirs(out, exist_ok=True)
    inputs = []
    for name in os.listdir(corpus):
        with open(os.path.join(corpus, name), "rb") as f:
            data = f.read()
        if len(data) <= 8192:
            inputs.append(data)
    inputs.sort(key=len)
    kept = 0
    for feature, pattern in FEATURES.items():
        matching = [d for d in inputs if re.search(pattern, d)]
        # Not the very smallest (often trivial): the smallest of the upper half.
        matching = matching[len(matching) // 2:][:per]
        for data in matching:
            digest = hashlib.sha256(data).hexdigest()[:12]
            path = os.path.join(out, f"corpus-{feature}-{digest}")
            if not os.path.exists(path):
                with open(path, "wb") as f:
                    f.write(data)
                kept += 1
    print(f"{target}: kept {kept} inputs in {out}")


if __name__ == "__main__":
    main()
