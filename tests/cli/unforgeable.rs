//! Sign-offs and reports that a hand edit cannot forge (issue 22): a
//! sign-off counts only from someone in the role, not dated in the future,
//! for the state as it is now (facts included), and, when the gate asks,
//! signed with an SSH key the project's `allowed_signers` lists; an index
//! line counts only when it says what the JSON it commits says.

use crate::support::{Test, cannot_run};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Three questions; q1 critical, q2 only with chat (a fact); the `phone`
/// fact is read by no condition.
const PLAYBOOK: &str = "---\ntitle: Launch\nid: launch\nowner: support-lead\nfacts:\n  - name: chat\n    question: Is there chat?\n    type: bool\n  - name: phone\n    question: Is there phone support?\n    type: bool\nchecklist:\n  - order: 1\n    question: Is every request tracked?\n    expectation: Every request gets a ticket.\n    version: 1.0.0\n    critical: true\n  - order: 2\n    question: Is chat staffed?\n    expectation: Agents cover chat hours.\n    version: 1.0.0\n    applies_if: chat\n  - order: 3\n    question: Are priorities defined?\n    expectation: Priorities are written down.\n    version: 1.0.0\n---\n";

const CONFIG: &str = "product: Forgery\nchecklists: [playbooks]\nfacts:\n  chat: true\n  phone: true\nowners:\n  support-lead: [Dana Lee]\n  legal: [Jonas Berg]\n";

const ANSWERS: &str = "format: 1\nanswers:\n  launch/q1:\n    status: met\n  launch/q2:\n    status: unmet\n  launch/q3:\n    status: met\n";

fn project(gate: &str) -> Test {
    Test::new()
        .file("supportcheck.yaml", format!("{CONFIG}gate:\n{gate}"))
        .file("playbooks/launch.md", PLAYBOOK)
        .file("readiness/answers.yaml", ANSWERS)
}

const SIGNOFFS: &str = "readiness/signoffs.yaml";

/// The `signed:` block (and what follows it) of the first sign-off in the file.
fn signed_block(file: &str) -> String {
    let start = file.find("  signed:").expect("a signed block");
    file[start..].to_string()
}

#[test]
fn a_hand_added_sign_off_outside_the_role_in_the_future_or_for_another_state_does_not_count() {
    let t = project("  fail_on: [blocker]\n  signoffs: [legal]\n");
    // A real sign-off of another role gives the current digest to copy.
    t.exec(["signoff", "support-lead", "--as", "Dana Lee"], 0);
    let file = t.read(SIGNOFFS);
    let copied = signed_block(&file);
    let forged =
        |name: &str, at: &str| format!("{file}- role: legal\n  name: {name}\n  at: {at}\n{copied}");

    // Someone outside the role, dated 2099, with the copied digest.
    t.write(SIGNOFFS, forged("Mallory", "2099-01-01T00:00:00Z"));
    let out = t.exec(["check", "--fail-on", "signoff"], 1).stdout;
    assert!(
        out.contains("error[signoff]: the sign-off of `legal` by Mallory does not count"),
        "{out}"
    );
    assert!(out.contains("Mallory is not in the role `legal`"), "{out}");
    assert!(out.contains("in the future"), "{out}");
    let status: Value =
        serde_json::from_str(&t.exec(["status", "--format", "json"], 0).stdout).unwrap();
    assert_eq!(status["signoffs"][0]["role"], "legal");
    assert_eq!(status["signoffs"][0]["state"], "invalid");
    assert_eq!(status["summary"]["signoffs_missing"], 1);

    // Outside the role, dated today: still not counted.
    t.write(SIGNOFFS, forged("Mallory", "2026-11-23T11:00:00Z"));
    let out = t.exec(["check", "--fail-on", "signoff"], 1).stdout;
    assert!(out.contains("Mallory is not in the role `legal`"), "{out}");

    // In the role, dated in the future: not counted.
    t.write(SIGNOFFS, forged("Jonas Berg", "2099-01-01T00:00:00Z"));
    let out = t.exec(["check", "--fail-on", "signoff"], 1).stdout;
    assert!(
        out.contains("dated 2099-01-01T00:00:00Z, in the future"),
        "{out}"
    );

    // In the role, dated today, but a digest of some other state: outdated.
    let other = copied.replacen(
        &copied[copied.find("digest: ").unwrap() + 8..][..64],
        &"ab".repeat(32),
        1,
    );
    t.write(
        SIGNOFFS,
        format!("{file}- role: legal\n  name: Jonas Berg\n  at: 2026-11-23T11:00:00Z\n{other}"),
    );
    let out = t.exec(["check", "--fail-on", "signoff"], 1).stdout;
    assert!(
        out.contains("the sign-off of `legal` by Jonas Berg is outdated"),
        "{out}"
    );

    // The same entry with the right digest counts: the checks above are
    // what rejected the others.
    t.write(SIGNOFFS, forged("Jonas Berg", "2026-11-23T11:00:00Z"));
    t.exec(["check", "--fail-on", "signoff"], 0);
}

