#!/usr/bin/env python3
"""Baseline for the lint benchmark: walk DIR, split off each Markdown file's
frontmatter and parse it with PyYAML's libyaml loader (yaml.CSafeLoader).

Usage: pyyaml_parse.py DIR
"""

import os
import sys

import yaml


def frontmatter(text):
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i])
    return None


def main():
    root = sys.argv[1]
    files = playbooks = questions = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".md"):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                text = f.read()
            files += 1
            yaml_text = frontmatter(text)
            if yaml_text is None:
                continue
            data = yaml.load(yaml_text, Loader=yaml.CSafeLoader)
            if isinstance(data, dict) and isinstance(data.get("checklist"), list):
                playbooks += 1
                questions += len(data["checklist"])
    print(f"{files} files, {playbooks} playbooks, {questions} questions", file=sys.stderr)


if __name__ == "__main__":
    main()
