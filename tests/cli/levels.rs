//! Maturity levels, scheduled questions and campaigns (issue 27), through
//! the real binary.

use crate::support::{Test, fixtures};
use serde_json::{Value, json};

/// The set's root page: the levels, lowest first.
const INDEX: &str = "---\ntitle: Our set\nlevels: [beta, launch]\n---\nLevels only.\n";

/// q1 is beta; q2 is launch; q3 has no level, so it counts toward the
/// highest (launch); q4 starts to count on 2026-12-01.
const DESK: &str = "---\ntitle: Help desk\nid: desk\nchecklist:\n  - order: 1\n    question: Does every request get a ticket?\n    expectation: A ticket each.\n    version: 1.0.0\n    level: beta\n  - order: 2\n    question: Are tickets routed?\n    expectation: One owner each.\n    version: 1.0.0\n    level: launch\n  - order: 3\n    question: Is the queue staffed for peaks?\n    expectation: A rota.\n    version: 1.0.0\n  - order: 4\n    question: Is there an on-call rota for weekends?\n    expectation: Named people.\n    version: 1.0.0\n    level: beta\n    effective_from: 2026-12-01\n---\n";

fn project(config: &str) -> Test {
    Test::new()
        .file("playbooks/index.md", INDEX)
        .file("playbooks/desk.md", DESK)
        .file(
            "supportcheck.yaml",
            format!("checklists: [playbooks]\n{config}"),
        )
}

fn answers(pairs: &[(&str, &str)]) -> String {
    let mut out = String::from("format: 1\nanswers:\n");
    for (id, status) in pairs {
        out.push_str(&format!("  {id}:\n    status: {status}\n"));
    }
    out
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn status(t: &Test) -> Value {
    json_of(&t.exec(["status", "--format", "json"], 0).stdout)
}

#[test]
fn a_level_is_reached_and_lost_as_answers_change() {
    let t = project("gate: {min_score: 0}\n");
    t.write("readiness/answers.yaml", answers(&[]));
    let s = status(&t);
    assert_eq!(s["levels"], json!(["beta", "launch"]), "{s}");
    assert_eq!(s["summary"].get("achieved_level"), None, "{s}");
    assert_eq!(s["summary"]["next_level"], "beta");
    assert_eq!(s["summary"]["missing_for_next"], json!(["desk/q1"]));

    t.write("readiness/answers.yaml", answers(&[("desk/q1", "met")]));
    let s = status(&t);
    assert_eq!(s["summary"]["achieved_level"], "beta", "{s}");
    assert_eq!(s["playbooks"][0]["achieved_level"], "beta", "{s}");
    assert_eq!(
        s["summary"]["missing_for_next"],
        json!(["desk/q2", "desk/q3"]),
        "q3 has no level: it counts toward the highest"
    );
    let table = t.exec(["status"], 0).stdout;
    assert!(
        table.contains(
            "Maturity level: beta of beta < launch; for launch: 2 open: desk/q2, desk/q3"
        ),
        "{table}"
    );
    // The client's page one says it in words, without question ids.
    t.exec(["report", "--preview", "--format", "html"], 0);
    let page = t.read("readiness/reports/preview/readiness-preview.html");
    assert!(
        page.contains("Maturity level reached: beta (levels, lowest first: beta, launch). 2 questions are still open for launch."),
        "{page}"
    );
    assert!(!page.contains("2 open: desk/q2"), "{page}");

    // A waiver and a reasoned not-applicable set questions aside.
    t.write(
        "readiness/answers.yaml",
        format!(
            "{}  desk/q3:\n    status: not-applicable\n    note: No peaks, invite-only.\n",
            answers(&[("desk/q1", "met"), ("desk/q2", "met")])
        ),
    );
    let s = status(&t);
    assert_eq!(s["summary"]["achieved_level"], "launch", "{s}");
    assert_eq!(s["summary"].get("next_level"), None);
    let explain = t.exec(["explain", "desk"], 0).stdout;
    assert!(
        explain.contains("maturity level = launch: every question of launch and below passes; it is the highest level"),
        "{explain}"
    );

    // The beta question unmet: every level is lost, whatever is above it.
    t.write(
        "readiness/answers.yaml",
        answers(&[("desk/q1", "unmet"), ("desk/q2", "met"), ("desk/q3", "met")]),
    );
    let s = status(&t);
    assert_eq!(s["summary"].get("achieved_level"), None, "{s}");
    assert_eq!(s["summary"]["missing_for_next"], json!(["desk/q1"]));
    let explain = t.exec(["explain", "desk"], 0).stdout;
    assert!(
        explain.contains("maturity level = none: not every beta question passes; beta is held back by desk/q1 (unmet)"),
        "{explain}"
    );

    // The report carries it, in JSON and Markdown; list shows each level.
    t.exec(["report", "--format", "json,md"], 0);
    let r = json_of(&t.read("readiness/reports/readiness-v1.json"));
    assert_eq!(r["levels"], json!(["beta", "launch"]));
    assert_eq!(r["playbooks"][0]["next_level"], "beta");
    assert_eq!(r["playbooks"][0]["questions"][2]["level"], "launch");
    let md = t.read("readiness/reports/readiness-v1.md");
    assert!(
        md.contains("| Level |")
            && md.contains("No maturity level reached yet (levels, lowest first: beta, launch). 1 question is still open for beta."),
        "{md}"
    );
    let list = json_of(&t.exec(["list", "--format", "json"], 0).stdout);
    let levels: Vec<&str> = list["playbooks"][0]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["beta", "launch", "launch", "beta"]);
}

