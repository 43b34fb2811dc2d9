//! `lint` through the real binary: every finding code, every hostile input
//! (tests/fixtures/hostile) and the quirks real playbooks carry
//! (tests/fixtures/quirks).

use crate::support::{Output, Test};

/// A small valid playbook.
const VALID: &str = "---\ntitle: Escalation\nchecklist:\n  - order: 1\n    question: Is there a path?\n    expectation: Yes, written down.\n    version: 1.0.0\n---\n## How\nWrite it.\n";

/// Nothing panicked, whatever else happened.
fn no_panic(out: &Output) {
    for text in [&out.stdout, &out.stderr] {
        assert!(!text.contains("panicked"), "{}\n{}", out.stdout, out.stderr);
        assert!(
            !text.contains("RUST_BACKTRACE"),
            "{}\n{}",
            out.stdout,
            out.stderr
        );
    }
}

/// The finding lines on stdout (text format), asserting each is one line of
/// the `path:line:col: severity[code]: message` form, for `file`.
fn findings<'a>(out: &'a Output, file: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = out.stdout.lines().collect();
    for line in &lines {
        assert!(
            line.starts_with(&format!("{file}:")) && line.contains("]: "),
            "not a one-line finding for {file}: {line:?}\n{}",
            out.stdout
        );
    }
    lines
}

/// The one finding line that starts with `prefix` (`file:line:col: error[code]: `).
fn finding<'a>(out: &'a Output, prefix: &str) -> &'a str {
    let matching: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with(prefix))
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "expected one finding starting with {prefix:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.stdout,
        out.stderr
    );
    matching[0]
}

/// Lints a hostile fixture, named explicitly; asserts the exit code and no panic.
fn lint_hostile(name: &str, code: i32) -> Output {
    let out = Test::new()
        .fixture(&format!("hostile/{name}"), name)
        .args(["lint", name])
        .status(code);
    no_panic(&out);
    findings(&out, name);
    out
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// `list --format json` of the playbooks in `path`, run in `test`'s folder.
fn list_json(test: &Test, path: &str) -> serde_json::Value {
    let out = test.exec(["list", "--format", "json", "--checklists", path], 0);
    no_panic(&out);
    json(&out.stdout)
}

// --- one test per code -----------------------------------------------------

#[test]
fn a_valid_playbook_is_clean() {
    let out = Test::new()
        .file("pb.md", VALID)
        .args(["lint", "pb.md"])
        .status(0);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("1 file checked: 0 errors, 0 warnings"),
        "{}",
        out.stderr
    );
}

#[test]
fn yaml_syntax_errors_carry_line_and_column() {
    let out = lint_hostile("unclosed-quote.md", 1);
    assert_eq!(
        finding(&out, "unclosed-quote.md:5:"),
        "unclosed-quote.md:5:15: error[yaml]: unclosed quote"
    );
    let out = lint_hostile("yaml-syntax.md", 1);
    let line = finding(&out, "yaml-syntax.md:7:12: error[yaml]: ");
    assert!(line.contains("':'"), "{line}");
}

#[test]
fn yaml_errors_in_a_crlf_or_bom_file_keep_their_line() {
    let text = "---\ntitle: x\nchecklist:\n  - order: 1\n    question: \"unclosed\n    expectation: y\n    version: 1.0.0\n---\n";
    let mut bom = vec![0xef, 0xbb, 0xbf];
    bom.extend_from_slice(text.as_bytes());
    let out = Test::new()
        .file("crlf.md", text.replace('\n', "\r\n"))
        .file("bom.md", bom)
        .args(["lint", "crlf.md", "bom.md"])
        .status(1);
    no_panic(&out);
    finding(&out, "crlf.md:5:15: error[yaml]: unclosed quote");
    finding(&out, "bom.md:5:15: error[yaml]: unclosed quote");
}

#[test]
fn schema_reports_a_missing_field() {
    let out = lint_hostile("missing-field.md", 1);
    assert_eq!(
        out.stdout,
        "missing-field.md:4:5: error[schema]: checklist item has no `version`\n"
    );
}

