//! Team readiness through the binary: owners, follow-up actions, sign-offs,
//! and answers merged from two branches with real git.

use crate::support::{Test, cannot_run};
use std::path::Path;
use std::process::Command;

/// A playbook of `n` questions; q1 is owned by `legal`, the rest by the
/// playbook's owner, `support-lead`; q2 is critical.
fn playbook(n: usize) -> String {
    let mut s = String::from("---\ntitle: Launch\nid: launch\nowner: support-lead\nchecklist:\n");
    for i in 1..=n {
        s.push_str(&format!(
            "  - order: {i}\n    question: Question {i}?\n    expectation: Expectation {i}.\n    version: 1.0.0\n"
        ));
        if i == 1 {
            s.push_str("    owner: legal\n");
        }
        if i == 2 {
            s.push_str("    critical: true\n");
        }
    }
    s.push_str("---\n");
    s
}

const CONFIG: &str = "product: Team test\nchecklists: [playbooks]\nowners:\n  support-lead: [Dana Lee, Priya Raman]\n  legal: [Jonas Berg]\n";

/// Three questions: q1 (legal) partial with an overdue action, q2 met, q3
/// unmet with an action due later. Today is 2026-11-23 (the test clock).
const ANSWERS: &str = "format: 1\nanswers:\n  launch/q1:\n    status: partial\n    note: Terms drafted\n    action:\n      what: Get the terms reviewed\n      due: 2026-11-20\n  launch/q2:\n    status: met\n  launch/q3:\n    status: unmet\n    action:\n      what: Hire two agents\n      who: Priya Raman\n      due: 2026-12-15\n";

fn project() -> Test {
    Test::new()
        .file("supportcheck.yaml", CONFIG)
        .file("playbooks/launch.md", playbook(3))
        .file("readiness/answers.yaml", ANSWERS)
}

#[test]
fn status_by_owner_shows_each_roles_questions_score_and_gaps() {
    let t = project();
    let out = t.exec(["status", "--by", "owner"], 0).stdout;
    let legal = out
        .lines()
        .find(|l| l.contains("legal"))
        .expect("a legal row");
    assert!(
        legal.contains("Jonas Berg") && legal.contains("50.0") && legal.contains("1/1"),
        "{out}"
    );
    let lead = out
        .lines()
        .find(|l| l.contains("support-lead"))
        .expect("a support-lead row");
    assert!(
        lead.contains("Dana Lee, Priya Raman") && lead.contains("50.0") && lead.contains("2/2"),
        "{out}"
    );

    let json: serde_json::Value = serde_json::from_str(
        &t.exec(["status", "--by", "owner", "--format", "json"], 0)
            .stdout,
    )
    .unwrap();
    let owners = json["owners"].as_array().unwrap();
    assert_eq!(owners[0]["role"], "legal");
    assert_eq!(owners[0]["gaps"], serde_json::json!(["launch/q1"]));
    assert_eq!(owners[0]["overdue"], 1);
    assert_eq!(owners[1]["gaps"], serde_json::json!(["launch/q3"]));

    let one = t.exec(["status", "--owner", "support-lead"], 0).stdout;
    assert!(!one.contains("Jonas Berg"), "{one}");
    assert!(
        one.contains("Gaps of support-lead (1):\n  launch/q3"),
        "{one}"
    );
    assert!(
        one.contains("launch/q3  Hire two agents — Priya Raman, due 2026-12-15"),
        "{one}"
    );

    let bad = t.exec(["status", "--owner", "marketing"], 2).stderr;
    assert!(
        bad.contains("--owner marketing: no question is owned by that role"),
        "{bad}"
    );
}

#[test]
fn list_and_explain_show_the_owner() {
    let t = project();
    let list = t.exec(["list"], 0).stdout;
    let q1 = list.lines().find(|l| l.contains("launch/q1")).unwrap();
    assert!(q1.contains("legal"), "{list}");
    let json: serde_json::Value =
        serde_json::from_str(&t.exec(["list", "--format", "json"], 0).stdout).unwrap();
    assert_eq!(
        json["playbooks"][0]["questions"][1]["owner"],
        "support-lead"
    );
    let explain = t.exec(["explain", "launch/q1"], 0).stdout;
    assert!(
        explain.contains("owner:    legal (Jonas Berg)"),
        "{explain}"
    );
}