#[test]
fn a_target_level_fails_the_gate_until_it_is_reached() {
    // Only the level fails here: `fail_on: []`, and a target adds `level`.
    let t = project("gate:\n  min_score: 0\n  fail_on: []\n  level: launch\n");
    t.write("readiness/answers.yaml", answers(&[("desk/q1", "met")]));
    let out = t.exec(["check"], 1);
    assert!(
        out.stdout.contains(
            "gate failed: maturity level beta is below the target launch (launch has 2 open: desk/q2, desk/q3)"
        ),
        "{}",
        out.stdout
    );
    let j = json_of(&t.exec(["check", "--format", "json"], 1).stdout);
    assert_eq!(j["failed"], json!(["level"]), "{j}");
    assert_eq!(j["summary"]["target_level"], "launch");
    assert!(j["fail_on"].as_array().unwrap().contains(&json!("level")));
    t.write(
        "readiness/answers.yaml",
        answers(&[("desk/q1", "met"), ("desk/q2", "met"), ("desk/q3", "met")]),
    );
    t.exec(["check"], 0);

    // A fact names the target: a beta product passes at beta.
    let t = project(
        "facts: {stage: pilot}\ngate:\n  min_score: 0\n  fail_on: []\n  level_from: stage\n  level_map: {pilot: beta, ga: launch}\n",
    );
    t.write("readiness/answers.yaml", answers(&[("desk/q1", "met")]));
    t.exec(["check"], 0);
    t.file_edit("supportcheck.yaml", |s| {
        s.replace("stage: pilot", "stage: ga")
    });
    let out = t.exec(["check"], 1);
    assert!(
        out.stdout.contains("below the target launch"),
        "{}",
        out.stdout
    );

    // A target that is no level is an error naming the config.
    let t = project("gate:\n  level: gamma\n");
    let out = t.exec(["check"], 2);
    assert!(
        out.stderr.contains("supportcheck.yaml:3")
            && out
                .stderr
                .contains("`gamma` is not one of the levels (beta, launch)"),
        "{}",
        out.stderr
    );
    // So is a question's level that is not declared.
    let t = project("").file(
        "playbooks/desk.md",
        DESK.replace("level: launch", "level: lunch"),
    );
    let out = t.exec(["lint"], 1);
    assert!(
        out.stdout.contains("playbooks/desk.md:10")
            && out.stdout.contains("did you mean `launch`?"),
        "{}\n{}",
        out.stdout,
        out.stderr
    );
}