#[test]
fn schema_reports_each_wrong_type_at_its_value() {
    let out = lint_hostile("wrong-types.md", 1);
    finding(
        &out,
        "wrong-types.md:4:12: error[schema]: `order` must be a positive whole number, found text",
    );
    finding(
        &out,
        "wrong-types.md:5:15: error[schema]: `question` must be text, found a list",
    );
    finding(
        &out,
        "wrong-types.md:6:18: error[schema]: `expectation` must be text, found a mapping",
    );
    finding(
        &out,
        "wrong-types.md:8:15: error[schema]: `critical` must be true or false",
    );
    finding(
        &out,
        "wrong-types.md:9:11: error[schema]: `tags` must be a list of words",
    );
    assert_eq!(findings(&out, "wrong-types.md").len(), 5, "{}", out.stdout);
}

#[test]
fn schema_reports_a_checklist_that_is_a_mapping() {
    let out = lint_hostile("checklist-map.md", 1);
    assert_eq!(
        out.stdout,
        "checklist-map.md:4:3: error[schema]: `checklist` must be a list of questions, found a mapping\n"
    );
}

#[test]
fn duplicate_order_names_the_first_item() {
    let out = lint_hostile("duplicate-orders.md", 1);
    assert_eq!(
        out.stdout,
        "duplicate-orders.md:12:5: error[duplicate-order]: order 2 is already used by the item on line 8\n"
    );
}

#[test]
fn duplicate_playbook_ids_name_both_files_and_suggest_an_id() {
    let test = Test::new()
        .file("pb/1-reach/01-escalation.md", VALID)
        .file("pb/2-resolve/04-escalation.md", VALID);
    let out = test.exec(["lint", "pb"], 1);
    no_panic(&out);
    let line = finding(
        &out,
        "pb/2-resolve/04-escalation.md:1:1: error[duplicate-id]: ",
    );
    assert!(line.contains("`escalation`"), "{line}");
    assert!(line.contains("pb/1-reach/01-escalation.md"), "{line}");
    assert!(line.contains("`id:`"), "{line}");

    // The suggested fix works.
    let fixed = VALID.replace(
        "title: Escalation\n",
        "title: Escalation\nid: escalation-2\n",
    );
    let test = test.file("pb/2-resolve/04-escalation.md", fixed);
    let out = test.exec(["lint", "pb"], 0);
    assert_eq!(out.stdout, "");
}

#[test]
fn duplicate_question_ids_in_one_file() {
    let out = lint_hostile("duplicate-question-ids.md", 1);
    let line = finding(&out, "duplicate-question-ids.md:9:5: error[duplicate-id]: ");
    assert!(
        line.contains("`channels`") && line.contains("line 4") && line.contains("`id:`"),
        "{line}"
    );
}

#[test]
fn semver_errors_for_each_bad_version() {
    let out = lint_hostile("bad-semver.md", 1);
    finding(
        &out,
        "bad-semver.md:7:14: error[semver]: version `1.0` is not MAJOR.MINOR.PATCH",
    );
    finding(
        &out,
        "bad-semver.md:11:14: error[semver]: version `v2` is not MAJOR.MINOR.PATCH",
    );
    finding(
        &out,
        "bad-semver.md:15:14: error[semver]: version `1.0.0.0` is not MAJOR.MINOR.PATCH",
    );
    assert_eq!(findings(&out, "bad-semver.md").len(), 3);
}

#[test]
fn weight_must_be_a_positive_number() {
    let out = lint_hostile("bad-weights.md", 1);
    finding(
        &out,
        "bad-weights.md:8:13: error[weight]: `weight` must be a positive number, found 0",
    );
    finding(
        &out,
        "bad-weights.md:13:13: error[weight]: `weight` must be a positive number, found -2",
    );
    finding(
        &out,
        "bad-weights.md:18:13: error[weight]: `weight` must be a positive number, found text",
    );
    assert_eq!(findings(&out, "bad-weights.md").len(), 3);
}

#[test]
fn empty_question_and_expectation_are_errors() {
    let out = lint_hostile("empty-text.md", 1);
    assert_eq!(
        out.stdout,
        "empty-text.md:5:15: error[empty-text]: `question` is empty\n\
         empty-text.md:10:16: error[empty-text]: `expectation` is empty\n"
    );
}

#[test]
fn an_explicit_file_without_a_checklist_is_an_error() {
    let out = lint_hostile("not-a-playbook.md", 1);
    assert_eq!(
        out.stdout,
        "not-a-playbook.md: error[not-a-playbook]: not a playbook: frontmatter has no `checklist`\n"
    );
    let out = Test::new()
        .file("notes.md", "# Notes\n\nNo frontmatter.\n")
        .args(["lint", "notes.md"])
        .status(1);
    finding(
        &out,
        "notes.md: error[not-a-playbook]: not a playbook: no YAML frontmatter",
    );
}