#[test]
fn the_builtin_set_names_a_role_for_every_question() {
    let json: serde_json::Value = serde_json::from_str(
        &Test::new()
            .args(["list", "--format", "json"])
            .status(0)
            .stdout,
    )
    .unwrap();
    for p in json["playbooks"].as_array().unwrap() {
        for q in p["questions"].as_array().unwrap() {
            assert!(q["owner"].is_string(), "{} has no owner", q["id"]);
        }
    }
}

#[test]
fn check_and_the_plan_name_the_owner_of_each_gap() {
    let t = project();
    let text = t.exec(["check", "--fail-on", "unmet"], 1).stdout;
    assert!(
        text.contains("launch/q3: unmet; expected: Expectation 3. (owner: support-lead)"),
        "{text}"
    );
    let github = t
        .exec(["check", "--format", "github", "--fail-on", "unmet"], 1)
        .stdout;
    assert!(
        github.contains("launch/q3: unmet; expected: Expectation 3. (owner: support-lead)"),
        "{github}"
    );
    let junit = t
        .exec(["check", "--format", "junit", "--fail-on", "unmet"], 1)
        .stdout;
    assert!(junit.contains("owner: support-lead"), "{junit}");

    t.exec(["report", "--format", "md,json,html"], 0);
    let md = t.read("readiness/reports/readiness-v1.md");
    // The plan groups gaps by who acts: a role reads as its people.
    let legal = md.find("#### Jonas Berg (legal)\n").expect("legal's gaps");
    let row = md
        .find("| `launch/q1` Question 1? | partial |")
        .expect("q1's row");
    assert!(legal < row, "{md}");
    assert!(md.contains("#### Priya Raman\n"), "{md}");
    assert!(md.contains("## Follow-up actions"), "{md}");
    assert!(
        md.contains(
            "| `launch/q1` | legal | Get the terms reviewed | legal | 2026-11-20 **overdue** |"
        ),
        "{md}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&t.read("readiness/reports/readiness-v1.json")).unwrap();
    assert_eq!(json["playbooks"][0]["questions"][0]["owner"], "legal");
    assert_eq!(json["owners"]["legal"], serde_json::json!(["Jonas Berg"]));
}

#[test]
fn an_overdue_action_is_a_warning_unless_overdue_is_in_fail_on() {
    let t = project();
    let out = t.exec(["check", "--fail-on", "missing"], 0).stdout;
    assert!(
        out.contains("warning[overdue]: launch/q1: action overdue since 2026-11-20: Get the terms reviewed (owner: legal)"),
        "{out}"
    );
    assert!(
        !out.contains("Hire two agents"),
        "the action due later is not overdue: {out}"
    );
    let out = t.exec(["check", "--fail-on", "overdue"], 1).stdout;
    assert!(out.contains("error[overdue]"), "{out}");
    assert!(out.contains("gate failed: 1 overdue action"), "{out}");
    let json: serde_json::Value = serde_json::from_str(
        &t.exec(["check", "--format", "json", "--fail-on", "missing"], 0)
            .stdout,
    )
    .unwrap();
    assert_eq!(json["summary"]["overdue"], 1);
}

#[test]
fn lint_names_unknown_roles_empty_roles_and_unowned_questions() {
    let t = Test::new()
        .file(
            "supportcheck.yaml",
            "checklists: [playbooks]\nowners:\n  support-lead: Dana Lee\n  legal: []\ngate:\n  require_owners: true\n  signoffs: [ceo]\n",
        )
        .file(
            "playbooks/a.md",
            "---\nchecklist:\n  - order: 1\n    question: Q?\n    expectation: E.\n    version: 1.0.0\n    owner: marketing\n  - order: 2\n    question: Q2?\n    expectation: E2.\n    version: 1.0.0\n---\n",
        );
    let out = t.exec(["lint"], 1).stdout;
    assert!(
        out.contains("playbooks/a.md:3: error[unknown-role]: role `marketing`"),
        "{out}"
    );
    assert!(
        out.contains("supportcheck.yaml: warning[no-person]: role `legal` has nobody in it"),
        "{out}"
    );
    assert!(
        out.contains("playbooks/a.md:8: error[no-owner]: a/q2 has no owner"),
        "{out}"
    );
    assert!(
        out.contains("supportcheck.yaml: error[unknown-role]: gate.signoffs names `ceo`"),
        "{out}"
    );
    assert!(
        !out.contains("support-lead` has nobody"),
        "one name without brackets is a person: {out}"
    );
}

#[test]
fn signoff_refuses_unknown_roles_outsiders_and_a_blocked_project() {
    let t = project();
    let out = t
        .exec(["signoff", "marketing", "--as", "Dana Lee"], 2)
        .stderr;
    assert!(
        out.contains("`marketing` is not a role in `owners:`"),
        "{out}"
    );
    assert!(out.contains("known roles: legal, support-lead"), "{out}");
    let out = t.exec(["signoff", "legal", "--as", "Dana Lee"], 2).stderr;
    assert!(
        out.contains("Dana Lee is not in the role `legal` (Jonas Berg)"),
        "{out}"
    );

    // q2 is critical: unanswered, it blocks.
    let blocked = project().file(
        "readiness/answers.yaml",
        "format: 1\nanswers:\n  launch/q1:\n    status: met\n",
    );
    let out = blocked
        .exec(["signoff", "legal", "--as", "Jonas Berg"], 2)
        .stderr;
    assert!(out.contains("the project is blocked (1 blocker)"), "{out}");
    let out = blocked
        .exec(
            ["signoff", "legal", "--as", "Jonas Berg", "--accept-blocked"],
            2,
        )
        .stderr;
    assert!(out.contains("--accept-blocked needs --note"), "{out}");
    assert!(!blocked.path().join("readiness/signoffs.yaml").exists());
    blocked.exec(
        [
            "signoff",
            "legal",
            "--as",
            "Jonas Berg",
            "--accept-blocked",
            "--note",
            "CEO accepts the q2 risk",
        ],
        0,
    );
    blocked.exec(["report", "--format", "md"], 0);
    let md = blocked.read("readiness/reports/readiness-v1.md");
    assert!(md.contains("| legal | signed | Jonas Berg | 2026-11-23T12:00:00Z | accepted while blocked: CEO accepts the q2 risk |"), "{md}");
}

#[test]
fn a_sign_off_is_current_until_anything_changes_then_outdated_with_what_changed() {
    let t = project().file(
        "supportcheck.yaml",
        format!("{CONFIG}gate:\n  fail_on: [blocker]\n  signoffs: [support-lead, legal]\n"),
    );
    let out = t.exec(["check"], 1).stdout;
    assert!(
        out.contains("error[signoff]: no sign-off from `support-lead`"),
        "{out}"
    );
    assert!(
        out.contains("gate failed: 2 sign-offs missing or outdated"),
        "{out}"
    );

    let out = t.exec(
        [
            "signoff",
            "support-lead",
            "--as",
            "Priya Raman",
            "--note",
            "Queue staffed",
        ],
        0,
    );
    assert!(
        out.stdout
            .starts_with("signed: support-lead by Priya Raman"),
        "{}",
        out.stdout
    );
    t.exec(["signoff", "legal", "--as", "jonas berg"], 0);
    let out = t.exec(["check"], 0).stdout;
    assert!(out.contains("gate passed"), "{out}");
    assert!(
        out.contains("signed    legal — jonas berg"),
        "check shows each sign-off: {out}"
    );
    let status = t.exec(["status"], 0).stdout;
    assert!(
        status.contains("signed    support-lead — Priya Raman, 2026-11-23T12:00:00Z (required)"),
        "{status}"
    );

    let file = t.read("readiness/signoffs.yaml");
    assert_eq!(file.matches("- role:").count(), 2, "{file}");
    assert!(file.contains("digest: "), "{file}");

    // Someone edits an answer: both sign-offs are outdated, and say why.
    t.exec(["check"], 0);
    let edited = ANSWERS.replace(
        "  launch/q2:\n    status: met\n",
        "  launch/q2:\n    status: met\n    note: checked again\n",
    );
    std::fs::write(t.path().join("readiness/answers.yaml"), edited).unwrap();
    let out = t.exec(["check"], 1).stdout;
    assert!(
        out.contains("error[signoff]: the sign-off of `support-lead` by Priya Raman is outdated: `launch/q2`: met, answer edited"),
        "{out}"
    );
    let status = t.exec(["status"], 0).stdout;
    assert!(status.contains("outdated  legal"), "{status}");
    assert!(
        status.contains("changed since: `launch/q2`: met, answer edited"),
        "{status}"
    );
    // --fail-on cannot switch it off while roles are required, and names it.
    let out = t.exec(["check", "--fail-on", "signoff"], 1).stdout;
    assert!(
        out.contains("gate failed: 2 sign-offs missing or outdated"),
        "{out}"
    );

    // Reports carry the sign-offs, so the hash chain covers them.
    t.exec(["report", "--format", "json,html"], 0);
    let json: serde_json::Value =
        serde_json::from_str(&t.read("readiness/reports/readiness-v1.json")).unwrap();
    assert_eq!(json["signoffs"][0]["role"], "support-lead");
    assert_eq!(json["signoffs"][0]["state"], "outdated");
    assert_eq!(
        json["signoffs"][0]["changes"][0],
        "`launch/q2`: met, answer edited"
    );
    assert_eq!(json["summary"]["signoffs_missing"], 2);
    let html = t.read("readiness/reports/readiness-v1.html");
    assert!(html.contains("<h2>Sign-offs</h2>"), "no sign-offs section");
    assert!(
        html.contains("signoff-outdated\">outdated</span><br>changed since: ")
            && html.contains("met, answer edited</td>"),
        "the outdated sign-off and what changed are not in the HTML: {}",
        &html[html.find("<h2>Sign-offs</h2>").unwrap()..][..900]
    );

    // A playbook edit outdates a new sign-off too.
    t.exec(["signoff", "legal", "--as", "Jonas Berg"], 0);
    std::fs::write(t.path().join("playbooks/launch.md"), playbook(4)).unwrap();
    let status = t.exec(["status"], 0).stdout;
    assert!(
        status.contains("changed since: playbook `launch` edited"),
        "{status}"
    );
}

#[test]
fn unresolved_conflict_markers_are_named_with_their_line_in_every_file_read() {
    let conflicted = "format: 1\nanswers:\n<<<<<<< HEAD\n  launch/q1:\n    status: met\n=======\n  launch/q1:\n    status: unmet\n>>>>>>> other\n";
    let t = project().file("readiness/answers.yaml", conflicted);
    let out = t.exec(["check"], 2).stderr;
    assert!(
        out.contains("readiness/answers.yaml:3:1: error[merge-conflict]: unresolved merge conflict on `launch/q1`"),
        "{out}"
    );
    let lint = t.exec(["lint"], 1).stdout;
    assert!(
        lint.contains("readiness/answers.yaml:3:1: error[merge-conflict]"),
        "{lint}"
    );

    let t = project().file(
        "supportcheck.yaml",
        format!("{CONFIG}<<<<<<< ours\nreports: a\n=======\nreports: b\n>>>>>>> theirs\n"),
    );
    let out = t.exec(["status"], 2).stderr;
    assert!(
        out.contains("supportcheck.yaml:6:1: error[merge-conflict]: unresolved merge conflict"),
        "{out}"
    );

    let t = project().file(
        "playbooks/launch.md",
        playbook(3).replace(
            "  - order: 2\n",
            "<<<<<<< HEAD\n  - order: 2\n=======\n  - order: 9\n>>>>>>> b\n",
        ),
    );
    let out = t.exec(["lint"], 1).stdout;
    assert!(
        out.contains("playbooks/launch.md:11:1: error[merge-conflict]: unresolved merge conflict"),
        "{out}"
    );
}

/// Runs git in `dir`; the test cannot run its check without git.
fn git(dir: &Path, args: &[&str]) -> Option<std::process::Output> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=t@example.com"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .ok()?;
    Some(out)
}