#[test]
fn a_scheduled_question_is_upcoming_until_its_day() {
    let t = project("gate: {min_score: 0}\n");
    t.write(
        "readiness/answers.yaml",
        answers(&[("desk/q1", "met"), ("desk/q2", "met"), ("desk/q3", "met")]),
    );
    // 2026-11-23: q4 is eight days away. Shown, never counted.
    let s = status(&t);
    assert_eq!(s["summary"]["questions"], 3, "{s}");
    assert_eq!(s["summary"]["upcoming"], 1, "{s}");
    assert_eq!(s["summary"]["achieved_level"], "launch");
    assert_eq!(
        s["upcoming"],
        json!([{"id": "desk/q4", "effective_from": "2026-12-01"}])
    );
    let table = t.exec(["status"], 0).stdout;
    assert!(
        table.contains("desk/q4  counts from 2026-12-01 (in 8 days)"),
        "{table}"
    );
    t.exec(["check"], 0);
    t.exec(["report", "--format", "json,md,html"], 0);
    let html = t.read("readiness/reports/readiness-v1.html");
    assert!(
        html.contains("desk&#x2f;q4  counts from 2026-12-01 (in 8 days)"),
        "upcoming in the HTML"
    );

    // On its day it counts: unanswered, the gate fails and beta is lost.
    let on = [("SUPPORTCHECK_NOW", "2026-12-01T08:00:00Z")];
    let s = json_of(&t.exec_env(["status", "--format", "json"], &on).stdout);
    assert_eq!(s["summary"]["questions"], 4, "{s}");
    assert_eq!(s["summary"]["missing"], 1);
    assert_eq!(s["summary"].get("achieved_level"), None, "{s}");
    let out = t.exec_env(["check"], &on);
    assert_eq!(out.code, 1, "{}", out.stdout);
    // The day before, it does not.
    let eve = [("SUPPORTCHECK_NOW", "2026-11-30T23:59:00Z")];
    assert_eq!(t.exec_env(["check"], &eve).code, 0);
}

// ---------------------------------------------------------------------------
// Campaigns

/// An index line with the maturity fields, as `report` writes them.
fn index_line(version: u64, day: &str, open: [usize; 2], product: &str) -> String {
    let achieved = match open {
        [0, 0] => Some("launch"),
        [0, _] => Some("beta"),
        _ => None,
    };
    let mut line = json!({
        "version": version,
        "generated_at": format!("{day}T10:00:00Z"),
        "schema": "supportcheck.report/1",
        "scoring": 2,
        "product": product,
        "level": "not-ready",
        "score": 50.0,
        "min_score": 80.0,
        "passed": false,
        "questions": 10,
        "answered": 10,
        "missing": 0,
        "blockers": 0,
        "expired_waivers": 0,
        "playbooks": [],
        "levels": [
            {"level": "beta", "questions": 4, "open": open[0]},
            {"level": "launch", "questions": 6, "open": open[1]}
        ],
        "files": {},
        "previous": null
    });
    if let Some(a) = achieved {
        line["achieved_level"] = json!(a);
    }
    line.to_string()
}

const CAMPAIGN: &str = "name: GA readiness\nowner: support-ops\nwhere: {stage: ga}\nlevel: launch\nstart: 2026-11-01\ndue: 2026-11-30\n";

