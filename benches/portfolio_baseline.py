#!/usr/bin/env python3
"""The Python baseline for benches/portfolio.sh: finds the same products and
reads the same data as `supportcheck portfolio` (each reports folder's
index.jsonl, else its newest readiness-v<N>.json with json.load), single
process, and prints one line per product.

Usage: portfolio_baseline.py ROOT...
"""

import json
import os
import re
import sys

VERSION = re.compile(r"^readiness-v(\d+)\.json$")


def product(reports):
    index = os.path.join(reports, "index.jsonl")
    if os.path.exists(index):
        with open(index) as f:
            lines = [json.loads(line) for line in f if line.strip()]
        latest = lines[-1]
        previous = lines[-2]["score"] if len(lines) > 1 else None
        return latest["product"], latest["level"], latest["score"], previous
    versions = sorted((int(m.group(1)), name) for name in os.listdir(reports)
                      if (m := VERSION.match(name)))
    if not versions:
        return None
    with open(os.path.join(reports, versions[-1][1])) as f:
        report = json.load(f)
    s = report["summary"]
    trend = report.get("trend", [])
    return report.get("product"), s["level"], s["score"], trend[-1]["score"] if trend else None


def main():
    out = []
    for top in sys.argv[1:]:
        for root, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            if "supportcheck.yaml" in files:
                reports = os.path.join(root, "readiness", "reports")
                row = product(reports) if os.path.isdir(reports) else None
                out.append(f"{root}\t{row}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