#[test]
fn a_folder_walk_skips_files_without_a_checklist_with_a_note() {
    let test = Test::new()
        .fixture("hostile/not-a-playbook.md", "pb/index.md")
        .file("pb/notes.md", "# Notes\n")
        .file("pb/01-escalation.md", VALID);
    let out = test.exec(["lint", "pb"], 0);
    assert_eq!(out.stdout, "", "notes only with -v");
    assert!(
        out.stderr
            .contains("2 files skipped as not playbooks (-v lists them)"),
        "{}",
        out.stderr
    );

    let out = test.exec(["-v", "lint", "pb"], 0);
    finding(
        &out,
        "pb/index.md: note[not-a-playbook]: skipped, not a playbook: frontmatter has no `checklist`",
    );
    finding(
        &out,
        "pb/notes.md: note[not-a-playbook]: skipped, not a playbook: no YAML frontmatter",
    );
}

#[test]
fn a_40_mb_file_is_refused_without_being_parsed() {
    let mut big = String::from(
        "---\ntitle: Big\nchecklist:\n  - order: 1\n    question: Big?\n    expectation: Very.\n    version: 1.0.0\n---\n",
    );
    let line = format!(
        "{}\n",
        "All work and no play makes a very large playbook. ".repeat(2)
    );
    while big.len() < 40 * 1024 * 1024 {
        big.push_str(&line);
    }
    let out = Test::new()
        .file("big.md", big)
        .args(["lint", "big.md"])
        .status(1);
    no_panic(&out);
    assert_eq!(
        out.stdout,
        "big.md: error[too-large]: file is 40.0 MiB; playbooks over 16 MiB are refused\n"
    );
}

#[test]
fn invalid_utf8_is_an_encoding_error_at_its_line_and_column() {
    let out = lint_hostile("invalid-utf8.md", 1);
    assert_eq!(
        out.stdout,
        "invalid-utf8.md:6:21: error[encoding]: invalid UTF-8; save the file as UTF-8\n"
    );
}

#[test]
fn nul_bytes_and_binary_files_are_encoding_errors() {
    let out = lint_hostile("nul-bytes.md", 1);
    let line = finding(&out, "nul-bytes.md:5: error[encoding]: ");
    assert!(line.contains("binary"), "{line}");
    let out = lint_hostile("image.md", 1);
    let line = finding(&out, "image.md:");
    assert!(
        line.contains("error[encoding]") && line.contains("binary"),
        "{line}"
    );
}