/// A ledger: each version's day and open questions of beta and launch.
type Versions = Vec<(&'static str, [usize; 2])>;

/// Products named by their fate, each with a ledger of several versions.
fn campaign_portfolio() -> Test {
    let mut t = Test::new().file("campaigns/ga.yaml", CAMPAIGN);
    let products: [(&str, &str, Versions); 5] = [
        (
            "reached",
            "ga",
            vec![
                ("2026-10-20", [2, 4]),
                ("2026-11-05", [0, 2]),
                ("2026-11-12", [0, 0]),
            ],
        ),
        (
            "fast",
            "ga",
            vec![("2026-10-25", [1, 7]), ("2026-11-14", [0, 2])],
        ),
        (
            "slow",
            "ga",
            vec![("2026-10-25", [1, 7]), ("2026-11-14", [1, 6])],
        ),
        ("never", "ga", vec![]),
        ("pilot", "beta", vec![("2026-10-25", [3, 3])]),
    ];
    for (name, stage, versions) in products {
        t = t.file(
            &format!("p/{name}/supportcheck.yaml"),
            format!("product: {name}\nfacts: {{stage: {stage}}}\n"),
        );
        if !versions.is_empty() {
            let lines: Vec<String> = versions
                .iter()
                .enumerate()
                .map(|(i, (day, open))| index_line(i as u64 + 1, day, *open, name))
                .collect();
            t = t.file(
                &format!("p/{name}/readiness/reports/index.jsonl"),
                lines.join("\n") + "\n",
            );
        }
    }
    t
}

fn progress_of(o: &Value) -> Vec<(String, String)> {
    o["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["name"].as_str().unwrap().to_string(),
                l["progress"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_campaign_shows_each_product_reached_on_track_behind_or_overdue() {
    let t = campaign_portfolio();
    let mid = [("SUPPORTCHECK_NOW", "2026-11-16T12:00:00Z")];
    let out = t.exec_env(
        [
            "portfolio",
            "p",
            "--campaign",
            "campaigns/ga.yaml",
            "--format",
            "json",
        ],
        &mid,
    );
    let o = &json_of(&out.stdout)["campaign"];
    let mut got = progress_of(o);
    got.sort();
    assert_eq!(
        got,
        [
            ("fast".into(), "on-track".into()),
            ("never".into(), "behind".into()),
            ("reached".into(), "reached".into()),
            ("slow".into(), "behind".into()),
        ],
        "the beta product is not covered: {o}"
    );
    assert_eq!(o["counts"]["products"], 4);
    // The burn-up from the ledgers: reached on 2026-11-12, counted to today.
    assert_eq!(
        o["burnup"],
        json!([
            {"day": "2026-11-01", "reached": 0},
            {"day": "2026-11-12", "reached": 1},
            {"day": "2026-11-16", "reached": 1}
        ]),
        "{o}"
    );
    let out = t.exec_env(
        [
            "portfolio",
            "p",
            "--campaign",
            "campaigns/ga.yaml",
            "--fail-if",
            "campaign-overdue",
        ],
        &mid,
    );
    assert_eq!(out.code, 0, "nothing is overdue yet: {}", out.stderr);

    // After the due date, the rest are overdue and the gate says who.
    let late = [("SUPPORTCHECK_NOW", "2026-12-02T12:00:00Z")];
    let out = t.exec_env(
        [
            "portfolio",
            "p",
            "--campaign",
            "campaigns/ga.yaml",
            "--fail-if",
            "campaign-overdue",
        ],
        &late,
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("portfolio gate failed: 3 products are overdue in the campaign: "),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout
            .contains("Campaign GA readiness (owner support-ops): level launch by 2026-11-30"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("1 reached, 0 on track, 0 behind, 3 overdue")
    );

    // The dashboard shows the campaign first.
    let html = t
        .exec_env(
            [
                "portfolio",
                "p",
                "--campaign",
                "campaigns/ga.yaml",
                "--format",
                "html",
            ],
            &late,
        )
        .stdout;
    let campaign = html.find("id=\"campaign\"").expect("campaign section");
    let products = html.find("<h2>Products</h2>").unwrap();
    assert!(campaign < products);
    // Reached on day 11 of 29, one product of four.
    assert!(
        html.contains("<polyline points=\"0,120 227.6,120 227.6,90 600,90\""),
        "{html}"
    );
}

#[test]
fn a_campaign_preview_says_who_would_fall_behind_and_by_how_much() {
    let t = campaign_portfolio();
    let out = t.exec(
        [
            "campaign",
            "preview",
            "campaigns/ga.yaml",
            "p",
            "--format",
            "json",
        ],
        0,
    );
    let p = json_of(&out.stdout);
    assert_eq!(p["products"], 4);
    assert_eq!(p["already"], 1);
    assert_eq!(p["open"], 9, "fast 2 + slow 7: {p}");
    let names: Vec<&str> = p["behind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["never", "slow", "fast"],
        "unknown first, then most open"
    );
    let text = t
        .exec(["campaign", "preview", "campaigns/ga.yaml", "p"], 0)
        .stdout;
    assert!(
        text.contains(
            "4 products covered: 1 already there, 3 would be behind with 9 questions to fix"
        ),
        "{text}"
    );
    // A broken campaign is an error naming the file.
    t.write(
        "campaigns/bad.yaml",
        "name: x\nlevel: launch\nstart: 2026-12-01\ndue: 2026-11-01\n",
    );
    let out = t.exec(["campaign", "preview", "campaigns/bad.yaml", "p"], 2);
    assert!(
        out.stderr.contains("campaigns/bad.yaml") && out.stderr.contains("is before `start`"),
        "{}",
        out.stderr
    );
    let out = t.exec(["portfolio", "p", "--fail-if", "campaign-overdue"], 2);
    assert!(out.stderr.contains("needs a campaign"), "{}", out.stderr);
}

#[test]
fn the_burn_up_comes_from_reports_written_version_by_version() {
    let t = Test::new().file(
        "campaigns/q.yaml",
        "name: Tickets\nquestions: [desk/q1, desk/q2]\nstart: 2026-11-01\ndue: 2026-12-31\n",
    );
    let mut t = t;
    for name in ["one", "two"] {
        t = t
            .file(&format!("{name}/playbooks/index.md"), INDEX)
            .file(&format!("{name}/playbooks/desk.md"), DESK)
            .file(
                &format!("{name}/supportcheck.yaml"),
                format!("product: {name}\nchecklists: [playbooks]\n"),
            );
    }
    let report = |dir: &str, day: &str, pairs: &[(&str, &str)]| {
        t.write(&format!("{dir}/readiness/answers.yaml"), answers(pairs));
        t.exec_env(
            ["-C", dir, "report", "--format", "json"],
            &[("SUPPORTCHECK_NOW", &format!("{day}T09:00:00Z"))],
        );
    };
    report("one", "2026-10-28", &[("desk/q1", "met")]);
    report(
        "one",
        "2026-11-10",
        &[("desk/q1", "met"), ("desk/q2", "met")],
    );
    report("two", "2026-11-02", &[]);
    report("two", "2026-11-20", &[("desk/q1", "met")]);
    report(
        "two",
        "2026-11-22",
        &[("desk/q1", "met"), ("desk/q2", "partial")],
    );
    report(
        "two",
        "2026-11-23",
        &[("desk/q1", "met"), ("desk/q2", "met")],
    );
    for level in [false, true] {
        let file = if level {
            t.write(
                "campaigns/l.yaml",
                "name: Launch\nlevel: launch\nstart: 2026-11-01\ndue: 2026-12-31\n",
            );
            "campaigns/l.yaml"
        } else {
            "campaigns/q.yaml"
        };
        let out = t.exec(
            ["portfolio", ".", "--campaign", file, "--format", "json"],
            0,
        );
        let o = &json_of(&out.stdout)["campaign"];
        let expect = if level {
            // Launch also needs q3: nobody answered it.
            json!([
                {"day": "2026-11-01", "reached": 0},
                {"day": "2026-11-23", "reached": 0}
            ])
        } else {
            json!([
                {"day": "2026-11-01", "reached": 0},
                {"day": "2026-11-10", "reached": 1},
                {"day": "2026-11-23", "reached": 2}
            ])
        };
        assert_eq!(o["burnup"], expect, "{file}: {o}");
    }
}

#[test]
fn reports_written_before_levels_still_read_diff_and_verify() {
    // The clock after the fixture's dates: a version dated after "now" is a
    // chain problem of its own.
    let t = Test::new().env("SUPPORTCHECK_NOW", "2026-12-01T12:00:00Z");
    copy_dir(&fixtures().join("rules-v1"), t.path());
    t.exec(["history", "--verify"], 0);
    t.exec(["diff", "1", "2"], 0);
    // A new version with levels joins the chain, and diffs against the old.
    t.exec(["report", "--format", "json"], 0);
    let v3 = json_of(&t.read("readiness/reports/readiness-v3.json"));
    assert_eq!(
        v3["levels"],
        json!(["beta", "launch", "scale"]),
        "the built-in set"
    );
    assert!(v3["summary"]["levels"].is_array(), "{}", v3["summary"]);
    let v2 = json_of(&t.read("readiness/reports/readiness-v2.json"));
    assert_eq!(v2.get("levels"), None);
    t.exec(["history", "--verify"], 0);
    t.exec(["diff", "2", "3"], 0);
    // A campaign over the old folder: its progress is read from the new version.
    t.write(
        "ga.yaml",
        "name: GA\nlevel: beta\nstart: 2026-11-01\ndue: 2026-12-31\n",
    );
    let out = t.exec(
        [
            "portfolio",
            ".",
            "--campaign",
            "ga.yaml",
            "--format",
            "json",
        ],
        0,
    );
    let o = &json_of(&out.stdout)["campaign"];
    assert_eq!(o["counts"]["products"], 1, "{o}");
    assert!(o["products"][0]["open"].is_u64(), "{o}");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