#[test]
fn changing_the_facts_makes_a_sign_off_outdated_and_says_so() {
    let t = project("  fail_on: [blocker]\n  signoffs: [legal]\n");
    t.exec(["signoff", "legal", "--as", "Jonas Berg"], 0);
    t.exec(["check"], 0);
    // Chat is dropped: q2 no longer applies and the score moves.
    t.file_edit("supportcheck.yaml", |s| {
        s.replace("chat: true", "chat: false")
    });
    let out = t.exec(["check"], 1).stdout;
    assert!(
        out.contains("the sign-off of `legal` by Jonas Berg is outdated"),
        "{out}"
    );
    assert!(out.contains("fact `chat` changed"), "{out}");
    // A fact no condition reads is part of the state signed too.
    t.file_edit("supportcheck.yaml", |s| {
        s.replace("chat: false", "chat: true")
    });
    t.exec(["check"], 0);
    t.file_edit("supportcheck.yaml", |s| {
        s.replace("phone: true", "phone: false")
    });
    let out = t.exec(["check"], 1).stdout;
    assert!(out.contains("fact `phone` changed"), "{out}");
}

// ---------------------------------------------------------------------------
// Signed sign-offs.

/// `ssh-keygen` with the arguments, or `None` (said, and a failure under
/// CI) when it is not installed.
fn ssh_keygen(args: &[&str]) -> Option<std::process::Output> {
    match Command::new("ssh-keygen").args(args).output() {
        Ok(out) => Some(out),
        Err(e) => {
            cannot_run(&format!(
                "ssh-keygen cannot run ({e}; apt-get install openssh-client): signed sign-offs were not checked"
            ));
            None
        }
    }
}

/// A new ed25519 key without a passphrase at `path`; its public key line.
fn new_key(path: &Path) -> Option<String> {
    let out = ssh_keygen(&[
        "-q",
        "-t",
        "ed25519",
        "-N",
        "",
        "-C",
        "test key",
        "-f",
        path.to_str().unwrap(),
    ])?;
    assert!(out.status.success(), "{out:?}");
    let public = std::fs::read_to_string(path.with_extension("pub")).unwrap();
    Some(public.trim().to_string())
}