fn git_ok(dir: &Path, args: &[&str]) {
    let out = git(dir, args).expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The answers file as supportcheck writes it (the audit's writer), with
/// the questions `ids` answered met.
fn written(ids: &[String], base: &str) -> String {
    let (mut file, _) = supportcheck::answers::parse(base, "answers.yaml");
    for id in ids {
        file.answers.insert(
            id.clone(),
            supportcheck::answers::Answer {
                status: Some(supportcheck::answers::Status::Met),
                note: Some(format!("answered {id}")),
                question_version: Some(semver::Version::new(1, 0, 0)),
                answered_by: Some("Dana Lee".into()),
                ..Default::default()
            },
        );
    }
    let order: Vec<String> = (1..=20).map(|i| format!("launch/q{i}")).collect();
    supportcheck::answers::to_yaml(&file, &order)
}

#[test]
fn two_branches_answering_different_questions_merge_with_plain_git() {
    let t = Test::new()
        .file("supportcheck.yaml", "checklists: [playbooks]\n")
        .file("playbooks/launch.md", playbook(20));
    let dir = t.path();
    if git(dir, &["init", "-q", "-b", "main"]).is_none_or(|o| !o.status.success()) {
        return cannot_run("git is not installed");
    }
    std::fs::create_dir_all(dir.join("readiness")).unwrap();
    let base = written(&[], "");
    std::fs::write(dir.join("readiness/answers.yaml"), &base).unwrap();
    git_ok(dir, &["add", "-A"]);
    git_ok(dir, &["commit", "-qm", "base"]);
    // Interleaved, so that neighbouring questions are answered on different branches.
    let evens: Vec<String> = (1..=10).map(|i| format!("launch/q{}", 2 * i)).collect();
    let odds: Vec<String> = (1..=10).map(|i| format!("launch/q{}", 2 * i - 1)).collect();
    for (branch, ids) in [("a", &evens), ("b", &odds)] {
        git_ok(dir, &["checkout", "-q", "-b", branch, "main"]);
        std::fs::write(dir.join("readiness/answers.yaml"), written(ids, &base)).unwrap();
        git_ok(dir, &["commit", "-qam", branch]);
    }
    git_ok(dir, &["checkout", "-q", "a"]);
    let merge = git(dir, &["merge", "--no-edit", "b"]).unwrap();
    assert!(
        merge.status.success(),
        "plain git merge conflicted: {}\n{}",
        String::from_utf8_lossy(&merge.stdout),
        t.read("readiness/answers.yaml")
    );
    let json: serde_json::Value = serde_json::from_str(
        &t.exec(["check", "--format", "json", "--fail-on", "missing"], 0)
            .stdout,
    )
    .unwrap();
    assert_eq!(json["summary"]["answered"], 20);
    assert_eq!(json["summary"]["missing"], 0);
}

#[test]
fn the_merge_driver_keeps_both_sides_and_leaves_one_question_changed_twice_as_a_named_conflict() {
    let t = Test::new()
        .file("supportcheck.yaml", "checklists: [playbooks]\n")
        .file("playbooks/launch.md", playbook(4))
        .file(
            ".gitattributes",
            "readiness/answers.yaml merge=supportcheck-answers\n",
        );
    let dir = t.path();
    if git(dir, &["init", "-q", "-b", "main"]).is_none_or(|o| !o.status.success()) {
        return cannot_run("git is not installed");
    }
    let bin = assert_cmd::cargo::cargo_bin("supportcheck");
    git_ok(
        dir,
        &[
            "config",
            "merge.supportcheck-answers.driver",
            &format!("{} merge-answers %O %A %B", bin.display()),
        ],
    );
    // Hand-edited files, in orders the writer would not use: plain git
    // would conflict on the neighbouring lines.
    let base = "format: 1\nanswers:\n  launch/q1:\n    status: partial\n";
    std::fs::create_dir_all(dir.join("readiness")).unwrap();
    std::fs::write(dir.join("readiness/answers.yaml"), base).unwrap();
    git_ok(dir, &["add", "-A"]);
    git_ok(dir, &["commit", "-qm", "base"]);
    git_ok(dir, &["checkout", "-q", "-b", "a"]);
    std::fs::write(
        dir.join("readiness/answers.yaml"),
        format!("{base}  launch/q2:\n    status: met\n"),
    )
    .unwrap();
    git_ok(dir, &["commit", "-qam", "a"]);
    git_ok(dir, &["checkout", "-q", "-b", "b", "main"]);
    std::fs::write(
        dir.join("readiness/answers.yaml"),
        format!("{base}  launch/q3:\n    status: unmet\n"),
    )
    .unwrap();
    git_ok(dir, &["commit", "-qam", "b"]);
    git_ok(dir, &["merge", "--no-edit", "a"]);
    let json: serde_json::Value =
        serde_json::from_str(&t.exec(["status", "--format", "json"], 0).stdout).unwrap();
    assert_eq!(
        json["summary"]["answered"],
        3,
        "{}",
        t.read("readiness/answers.yaml")
    );

    // Both branches change q1: the driver leaves that one question in conflict.
    git_ok(dir, &["checkout", "-q", "-b", "c"]);
    let merged = t.read("readiness/answers.yaml");
    std::fs::write(
        dir.join("readiness/answers.yaml"),
        merged.replace("status: partial", "status: met"),
    )
    .unwrap();
    git_ok(dir, &["commit", "-qam", "c"]);
    git_ok(dir, &["checkout", "-q", "b"]);
    std::fs::write(
        dir.join("readiness/answers.yaml"),
        merged.replace("status: partial", "status: unmet"),
    )
    .unwrap();
    git_ok(dir, &["commit", "-qam", "b2"]);
    let out = git(dir, &["merge", "--no-edit", "c"]).unwrap();
    assert!(
        !out.status.success(),
        "a question changed on both sides must conflict"
    );
    let text = t.read("readiness/answers.yaml");
    assert!(text.contains("<<<<<<< ours\n  launch/q1:\n    status: unmet\n=======\n  launch/q1:\n    status: met\n>>>>>>> theirs\n"), "{text}");
    assert!(
        text.contains("  launch/q2:\n    status: met\n")
            && text.contains("  launch/q3:\n    status: unmet\n"),
        "{text}"
    );
    let lint = t.exec(["lint"], 1).stdout;
    assert!(
        lint.contains("error[merge-conflict]: unresolved merge conflict on `launch/q1`"),
        "{lint}"
    );
}

#[test]
fn init_writes_the_merge_driver_lines_and_owner_roles() {
    let t = Test::new();
    t.exec(["init", "--product", "X"], 0);
    let attrs = t.read(".gitattributes");
    assert!(
        attrs.contains("readiness/answers.yaml merge=supportcheck-answers"),
        "{attrs}"
    );
    let config = t.read("supportcheck.yaml");
    assert!(
        config.contains("git config merge.supportcheck-answers.driver"),
        "{config}"
    );
    assert!(config.contains("# owners:"), "{config}");
}

#[test]
fn the_acme_example_shows_owners_five_actions_and_a_current_and_an_outdated_sign_off() {
    let dir = crate::support::repo().join("examples/acme");
    let dir = dir.to_str().unwrap();
    // After the newest sign-off (26 November): one dated later would not count.
    let t = Test::new().env("SUPPORTCHECK_NOW", "2026-11-30T12:00:00Z");
    let json: serde_json::Value = serde_json::from_str(
        &t.exec(
            ["-C", dir, "status", "--by", "owner", "--format", "json"],
            0,
        )
        .stdout,
    )
    .unwrap();
    let roles: Vec<&str> = json["owners"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["role"].as_str())
        .collect();
    assert_eq!(
        roles,
        [
            "engineering",
            "legal",
            "product",
            "support-lead",
            "support-ops"
        ]
    );
    let actions = json["actions"].as_array().unwrap();
    // Two from the team example, three dated ones for the roadmap of the
    // client deliverable (docs/deliverable.md).
    assert_eq!(actions.len(), 5, "{actions:?}");
    assert_eq!(actions.iter().filter(|a| a["overdue"] == true).count(), 1);
    let states: Vec<(&str, &str)> = json["signoffs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["role"].as_str().unwrap(), s["state"].as_str().unwrap()))
        .collect();
    assert_eq!(states, [("legal", "outdated"), ("support-lead", "signed")]);
}

#[test]
fn the_github_step_summary_names_who_owns_the_gaps() {
    let t = project();
    let summary = t.path().join("summary.md");
    let t = t.env("GITHUB_STEP_SUMMARY", summary.to_str().unwrap());
    t.exec(["check", "--format", "github"], 1);
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.contains("### Gaps by owner"), "{text}");
    assert!(text.contains("| legal | `launch/q1` | 1 |"), "{text}");
    assert!(
        text.contains("| support-lead | `launch/q3` | 0 |"),
        "{text}"
    );
}

#[test]
fn the_man_page_and_schemas_cover_owners_actions_and_sign_offs() {
    let t = Test::new();
    let man = t.exec(["man"], 0).stdout;
    for needle in [
        "readiness/signoffs.yaml",
        "\\fBownership\\fR",
        "\\fBaction\\fR",
        "merge\\-answers",
    ] {
        assert!(man.contains(needle), "man page lacks {needle}");
    }
    let config = t.exec(["schema", "config"], 0).stdout;
    assert!(
        config.contains("\"owners\"")
            && config.contains("\"ownership\"")
            && config.contains("\"signoffs\""),
        "{config}"
    );
    let answers = t.exec(["schema", "answers"], 0).stdout;
    assert!(
        answers.contains("\"action\"") && answers.contains("\"due\""),
        "{answers}"
    );
    let playbook = t.exec(["schema", "playbook"], 0).stdout;
    assert_eq!(
        playbook.matches("\"owner\"").count(),
        2,
        "on the playbook and on an item"
    );
    let signoffs: serde_json::Value =
        serde_json::from_str(&t.exec(["schema", "signoffs"], 0).stdout).unwrap();
    assert_eq!(signoffs["title"], "supportcheck sign-offs");
}

#[test]
fn init_force_keeps_owners_ownership_and_the_team_gate() {
    let config = format!(
        "{CONFIG}ownership:\n  tags:\n    launch-blocker: legal\ngate:\n  require_owners: true\n  signoffs: [legal]\n"
    );
    let t = project().file("supportcheck.yaml", &config);
    t.exec(["init", "--force"], 0);
    let written = t.read("supportcheck.yaml");
    let parsed = supportcheck::config::Config::parse(&written, "supportcheck.yaml").unwrap();
    let before = supportcheck::config::Config::parse(&config, "supportcheck.yaml").unwrap();
    assert_eq!(parsed.owners, before.owners, "{written}");
    assert_eq!(parsed.ownership, before.ownership, "{written}");
    assert_eq!(parsed.gate.signoffs, ["legal"], "{written}");
    assert!(parsed.gate.require_owners, "{written}");
    let json: serde_json::Value =
        serde_json::from_str(&t.exec(["status", "--format", "json"], 0).stdout).unwrap();
    assert_eq!(json["signoffs"][0]["state"], "missing");
}

/// Fills in the template block of each id in `ids` by hand, as met.
fn fill_by_hand(template: &str, ids: &[&str]) -> String {
    let mut out = Vec::new();
    let mut inside = false;
    for line in template.lines() {
        if ids.iter().any(|id| line == format!("  # {id}:")) {
            inside = true;
        }
        match line.strip_prefix("  # ") {
            Some(rest) if inside => {
                let rest = if rest.trim_start().starts_with("status:") {
                    "  status: met"
                } else {
                    rest
                };
                inside = !rest.trim_start().starts_with("question_version:");
                out.push(format!("  {rest}"));
            }
            _ => out.push(line.to_string()),
        }
    }
    out.join("\n") + "\n"
}

#[test]
fn two_people_filling_neighbouring_template_blocks_merge_with_plain_git() {
    let t = Test::new().file("playbooks/launch.md", playbook(6));
    let dir = t.path();
    if git(dir, &["init", "-q", "-b", "main"]).is_none_or(|o| !o.status.success()) {
        return cannot_run("git is not installed");
    }
    t.exec(["init", "--checklists", "playbooks"], 0);
    git_ok(dir, &["add", "-A"]);
    git_ok(dir, &["commit", "-qm", "init"]);
    let template = t.read("readiness/answers.yaml");
    for (branch, ids) in [
        ("a", ["launch/q1", "launch/q3", "launch/q5"]),
        ("b", ["launch/q2", "launch/q4", "launch/q6"]),
    ] {
        git_ok(dir, &["checkout", "-q", "-b", branch, "main"]);
        std::fs::write(
            dir.join("readiness/answers.yaml"),
            fill_by_hand(&template, &ids),
        )
        .unwrap();
        git_ok(dir, &["commit", "-qam", branch]);
    }
    // Plain git: the driver is not configured in this clone.
    let merge = git(dir, &["merge", "--no-edit", "a"]).unwrap();
    assert!(
        merge.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&merge.stdout),
        t.read("readiness/answers.yaml")
    );
    let json: serde_json::Value =
        serde_json::from_str(&t.exec(["status", "--format", "json"], 0).stdout).unwrap();
    assert_eq!(json["summary"]["answered"], 6);
}

#[test]
fn ownership_rules_in_the_config_set_owners_by_section_tag_playbook_and_question() {
    let item = |order: u32, extra: &str| {
        format!(
            "  - order: {order}\n    question: Q{order}?\n    expectation: E.\n    version: 1.0.0\n{extra}"
        )
    };
    let t = Test::new()
        .file(
            "supportcheck.yaml",
            "checklists: [pb]\nowners:\n  a: [A]\n  b: [B]\n  c: [C]\n  d: [D]\n  e: [E]\nownership:\n  sections: {1-reach: a}\n  tags: {legal: b}\n  playbooks: {two: c}\n  questions: {one/q4: d}\n",
        )
        .file(
            "pb/1-reach/one.md",
            format!(
                "---\nchecklist:\n{}{}{}{}---\n",
                item(1, ""),
                item(2, "    tags: [legal]\n"),
                item(3, "    tags: [legal]\n    owner: e\n"),
                item(4, "    owner: e\n")
            ),
        )
        .file("pb/1-reach/two.md", format!("---\nowner: e\nchecklist:\n{}---\n", item(1, "")));
    let json: serde_json::Value =
        serde_json::from_str(&t.exec(["list", "--format", "json"], 0).stdout).unwrap();
    let owners: Vec<(&str, &str)> = json["playbooks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["questions"].as_array().unwrap())
        .map(|q| (q["id"].as_str().unwrap(), q["owner"].as_str().unwrap()))
        .collect();
    assert_eq!(
        owners,
        [
            ("one/q1", "a"), // the section's rule
            ("one/q2", "b"), // a tag's rule beats the section's
            ("one/q3", "e"), // the item's own owner beats a tag's rule
            ("one/q4", "d"), // a question rule in the config beats the item
            ("two/q1", "c"), // a playbook rule in the config beats the file's
        ]
    );
    t.exec(["lint", "--deny-warnings"], 0);
}

#[test]
fn the_portfolio_counts_current_sign_offs_from_reports_and_live() {
    let t = project().file(
        "supportcheck.yaml",
        format!("{CONFIG}gate:\n  signoffs: [support-lead, legal]\n"),
    );
    t.exec(["signoff", "legal", "--as", "Jonas Berg"], 0);
    t.exec(["report", "--format", "json"], 0);
    let table = t.exec_any(["portfolio", "."]).stdout;
    assert!(table.contains("1/2"), "{table}");
    let live = t.exec_any(["portfolio", "--live", "."]).stdout;
    assert!(live.contains("1/2"), "{live}");
}

#[test]
fn a_sign_off_made_when_the_stamp_said_unanswered_is_still_current() {
    // The fixture's sign-off was written by an earlier binary, which stamped
    // launch/q3 (an action, no status) `unanswered`; today's stamp says
    // `missing`, and the sign-off still covers the same inputs.
    let t = Test::new();
    crate::action::copy_dir(&crate::support::fixtures().join("signoff-v1"), t.path());
    let file = t.read("readiness/signoffs.yaml");
    assert!(file.contains("launch/q3: unanswered "), "{file}");
    let out = t.exec(["check"], 0).stdout;
    assert!(
        out.contains("signed    support-lead — Priya Raman"),
        "{out}"
    );
    // A new sign-off of the same state stamps it `missing`, and both count.
    t.exec(["signoff", "support-lead", "--as", "Dana Lee"], 0);
    let file = t.read("readiness/signoffs.yaml");
    assert!(file.contains("launch/q3: missing "), "{file}");
    t.exec(["check"], 0);
    // An edit outdates the old sign-off as any other, named in today's word.
    t.write(
        "readiness/answers.yaml",
        t.read("readiness/answers.yaml")
            .replace("Hire two agents", "Hire three agents"),
    );
    let out = t.exec(["check"], 1).stdout;
    assert!(out.contains("`launch/q3`: missing, answer edited"), "{out}");
}
