//! No silent surprises (issue 13): what a person wrote is kept, what is typed
//! is not misread, and what CI shows points at real things.

use crate::support::Test;

const ANSWERS: &str = "readiness/answers.yaml";

// ---- comments survive init --force -----------------------------------------

#[test]
fn init_force_keeps_the_comments_a_person_added() {
    let t = Test::new().args(["init"]);
    t.status(0);
    let template = t.read(ANSWERS);
    let edited = format!(
        "# Owned by the support team; ask Dana before changing\n{}",
        template.replacen(
            "answers:\n",
            "# Reviewed every Friday\nanswers:\n  # TODO: the phone line is still open\n  support-channels/q3:\n    status: met  # checked with Sam\n",
            1
        )
    );
    std::fs::write(t.path().join(ANSWERS), &edited).unwrap();
    t.exec(["init", "--force"], 0);
    let after = t.read(ANSWERS);
    for kept in [
        "# Owned by the support team; ask Dana before changing\n",
        "# Reviewed every Friday\nanswers:\n",
        "  # TODO: the phone line is still open\n  support-channels/q3:\n",
        "# checked with Sam\n",
    ] {
        assert!(after.contains(kept), "{kept:?} lost:\n{after}");
    }
    // The tool's own blocks are written afresh, not piled up as comments.
    assert_eq!(
        after.matches("# support-channels/q1:").count(),
        1,
        "{after}"
    );
    assert_eq!(
        after
            .matches("# supportcheck answers: edit by hand")
            .count(),
        1
    );
    // And a second rewrite changes nothing.
    t.exec(["init", "--force"], 0);
    assert_eq!(t.read(ANSWERS), after);
}

// ---- filters, ids and paths that match nothing -----------------------------