#[test]
fn signed_sign_offs_count_only_with_a_key_that_allowed_signers_lists_for_the_signer() {
    let t = project(
        "  fail_on: [blocker]\n  signoffs: [legal]\n  signoffs_signed: true\n  allowed_signers: .supportcheck/allowed_signers\n",
    );
    let keys = t.path().join("keys");
    std::fs::create_dir_all(&keys).unwrap();
    let (jonas, mallory): (PathBuf, PathBuf) = (keys.join("jonas"), keys.join("mallory"));
    let Some(jonas_pub) = new_key(&jonas) else {
        return;
    };
    let Some(mallory_pub) = new_key(&mallory) else {
        return;
    };
    t.write(
        ".supportcheck/allowed_signers",
        format!(
            "# who may sign\n\"Jonas Berg\" namespaces=\"supportcheck\" {jonas_pub}\ndana@example.com {mallory_pub}\n"
        ),
    );
    let key = |p: &PathBuf| p.to_str().unwrap().to_string();

    // Without --sign the gate's rule is named and nothing is written.
    let out = t.exec(["signoff", "legal", "--as", "Jonas Berg"], 2);
    assert!(
        out.stderr.contains("gate.signoffs_signed"),
        "{}",
        out.stderr
    );
    assert!(!t.path().join(SIGNOFFS).exists());

    // A key that is not Jonas's in allowed_signers: refused, nothing written.
    let out = t.exec(
        [
            "signoff",
            "legal",
            "--as",
            "Jonas Berg",
            "--sign",
            "--key",
            &key(&mallory),
        ],
        2,
    );
    assert!(out.stderr.contains("allowed_signers"), "{}", out.stderr);
    assert!(!t.path().join(SIGNOFFS).exists());

    // Jonas signs with his key: the gate passes.
    let out = t.exec(
        [
            "signoff",
            "legal",
            "--as",
            "Jonas Berg",
            "--sign",
            "--key",
            &key(&jonas),
        ],
        0,
    );
    assert!(out.stdout.contains("signed with SHA256:"), "{}", out.stdout);
    let file = t.read(SIGNOFFS);
    assert!(file.contains("-----BEGIN SSH SIGNATURE-----"), "{file}");
    let out = t.exec(["check"], 0).stdout;
    assert!(out.contains("gate passed"), "{out}");

    // A hand edit of the signed entry (its note) breaks the signature.
    t.write(
        SIGNOFFS,
        file.replacen(
            "  name: Jonas Berg\n",
            "  name: Jonas Berg\n  note: all fine\n",
            1,
        ),
    );
    let out = t.exec(["check"], 1).stdout;
    assert!(
        out.contains("the signature does not match the sign-off"),
        "{out}"
    );

    // An unsigned entry, hand-added with the current digest: not counted.
    let unsigned: String = file
        .lines()
        .take_while(|l| !l.starts_with("  signature:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(unsigned.contains("digest:"), "{unsigned}");
    t.write(SIGNOFFS, &unsigned);
    let out = t.exec(["check"], 1).stdout;
    assert!(out.contains("it is not signed"), "{out}");

    // Jonas's key taken out of allowed_signers: his signature no longer counts.
    t.write(SIGNOFFS, &file);
    t.exec(["check"], 0);
    t.write(
        ".supportcheck/allowed_signers",
        format!("dana@example.com {mallory_pub}\n"),
    );
    let out = t.exec(["check"], 1).stdout;
    assert!(
        out.contains("is not listed for Jonas Berg in .supportcheck/allowed_signers"),
        "{out}"
    );

    // Without allowed_signers the gate cannot pass, and says which file.
    std::fs::remove_file(t.path().join(".supportcheck/allowed_signers")).unwrap();
    let out = t.exec(["check"], 1).stdout;
    assert!(out.contains(".supportcheck/allowed_signers"), "{out}");
}

// ---------------------------------------------------------------------------
// Index lines that say what their JSON says.

const REPORTS: &str = "readiness/reports";

/// The index at `path` with its newest line's summary forged: 100, ready, passed.
fn forge_newest_line(t: &Test, path: &str) {
    let text = t.read(path);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let last = lines.last_mut().unwrap();
    let mut entry: Value = serde_json::from_str(last).unwrap();
    entry["score"] = 100.0.into();
    entry["level"] = "ready".into();
    entry["passed"] = true.into();
    entry["blockers"] = 0.into();
    *last = entry.to_string();
    t.write(path, lines.join("\n") + "\n");
}

#[test]
fn a_forged_newest_index_line_fails_both_verifies_the_portfolio_gate_and_stays_out_of_the_trend() {
    // q1 (critical) unmet: blocked.
    let t = Test::new()
        .file(
            "p/supportcheck.yaml",
            "product: Forgery\nchecklists: [playbooks]\nfacts:\n  chat: false\n  phone: false\n",
        )
        .file("p/playbooks/launch.md", PLAYBOOK)
        .file(
            "p/readiness/answers.yaml",
            ANSWERS.replacen("met", "unmet", 1),
        );
    let p = |args: &[&str]| {
        let mut v = vec!["-C", "p"];
        v.extend_from_slice(args);
        v.into_iter().map(String::from).collect::<Vec<_>>()
    };
    t.exec(p(&["report", "--format", "json"]), 0);
    // Unchanged answers take a second version only when forced.
    t.exec(p(&["report", "--force", "--format", "json"]), 0);
    t.exec(p(&["history", "--verify"]), 0);
    t.exec(["portfolio", ".", "--verify", "--fail-if", "not-ready"], 1);

    let pt = |rel: &str| format!("p/{rel}");
    let path = pt(&format!("{REPORTS}/index.jsonl"));
    forge_newest_line(&t, &path);

    let out = t.exec(p(&["history", "--verify"]), 1).stdout;
    assert!(
        out.contains("v2: its index line does not say what readiness-v2.json says"),
        "{out}"
    );
    assert!(out.contains("score 100 (index) but "), "{out}");
    assert!(out.contains("level ready (index) but blocked"), "{out}");

    let out = t.exec(["portfolio", ".", "--verify"], 1);
    assert!(
        out.stdout.contains("its index line does not say what"),
        "{}",
        out.stdout
    );
    for gate in ["not-ready", "blocked"] {
        let out = t.exec(["portfolio", ".", "--fail-if", gate], 1);
        assert!(out.stderr.contains("Forgery"), "{gate}: {}", out.stderr);
    }

    // The next report's trend leaves the forged line out, and says so.
    let out = t.exec(p(&["report", "--force", "--format", "json"]), 0);
    assert!(
        out.stderr.contains("left out of the trend"),
        "{}",
        out.stderr
    );
    let v3: Value =
        serde_json::from_str(&t.read(&pt(&format!("{REPORTS}/readiness-v3.json")))).unwrap();
    let trend = v3["trend"].as_array().unwrap();
    assert!(
        trend
            .iter()
            .all(|p| p["score"] != 100.0 && p["level"] != "ready"),
        "{trend:?}"
    );
    assert_eq!(trend.len(), 1, "only v1 verifies: {trend:?}");
}

#[test]
fn a_report_dated_in_the_future_is_flagged_and_counts_as_stale() {
    let t = Test::new()
        .file(
            "p/supportcheck.yaml",
            "product: Future\nchecklists: [playbooks]\nfacts:\n  chat: false\n  phone: false\n",
        )
        .file("p/playbooks/launch.md", PLAYBOOK)
        .file("p/readiness/answers.yaml", ANSWERS);
    let out = t.exec_env(
        ["-C", "p", "report", "--format", "json"],
        &[("SUPPORTCHECK_NOW", "2099-01-01T00:00:00Z")],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let out = t.exec(["-C", "p", "history", "--verify"], 1).stdout;
    assert!(
        out.contains("v1: generated_at 2099-01-01T00:00:00Z is in the future"),
        "{out}"
    );
    let out = t.exec(["portfolio", ".", "--fail-if", "stale:30d"], 1);
    assert!(out.stderr.contains("Future"), "{}", out.stderr);
    let table = t.exec(["portfolio", "."], 0).stdout;
    assert!(table.contains("in the future"), "{table}");
    assert!(!table.contains("-26"), "no negative age: {table}");
}
