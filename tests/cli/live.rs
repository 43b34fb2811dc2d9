//! `diff --live` (and plain `diff` with one report): the answers as they
//! are now against the latest report.

use crate::report::{answers, project};

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn diff_with_one_report_compares_it_with_the_answers_now() {
    let t = project().file("readiness/answers.yaml", answers("unmet", "not yet"));
    t.exec(["report", "--format", "json"], 0);
    std::fs::write(
        t.path().join("readiness/answers.yaml"),
        answers("met", "done, see the runbook"),
    )
    .unwrap();
    let out = t.exec(["diff"], 0);
    assert!(out.stdout.contains("v1 → now"), "{}", out.stdout);
    assert!(out.stdout.contains("unmet → met"), "{}", out.stdout);
    let j = json(&t.exec(["diff", "--format", "json"], 0).stdout);
    assert_eq!(j["from"]["report_version"], 1);
    assert!(j["to"]["report_version"].is_null(), "{j}");
    assert_eq!(j["status_changes"][0]["id"], "help-desk/q1");
    assert_eq!(j["answer_changes"][0]["fields"][0]["field"], "note");
    assert_eq!(j["answer_changes"][0]["fields"][0]["from"], "not yet");
    assert_eq!(
        j["answer_changes"][0]["fields"][0]["to"],
        "done, see the runbook"
    );
    let md = t.exec(["diff", "--format", "markdown"], 0).stdout;
    assert!(md.starts_with("## Readiness: v1 → now"), "{md}");
    assert!(
        md.contains("| `help-desk/q1` Is every request tracked? | unmet → **met** | note: “done, see the runbook” |"),
        "{md}"
    );
    // Nothing was written: the live diff is not a report.
    assert!(
        !t.path()
            .join("readiness/reports/readiness-v2.json")
            .exists()
    );
}

#[test]
fn diff_live_compares_the_latest_of_several_reports_with_now() {
    let t = project().file("readiness/answers.yaml", answers("unmet", "a"));
    t.exec(["report", "--format", "json"], 0);
    std::fs::write(t.path().join("readiness/answers.yaml"), answers("met", "a")).unwrap();
    t.exec(["report", "--format", "json"], 0);
    // A note-only change: the status stays, the note is the change.
    std::fs::write(t.path().join("readiness/answers.yaml"), answers("met", "b")).unwrap();
    let plain = t.exec(["diff"], 0).stdout;
    assert!(plain.contains("v1 → v2"), "{plain}");
    let live = t.exec(["diff", "--live"], 0).stdout;
    assert!(live.contains("v2 → now"), "{live}");
    assert!(!live.contains("unmet → met"), "{live}");
    assert!(
        live.contains("help-desk/q1") && live.contains("note"),
        "{live}"
    );
    let md = t
        .exec(["diff", "--live", "1", "--format", "markdown"], 0)
        .stdout;
    assert!(md.starts_with("## Readiness: v1 → now"), "{md}");
}

#[test]
fn diff_live_reports_no_change_when_the_answers_match_the_report() {
    let t = project().file("readiness/answers.yaml", answers("met", "ok"));
    t.exec(["report", "--format", "json"], 0);
    let md = t.exec(["diff", "--live", "--format", "markdown"], 0).stdout;
    assert!(md.contains("No answers or questions changed."), "{md}");
}

#[test]
fn diff_live_without_a_report_says_how_to_make_one() {
    let t = project().file("readiness/answers.yaml", answers("met", "ok"));
    let out = t.exec(["diff", "--live"], 2);
    assert!(
        out.stderr.contains("no report in readiness/reports"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("supportcheck report"), "{}", out.stderr);
}

#[test]
fn diff_live_on_a_broken_answers_file_names_it_and_exits_2() {
    let t = project().file("readiness/answers.yaml", answers("met", "ok"));
    t.exec(["report", "--format", "json"], 0);
    std::fs::write(
        t.path().join("readiness/answers.yaml"),
        "format: 1\nanswers:\n  help-desk/q1:\n    status: [unclosed\n",
    )
    .unwrap();
    let out = t.exec(["diff", "--live"], 2);
    assert!(
        out.stderr.contains("readiness/answers.yaml"),
        "{}",
        out.stderr
    );
}

#[test]
fn diff_live_refuses_a_second_version() {
    let t = project().file("readiness/answers.yaml", answers("met", "ok"));
    let out = t.exec(["diff", "--live", "1", "2"], 2);
    assert!(out.stderr.contains("cannot be used with"), "{}", out.stderr);
}
