//! Probes (issue 28) through the binary, against a real HTTP server on
//! 127.0.0.1 that each test starts: `verify`, the results read back by
//! `status`, `check` and `report` without the network, the safety rules,
//! `file` and `command` probes, and trust by digest.

use crate::http_server::{Server, closed_port};
use crate::support::Test;
use serde_json::Value;

/// A playbook whose questions each carry one probe, given as YAML lines.
fn playbook(probes: &[(&str, &str)]) -> String {
    let mut out = String::from("---\ntitle: Probed\nid: probed\nchecklist:\n");
    for (i, (id, probe)) in probes.iter().enumerate() {
        out.push_str(&format!(
            "  - order: {}\n    id: {id}\n    question: Is {id} right?\n    expectation: It is.\n    version: 1.0.0\n    probes:\n{}\n",
            i + 1,
            probe
                .lines()
                .map(|l| format!("      {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    out.push_str("---\n");
    out
}

fn project(config: &str, probes: &[(&str, &str)]) -> Test {
    Test::new()
        .file(
            "supportcheck.yaml",
            format!("checklists: [playbooks]\n{config}"),
        )
        .file("playbooks/probed.md", playbook(probes))
}

/// `verify --format json`, as rows by question id.
fn verify_rows(t: &Test, code: i32) -> Vec<Value> {
    let out = t.exec(["verify", "--format", "json"], code);
    serde_json::from_str::<Value>(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
        .as_array()
        .unwrap()
        .clone()
}

fn row<'a>(rows: &'a [Value], id: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["question"] == format!("probed/{id}"))
        .unwrap_or_else(|| panic!("no row for {id}: {rows:?}"))
}

#[test]
fn pass_fail_error_and_timeout_against_a_real_server() {
    let server = Server::start();
    let base = server.base();
    let dead = closed_port();
    let t = project(
        "probes:\n  allow_hosts: [127.0.0.1]\n",
        &[
            (
                "up",
                &format!("- http: {base}/contact\n  status: 200\n  contains: Contact us"),
            ),
            (
                "json",
                &format!(
                    "- http: {base}/status.json\n  json:\n    /components/0/status: operational"
                ),
            ),
            ("down", &format!("- http: {base}/down")),
            (
                "wording",
                &format!("- http: {base}/contact\n  contains: Call us"),
            ),
            ("refused", &format!("- http: http://127.0.0.1:{dead}/")),
            (
                "slow",
                &format!("- http: {base}/slow?ms=5000\n  timeout: 300ms"),
            ),
        ],
    );
    let rows = verify_rows(&t, 1);
    assert_eq!(row(&rows, "up")["outcome"], "pass");
    assert_eq!(row(&rows, "up")["seen"]["status"], 200);
    assert_eq!(row(&rows, "json")["outcome"], "pass");
    let down = row(&rows, "down");
    assert_eq!(down["outcome"], "fail");
    assert_eq!(down["seen"]["status"], 503);
    assert!(
        down["reason"].as_str().unwrap().contains("expected 2xx"),
        "{down}"
    );
    assert!(down["seen"]["sha256"].as_str().unwrap().len() == 64);
    assert_eq!(row(&rows, "wording")["outcome"], "fail");
    assert!(
        row(&rows, "wording")["reason"]
            .as_str()
            .unwrap()
            .contains("Call us")
    );
    assert_eq!(row(&rows, "refused")["outcome"], "error");
    let slow = row(&rows, "slow");
    assert_eq!(slow["outcome"], "error", "{slow}");
    assert!(
        slow["reason"].as_str().unwrap().contains("timed out"),
        "{slow}"
    );
    for r in &rows {
        assert!(
            r["at"].as_str().unwrap().starts_with("2026-11-23T12:00:00"),
            "{r}"
        );
    }
    // Recorded: one line per probe.
    let recorded = t.read("readiness/probes.jsonl");
    assert_eq!(recorded.lines().count(), 6);

    // The text form says what happened to each.
    let text = t.exec(["verify"], 1).stdout;
    assert!(
        text.contains("6 probes: 2 passed, 2 failed, 2 could not run"),
        "{text}"
    );
}

#[test]
fn a_redirect_loop_and_a_huge_body_are_bounded() {
    let server = Server::start();
    let base = server.base();
    let t = project(
        "probes:\n  allow_hosts: [127.0.0.1]\n",
        &[
            ("loop", &format!("- http: {base}/loop")),
            ("big", &format!("- http: {base}/big\n  contains: needle")),
        ],
    );
    let rows = verify_rows(&t, 1);
    let looped = row(&rows, "loop");
    assert_eq!(looped["outcome"], "error");
    assert!(
        looped["reason"].as_str().unwrap().contains("redirects"),
        "{looped}"
    );
    let big = row(&rows, "big");
    assert_eq!(big["outcome"], "fail", "{big}");
    assert_eq!(big["seen"]["bytes"], 1024 * 1024);
    assert_eq!(big["seen"]["truncated"], true);
    assert!(
        big["reason"].as_str().unwrap().contains("first MiB"),
        "{big}"
    );
}

#[test]
fn hosts_not_allowed_private_addresses_and_redirects_away_are_refused() {
    let server = Server::start();
    let port = server.port;
    // Nothing allowed: safe by default.
    let t = project(
        "",
        &[("any", &format!("- http: http://127.0.0.1:{port}/ok"))],
    );
    let rows = verify_rows(&t, 1);
    let any = row(&rows, "any");
    assert_eq!(any["outcome"], "error");
    assert!(
        any["reason"]
            .as_str()
            .unwrap()
            .contains("not in probes.allow_hosts"),
        "{any}"
    );

    // A wildcard allows hosts, but never a loopback or private address.
    let t = project(
        "probes:\n  allow_hosts: ['*']\n",
        &[
            ("loopback", &format!("- http: http://127.0.0.1:{port}/ok")),
            ("named", &format!("- http: http://localhost:{port}/ok")),
        ],
    );
    let rows = verify_rows(&t, 1);
    for id in ["loopback", "named"] {
        let r = row(&rows, id);
        assert_eq!(r["outcome"], "error", "{r}");
        assert!(
            r["reason"]
                .as_str()
                .unwrap()
                .contains("private, loopback or link-local"),
            "{r}"
        );
    }

    // An allowed host that redirects to one that is not.
    let t = project(
        "probes:\n  allow_hosts: [127.0.0.1]\n",
        &[("away", &format!("- http: http://127.0.0.1:{port}/away"))],
    );
    let rows = verify_rows(&t, 1);
    let away = row(&rows, "away");
    assert_eq!(away["outcome"], "error");
    let why = away["reason"].as_str().unwrap();
    assert!(
        why.contains("redirected to http://localhost") && why.contains("not in probes.allow_hosts"),
        "{why}"
    );
}

#[test]
fn a_token_from_an_allowed_variable_is_sent_and_never_printed() {
    let server = Server::start();
    let base = server.base();
    const TOKEN: &str = "s3cr3t-t0ken-4242";
    let t = project(
        "probes:\n  allow_hosts: [127.0.0.1]\n  allow_env: [HELPDESK_TOKEN]\n",
        &[
            (
                "authed",
                &format!("- http: {base}/echo-auth\n  headers:\n    Authorization: Bearer ${{HELPDESK_TOKEN}}\n  matches: 'sent: Bearer \\S+'"),
            ),
            (
                "echoed",
                &format!("- http: {base}/echo-auth\n  headers:\n    Authorization: Bearer ${{HELPDESK_TOKEN}}\n  contains: not-there"),
            ),
            (
                "other",
                &format!("- http: {base}/echo-auth\n  headers:\n    Authorization: Bearer ${{HOME}}"),
            ),
        ],
    )
    .env("HELPDESK_TOKEN", TOKEN);
    let json = t.exec(["verify", "--format", "json"], 1);
    let rows: Vec<Value> = serde_json::from_str(&json.stdout).unwrap();
    // The server saw it: the match is on what it echoed.
    assert_eq!(row(&rows, "authed")["outcome"], "pass");
    assert_eq!(
        row(&rows, "authed")["seen"]["matched"],
        "sent: Bearer [redacted]"
    );
    assert_eq!(row(&rows, "echoed")["outcome"], "fail");
    // A variable the config does not allow is not read.
    let other = row(&rows, "other");
    assert_eq!(other["outcome"], "error");
    assert!(
        other["reason"]
            .as_str()
            .unwrap()
            .contains("not in probes.allow_env"),
        "{other}"
    );
    let text = t.exec(["verify", "-v"], 1);
    t.exec(["report", "--format", "md,json,html"], 0);
    let status = t.exec(["status", "--format", "json"], 0);
    let mut everything = format!(
        "{}{}{}{}{}{}",
        json.stdout, json.stderr, text.stdout, text.stderr, status.stdout, status.stderr
    );
    everything.push_str(&t.read("readiness/probes.jsonl"));
    for f in ["v1.md", "v1.json", "v1.html"] {
        everything.push_str(&t.read(&format!("readiness/reports/readiness-{f}")));
    }
    assert!(everything.contains("[redacted]"));
    assert!(!everything.contains(TOKEN), "the token was printed");
}

#[test]
fn results_are_read_back_without_the_network_and_count_in_the_score() {
    let server = Server::start();
    let base = server.base();
    let t = project(
        "probes:\n  allow_hosts: [127.0.0.1]\n",
        &[
            ("byprobe", &format!("- http: {base}/contact\n  contains: Contact us")),
            ("person", &format!("- http: {base}/down")),
            ("attested", "- file: nothing-here.md"),
        ],
    )
    .file(
        "readiness/answers.yaml",
        "format: 1\nanswers:\n  probed/person:\n    status: met\n    answered_by: Dana\n  probed/attested:\n    status: met\n",
    );
    t.exec(["verify"], 1);
    drop(server);

    let status = t.exec(["status", "--format", "json"], 0);
    let s: Value = serde_json::from_str(&status.stdout).unwrap();
    let summary = &s["summary"];
    assert_eq!(summary["verified"], 1, "{summary}");
    assert_eq!(summary["probe_failed"], 2, "{summary}");
    // byprobe: met by its probe (1); person: met -> partial (0.5);
    // attested: met, its file probe failed -> partial (0.5): 2 of 3.
    assert_eq!(summary["score"], 66.7, "{summary}");
    assert_eq!(summary["verified_score"], 33.3, "{summary}");
    let text = t.exec(["status"], 0).stdout;
    assert!(
        text.contains("verified by probes: 1 question, 33.3 of the 66.7 points"),
        "{text}"
    );
    assert!(text.contains("Probes failed (2)"), "{text}");

    // The gate: probe-failed fails it only when asked.
    t.exec(["check", "--min-score", "50"], 0);
    let gate = t.exec(
        ["check", "--min-score", "50", "--fail-on", "probe-failed"],
        1,
    );
    assert!(gate.stdout.contains("probe failed"), "{}", gate.stdout);

    // The report marks verified and attested answers, and says how much is verified.
    t.exec(["report", "--format", "md,json,html"], 0);
    let md = t.read("readiness/reports/readiness-v1.md");
    assert!(
        md.contains("Verified by probes: 1 question, 33.3 of the 66.7 points"),
        "{md}"
    );
    assert!(md.contains("met (verified 2026-11-23)"), "{md}");
    assert!(md.contains("partial (attested)"), "{md}");
    let json: Value = serde_json::from_str(&t.read("readiness/reports/readiness-v1.json")).unwrap();
    let q = &json["playbooks"][0]["questions"][0];
    assert_eq!(q["verified"], "2026-11-23T12:00:00Z");
    assert_eq!(q["answer"]["answered_by"], "probe");
    let html = t.read("readiness/reports/readiness-v1.html");
    assert!(
        html.contains("Verified by automatic checks on 23 November 2026"),
        "html"
    );
    assert!(
        html.contains("33.3 of the 66.7 points are verified"),
        "html"
    );
    // Nothing was written into the answers file.
    assert!(
        !t.read("readiness/answers.yaml")
            .contains("answered_by: probe")
    );
    assert!(!t.read("readiness/answers.yaml").contains("probed/byprobe"));
}

#[test]
fn results_expire_with_max_age_and_errors_change_nothing() {
    let server = Server::start();
    let base = server.base();
    let t = project(
        "probes:\n  allow_hosts: [127.0.0.1]\ngate:\n  max_age: 7d\n",
        &[("up", &format!("- http: {base}/contact"))],
    );
    t.exec(["verify"], 0);
    let fresh = t.exec(["status", "--format", "json"], 0);
    assert!(fresh.stdout.contains("\"verified\": 1"), "{}", fresh.stdout);
    let later = t.exec_env(
        ["status", "--format", "json"],
        &[("SUPPORTCHECK_NOW", "2026-12-20T12:00:00Z")],
    );
    let s: Value = serde_json::from_str(&later.stdout).unwrap();
    assert_eq!(s["summary"]["verified"], 0);
    assert_eq!(s["summary"]["missing"], 1);
    // An error on the next run: the question goes back to unanswered, and says why.
    drop(server);
    t.exec(["verify"], 1);
    let check = t.exec(["check", "--format", "json"], 1);
    assert!(check.stdout.contains("could not run"), "{}", check.stdout);
    assert!(
        check.stdout.contains("this changes nothing"),
        "{}",
        check.stdout
    );
}

#[test]
fn offline_skips_network_probes_and_records_nothing_for_them() {
    let t = project(
        "probes:\n  allow_hosts: [127.0.0.1]\n",
        &[
            ("web", "- http: http://127.0.0.1:9/never"),
            ("doc", "- file: docs/policy.md\n  contains: first response"),
        ],
    )
    .file("docs/policy.md", "Our first response time is 4 hours.\n");
    let out = t.exec(["verify", "--offline"], 0);
    assert!(out.stdout.contains("skipped (offline)"), "{}", out.stdout);
    let recorded = t.read("readiness/probes.jsonl");
    assert_eq!(recorded.lines().count(), 1);
    assert!(recorded.contains("\"outcome\":\"pass\""), "{recorded}");
    // check --verify --offline runs them first, then judges.
    let out = t.exec(["check", "--verify", "--offline", "--format", "json"], 1);
    assert!(out.stderr.contains("skipped (offline)"), "{}", out.stderr);
    assert_eq!(t.read("readiness/probes.jsonl").lines().count(), 2);
}

#[test]
fn file_probes_read_paths_globs_and_facts() {
    let t = Test::new()
        .file(
            "supportcheck.yaml",
            "checklists: [playbooks]\nfacts:\n  support_policy_path: docs/support-policy.md\n",
        )
        .file(
            "playbooks/probed.md",
            "---\ntitle: Files\nid: probed\nfacts:\n  - name: support_policy_path\n    question: Where is the support policy?\n    type: text\nchecklist:\n  - order: 1\n    id: policy\n    question: A policy?\n    expectation: Yes.\n    version: 1.0.0\n    probes:\n      - file: \"{{ support_policy_path }}\"\n        matches: 'first response within \\d+ hours'\n  - order: 2\n    id: runbooks\n    question: Runbooks?\n    expectation: Three.\n    version: 1.0.0\n    probes:\n      - file: docs/runbooks/**/*.md\n        count: 3\n  - order: 3\n    id: escape\n    question: Outside?\n    expectation: No.\n    version: 1.0.0\n    probes:\n      - file: docs/link.md\n---\n",
        )
        .file("docs/support-policy.md", "We promise a first response within 4 hours.\n")
        .file("docs/runbooks/a.md", "a")
        .file("docs/runbooks/deep/b.md", "b");
    std::os::unix::fs::symlink("/etc/hostname", t.path().join("docs/link.md")).unwrap();
    let rows = verify_rows(&t, 1);
    let policy = row(&rows, "policy");
    assert_eq!(policy["outcome"], "pass", "{policy}");
    assert_eq!(policy["target"], "docs/support-policy.md");
    assert_eq!(policy["seen"]["matched"], "first response within 4 hours");
    let runbooks = row(&rows, "runbooks");
    assert_eq!(runbooks["outcome"], "fail");
    assert_eq!(runbooks["seen"]["files"], 2);
    let escape = row(&rows, "escape");
    assert_eq!(escape["outcome"], "error", "{escape}");
    assert!(
        escape["reason"]
            .as_str()
            .unwrap()
            .contains("outside the project")
    );
    t.write("docs/runbooks/c.md", "c");
    let rows = verify_rows(&t, 1);
    assert_eq!(row(&rows, "runbooks")["outcome"], "pass");
}

#[test]
fn command_probes_run_only_from_a_playbook_trusted_by_digest() {
    let book = "---\ntitle: On call\nid: probed\nchecklist:\n  - order: 1\n    id: oncall\n    question: On call?\n    expectation: Yes.\n    version: 1.0.0\n    probes:\n      - command: [scripts/oncall-check, --team, support]\n        exit: 0\n        contains: support is covered\n---\n";
    let t = Test::new()
        .file(
            "supportcheck.yaml",
            "# our settings\nchecklists: [playbooks]\n",
        )
        .file("playbooks/oncall.md", book)
        .file(
            "scripts/oncall-check",
            "#!/bin/sh\necho \"$2 is covered\"\n",
        );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        t.path().join("scripts/oncall-check"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let rows = verify_rows(&t, 1);
    let r = row(&rows, "oncall");
    assert_eq!(r["outcome"], "error");
    assert!(r["reason"].as_str().unwrap().contains("not trusted"), "{r}");

    let out = t.exec(["trust", "playbooks/oncall.md"], 0);
    assert!(
        out.stdout.contains("trusted playbooks/oncall.md"),
        "{}",
        out.stdout
    );
    let config = t.read("supportcheck.yaml");
    assert!(config.starts_with("# our settings\n"), "{config}");
    let digest = sha256(&t.path().join("playbooks/oncall.md"));
    assert!(
        config.contains(&format!("\"playbooks/oncall.md\": {digest}")),
        "{config}"
    );
    let rows = verify_rows(&t, 0);
    let r = row(&rows, "oncall");
    assert_eq!(r["outcome"], "pass", "{r}");
    assert_eq!(r["seen"]["exit"], 0);

    // A changed playbook is untrusted again.
    t.write(
        "playbooks/oncall.md",
        book.replace("On call?", "On call, really?"),
    );
    let rows = verify_rows(&t, 1);
    let r = row(&rows, "oncall");
    assert_eq!(r["outcome"], "error");
    assert!(
        r["reason"]
            .as_str()
            .unwrap()
            .contains("changed since it was trusted"),
        "{r}"
    );
    // Trusting it again replaces the digest, keeping one entry.
    t.exec(["trust", "playbooks/oncall.md"], 0);
    assert_eq!(t.read("supportcheck.yaml").matches("oncall.md").count(), 1);
    verify_rows(&t, 0);
}

#[test]
fn config_probes_cannot_run_commands_and_name_real_questions() {
    let t = Test::new().file(
        "supportcheck.yaml",
        "probes:\n  questions:\n    help-desk/q1:\n      - command: [true]\n",
    );
    let out = t.exec(["verify"], 2);
    assert!(
        out.stderr.contains("may only be declared in a playbook"),
        "{}",
        out.stderr
    );
    let t = Test::new().file(
        "supportcheck.yaml",
        "probes:\n  questions:\n    help-desk/q99:\n      - file: README.md\n",
    );
    let out = t.exec(["verify"], 2);
    assert!(
        out.stderr.contains("not a loaded question"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_bad_probe_is_a_lint_error_with_its_line() {
    let t = project("", &[("bad", "- http: ftp://example.test/")]);
    let out = t.exec(["lint"], 1);
    assert!(
        out.stdout.contains("playbooks/probed.md:"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("must start with https://"),
        "{}",
        out.stdout
    );
}

#[test]
fn built_in_playbooks_ship_probes_and_no_commands() {
    let out = Test::new().exec(["list", "--format", "json"], 0);
    let list: Value = serde_json::from_str(&out.stdout).unwrap();
    let text = list.to_string();
    assert!(
        !text.contains("\"command\""),
        "a built-in playbook has a command probe"
    );
    let mut probed = std::collections::BTreeSet::new();
    for p in list["playbooks"].as_array().unwrap() {
        for q in p["questions"].as_array().unwrap() {
            if q.get("probes").is_some() {
                probed.insert((
                    p["id"].as_str().unwrap().to_string(),
                    q["id"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    let playbooks: std::collections::BTreeSet<_> = probed.iter().map(|(p, _)| p.clone()).collect();
    assert!(probed.len() >= 8, "{probed:?}");
    assert!(playbooks.len() >= 4, "{playbooks:?}");
}

fn sha256(path: &std::path::Path) -> String {
    use sha2::Digest;
    let bytes = std::fs::read(path).unwrap();
    sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn examples_acme_verifies_its_pages_and_policy_against_a_local_server() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    crate::action::copy_dir(&crate::support::repo().join("examples/acme"), dir.path());
    // The example's hosts stand for the server this test started: the same
    // probes, pointed at it, and that exact host allowed.
    let config_path = dir.path().join("supportcheck.yaml");
    let config = std::fs::read_to_string(&config_path)
        .unwrap()
        .replace("https://help.acme.test", &server.base())
        .replace("https://status.acme.test", &server.base())
        .replace("allow_hosts: [", "allow_hosts: [127.0.0.1, ");
    std::fs::write(&config_path, config).unwrap();
    let root = dir.path().to_str().unwrap();
    let t = Test::new();
    let out = t.exec(["-C", root, "verify", "--format", "json"], 0);
    let rows: Vec<Value> = serde_json::from_str(&out.stdout).unwrap();
    assert!(rows.len() >= 8, "{rows:?}");
    assert!(rows.iter().all(|r| r["outcome"] == "pass"), "{rows:?}");
    assert!(rows.iter().any(|r| r["kind"] == "http"));
    assert!(rows.iter().any(|r| r["kind"] == "file"));
    drop(server);
    let status = t.exec(["-C", root, "status", "--format", "json"], 0);
    let s: Value = serde_json::from_str(&status.stdout).unwrap();
    assert!(
        s["summary"]["verified"].as_u64().unwrap() >= 1,
        "{}",
        s["summary"]
    );
    assert_eq!(s["summary"]["probe_failed"], 0);
    // As committed, the example reads no results and scores as before.
    let committed = crate::support::repo().join("examples/acme");
    let status = t.exec(
        [
            "-C",
            committed.to_str().unwrap(),
            "status",
            "--format",
            "json",
        ],
        0,
    );
    let s: Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(s["summary"]["verified"], 0);
}

#[test]
fn the_time_budget_bounds_the_whole_run() {
    let server = Server::start();
    let base = server.base();
    let t = project(
        "probes:\n  allow_hosts: [127.0.0.1]\n",
        &[
            (
                "first",
                &format!("- http: {base}/slow?ms=4000\n  timeout: 30s"),
            ),
            (
                "second",
                &format!("- http: {base}/slow?ms=4000\n  timeout: 30s"),
            ),
        ],
    );
    let out = t.exec(
        ["verify", "--format", "json", "--jobs", "1", "--budget", "1"],
        1,
    );
    let rows: Vec<Value> = serde_json::from_str(&out.stdout).unwrap();
    // The first is cut at what is left of the budget, the second never starts.
    let first = row(&rows, "first");
    assert_eq!(first["outcome"], "error", "{first}");
    assert!(
        first["reason"].as_str().unwrap().contains("timed out"),
        "{first}"
    );
    let second = row(&rows, "second");
    assert_eq!(second["outcome"], "error", "{second}");
    assert!(
        second["reason"]
            .as_str()
            .unwrap()
            .contains("time budget of 1s was spent"),
        "{second}"
    );
}

#[test]
fn the_configured_budget_reads_a_duration_and_still_a_bare_number_of_seconds() {
    let server = Server::start();
    let base = server.base();
    let probes = [
        (
            "first",
            format!("- http: {base}/slow?ms=4000\n  timeout: 30s"),
        ),
        (
            "second",
            format!("- http: {base}/slow?ms=4000\n  timeout: 30s"),
        ),
    ];
    let probes: Vec<(&str, &str)> = probes.iter().map(|(i, p)| (*i, p.as_str())).collect();
    // Each run waits out its budget: the four wait side by side.
    std::thread::scope(|scope| {
        for budget in ["1s", "1", "\"1\"", "1000ms"] {
            let probes = &probes;
            scope.spawn(move || {
                let t = project(
                    &format!(
                        "probes:\n  allow_hosts: [127.0.0.1]\n  jobs: 1\n  budget: {budget}\n"
                    ),
                    probes,
                );
                let rows = verify_rows(&t, 1);
                let second = row(&rows, "second");
                assert!(
                    second["reason"]
                        .as_str()
                        .unwrap()
                        .contains("time budget of 1s was spent"),
                    "budget: {budget}: {second}"
                );
            });
        }
    });
}

#[test]
fn a_bad_budget_is_named_with_its_file_and_line_and_nothing_runs() {
    for (budget, says) in [
        ("2m", "`2m` is 2 months, longer than an hour (`m` is months"),
        ("0", "`0` is no time at all"),
        ("2h", "`2h` is 2 hours, longer than an hour"),
        ("500ms", "`500ms` is shorter than a second"),
        ("1.5", "`1.5` is not a whole number of seconds"),
        ("90 s", "`90 s` is not a duration"),
        ("soon", "`soon` is not a duration"),
    ] {
        let t = project(
            &format!("probes:\n  jobs: 1\n  budget: {budget}\n"),
            &[("first", "- file: README.md")],
        );
        let out = t.exec(["verify"], 2);
        assert!(
            out.stderr.contains("supportcheck.yaml:4"),
            "{budget}: {}",
            out.stderr
        );
        assert!(out.stderr.contains(says), "{budget}: {}", out.stderr);
        assert!(
            out.stderr.contains("from 1s to 1h"),
            "{budget}: {}",
            out.stderr
        );
        assert!(
            !t.path().join("readiness/probes.jsonl").exists(),
            "{budget}"
        );
    }
    // The option reads the same syntax, and says so the same way.
    let t = project("", &[("first", "- file: README.md")]);
    let out = t.exec(["verify", "--budget", "2m"], 2);
    assert!(
        out.stderr.contains("`2m` is 2 months, longer than an hour"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_header_expectation_passes_or_names_what_it_saw() {
    let server = Server::start();
    let base = server.base();
    let t = project(
        "probes:\n  allow_hosts: [127.0.0.1]\n",
        &[
            (
                "html",
                &format!("- http: {base}/contact\n  header:\n    Content-Type: text/html"),
            ),
            (
                "json",
                &format!("- http: {base}/contact\n  header:\n    content-type: application/json"),
            ),
            (
                "absent",
                &format!("- http: {base}/contact\n  header:\n    X-Request-Id: abc"),
            ),
        ],
    );
    let rows = verify_rows(&t, 1);
    assert_eq!(row(&rows, "html")["outcome"], "pass", "{rows:?}");
    let json = row(&rows, "json");
    assert_eq!(json["outcome"], "fail", "{json}");
    assert_eq!(json["seen"]["status"], 200);
    assert_eq!(
        json["reason"],
        "header content-type is \"text/html\", without \"application/json\""
    );
    let absent = row(&rows, "absent");
    assert_eq!(absent["outcome"], "fail", "{absent}");
    assert_eq!(absent["reason"], "no header x-request-id in the response");
    let text = t.exec(["verify"], 1).stdout;
    assert!(text.contains("without \"application/json\""), "{text}");
    assert!(text.contains("1 passed, 2 failed"), "{text}");
}

#[test]
fn a_token_echoed_at_length_is_redacted_before_it_is_shortened() {
    let server = Server::start();
    let base = server.base();
    const TOKEN: &str = "s3cr3t-t0ken-4242";
    let auth = "headers:\n    Authorization: Bearer ${HELPDESK_TOKEN}";
    let t = project(
        "probes:\n  allow_hosts: [127.0.0.1]\n  allow_env: [HELPDESK_TOKEN]\n",
        &[
            (
                "inheader",
                &format!(
                    "- http: {base}/echo-auth-long\n  {auth}\n  header:\n    x-echo: not-there"
                ),
            ),
            (
                "inbody",
                &format!("- http: {base}/echo-auth-long\n  {auth}\n  matches: 'x+ Bearer \\S+'"),
            ),
        ],
    )
    .env("HELPDESK_TOKEN", TOKEN);
    let json = t.exec(["verify", "--format", "json"], 1);
    let rows: Vec<Value> = serde_json::from_str(&json.stdout).unwrap();
    let inheader = row(&rows, "inheader");
    assert_eq!(inheader["outcome"], "fail", "{inheader}");
    assert!(
        inheader["reason"].as_str().unwrap().contains("Bearer [red"),
        "{inheader}"
    );
    let inbody = row(&rows, "inbody");
    assert_eq!(inbody["outcome"], "pass", "{inbody}");
    assert!(
        inbody["seen"]["matched"]
            .as_str()
            .unwrap()
            .contains("Bearer [red"),
        "{inbody}"
    );
    let text = t.exec(["verify", "-v"], 1);
    let everything = format!(
        "{}{}{}{}{}",
        json.stdout,
        json.stderr,
        text.stdout,
        text.stderr,
        t.read("readiness/probes.jsonl")
    );
    // Not even the part of it that a shortened message would keep.
    assert!(!everything.contains(&TOKEN[..6]), "the token was printed");
}

#[test]
fn younger_than_passes_a_fresh_file_and_fails_an_old_one() {
    let t = project(
        "",
        &[
            ("fresh", "- file: docs/fresh.md\n  younger_than: 30d"),
            ("stale", "- file: docs/old.md\n  younger_than: 30d"),
            ("newest", "- file: docs/*.md\n  younger_than: 2w"),
            ("year", "- file: docs/old.md\n  younger_than: 2y"),
        ],
    )
    .file("docs/fresh.md", "updated today\n")
    .file("docs/old.md", "not touched for a while\n");
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(400 * 86_400 + 3600);
    std::fs::File::options()
        .write(true)
        .open(t.path().join("docs/old.md"))
        .unwrap()
        .set_modified(old)
        .unwrap();
    let rows = verify_rows(&t, 1);
    assert_eq!(row(&rows, "fresh")["outcome"], "pass", "{rows:?}");
    let stale = row(&rows, "stale");
    assert_eq!(stale["outcome"], "fail", "{stale}");
    assert!(
        stale["reason"]
            .as_str()
            .unwrap()
            .contains("docs/old.md last changed 400 days ago"),
        "{stale}"
    );
    // A glob passes on its newest file.
    assert_eq!(row(&rows, "newest")["outcome"], "pass", "{rows:?}");
    assert_eq!(row(&rows, "year")["outcome"], "pass", "{rows:?}");
}

#[test]
fn https_to_a_private_ca_is_untrusted_until_probes_ca_file_names_it() {
    let server = Server::start_tls();
    let probe = format!(
        "- http: {}/contact\n  contains: Contact us",
        server.base_tls()
    );
    let ca = std::fs::read(crate::http_server::tls_fixtures().join("ca.pem")).unwrap();
    let t = project("probes:\n  allow_hosts: [127.0.0.1]\n", &[("tls", &probe)]);
    let rows = verify_rows(&t, 1);
    let r = row(&rows, "tls");
    assert_eq!(r["outcome"], "error", "{r}");
    let why = r["reason"].as_str().unwrap();
    assert!(
        why.contains("certificate is not trusted (UnknownIssuer)")
            && why.contains("probes.ca_file"),
        "{why}"
    );

    let config = "probes:\n  allow_hosts: [127.0.0.1]\n  ca_file: certs/internal-ca.pem\n";
    let t = project(config, &[("tls", &probe)]).file("certs/internal-ca.pem", &ca);
    let rows = verify_rows(&t, 0);
    let r = row(&rows, "tls");
    assert_eq!(r["outcome"], "pass", "{r}");
    assert_eq!(r["seen"]["status"], 200);

    // A file that holds no certificate, or one outside the project, stops
    // the run before any probe, naming it.
    let t =
        project(config, &[("tls", &probe)]).file("certs/internal-ca.pem", "not a certificate\n");
    let out = t.exec(["verify"], 2);
    assert!(
        out.stderr
            .contains("probes.ca_file certs/internal-ca.pem holds no certificate"),
        "{}",
        out.stderr
    );
    let t = project(
        "probes:\n  allow_hosts: [127.0.0.1]\n  ca_file: ../../../../../../etc/passwd\n",
        &[("tls", &probe)],
    );
    let out = t.exec(["verify"], 2);
    assert!(out.stderr.contains("outside the project"), "{}", out.stderr);
    assert!(!t.path().join("readiness/probes.jsonl").exists());
}