#[test]
fn a_miscased_key_loads_with_a_warning() {
    let test = Test::new().fixture("quirks/2-resolve/05-miscased-version.md", "pb.md");
    let out = test.exec(["lint", "pb.md"], 0);
    assert_eq!(
        out.stdout,
        "pb.md:8:5: warning[key-case]: key `Version` should be lower case: `version`\n"
    );
    let out = test.exec(["lint", "--deny-warnings", "pb.md"], 1);
    finding(&out, "pb.md:8:5: warning[key-case]: ");

    // The question with `Version:` still loads, with its version.
    let v = list_json(&test, "pb.md");
    let questions = v["playbooks"][0]["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 2);
    assert_eq!(questions[0]["id"], "pb/q1");
    assert_eq!(questions[0]["version"], "1.0.0");
}

#[test]
fn an_unknown_key_is_a_warning() {
    let out = lint_hostile("unknown-key.md", 0);
    let line = finding(
        &out,
        "unknown-key.md:8:5: warning[unknown-key]: unknown key `assignee`",
    );
    assert!(
        line.contains("known: order, question, expectation, version"),
        "{line}"
    );
    let out = Test::new()
        .fixture("hostile/unknown-key.md", "u.md")
        .args(["lint", "--deny-warnings", "u.md"])
        .status(1);
    finding(&out, "u.md:8:5: warning[unknown-key]: ");
}

#[test]
fn critical_written_yes_is_read_with_a_warning() {
    let pb = VALID.replace(
        "    version: 1.0.0\n",
        "    version: 1.0.0\n    critical: yes\n",
    );
    let test = Test::new().file("pb.md", pb);
    let out = test.exec(["lint", "pb.md"], 0);
    finding(
        &out,
        "pb.md:8:15: warning[schema]: `critical: yes` is read as true",
    );
    let v = list_json(&test, "pb.md");
    assert_eq!(v["playbooks"][0]["questions"][0]["critical"], true);
}

#[test]
fn a_missing_path_cannot_run_but_the_others_are_still_linted() {
    let out = Test::new()
        .fixture("hostile/bad-semver.md", "bad.md")
        .args(["lint", "nowhere.md", "bad.md"])
        .status(2);
    no_panic(&out);
    finding(&out, "nowhere.md: error[io]: ");
    assert!(
        out.stdout.contains("bad.md:7:14: error[semver]"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_file_named_twice_is_read_once() {
    let out = Test::new()
        .file("pb/01-escalation.md", VALID)
        .args(["lint", "pb/01-escalation.md", "pb/01-escalation.md", "pb"])
        .status(0);
    assert_eq!(out.stdout, "");
}

// --- hostile inputs ----------------------------------------------------------

#[test]
fn a_billion_laughs_bomb_is_refused_quickly() {
    let out = lint_hostile("billion-laughs.md", 1);
    let line = finding(&out, "billion-laughs.md:");
    assert!(
        line.contains("error[yaml]") && line.contains("YAML bomb"),
        "{line}"
    );
    // The line is where the expansion was stopped, inside the frontmatter.
    let n: u64 = line.split(':').nth(1).unwrap().parse().unwrap();
    assert!((3..=12).contains(&n), "{line}");
}

#[test]
fn nesting_100k_deep_is_refused() {
    let depth = 100_000;
    let flow = format!(
        "---\ntitle: Deep\nchecklist: {}{}\n---\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let block = format!(
        "---\ntitle: Deep\nchecklist:\n{}x\n---\n",
        "- ".repeat(depth)
    );
    let out = Test::new()
        .file("flow.md", flow)
        .file("block.md", block)
        .args(["lint", "flow.md", "block.md"])
        .status(1);
    no_panic(&out);
    let flow = finding(&out, "flow.md:3:");
    assert!(
        flow.contains("error[yaml]") && flow.contains("nested too deeply"),
        "{flow}"
    );
    let block = finding(&out, "block.md:4:");
    assert!(
        block.contains("error[yaml]") && block.contains("YAML bomb"),
        "{block}"
    );
}

#[test]
fn a_tab_is_reported_where_it_is() {
    let out = lint_hostile("tabs.md", 1);
    assert_eq!(
        out.stdout,
        "tabs.md:5:1: error[yaml]: a tab character where YAML needs spaces: indent with spaces only\n"
    );
}

#[test]
fn frontmatter_that_is_never_closed() {
    let out = lint_hostile("unclosed-frontmatter.md", 1);
    assert_eq!(
        out.stdout,
        "unclosed-frontmatter.md:1:1: error[yaml]: frontmatter is never closed: add a line `---` after the YAML\n"
    );
}

#[test]
fn duplicate_keys_are_a_yaml_error() {
    let out = lint_hostile("duplicate-keys.md", 1);
    assert_eq!(
        out.stdout,
        "duplicate-keys.md:6:5: error[yaml]: duplicate mapping key: question\n"
    );
}

#[test]
fn a_python_tag_is_read_as_data_and_never_run() {
    let test = Test::new().fixture("hostile/python-tag.md", "tag.md");
    let out = test.exec(["lint", "tag.md"], 1);
    no_panic(&out);
    let line = finding(&out, "tag.md:5:");
    assert!(
        line.contains("error[schema]: `question` must be text, found a list"),
        "{line}"
    );
    assert!(!test.path().join("pwned").exists(), "the tag ran a command");
    let out = test.exec(["list", "--checklists", "tag.md"], 2);
    no_panic(&out);
    assert!(!test.path().join("pwned").exists(), "the tag ran a command");
}

#[test]
fn a_playbook_with_20000_questions_is_valid() {
    let mut pb = String::from("---\ntitle: Big\nchecklist:\n");
    for i in 1..=20_000 {
        pb.push_str(&format!(
            "  - order: {i}\n    question: Is requirement {i} met?\n    expectation: Requirement {i} is written down, owned and reviewed.\n    version: 1.0.0\n"
        ));
    }
    pb.push_str("---\n## How\nOne at a time.\n");
    let test = Test::new().file("big.md", pb);
    let out = test.exec(["lint", "big.md"], 0);
    assert_eq!(out.stdout, "");
    let v = list_json(&test, "big.md");
    let questions = v["playbooks"][0]["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 20_000);
    assert_eq!(questions[19_999]["id"], "big/q20000");
    assert_eq!(questions[19_999]["line"], 4 + 4 * 19_999);
}

// --- quirks of real playbooks ----------------------------------------------

#[test]
fn the_quirks_folder_loads_with_warnings_only() {
    let test = Test::new();
    let quirks = crate::support::fixtures().join("quirks");
    let quirks = quirks.to_str().unwrap();
    let out = test.exec(["lint", quirks], 0);
    no_panic(&out);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", out.stdout);
    assert!(lines[0].ends_with("05-miscased-version.md:8:5: warning[key-case]: key `Version` should be lower case: `version`"), "{}", lines[0]);
    assert!(
        out.stderr
            .contains("8 files checked: 0 errors, 1 warning, 2 files skipped"),
        "{}",
        out.stderr
    );

    let out = test.exec(["-v", "lint", quirks], 0);
    assert!(out.stdout.contains("1-reach/index.md: note[not-a-playbook]: skipped, not a playbook: frontmatter has no `checklist`"), "{}", out.stdout);
    assert!(out.stdout.contains("2-resolve/README.md: note[not-a-playbook]: skipped, not a playbook: no YAML frontmatter"), "{}", out.stdout);

    let out = test.exec(["lint", "--deny-warnings", quirks], 1);
    no_panic(&out);
}

#[test]
fn the_quirks_folder_lists_every_playbook_and_question() {
    let test = Test::new();
    let quirks = crate::support::fixtures().join("quirks");
    let v = list_json(&test, quirks.to_str().unwrap());
    let playbooks = v["playbooks"].as_array().unwrap();
    let summary: Vec<(&str, &str, usize)> = playbooks
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap(),
                p["section"].as_str().unwrap(),
                p["questions"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("extra-keys", "1-reach", 2),
            ("trailing-fence", "1-reach", 1),
            ("crlf", "1-reach", 3),
            ("bom", "1-reach", 1),
            ("miscased-version", "2-resolve", 2),
            ("long-prose", "2-resolve", 4),
        ]
    );
    let by_id = |id: &str| playbooks.iter().find(|p| p["id"] == id).unwrap();

    // Extra keys are ignored; the title is read.
    assert_eq!(by_id("extra-keys")["title"], "Support channels");
    assert_eq!(
        by_id("extra-keys")["questions"][1]["expectation"],
        "i.e. Email, chat, social..."
    );
    // CRLF: no stray carriage returns, and line numbers count CRLF lines.
    let crlf = &by_id("crlf")["questions"];
    assert_eq!(crlf[1]["question"], "Does it still load?");
    assert_eq!(crlf[2]["line"], 12);
    // BOM: the title is not garbled.
    assert_eq!(by_id("bom")["title"], "Byte order mark");
    // Long prose and short examples are kept as written; `Yes` and `42` are text.
    let prose = &by_id("long-prose")["questions"];
    let long = prose[0]["expectation"].as_str().unwrap();
    assert!(
        long.starts_with("Every agent can name") && long.ends_with("updates the status page."),
        "{long}"
    );
    assert_eq!(
        prose[1]["expectation"],
        "i.e. Welcome artifacts, Meetings..."
    );
    assert_eq!(prose[2]["expectation"], "Yes");
    assert_eq!(prose[3]["expectation"], "42");
}

#[test]
fn yes_and_no_are_text_in_questions_and_expectations() {
    let pb = "---\ntitle: No\nchecklist:\n  - order: 1\n    question: On\n    expectation: y\n    version: 1.0.0\n---\n";
    let test = Test::new().file("pb.md", pb);
    let out = test.exec(["lint", "pb.md"], 0);
    assert_eq!(out.stdout, "");
    let v = list_json(&test, "pb.md");
    assert_eq!(v["playbooks"][0]["title"], "No");
    assert_eq!(v["playbooks"][0]["questions"][0]["question"], "On");
    assert_eq!(v["playbooks"][0]["questions"][0]["expectation"], "y");
}

#[test]
fn long_runs_of_comments_in_the_frontmatter_are_fine() {
    // The anchor keeps this out of the fast path, so the full YAML parser reads it.
    let pb = format!(
        "---\ntitle: &t Comments\nchecklist:\n{}  - order: 1\n{}    question: Is it read?\n    expectation: Yes.\n    version: 1.0.0\n---\n",
        "# a comment\n".repeat(150),
        "    # another\n".repeat(150),
    );
    let out = Test::new()
        .file("pb.md", pb)
        .args(["lint", "pb.md"])
        .status(0);
    assert_eq!(out.stdout, "");
}

// --- output formats ------------------------------------------------------------

#[test]
fn json_format_is_valid_json_with_located_findings() {
    let out = Test::new()
        .fixture("hostile/wrong-types.md", "pb/wrong-types.md")
        .fixture("hostile/unknown-key.md", "pb/unknown-key.md")
        .fixture("hostile/not-a-playbook.md", "pb/index.md")
        .args(["lint", "--format", "json", "pb"])
        .status(1);
    no_panic(&out);
    let v = json(&out.stdout);
    assert_eq!(v["errors"], 5);
    assert_eq!(v["warnings"], 1);
    let findings = v["findings"].as_array().unwrap();
    let first = findings
        .iter()
        .find(|f| f["code"] == "schema")
        .expect("a schema finding");
    assert_eq!(first["path"], "pb/wrong-types.md");
    assert_eq!(first["line"], 4);
    assert_eq!(first["column"], 12);
    assert_eq!(first["severity"], "error");
    assert!(first["message"].as_str().unwrap().contains("`order`"));
    let warning = findings
        .iter()
        .find(|f| f["code"] == "unknown-key")
        .unwrap();
    assert_eq!(warning["severity"], "warning");
    assert_eq!(warning["path"], "pb/unknown-key.md");
    assert_eq!(warning["line"], 8);
    let note = findings
        .iter()
        .find(|f| f["code"] == "not-a-playbook")
        .unwrap();
    assert_eq!(note["severity"], "note");
    assert!(note.get("line").is_none(), "{note}");
    for f in findings {
        for key in ["path", "severity", "code", "message"] {
            assert!(f.get(key).is_some(), "{key} missing: {f}");
        }
    }
}

#[test]
fn json_format_for_a_clean_set() {
    let out = Test::new()
        .file("pb.md", VALID)
        .args(["lint", "--format", "json", "pb.md"])
        .status(0);
    let v = json(&out.stdout);
    assert_eq!(v["files"], 1);
    assert_eq!(v["errors"], 0);
    assert_eq!(v["findings"], serde_json::json!([]));
}

#[test]
fn github_format_prints_workflow_commands() {
    let test = Test::new()
        .fixture("hostile/wrong-types.md", "wrong-types.md")
        .fixture("hostile/unknown-key.md", "unknown-key.md");
    let out = test.exec(
        [
            "lint",
            "--format",
            "github",
            "wrong-types.md",
            "unknown-key.md",
        ],
        1,
    );
    no_panic(&out);
    assert!(
        out.stdout.lines().any(|l| l
            == "::error file=wrong-types.md,line=4,col=12,title=supportcheck schema::`order` must be a positive whole number, found text"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("::warning file=unknown-key.md,line=8,col=5,title=supportcheck unknown-key::unknown key `assignee`")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.lines().all(|l| l.starts_with("::")),
        "{}",
        out.stdout
    );

    // With --deny-warnings the warning is an error annotation.
    let out = test.exec(
        [
            "lint",
            "--format",
            "github",
            "--deny-warnings",
            "unknown-key.md",
        ],
        1,
    );
    assert!(
        out.stdout
            .starts_with("::error file=unknown-key.md,line=8,col=5,"),
        "{}",
        out.stdout
    );
}

#[test]
fn deny_warnings_turns_a_warning_into_exit_1() {
    let test = Test::new()
        .fixture("quirks/1-reach/01-extra-keys.md", "ok.md")
        .fixture("quirks/2-resolve/05-miscased-version.md", "warn.md");
    test.exec(["lint", "ok.md", "warn.md"], 0);
    test.exec(["lint", "--deny-warnings", "ok.md"], 0);
    let out = test.exec(["lint", "--deny-warnings", "ok.md", "warn.md"], 1);
    finding(&out, "warn.md:8:5: warning[key-case]: ");
    test.exec(
        ["lint", "--format", "json", "--deny-warnings", "warn.md"],
        1,
    );
}
