//! Everyday use (issue 25): the project is found from any folder, the files
//! fit git and pre-commit, trying things costs no history, CI output fits
//! CI, and counts read as English. The terminal parts are in `everyday_pty`.

use crate::support::{Output, Test, have_tool};
use std::path::Path;
use std::process::Command;

const NO_PROJECT: &str =
    "no supportcheck.yaml here or in any parent folder; run `supportcheck init`";

/// `git ARGS` in `dir`, which must succeed; returns its stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Dana Lee")
        .env("GIT_AUTHOR_EMAIL", "dana@example.com")
        .env("GIT_COMMITTER_NAME", "Dana Lee")
        .env("GIT_COMMITTER_EMAIL", "dana@example.com")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A test folder that is a git repository (so that the search for a
/// project stops at it, whatever the folders above hold). `None` (and a
/// failure under CI) without git.
fn repository() -> Option<Test> {
    if !have_tool("git", "apt-get install git") {
        return None;
    }
    let t = Test::new().finding();
    git(t.path(), &["init", "-q"]);
    Some(t)
}

fn said(out: &Output, text: &str) {
    assert!(
        out.stdout.contains(text) || out.stderr.contains(text),
        "expected {text:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.stdout,
        out.stderr
    );
}

#[test]
fn a_command_in_a_subfolder_uses_the_project_above_it() {
    let Some(t) = repository() else { return };
    t.exec(["init", "--product", "Acme"], 0);
    t.write(
        "readiness/answers.yaml",
        "format: 1\nanswers:\n  support-channels/q1:\n    status: unmet\n    note: not yet\n",
    );
    let out = t.exec_in("lead/docs", ["status", "--format", "json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let j: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(j["summary"]["answered"], 1, "{}", out.stdout);
    assert!(!out.stderr.contains("no answers yet"), "{}", out.stderr);
    // A report from there goes to the project's reports folder.
    let report = t.exec_in("lead/docs", ["report", "--format", "json"]);
    assert_eq!(report.code, 0, "{report:?}");
    assert!(
        t.path()
            .join("readiness/reports/readiness-v1.json")
            .exists()
    );
    assert!(!t.path().join("lead/docs/readiness").exists());
    // `lint PATH` from the subfolder lints the file typed there.
    t.write("lead/docs/rota.md", crate::report::PLAYBOOK);
    let lint = t.exec_in("lead/docs", ["lint", "rota.md"]);
    assert_eq!(lint.code, 0, "{lint:?}");
    said(&lint, "1 file checked");
}

#[test]
fn outside_a_project_each_command_says_to_run_init_and_exits_2() {
    let Some(t) = repository() else { return };
    t.write("register.csv", "id,status\n");
    for args in [
        &["status"][..],
        &["check"],
        &["report"],
        &["list"],
        &["lint"],
        &["explain"],
        &["export"],
        &["import", "register.csv"],
        &["history"],
        &["diff"],
        &["signoff", "legal"],
    ] {
        let out = t.exec_any(args);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(out.stderr.contains(NO_PROJECT), "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
    }
    // Nothing was written by any of them.
    assert!(!t.path().join("readiness").exists());
    // Those that need no project run.
    t.write("pb/help-desk.md", crate::report::PLAYBOOK);
    for args in [
        &["lint", "pb/help-desk.md"][..],
        &["schema", "answers"],
        &["completions", "bash"],
        &["man"],
        &["portfolio", "."],
    ] {
        let out = t.exec_any(args);
        assert!(!out.stderr.contains(NO_PROJECT), "{args:?}: {out:?}");
        assert!(out.code == 0 || out.code == 1, "{args:?}: {out:?}");
    }
    // And `init` starts one here.
    t.exec(["init"], 0);
    t.exec(["status"], 0);
}

#[test]
fn the_search_stops_at_the_repository_root() {
    let Some(t) = repository() else { return };
    t.exec(["init", "--product", "Outer"], 0);
    // A repository inside the project folder is a project of its own (or none).
    let inner = t.path().join("vendor/other");
    std::fs::create_dir_all(&inner).unwrap();
    git(&inner, &["init", "-q"]);
    let out = t.exec_in("vendor/other/src", ["status"]);
    assert_eq!(out.code, 2, "{out:?}");
    said(&out, NO_PROJECT);
}

#[test]
fn dash_c_and_the_environment_variable_win_over_the_search() {
    let Some(t) = repository() else { return };
    t.exec(["init", "--product", "Here"], 0);
    let other = tempfile::tempdir().unwrap();
    Test::new()
        .args([
            "-C",
            other.path().to_str().unwrap(),
            "init",
            "--product",
            "There",
        ])
        .status(0);
    let by_flag = t.exec(
        [
            "-C",
            other.path().to_str().unwrap(),
            "status",
            "--format",
            "json",
        ],
        0,
    );
    assert!(by_flag.stdout.contains("\"There\""), "{}", by_flag.stdout);
    let by_env = t.exec_env(
        ["status", "--format", "json"],
        &[("SUPPORTCHECK_DIR", other.path().to_str().unwrap())],
    );
    assert_eq!(by_env.code, 0, "{by_env:?}");
    assert!(by_env.stdout.contains("\"There\""), "{}", by_env.stdout);
    let found = t.exec(["status", "--format", "json"], 0);
    assert!(found.stdout.contains("\"Here\""), "{}", found.stdout);
}

#[test]
fn init_lists_every_file_it_writes_and_git_ignores_the_lock_files() {
    let Some(t) = repository() else { return };
    let out = t.exec(["init", "--product", "Acme"], 0);
    // Every file init wrote is named in what it printed.
    let written = git(t.path(), &["ls-files", "--others", "--exclude-standard"]);
    let written: Vec<&str> = written.lines().collect();
    for file in [
        "supportcheck.yaml",
        "supportcheck.schema.json",
        "readiness/answers.yaml",
        "readiness/answers.schema.json",
        ".gitattributes",
        ".gitignore",
    ] {
        assert!(written.contains(&file), "{file} not written: {written:?}");
    }
    for file in &written {
        assert!(
            out.stdout.contains(file),
            "{file} was written but not listed:\n{}",
            out.stdout
        );
    }
    // A day's work leaves lock files; `git add -A` takes none of them.
    t.exec(["report", "--format", "json"], 0);
    t.exec(["report", "--preview"], 0);
    t.write(
        "supportcheck.yaml",
        t.read("supportcheck.yaml") + "owners:\n  legal: [Dana Lee]\n",
    );
    t.exec_any([
        "signoff",
        "legal",
        "--as",
        "Dana Lee",
        "--accept-blocked",
        "--note",
        "ok",
    ]);
    assert!(t.path().join("readiness/.answers.yaml.lock").exists());
    assert!(t.path().join("readiness/reports/.readiness.lock").exists());
    git(t.path(), &["add", "-A"]);
    let staged = git(t.path(), &["diff", "--cached", "--name-only"]);
    assert!(!staged.contains(".lock"), "{staged}");
    assert!(!staged.contains("preview"), "{staged}");
    assert!(
        staged.contains("readiness/reports/readiness-v1.json"),
        "{staged}"
    );
    // A second init --force does not add the lines again.
    t.exec(["init", "--force"], 0);
    let ignore = t.read(".gitignore");
    assert_eq!(ignore.matches(".*.lock").count(), 1, "{ignore}");
}

#[test]
fn report_preview_and_output_take_no_version() {
    let t = crate::report::project().file(
        "readiness/answers.yaml",
        crate::report::answers("met", "ok"),
    );
    let out = t.exec(["report", "--preview"], 0);
    for ext in ["md", "json", "html"] {
        let rel = format!("readiness/reports/preview/readiness-preview.{ext}");
        assert!(out.stdout.contains(&rel), "{}", out.stdout);
        assert!(t.path().join(&rel).exists(), "{rel}");
    }
    said(&out, "no version taken");
    let html = t.read("readiness/reports/preview/readiness-preview.html");
    assert!(
        !html.contains("Version</dt>"),
        "a preview has no version number"
    );
    let one = t.exec(["report", "-o", "draft.md"], 0);
    assert!(one.stdout.contains("draft.md"), "{}", one.stdout);
    assert!(
        t.read("draft.md").contains("Help"),
        "{}",
        t.read("draft.md")
    );
    // Every format a version can have, a preview can have too: the Word
    // document included, from --format and from -o's ending.
    t.exec(["report", "--preview", "--format", "docx"], 0);
    let docx = std::fs::read(
        t.path()
            .join("readiness/reports/preview/readiness-preview.docx"),
    )
    .expect("a previewed Word document");
    assert!(docx.starts_with(b"PK"), "a .docx is a zip");
    t.exec(["report", "-o", "draft.docx"], 0);
    assert!(
        std::fs::read(t.path().join("draft.docx"))
            .unwrap()
            .starts_with(b"PK")
    );
    // No version was taken: the first real report is v1.
    assert!(
        !t.path()
            .join("readiness/reports/readiness-v1.json")
            .exists()
    );
    assert!(!t.path().join("readiness/reports/index.jsonl").exists());
    t.exec(["report"], 0);
    assert!(
        t.path()
            .join("readiness/reports/readiness-v1.json")
            .exists()
    );
    let bad = t.exec(["report", "-o", "draft.txt"], 2);
    said(&bad, "end the name in .md, .html, .pdf, .docx or .json");
}

#[test]
fn a_report_without_changes_takes_no_version_unless_forced() {
    let t = crate::report::project().file(
        "readiness/answers.yaml",
        crate::report::answers("met", "ok"),
    );
    t.exec(["report"], 0);
    let again = t.exec(["report"], 0);
    said(&again, "no change since report v1: no version taken");
    assert!(again.stdout.is_empty(), "{}", again.stdout);
    assert!(
        !t.path()
            .join("readiness/reports/readiness-v2.json")
            .exists()
    );
    let forced = t.exec(["report", "--force"], 0);
    assert!(
        forced.stdout.contains("readiness-v2.json"),
        "{}",
        forced.stdout
    );
    // A change to the answers is a change.
    t.write(
        "readiness/answers.yaml",
        crate::report::answers("met", "ok, and tested"),
    );
    let changed = t.exec(["report"], 0);
    assert!(
        changed.stdout.contains("readiness-v3.json"),
        "{}",
        changed.stdout
    );
}

#[test]
fn text_check_points_at_the_answers_file_not_at_a_builtin_path() {
    let t = Test::new();
    t.exec(["init", "--product", "Acme"], 0);
    t.write(
        "readiness/answers.yaml",
        "format: 1\nanswers:\n  support-channels/q1:\n    status: met\n    note: done\n    question_version: 0.1.0\n",
    );
    let out = t.exec(["check"], 1);
    assert!(!out.stdout.contains("builtin/"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("readiness/answers.yaml:3: error[stale]: support-channels/q1"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("readiness/answers.yaml: error[missing]"),
        "{}",
        out.stdout
    );
}

#[test]
fn github_annotations_lead_with_the_gate_reasons_and_summarise_the_rest() {
    let t = Test::new();
    t.exec(["init", "--product", "Acme"], 0);
    t.write(
        "readiness/answers.yaml",
        "format: 1\nanswers:\n  support-channels/q1:\n    status: met\n    note: done\n    evidence: [docs/gone.md]\n",
    );
    let summary = t.path().join("summary.md");
    let out = t.exec_env(
        [
            "check",
            "--format",
            "github",
            "--fail-on",
            "missing,evidence-missing",
        ],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    );
    assert_eq!(out.code, 1, "{out:?}");
    let errors: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error"))
        .collect();
    assert!(
        errors.len() <= 10,
        "{} errors:\n{}",
        errors.len(),
        out.stdout
    );
    // The rarer, weightier reason comes first, with its line.
    assert!(
        errors[0].contains("line=") && errors[0].contains("evidence-missing"),
        "{}",
        out.stdout
    );
    let last = errors.last().unwrap();
    assert!(last.contains("more not annotated here"), "{last}");
    assert!(last.contains(" missing"), "{last}");
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(summary.contains("### Gate failures"), "{summary}");
    assert!(
        summary.matches("not answered").count() >= 60,
        "every failure is in the summary:\n{summary}"
    );
}

#[test]
fn a_colon_in_a_hand_edited_note_says_how_to_quote_it() {
    let t = Test::new();
    t.exec(["init", "--product", "Acme"], 0);
    t.write(
        "readiness/answers.yaml",
        "format: 1\nanswers:\n  support-channels/q1:\n    status: met\n    note: Weekend cover staffed: by contractor\n",
    );
    let out = t.exec(["status"], 2);
    said(&out, "readiness/answers.yaml:5");
    said(&out, "(in question support-channels/q1)");
    said(
        &out,
        "quote the text: note: \"Weekend cover staffed: by contractor\"",
    );
    // The same in the config.
    t.write(
        "supportcheck.yaml",
        "product: Acme\nreport:\n  footer: Prepared: by the launch team\n",
    );
    let out = t.exec(["status"], 2);
    said(&out, "supportcheck.yaml:3");
    said(&out, "(in key report.footer)");
    said(
        &out,
        "quote the text: footer: \"Prepared: by the launch team\"",
    );
}

#[test]
fn counts_read_as_english() {
    let t = Test::new();
    for name in ["alpha", "beta", "gamma"] {
        t.write(
            &format!("{name}/supportcheck.yaml"),
            format!("product: {name}\n"),
        );
    }
    let out = t.exec(["portfolio", ".", "--fail-if", "stale:30d"], 1);
    said(&out, "3 products have no report in the last 30 days");
    assert!(
        !out.stdout.contains("(s)") && !out.stderr.contains("(s)"),
        "{out:?}"
    );
    t.exec(["-C", "alpha", "report", "--format", "json"], 0);
    t.exec(["-C", "beta", "report", "--format", "json"], 0);
    let one = t.exec(["portfolio", ".", "--fail-if", "stale:1d"], 1);
    said(&one, "1 product has no report in the last 1 day");
    let blocked = t.exec(["portfolio", ".", "--fail-if", "blocked"], 1);
    said(&blocked, "2 products are blocked");
    let html = t.exec(["portfolio", ".", "--format", "html"], 0);
    assert!(!html.stdout.contains("(s)"), "{}", html.stdout);
}

#[test]
fn diff_live_says_why_an_edit_still_scores_the_same() {
    let playbook = "---\ntitle: Metrics\nid: metrics\nchecklist:\n  - order: 1\n    question: Is there a dashboard?\n    expectation: A dashboard.\n    version: 1.0.0\n    evidence: required\n---\n";
    let answers = |status: &str| {
        format!(
            "format: 1\nanswers:\n  metrics/q1:\n    status: {status}\n    note: the dashboard is live\n"
        )
    };
    let t = Test::new()
        .file("pb/metrics.md", playbook)
        .file("supportcheck.yaml", "product: Acme\nchecklists: [pb]\n")
        .file("readiness/answers.yaml", answers("partial"));
    t.exec(["report", "--format", "json"], 0);
    t.write("readiness/answers.yaml", answers("met"));
    let out = t.exec(["diff", "--live"], 0);
    assert!(
        out.stdout.contains("metrics/q1")
            && out
                .stdout
                .contains("answered partial → met, still scores partial")
            && out.stdout.contains("requires it"),
        "{}",
        out.stdout
    );
    let md = t.exec(["diff", "--live", "--format", "markdown"], 0).stdout;
    assert!(md.contains("still scores **partial**"), "{md}");
}

#[test]
fn the_readme_says_when_a_missing_evidence_path_is_named() {
    // The audit names a path that does not exist once the list ends (see
    // audit::a_missing_evidence_path_is_named_when_typed_and_can_be_kept).
    let readme = std::fs::read_to_string(crate::support::repo().join("README.md")).unwrap();
    let flat = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(
            "When the list ends, each path that does not exist below the project root is named"
        ),
        "README and the audit disagree on when a missing path is named"
    );
    assert!(!flat.contains("is named at once"));
}

#[test]
fn the_dashboard_links_a_version_that_has_only_a_template_output() {
    let t = Test::new().file("acme/supportcheck.yaml", "product: Acme\n");
    let template = crate::support::repo().join("examples/templates/consultant.md.j2");
    t.exec(
        [
            "-C",
            "acme",
            "report",
            "--format",
            "json",
            "--template",
            template.to_str().unwrap(),
        ],
        0,
    );
    let html = t.exec(["portfolio", ".", "--format", "html"], 0).stdout;
    assert!(
        html.contains("readiness-v1-consultant.md\">Acme</a>"),
        "{html}"
    );
}

#[test]
fn the_register_round_trip_works_for_a_question_scored_by_criteria() {
    use crate::client::{edit, read_xlsx, write_xlsx};
    let t = Test::new();
    t.exec(["init", "--product", "Acme"], 0);
    t.write(
        "readiness/answers.yaml",
        "format: 1\nanswers:\n  metrics/q1:\n    status: partial\n    criteria_met: [backlog]\n    note: backlog only\n    evidence: [https://dash.example.com]\n    action:\n      what: Add the other KPIs\n      due: 2026-12-15\n",
    );
    let out = t.exec(["export"], 0);
    // The count is of questions, not of rows: each criterion has a row too.
    assert!(out.stderr.contains("76 questions, "), "{}", out.stderr);
    let path = t.path().join("readiness/register.xlsx");
    let mut rows = read_xlsx(&path);
    assert!(rows.len() > 77, "criterion rows follow their question");
    let header = rows[0].clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    // The bookkeeping columns come last.
    assert_eq!(header[header.len() - 2..], ["Version", "Exported"]);
    assert!(!header.iter().any(|h| h == "Criteria met"), "{header:?}");
    // Each criterion has its row, with its text and its mark.
    let row = |rows: &[Vec<String>], id: &str| {
        rows.iter()
            .find(|r| r[0] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no row {id}"))
    };
    let backlog = row(&rows, "metrics/q1#backlog");
    assert_eq!(
        backlog[at("Question")],
        "Criterion: Backlog size and age of the oldest open tickets"
    );
    assert_eq!(backlog[at("Status")], "met");
    assert_eq!(row(&rows, "metrics/q1#resolution")[at("Status")], "unmet");
    // Dates are date cells and points are numbers.
    {
        use calamine::{Data, Reader};
        let mut book = calamine::open_workbook_auto(&path).unwrap();
        let register = book.worksheet_range("Question register").unwrap();
        let due = register.rows().find(|r| r[0] == "metrics/q1").unwrap()[at("Due")].clone();
        assert!(matches!(due, Data::DateTime(_)), "{due:?}");
        let plan = book.worksheet_range("Improvement plan").unwrap();
        let plan_row = plan.rows().find(|r| r[0] == "metrics/q1").unwrap();
        assert!(
            matches!(plan_row[3], Data::Float(_)),
            "points: {:?}",
            plan_row[3]
        );
        assert!(
            matches!(plan_row[6], Data::DateTime(_)),
            "due: {:?}",
            plan_row[6]
        );
    }
    // The client marks one more criterion met in its row; the Status follows.
    edit(&mut rows, "metrics/q1#resolution", "Status", "met");
    let filled = t.path().join("filled.xlsx");
    write_xlsx(&filled, &rows);
    let dry = t.exec(["import", "filled.xlsx", "--dry-run"], 0);
    assert!(
        dry.stdout
            .contains("metrics/q1\n  criteria met: backlog → backlog, resolution\n"),
        "{}",
        dry.stdout
    );
    t.exec(["import", "filled.xlsx"], 0);
    let answers = t.read("readiness/answers.yaml");
    assert!(
        answers.contains("criteria_met: [backlog, resolution]"),
        "{answers}"
    );
    // A partial Status with no criterion marked says where to mark them.
    let mut rows = read_xlsx(&{
        t.exec(["export", "--out", "again.xlsx"], 0);
        t.path().join("again.xlsx")
    });
    edit(&mut rows, "metrics/q1#backlog", "Status", "unmet");
    edit(&mut rows, "metrics/q1#resolution", "Status", "unmet");
    edit(&mut rows, "metrics/q1", "Status", "met");
    // And the case: an unanswered question marked partial, its
    // criteria's rows left blank.
    edit(&mut rows, "satisfaction/q1", "Status", "partial");
    write_xlsx(&filled, &rows);
    let out = t.exec(["import", "filled.xlsx"], 2);
    said(
        &out,
        "`metrics/q1`: the Status says met, and the criteria marked met give unmet (0 of 4); mark each criterion met or unmet in its row (rows",
    );
    said(
        &out,
        "`satisfaction/q1`: the Status says partial, and the criteria marked met give unmet (0 of",
    );
}