#[test]
fn a_tag_that_no_question_has_is_an_error_with_a_suggestion() {
    let out = Test::new()
        .args(["list", "--tag", "launch-blockr"])
        .status(2);
    assert!(
        out.stderr
            .contains("--tag launch-blockr: no question has this tag"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `launch-blocker`?"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let out = Test::new().args(["list", "--tag", "nope"]).status(2);
    assert!(out.stderr.contains("the tags in use:"), "{}", out.stderr);
}

#[test]
fn explain_with_a_mistyped_id_suggests_the_right_one() {
    let out = Test::new().args(["explain", "servce-levels"]).status(2);
    assert!(
        out.stderr.contains("did you mean `service-levels`?"),
        "{}",
        out.stderr
    );
    let out = Test::new()
        .args(["explain", "support-chanels/q2"])
        .status(2);
    assert!(
        out.stderr.contains("did you mean `support-channels/q2`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_explicit_answers_path_that_does_not_exist_is_an_error_everywhere() {
    for command in ["status", "check", "report", "explain", "lint"] {
        let t = Test::new();
        let out = t.exec([command, "--answers", "readines/answers.yaml"], 2);
        assert!(
            out.stderr
                .contains("--answers readines/answers.yaml: no such file"),
            "{command}: {}",
            out.stderr
        );
        assert!(
            !t.path().join("readiness/reports").exists(),
            "{command} wrote a report"
        );
    }
}

#[test]
fn the_default_answers_file_missing_is_said_plainly() {
    for command in ["status", "report"] {
        let out = Test::new().args([command]).run();
        assert!(
            out.stderr
                .contains("no answers yet at readiness/answers.yaml"),
            "{command}: {}",
            out.stderr
        );
    }
}

// ---- typos in the answers file ---------------------------------------------

const TYPOS: &str = "format: 1\nprodcut: Acme\nanswers:\n  support-channels/q1:\n    stauts: met\n  support-chanels/q2:\n    status: met\n";

#[test]
fn typos_in_the_answers_file_are_named_in_lint_status_and_check() {
    let t = Test::new().file(ANSWERS, TYPOS);
    let lint = t.exec(["lint"], 0);
    let status = t.exec(["status"], 0);
    let check = t.exec(["check"], 1);
    for (name, out) in [("lint", &lint), ("status", &status), ("check", &check)] {
        let all = format!("{}{}", out.stdout, out.stderr);
        for said in [
            "unknown key `prodcut` in the answers file (kept as it is); did you mean `product`?",
            "unknown key `stauts` on an answer (kept as it is); did you mean `status`?",
        ] {
            assert!(all.contains(said), "{name}: {said:?} not in\n{all}");
        }
        assert!(
            all.contains("support-chanels/q2")
                && all.contains("did you mean `support-channels/q2`?"),
            "{name}: {all}"
        );
    }
    // The answer whose only status key is misspelt is reported as such.
    assert!(
        check.stdout.contains(
            "support-channels/q1: not answered: the answer has `stauts` but no `status`; did you mean `status`?"
        ),
        "{}",
        check.stdout
    );
    assert!(
        status
            .stdout
            .contains("support-channels/q1  (`stauts:` is not a key; did you mean `status:`?)"),
        "{}",
        status.stdout
    );
}

// ---- what CI and readers see -----------------------------------------------

#[test]
fn github_annotations_point_at_the_answers_file_for_builtin_playbooks() {
    let answers = "format: 1\nanswers:\n  support-channels/q1:\n    status: unmet\n";
    let out = Test::new()
        .file(ANSWERS, answers)
        .args(["check", "--format", "github"])
        .status(1);
    assert!(!out.stdout.contains("builtin/"), "{}", out.stdout);
    // The blocker sits on its answer's line; a missing answer on the file.
    assert!(
        out.stdout.contains("::error file=readiness/answers.yaml,line=3,title=supportcheck blocker::support-channels/q1"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("::error file=readiness/answers.yaml,title=supportcheck missing::support-channels/q2: not answered"),
        "{}",
        out.stdout
    );
    for line in out.stdout.lines().filter(|l| l.starts_with("::")) {
        assert!(line.contains("file=readiness/answers.yaml"), "{line}");
    }
}

#[test]
fn junit_failures_say_each_thing_once() {
    let answers = "format: 1\nanswers:\n  support-channels/q3:\n    status: unmet\n";
    let out = Test::new()
        .file(ANSWERS, answers)
        .args(["check", "--format", "junit", "--fail-on", "unmet"])
        .status(1);
    let case = out
        .stdout
        .split("<testcase ")
        .find(|c| c.starts_with("name=\"support-channels/q3:"))
        .expect("a test case for support-channels/q3");
    let case = &case[..case.find("</testcase>").unwrap_or(case.len())];
    let failure = &case[case.find("<failure").expect("it fails")..];
    assert_eq!(failure.matches("support-channels/q3").count(), 0, "{case}");
    assert_eq!(failure.matches("expected: ").count(), 1, "{case}");
    assert_eq!(failure.matches("cost per contact").count(), 1, "{case}");
    assert!(failure.contains("message=\"unmet; expected: "), "{case}");
}

#[test]
fn the_man_page_refers_to_no_page_that_is_not_produced() {
    let out = Test::new().args(["man"]).status(0);
    assert!(!out.stdout.contains("(1)"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("supportcheck\\-audit"),
        "references a page"
    );
    for command in ["audit", "check", "report", "init"] {
        assert!(
            out.stdout
                .contains(&format!(".SS \"supportcheck {command}\"")),
            "no section for {command}"
        );
    }
    assert!(
        out.stdout.contains("\\-\\-only"),
        "audit's options are in the page"
    );
}

#[test]
fn init_force_keeps_the_comments_in_the_config_too() {
    let t = Test::new().args(["init", "--product", "Acme"]);
    t.status(0);
    let config = t.read("supportcheck.yaml");
    let edited = format!("# Owned by the support lead\n{config}")
        .replace("gate:\n", "# raised after the Q3 review\ngate:\n")
        .replace("  warn_days: 14\n", "  warn_days: 14  # two sprints\n");
    std::fs::write(t.path().join("supportcheck.yaml"), &edited).unwrap();
    t.exec(["init", "--force"], 0);
    let after = t.read("supportcheck.yaml");
    // Nothing to change: the config stays as the person left it, every
    // comment where it was.
    assert_eq!(after, edited);
    assert_eq!(
        after.matches("# supportcheck configuration").count(),
        1,
        "{after}"
    );
    t.exec(["init", "--force"], 0);
    assert_eq!(
        t.read("supportcheck.yaml"),
        after,
        "a second rewrite changes nothing"
    );
    t.exec(["status"], 0);
}
