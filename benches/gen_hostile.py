#!/usr/bin/env python3
"""Generates the hostile cases of issue 23 for benches/hostile.sh.

Usage: gen_hostile.py DIR

Each case is a project folder DIR/<case> (a playbook, a config, answers)
plus the hostile input: a workbook declaring XFD1048576, .ods files whose
cells repeat, conditions that build without bound or nest deep, orphaned
answers by the thousand, big report indexes and configs, escape sequences
in user text and a logo pointing out of the project. Deterministic.
"""

import json
import os
import sys
import zipfile

PLAYBOOK = """---
title: Help desk
id: help-desk
checklist:
  - order: 1
    question: Is every request tracked?
    expectation: Every request gets a ticket.
    version: 1.0.0
  - order: 2
    question: Are tickets prioritised?
    expectation: Priorities are defined.
    version: 1.0.0
{extra}---
## How
Do it.
"""

ANSWERS = "format: 1\nanswers:\n  help-desk/q1:\n    status: met\n  help-desk/q2:\n    status: partial\n"


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)


def project(root, name, extra="", answers=ANSWERS, config=""):
    d = os.path.join(root, name)
    write(os.path.join(d, "pb/help-desk.md"), PLAYBOOK.format(extra=extra))
    write(os.path.join(d, "supportcheck.yaml"), "product: Acme\nchecklists: [pb]\n" + config)
    write(os.path.join(d, "readiness/answers.yaml"), answers)
    return d


def xlsx_far_cell(path):
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<dimension ref="A1:XFD1048576"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Id</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Status</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>Version</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Question register" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet)


def cell(text, repeat=1):
    return (
        f'<table:table-cell table:number-columns-repeated="{repeat}" office:value-type="string">'
        f"<text:p>{text}</text:p></table:table-cell>"
    )


HEADER = "<table:table-row>" + cell("Id") + cell("Status") + cell("Version") + "</table:table-row>"


def ods(path, rows):
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Question register">'
        + rows
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
        z.writestr("content.xml", content)


def condition(root, name, expr):
    extra = f"  - order: 3\n    question: Conditional?\n    expectation: Yes.\n    version: 1.0.0\n    applies_if: \"{expr}\"\n"
    project(root, name, extra=extra)


def orphans(root, name, questions, count):
    """`questions` questions in playbooks of 100, and `count` orphaned answers
    one edit away from a question id."""
    d = os.path.join(root, name)
    for p in range(questions // 100):
        items = "".join(
            f"  - order: {n}\n    question: Case {n} of {p}?\n    expectation: Done.\n    version: 1.0.0\n"
            for n in range(1, 101)
        )
        write(os.path.join(d, f"pb/p{p:04d}.md"), f"---\ntitle: P{p}\nid: p{p:04d}\nchecklist:\n{items}---\n")
    write(os.path.join(d, "supportcheck.yaml"), "product: Acme\nchecklists: [pb]\n")
    lines = ["format: 1", "answers:"]
    for i in range(count):
        p = i % (questions // 100)
        lines.append(f"  p{p:04d}/q{i % 100 + 1}x{i}:\n    status: met")
    write(os.path.join(d, "readiness/answers.yaml"), "\n".join(lines) + "\n")


def index_line(version):
    return json.dumps(
        {
            "version": version,
            "generated_at": "2026-11-23T12:00:00Z",
            "schema": "1",
            "scoring": 2,
            "product": "Acme",
            "score": 50.0,
            "level": "not-ready",
            "blockers": 0,
            "missing": 1,
            "expired_waivers": 0,
            "files": {f"readiness-v{version}.json": "0" * 64},
        }
    )


def portfolio(root):
    """Three products whose indexes are 100 MB of lines each, and one
    whose index and config are over the caps (sparse files)."""
    base = os.path.join(root, "portfolio")
    for k in range(3):
        d = project(base, f"p{k}")
        path = os.path.join(d, "readiness/reports/index.jsonl")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            size, v = 0, 0
            while size < 100 * 1024 * 1024:
                v += 1
                line = index_line(v) + "\n"
                f.write(line)
                size += len(line)
    d = project(base, "huge")
    path = os.path.join(d, "readiness/reports/index.jsonl")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(index_line(1) + "\n")
        f.truncate(400 * 1024 * 1024)
    d = project(base, "bigconfig")
    with open(os.path.join(d, "supportcheck.yaml"), "a") as f:
        f.truncate(400 * 1024 * 1024)


def main():
    root = sys.argv[1]
    d = project(root, "xlsx")
    xlsx_far_cell(os.path.join(d, "big.xlsx"))
    d = project(root, "ods-across")
    ods(os.path.join(d, "bomb.ods"),
        HEADER + '<table:table-row table:number-rows-repeated="1048575">' + cell("x", 16384) + "</table:table-row>")
    d = project(root, "ods-down")
    ods(os.path.join(d, "bomb.ods"),
        HEADER + '<table:table-row table:number-rows-repeated="1000000">'
        + cell("nope/q1") + cell("met") + cell("1.0.0") + "</table:table-row>")
    d = project(root, "ods-spaces")
    ods(os.path.join(d, "bomb.ods"),
        HEADER + '<table:table-row table:number-rows-repeated="50000">'
        '<table:table-cell table:number-columns-repeated="60" office:value-type="string">'
        '<text:p>a<text:s text:c="100000"/></text:p></table:table-cell></table:table-row>')
    d = project(root, "csv-errors")
    write(os.path.join(d, "sheet.csv"),
          "Id,Status,Version\n" + "".join(f"nope/q{i},met,1.0.0\n" for i in range(99_000)))
    note = '"\\t=HYPERLINK(\\"http://x\\")"'
    project(root, "formula", answers=f"format: 1\nanswers:\n  help-desk/q1:\n    status: met\n    note: {note}\n")
    condition(root, "cond-build", "range(100000)|join(range(100000)|join)|length > 0")
    condition(root, "cond-nots", "not " * 30000 + "true")
    condition(root, "cond-ands", "true" + " and true" * 30000)
    condition(root, "cond-filters", "1" + "|abs" * 100000)
    orphans(root, "orphans-50k", 5_000, 50_000)
    orphans(root, "orphans-5k", 50_000, 5_000)
    portfolio(root)
    sgr = "\\e[8mhidden\\e[0m \\e[5mblink\\e[0m"
    project(
        root,
        "sgr",
        answers=f'format: 1\nanswers:\n  help-desk/q1:\n    status: unmet\n    note: "{sgr}"\n',
    )
    project(root, "logo", config="report:\n  logo: /proc/self/environ\n")


if __name__ == "__main__":
    main()
