//! Hostile inputs, round three (issue 23): spreadsheets as untrusted
//! archives, conditions as untrusted code, cost that follows useful
//! content, and output that is safe to print. Every input is generated
//! here; a run that could allocate without bound runs under `ulimit -v`.

use crate::support::{Output, Test};
use std::io::Write as _;

const PLAYBOOK: &str = "---\ntitle: Help desk\nid: help-desk\nchecklist:\n  - order: 1\n    question: Is every request tracked?\n    expectation: Every request gets a ticket.\n    version: 1.0.0\n  - order: 2\n    question: Are tickets prioritised?\n    expectation: Priorities are defined.\n    version: 1.0.0\n---\n## How\nDo it.\n";

fn project() -> Test {
    Test::new()
        .file("pb/help-desk.md", PLAYBOOK)
        .file("supportcheck.yaml", "product: Acme\nchecklists: [pb]\n")
        .file(
            "readiness/answers.yaml",
            "format: 1\nanswers:\n  help-desk/q1:\n    status: met\n  help-desk/q2:\n    status: partial\n",
        )
}

/// The address space a hostile run may map, in KiB: far above what the
/// tool needs, far below what the unbounded cases tried to take.
const LIMIT_KIB: u64 = 1024 * 1024;

/// Runs the binary in the project under `ulimit -v` (KiB), so that an
/// allocation without bound fails here instead of taking the machine.
fn limited(t: &Test, args: &[&str]) -> Output {
    let bin = assert_cmd::cargo::cargo_bin("supportcheck");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {LIMIT_KIB} && exec \"$0\" \"$@\""))
        .arg(bin)
        .args(args)
        .current_dir(t.path())
        .env("SUPPORTCHECK_NOW", "2026-11-23T12:00:00Z")
        .env("MALLOC_ARENA_MAX", "2")
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .output()
        .expect("sh runs");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Asserts that a run ended by itself with `code` (not by a signal: a
/// failed allocation aborts with 134, a stack overflow with SIGABRT too).
fn ended(out: &Output, code: i32, what: &str) {
    assert_eq!(
        out.code, code,
        "{what}: exit {}\n--- stdout\n{}\n--- stderr\n{}",
        out.code, out.stdout, out.stderr
    );
}

// ------------------------------------------------ spreadsheets as archives

/// A zip of `files` (name, content), deflated.
fn zip_of(files: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in files {
        let method = if *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        w.start_file(
            *name,
            zip::write::SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        w.write_all(content.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// An .ods whose one sheet holds `rows` (the XML of its table rows).
fn ods(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Question register">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    zip_of(&[
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        (
            "META-INF/manifest.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
        ),
        ("content.xml", &content),
    ])
}

fn text_cell(text: &str, repeat: u64) -> String {
    format!(
        r#"<table:table-cell table:number-columns-repeated="{repeat}" office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

const HEADER_ROW: &str = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>Id</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Status</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Version</text:p></table:table-cell></table:table-row>"#;

#[test]
fn a_sheet_declaring_its_last_cell_is_refused_before_its_cells_are_read() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Question register").unwrap();
    for (c, h) in ["Id", "Status", "Version"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    let t = project().file("big.xlsx", wb.save_to_buffer().unwrap());
    let out = limited(&t, &["import", "big.xlsx"]);
    ended(&out, 2, "import big.xlsx");
    assert!(
        out.stderr.contains("XFD1048576") && out.stderr.contains("BL100000"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_ods_whose_cells_repeat_is_refused_by_what_the_repeats_would_make() {
    // A filled cell repeated across every column of every row.
    let across = ods(&format!(
        "{HEADER_ROW}<table:table-row table:number-rows-repeated=\"1048575\">{}</table:table-row>",
        text_cell("x", 16_384)
    ));
    // A filled row repeated a million times: a million rows, each an error.
    let down = ods(&format!(
        "{HEADER_ROW}<table:table-row table:number-rows-repeated=\"1000000\">{}{}{}</table:table-row>",
        text_cell("nope/q1", 1),
        text_cell("met", 1),
        text_cell("1.0.0", 1)
    ));
    // Spaces repeated by `text:s` inside a cell repeated across a row.
    let spaces = ods(&format!(
        "{HEADER_ROW}<table:table-row table:number-rows-repeated=\"50000\"><table:table-cell table:number-columns-repeated=\"60\" office:value-type=\"string\"><text:p>a<text:s text:c=\"100000\"/></text:p></table:table-cell></table:table-row>"
    ));
    for (name, bytes) in [("across", across), ("down", down), ("spaces", spaces)] {
        assert!(bytes.len() < 2048, "{name}: {} bytes", bytes.len());
        let t = project().file("bomb.ods", bytes);
        let out = limited(&t, &["import", "bomb.ods"]);
        ended(&out, 2, name);
        assert!(out.stderr.contains("refused"), "{name}: {}", out.stderr);
        assert!(
            out.stderr.lines().count() < 10,
            "{name}: one message, not a line per cell:\n{}",
            out.stderr
        );
    }
}

#[test]
fn cell_problems_stop_after_a_screenful_with_a_count_of_the_rest() {
    let mut csv = String::from("Id,Status,Version\n");
    for i in 0..500 {
        csv.push_str(&format!("nope/q{i},met,1.0.0\n"));
    }
    let t = project().file("sheet.csv", csv);
    let out = t.exec(["import", "sheet.csv"], 2);
    let problems = out.stderr.matches("no question `nope/").count();
    assert_eq!(problems, 20, "{}", out.stderr);
    assert!(out.stderr.contains("and 480 more"), "{}", out.stderr);
    assert!(out.stderr.contains("500 problems"), "{}", out.stderr);
}

#[test]
fn every_spreadsheet_cell_written_is_guarded_against_formulas() {
    let note = "\t=HYPERLINK(\"http://x\",\"y\")";
    let t = project()
        .file(
            "supportcheck.yaml",
            "product: \"\\t=HYPERLINK(\\\"http://x\\\")\"\nchecklists: [pb]\n",
        )
        .file(
            "readiness/answers.yaml",
            "format: 1\nanswers:\n  help-desk/q1:\n    status: met\n    note: \"\\t=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\"\n  help-desk/q2:\n    status: partial\n    note: \"\\r=cmd\"\n",
        );
    t.exec(["export", "--format", "csv", "--out", "out.csv"], 0);
    let csv = t.read("out.csv");
    assert!(
        csv.contains("'\t=HYPERLINK") && csv.contains("'\r=cmd"),
        "{csv:?}"
    );
    assert!(!csv.contains(",\t=") && !csv.contains(",\"\t="), "{csv:?}");
    // What the guard adds, import takes off: nothing changed.
    let out = t.exec(["import", "out.csv"], 0);
    assert!(out.stdout.contains("Nothing to import"), "{}", out.stdout);

    t.exec(["export", "--format", "xlsx", "--out", "out.xlsx"], 0);
    use calamine::Reader as _;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(t.path().join("out.xlsx")).unwrap();
    let range = book.worksheet_range("Question register").unwrap();
    let cells: Vec<String> = range.cells().map(|(_, _, d)| d.to_string()).collect();
    assert!(
        cells.iter().any(|c| c == &format!("'{note}")),
        "the xlsx note is guarded: {cells:?}"
    );
    assert!(!cells.iter().any(|c| c.starts_with('\t')), "{cells:?}");

    let out = t.exec(["portfolio", ".", "--format", "csv"], 0);
    assert!(out.stdout.contains("'\t=HYPERLINK"), "{:?}", out.stdout);
}

// ------------------------------------------------ conditions as untrusted code

fn with_condition(condition: &str) -> Test {
    let playbook = format!(
        "---\ntitle: Help desk\nid: help-desk\nchecklist:\n  - order: 1\n    question: Is every request tracked?\n    expectation: Every request gets a ticket.\n    version: 1.0.0\n  - order: 2\n    question: Are tickets prioritised?\n    expectation: Priorities are defined.\n    version: 1.0.0\n    applies_if: \"{condition}\"\n---\n"
    );
    project().file("pb/help-desk.md", playbook)
}

#[test]
fn a_condition_that_builds_without_bound_is_a_lint_error_and_ends_nothing() {
    let t = with_condition("range(100000)|join(range(100000)|join)|length > 0");
    let out = limited(&t, &["lint"]);
    ended(&out, 1, "lint");
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(
        all.contains("pb/help-desk.md:13:") && all.contains("error[condition]"),
        "{all}"
    );
    // A playbook error like any other: the run stops with exit 2 and says
    // where to look; nothing is killed.
    for args in [&["status"][..], &["check"]] {
        let out = limited(&t, args);
        ended(&out, 2, &format!("{args:?}"));
        assert!(out.stderr.contains("supportcheck lint"), "{}", out.stderr);
    }
    let out = limited(&t, &["portfolio", ".", "--live", "--format", "json"]);
    ended(&out, 0, "portfolio --live");
    // Under the bound, the same shape works.
    let t = with_condition("range(3)|join(',') == '0,1,2'");
    t.exec(["lint"], 0);
}

#[test]
fn deep_conditions_are_refused_before_they_reach_the_parser() {
    let nots = format!("{}true", "not ".repeat(30_000));
    let ands = format!("true{}", " and true".repeat(30_000));
    let filters = format!("1{}", "|abs".repeat(100_000));
    for (name, condition) in [("nots", nots), ("ands", ands), ("filters", filters)] {
        let t = with_condition(&condition);
        let out = limited(&t, &["lint"]);
        ended(&out, 1, name);
        let all = format!("{}{}", out.stdout, out.stderr);
        assert!(
            all.contains("pb/help-desk.md:13:") && all.contains("error[condition]"),
            "{name}: {}",
            &all[..all.len().min(2000)]
        );
        for args in [&["status"][..], &["check"]] {
            let out = limited(&t, args);
            ended(&out, 2, &format!("{name} {args:?}"));
        }
    }
}

// ------------------------------------------------ cost follows useful content

#[test]
fn only_the_first_orphaned_answers_get_a_suggestion() {
    // Fifty orphans, each one edit from a question id.
    let mut answers = String::from("format: 1\nanswers:\n");
    for i in 0..50u8 {
        let q = if i < 26 { 1 } else { 2 };
        let letter = (b'a' + i % 26) as char;
        answers.push_str(&format!("  help-desk/q{q}{letter}:\n    status: met\n"));
    }
    let t = project().file("readiness/answers.yaml", answers);
    let out = t.exec_any(["lint"]);
    let all = format!("{}{}", out.stdout, out.stderr);
    let orphans = all.matches("[orphaned]").count();
    assert_eq!(orphans, 50, "every orphan is reported: {all}");
    let hinted = all.matches("did you mean `help-desk/q").count();
    assert_eq!(hinted, 20, "{all}");
}

#[test]
fn portfolio_reads_index_and_config_with_the_caps_of_every_command() {
    let t = project();
    t.exec(["report"], 0);
    // A config over 16 MiB and an index over 256 MiB (sparse: no disk).
    let big = Test::new().file("supportcheck.yaml", "product: Big\n");
    std::fs::OpenOptions::new()
        .append(true)
        .open(big.path().join("supportcheck.yaml"))
        .unwrap()
        .set_len(20 << 20)
        .unwrap();
    let out = limited(&big, &["portfolio", ".", "--format", "json"]);
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    assert!(out.stdout.contains("16 MiB"), "{}", out.stdout);

    let index = t.path().join("readiness/reports/index.jsonl");
    let line = std::fs::read_to_string(&index).unwrap();
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(&index)
        .unwrap();
    file.set_len(300 << 20).unwrap();
    let out = limited(&t, &["portfolio", ".", "--format", "json"]);
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    assert!(out.stdout.contains("256 MiB"), "{}", out.stdout);

    // Only the last lines matter: a long index keeps the newest versions.
    let mut text = String::new();
    let first: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    for v in 1..=150u64 {
        let mut l = first.clone();
        l["version"] = v.into();
        text.push_str(&l.to_string());
        text.push('\n');
    }
    std::fs::write(&index, text).unwrap();
    let out = t.exec_any(["portfolio", ".", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let history = json["products"][0]["history"].as_array().unwrap().clone();
    assert_eq!(history.len(), 100, "{}", out.stdout);
    assert_eq!(history.last().unwrap()["version"], 150);
}

// ------------------------------------------------ output safe to print

const SGR: &str = r#"\e[8mhidden\e[0m \e[5mblink\e[0m"#;

fn sgr_project() -> Test {
    let playbook = format!(
        "---\ntitle: \"Desk {SGR}\"\nid: help-desk\nchecklist:\n  - order: 1\n    question: \"Tracked {SGR}?\"\n    expectation: \"Expect {SGR}\"\n    version: 1.0.0\n  - order: 2\n    question: Plain?\n    expectation: Plain.\n    version: 1.0.0\n---\n## How\nDo it {SGR}.\n"
    );
    Test::new()
        .file("pb/help-desk.md", playbook)
        .file(
            "supportcheck.yaml",
            format!("product: \"Acme {SGR}\"\nchecklists: [pb]\n"),
        )
        .file(
            "readiness/answers.yaml",
            format!(
                "format: 1\nanswers:\n  help-desk/q1:\n    status: unmet\n    note: \"Note {SGR}\"\n  help-desk/q9:\n    status: met\n    note: \"Orphan {SGR}\"\n"
            ),
        )
}

fn assert_no_user_sgr(what: &str, text: &str) {
    for seq in ["\x1b[8m", "\x1b[5m"] {
        assert!(!text.contains(seq), "{what}: raw {seq:?} in\n{text:?}");
    }
}

#[test]
fn user_sgr_never_reaches_a_terminal_and_the_tools_colours_do() {
    let t = sgr_project();
    let runs: [&[&str]; 4] = [
        &["status", "--color", "always"],
        &["status", "-v", "--color", "always"],
        &["check", "-v", "--color", "always"],
        &["lint", "--color", "always"],
    ];
    for args in runs {
        let out = t.exec_any(args);
        assert!(out.code == 0 || out.code == 1, "{args:?}: {}", out.stderr);
        assert_no_user_sgr(&format!("{args:?} stdout"), &out.stdout);
        assert_no_user_sgr(&format!("{args:?} stderr"), &out.stderr);
        if args[0] == "status" {
            assert!(
                out.stdout.contains("\x1b[1m"),
                "our bold is kept: {:?}",
                out.stdout
            );
            assert!(out.stdout.contains("\\u{1b}[8m"), "{:?}", out.stdout);
        }
    }
}

#[test]
fn user_sgr_never_reaches_the_audits_terminal() {
    let t = sgr_project();
    let mut a = crate::pty::spawn_audit_after(
        t.path(),
        "stty rows 2 cols 100",
        &["--all", "--color", "always"],
    );
    a.expect("[1/2]");
    a.type_line("Answer (m=Met", "q");
    let (code, _, all) = a.finish_code();
    assert_eq!(code, 0, "{all}");
    assert_no_user_sgr("audit", &all);
    assert!(all.contains("\\u{1b}[8m"), "shown escaped: {all:?}");
}

#[test]
fn a_logo_must_be_an_image_file_inside_the_project() {
    let svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"><rect id=\"logo-mark\" width=\"4\" height=\"4\"/></svg>\n";
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.svg"), svg).unwrap();
    let t = project()
        .file("brand/logo.svg", svg)
        .file("brand/notes.txt", "token=abc <svg onload=x>\n");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.svg"),
        t.path().join("brand/link.svg"),
    )
    .unwrap();
    let config = |logo: &str| format!("product: Acme\nchecklists: [pb]\nreport:\n  logo: {logo}\n");
    for (logo, why) in [
        ("/proc/self/environ", "outside the project"),
        ("../../../../../../proc/self/environ", "outside the project"),
        ("brand/link.svg", "outside the project"),
        ("brand/notes.txt", "not a PNG, JPEG"),
        ("brand", "not a regular file"),
    ] {
        t.write("supportcheck.yaml", config(logo));
        let out = t.exec_env(
            ["report", "--format", "html"],
            &[("CI_TOKEN", "<svg onload=alert(1)> secret-token-value")],
        );
        assert_eq!(out.code, 2, "{logo}: {}", out.stderr);
        assert!(out.stderr.contains(why), "{logo}: {}", out.stderr);
    }
    assert!(
        !t.path()
            .join("readiness/reports/readiness-v1.html")
            .exists()
    );
    t.write("supportcheck.yaml", config("brand/logo.svg"));
    t.exec(["report", "--format", "html"], 0);
    let html = t.read("readiness/reports/readiness-v1.html");
    // (The template escapes `/` in attributes as `&#x2f;`.)
    let img = html
        .split("<img class=\"logo\" src=\"data:image")
        .nth(1)
        .unwrap_or_else(|| panic!("no logo image: {html}"));
    assert!(img.contains("svg+xml;base64,"), "{html}");
    assert!(!html.contains("logo-mark"), "the SVG is not inline");
}
