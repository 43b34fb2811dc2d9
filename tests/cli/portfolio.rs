//! `portfolio` through the real binary, over a generated portfolio: report
//! folders written here (index lines and JSON reports in the agreed formats)
//! and folders written by the binary's own `report`.

use crate::support::{Test, chromium, chromium_command, repo};
use serde_json::{Value, json};

const PLAYBOOK: &str = "---\ntitle: Help desk\nid: help-desk\nchecklist:\n  - order: 1\n    question: Is every request tracked?\n    expectation: Every request gets a ticket.\n    version: 1.0.0\n    critical: true\n  - order: 2\n    question: Are tickets prioritised?\n    expectation: Priorities are defined.\n    version: 1.0.0\n    weight: 2\n---\n";

const HOSTILE: &str = "<script>alert(1)</script>=HYPERLINK(\"x\") | *bold*";

/// One line of a reports folder's `index.jsonl`, in the agreed format.
fn index_line(version: u64, day: u32, level: &str, score: f64, product: &str) -> String {
    let files = json!({
        format!("readiness-v{version}.json"): "00",
        format!("readiness-v{version}.html"): "00",
    });
    json!({
        "version": version,
        "generated_at": format!("2026-11-{day:02}T10:00:00Z"),
        "schema": "supportcheck.report/1",
        "scoring": 1,
        "product": product,
        "level": level,
        "score": score,
        "min_score": 80.0,
        "passed": level == "ready",
        "questions": 10,
        "answered": 8,
        "missing": 2,
        "blockers": u32::from(level == "blocked"),
        "expired_waivers": 1,
        "playbooks": [
            {"id": "help-desk", "title": "Help desk", "score": score},
            {"id": "channels", "title": "Support channels", "score": 50.0}
        ],
        "files": files,
        "previous": null
    })
    .to_string()
}

/// The JSON report an index line commits: what the line says, as the
/// report says it (`--fail-if` and `--verify` check the newest line
/// against it).
fn committed_json(line: &str) -> String {
    let l: Value = serde_json::from_str(line).unwrap();
    json!({
        "schema": l["schema"],
        "scoring": l["scoring"],
        "report_version": l["version"],
        "generated_at": l["generated_at"],
        "product": l["product"],
        "summary": {
            "score": l["score"], "level": l["level"], "questions": l["questions"],
            "answered": l["answered"], "missing": l["missing"], "blockers": l["blockers"],
            "expired_waivers": l["expired_waivers"]
        },
        "gate": {"passed": l["passed"], "min_score": l["min_score"]},
        "playbooks": l["playbooks"],
        "signoffs": l.get("signoffs").cloned().unwrap_or(Value::Null),
    })
    .to_string()
}

/// A JSON report as older or newer supportcheck versions write it, with
/// questions the portfolio must skip.
fn report_json(version: u64, schema: &str, scoring: u64, level: &str, score: f64) -> String {
    let trend: Vec<Value> = (1..version)
        .map(|v| {
            json!({"report_version": v, "generated_at": format!("2026-10-{:02}T10:00:00Z", v), "score": score - 10.0 * (version - v) as f64, "level": "not-ready"})
        })
        .collect();
    json!({
        "content_sha256": "0000",
        "schema": schema,
        "scoring": scoring,
        "report_version": version,
        "generated_at": "2026-11-25T10:00:00Z",
        "tool_version": "9.9.9",
        "product": "Beta Billing",
        "summary": {"score": score, "level": level, "questions": 3, "answered": 3, "missing": 0, "blockers": 1, "expired_waivers": 0, "min_score": 80.0},
        "gate": {"passed": false},
        "playbooks": [{"id": "billing", "title": "Billing", "score": score, "questions": [
            {"id": "billing/q1", "question": "Q?", "answer": {"note": "x".repeat(1000)}}
        ]}],
        "trend": trend
    })
    .to_string()
}

/// A portfolio of every kind of product under `p/`.
fn portfolio() -> Test {
    let alpha = [
        index_line(1, 1, "not-ready", 40.0, "Alpha Chat"),
        index_line(2, 10, "not-ready", 60.0, "Alpha Chat"),
        index_line(3, 20, "ready", 85.0, "Alpha Chat"),
    ];
    let zeta = index_line(1, 28, "blocked", 12.5, HOSTILE).replacen(
        "{",
        r#"{"signoffs":[{"role":"legal","status":"signed"},{"role":"support-lead","status":"outdated"}],"#,
        1,
    );
    Test::new()
        // A project whose reports folder has an index.
        .file("p/alpha/supportcheck.yaml", "product: Alpha Chat\n")
        .file(
            "p/alpha/readiness/reports/index.jsonl",
            alpha.join("\n") + "\n",
        )
        .file(
            "p/alpha/readiness/reports/readiness-v3.json",
            committed_json(&alpha[2]),
        )
        .file(
            "p/alpha/readiness/reports/readiness-v3.html",
            "<html></html>",
        )
        // A reports folder alone, no index, written by a newer supportcheck.
        .file(
            "p/beta/reports/readiness-v1.json",
            report_json(1, "supportcheck.report/2", 4, "blocked", 30.0),
        )
        .file(
            "p/beta/reports/readiness-v2.json",
            report_json(2, "supportcheck.report/2", 4, "blocked", 45.5),
        )
        // A project without reports.
        .file("p/gamma/supportcheck.yaml", "product: Gamma Mobile\n")
        // A project whose newest report is corrupt.
        .file("p/delta/supportcheck.yaml", "product: Delta Desk\n")
        .file("p/delta/readiness/reports/readiness-v1.json", "{not json")
        // A reports folder whose index has a bad line.
        .file(
            "p/epsilon/readiness/reports/index.jsonl",
            format!(
                "{}\n{{\"version\": 2,\n",
                index_line(1, 5, "ready", 90.0, "Epsilon")
            ),
        )
        // A hostile product name.
        .file(
            "p/zeta/supportcheck.yaml",
            format!("product: {}\n", serde_json::to_string(HOSTILE).unwrap()),
        )
        .file("p/zeta/readiness/reports/index.jsonl", zeta.clone() + "\n")
        .file(
            "p/zeta/readiness/reports/readiness-v1.json",
            committed_json(&zeta),
        )
        .env("SUPPORTCHECK_NOW", "2026-11-30T10:00:00Z")
}

fn products(out: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(out).unwrap();
    assert_eq!(v["schema"], "supportcheck.portfolio/1");
    v["products"].as_array().unwrap().clone()
}

fn by_path<'a>(ps: &'a [Value], path: &str) -> &'a Value {
    ps.iter()
        .find(|p| p["path"] == path)
        .unwrap_or_else(|| panic!("no product at {path}: {ps:#?}"))
}

#[test]
fn portfolio_lists_every_product_and_names_the_unreadable_ones() {
    let t = portfolio();
    let out = t.exec(["portfolio", "p"], 0);
    let s = &out.stdout;
    for name in [
        "Alpha Chat",
        "Beta Billing",
        "Gamma Mobile",
        "Delta Desk",
        "p/epsilon",
    ] {
        assert!(s.contains(name), "{name} missing:\n{s}");
    }
    assert!(
        s.contains("6 products: 1 ready, 0 not ready, 2 blocked, 1 without reports, 2 unreadable"),
        "{s}"
    );
    assert!(!s.contains('\x1b'), "no colour into a pipe: {s:?}");
    let coloured = t.exec(["portfolio", "p", "--color", "always"], 0).stdout;
    assert!(coloured.contains("\x1b[38;5;9mblocked"), "{coloured:?}");
    let json = t.exec(["portfolio", "p", "--format", "json"], 0).stdout;
    let ps = products(&json);
    assert_eq!(ps.len(), 6);
    let delta = by_path(&ps, "p/delta");
    assert!(delta["latest"].is_null());
    assert!(
        delta["problem"]
            .as_str()
            .unwrap()
            .starts_with("p/delta/readiness/reports/readiness-v1.json: not a readable report: "),
        "{delta}"
    );
    let eps = by_path(&ps, "p/epsilon/readiness/reports");
    assert!(
        eps["problem"]
            .as_str()
            .unwrap()
            .starts_with("p/epsilon/readiness/reports/index.jsonl: line 2: "),
        "{eps}"
    );
    let gamma = by_path(&ps, "p/gamma");
    assert!(gamma["latest"].is_null() && gamma["problem"].is_null());
}

#[test]
fn portfolio_reads_the_index_and_the_newest_report_of_other_versions() {
    let t = portfolio();
    let ps = products(&t.exec(["portfolio", "p", "--format", "json"], 0).stdout);
    let alpha = by_path(&ps, "p/alpha");
    assert_eq!(alpha["source"], "index");
    assert_eq!(alpha["latest"]["score"], 85.0);
    assert_eq!(alpha["latest"]["level"], "ready");
    assert_eq!(alpha["change"], 25.0);
    assert_eq!(alpha["age_days"], 10);
    assert_eq!(alpha["history"].as_array().unwrap().len(), 3);
    assert_eq!(alpha["html"], "p/alpha/readiness/reports/readiness-v3.html");
    let beta = by_path(&ps, "p/beta/reports");
    assert_eq!(beta["source"], "report");
    assert_eq!(beta["name"], "Beta Billing");
    assert_eq!(beta["latest"]["version"], 2);
    assert_eq!(beta["latest"]["schema"], "supportcheck.report/2");
    assert_eq!(beta["latest"]["scoring"], 4);
    assert_eq!(beta["change"], 10.0, "from the report's trend");
    assert_eq!(
        by_path(&ps, "p/zeta")["latest"]["signoffs"],
        json!({"signed": 1, "total": 2})
    );
    let table = t.exec(["portfolio", "p"], 0).stdout;
    assert!(table.contains("Sign-offs"), "{table}");
    assert!(table.contains(" 1/2 "), "{table}");
    assert!(table.contains("schema supportcheck.report/2"), "{table}");
    assert!(table.contains("scoring rules v4"), "{table}");
}

#[test]
fn portfolio_sorts_and_filters() {
    let t = portfolio();
    let names = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["portfolio", "p", "--format", "json"];
        all.extend_from_slice(args);
        products(&t.exec(all, 0).stdout)
            .iter()
            .map(|p| p["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names(&["--sort", "score"]),
        [
            "p/zeta",
            "p/beta/reports",
            "p/alpha",
            "p/delta",
            "p/epsilon/readiness/reports",
            "p/gamma"
        ]
    );
    assert_eq!(
        names(&["--sort", "age"])[..3],
        ["p/alpha", "p/beta/reports", "p/zeta"]
    );
    assert_eq!(
        names(&["--sort", "blockers"])[..2],
        ["p/beta/reports", "p/zeta"]
    );
    assert_eq!(names(&["--level", "blocked"]), ["p/beta/reports", "p/zeta"]);
    assert_eq!(
        names(&["--level", "no-reports,unreadable"]),
        ["p/delta", "p/epsilon/readiness/reports", "p/gamma"]
    );
    assert_eq!(
        names(&["--older-than", "7d", "--level", "ready,blocked"]),
        ["p/alpha"]
    );
    let bad = t.exec(["portfolio", "p", "--older-than", "soon"], 2);
    assert!(
        bad.stderr
            .contains("`soon` is not a duration; write a whole number and a unit"),
        "{}",
        bad.stderr
    );
}

#[test]
fn portfolio_gate_fails_when_a_product_matches() {
    let t = portfolio();
    let out = t.exec(["portfolio", "p", "--fail-if", "blocked"], 1);
    assert!(
        out.stderr
            .contains("portfolio gate failed: 2 products are blocked: Beta Billing, "),
        "{}",
        out.stderr
    );
    for gate in ["blocked,not-ready", "stale:30d"] {
        t.exec(["portfolio", "p", "--level", "ready", "--fail-if", gate], 0);
    }
    let stale = t.exec(
        [
            "portfolio",
            "p",
            "--level",
            "ready",
            "--fail-if",
            "stale:5d",
        ],
        1,
    );
    assert!(stale.stderr.contains("Alpha Chat"), "{}", stale.stderr);
    let nr = t.exec(["portfolio", "p", "--fail-if", "not-ready"], 1);
    assert!(nr.stderr.contains("Gamma Mobile"), "{}", nr.stderr);
    t.exec(["portfolio", "p", "--fail-if", "late"], 2);
}

fn project(t: Test, dir: &str, status: &str) -> Test {
    t.file(&format!("{dir}/pb/help-desk.md"), PLAYBOOK)
        .file(
            &format!("{dir}/supportcheck.yaml"),
            "product: Real Product\nchecklists: [pb]\n",
        )
        .file(
            &format!("{dir}/readiness/answers.yaml"),
            format!(
                "format: 1\nanswers:\n  help-desk/q1:\n    status: {status}\n  help-desk/q2:\n    status: partial\n"
            ),
        )
}

/// A folder written by the real `report`: what the portfolio shows matches
/// `status`, whatever form the reports folder has (index or none).
#[test]
fn portfolio_reads_a_folder_written_by_report() {
    let t = project(Test::new(), "real", "unmet");
    t.exec(["-C", "real", "report"], 0);
    t.file_edit("real/readiness/answers.yaml", |s| s.replace("unmet", "met"));
    t.exec(["-C", "real", "report"], 0);
    let status: Value = serde_json::from_str(
        &t.exec(["-C", "real", "status", "--format", "json"], 0)
            .stdout,
    )
    .unwrap();
    let ps = products(&t.exec(["portfolio", ".", "--format", "json"], 0).stdout);
    assert_eq!(ps.len(), 1, "{ps:#?}");
    let p = &ps[0];
    assert_eq!(p["name"], "Real Product");
    assert_eq!(p["path"], "real");
    assert_eq!(
        p["source"], "index",
        "report writes index.jsonl, and it is read"
    );
    assert_eq!(p["latest"]["version"], 2);
    assert_eq!(p["latest"]["score"], status["summary"]["score"]);
    assert_eq!(p["latest"]["level"], status["summary"]["level"]);
    assert_eq!(p["history"].as_array().unwrap().len(), 2);
    assert!(p["change"].as_f64().unwrap() > 0.0, "{p}");
    assert_eq!(p["html"], "real/readiness/reports/readiness-v2.html");
    assert_eq!(p["playbooks"][0]["id"], "help-desk");
}

#[test]
fn portfolio_verify_shows_a_tampered_chain() {
    let t = project(Test::new(), "good", "met");
    let t = project(t, "bad", "met");
    let t = project(t, "empty", "met");
    for dir in ["good", "bad"] {
        t.exec(["-C", dir, "report"], 0);
        t.exec(["-C", dir, "report"], 0);
    }
    t.file_edit("bad/readiness/reports/readiness-v1.json", |s| {
        s.replacen(
            "\"product\": \"Real Product\"",
            "\"product\": \"Someone Else\"",
            1,
        )
    });
    t.exec(["portfolio", "."], 0);
    let out = t.exec(["portfolio", ".", "--verify", "--format", "json"], 1);
    let ps = products(&out.stdout);
    assert_eq!(by_path(&ps, "good")["chain"]["state"], "intact");
    assert!(
        by_path(&ps, "empty")["chain"].is_null(),
        "no reports, no chain"
    );
    let bad = &by_path(&ps, "bad")["chain"];
    assert_eq!(bad["state"], "broken");
    assert!(
        bad["problems"][0]
            .as_str()
            .unwrap()
            .starts_with("v1: edited"),
        "{bad}"
    );
    assert!(
        out.stderr.contains("1 product with a broken report chain"),
        "{}",
        out.stderr
    );
    let table = t.exec(["portfolio", ".", "--verify"], 1).stdout;
    assert!(table.contains("chain broken: v1: edited"), "{table}");
}

#[test]
fn portfolio_live_scores_the_current_answers() {
    let t = project(Test::new(), "real", "unmet");
    t.exec(["-C", "real", "report"], 0);
    t.file_edit("real/readiness/answers.yaml", |s| s.replace("unmet", "met"));
    let recorded = products(&t.exec(["portfolio", ".", "--format", "json"], 0).stdout);
    let live = products(
        &t.exec(["portfolio", ".", "--live", "--format", "json"], 0)
            .stdout,
    );
    assert_eq!(live[0]["source"], "live");
    let (before, now) = (
        recorded[0]["latest"]["score"].as_f64().unwrap(),
        live[0]["latest"]["score"].as_f64().unwrap(),
    );
    assert!(now > before, "{before} -> {now}");
    assert_eq!(
        live[0]["change"].as_f64().unwrap(),
        ((now - before) * 10.0).round() / 10.0
    );
    assert_eq!(
        live[0]["latest"]["version"], 1,
        "the latest report it builds on"
    );
    // A broken answers file is that product's problem, not the run's.
    t.file_edit("real/readiness/answers.yaml", |_| "answers: [\n".into());
    let broken = products(
        &t.exec(["portfolio", ".", "--live", "--format", "json"], 0)
            .stdout,
    );
    assert!(broken[0]["latest"].is_null());
    assert!(
        broken[0]["problem"].as_str().unwrap().starts_with("real: "),
        "{}",
        broken[0]
    );
}

#[test]
fn portfolio_markdown_and_csv_keep_hostile_names_inert() {
    let t = portfolio();
    let md = t.exec(["portfolio", "p", "--format", "md"], 0).stdout;
    assert!(md.contains("&lt;script&gt;"), "{md}");
    assert!(!md.contains("<script>"), "{md}");
    assert!(md.contains("\\| \\*bold\\*"), "{md}");
    let csv = t.exec(["portfolio", "p", "--format", "csv"], 0).stdout;
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let headers = rows.headers().unwrap().clone();
    assert_eq!(&headers[0], "product");
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 6);
    let zeta = records.iter().find(|r| &r[1] == "p/zeta").unwrap();
    assert_eq!(&zeta[0], HOSTILE, "quoted, and whole");
    let delta = records.iter().find(|r| &r[1] == "p/delta").unwrap();
    assert_eq!(&delta[3], "unreadable");
    t.write("p/eta/supportcheck.yaml", "product: \"=1+2\"\n");
    let csv = t.exec(["portfolio", "p/eta", "--format", "csv"], 0).stdout;
    assert!(csv.lines().nth(1).unwrap().starts_with("'=1+2,"), "{csv}");
}

/// Writes the dashboard of `p/` to `out` and returns its path.
fn dashboard(t: &Test, out: &str) -> std::path::PathBuf {
    t.exec(["portfolio", "p", "--format", "html", "--output", out], 0);
    t.path().join(out)
}

#[test]
fn portfolio_html_is_escaped_self_contained_and_links_relative() {
    let t = portfolio();
    let html = std::fs::read_to_string(dashboard(&t, "out/dash.html")).unwrap();
    assert!(!html.contains("<script"), "a script tag got through");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    assert!(!html.contains("src="), "nothing is fetched");
    let unlinked = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!unlinked.contains("http://") && !unlinked.contains("https://"));
    assert!(
        html.contains(
            "href=\"..&#x2f;p&#x2f;alpha&#x2f;readiness&#x2f;reports&#x2f;readiness-v3.html\""
        ),
        "link relative to the dashboard's folder"
    );
    assert!(html.contains("1 ready"), "the summary line");
    assert!(html.contains("<polyline points=\""), "a sparkline");
    // The heatmap: alpha has both playbooks, beta neither of them.
    assert!(html.contains(">Support channels</div>"));
    assert!(
        html.contains("<td class=\"cell\"></td>"),
        "blank cells for missing playbooks"
    );
}

#[test]
fn portfolio_needs_existing_paths_and_says_when_it_finds_nothing() {
    let t = Test::new().file("empty/readme.txt", "nothing here");
    let out = t.exec(["portfolio", "nowhere"], 2);
    assert!(
        out.stderr.contains("nowhere: no such file or folder"),
        "{}",
        out.stderr
    );
    let out = t.exec(["portfolio", "empty"], 0);
    assert!(out.stdout.contains("No products found."), "{}", out.stdout);
    t.exec(["portfolio"], 2);
}

/// Renders the dashboard in headless Chromium, takes a screenshot and looks
/// at it: nothing may reach the right edge (content wider than the page),
/// and the page measures no horizontal overflow anywhere.
#[test]
fn portfolio_dashboard_renders_in_chromium_without_overflow() {
    let Some(chromium) = chromium() else { return };
    let t = portfolio().file(
        "p/long/supportcheck.yaml",
        format!(
            "product: {}\n",
            "Verylongproductnamewithoutanyspaces".repeat(6)
        ),
    );
    let page = dashboard(&t, "dash.html");
    let profile = tempfile::tempdir().unwrap();

    let shot = t.path().join("shot.png");
    let out = chromium_command(chromium, profile.path())
        .arg("--window-size=1100,1400")
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let px = |x: usize, y: usize| {
        let i = (y * w + x) * channels;
        buf[i..i + 3].to_vec()
    };
    // The right edge shows only the page's backgrounds: the white of
    // `main`, and the body's grey below it when the page is short.
    let backgrounds = [px(w - 1, 0), vec![0xf6, 0xf7, 0xf9]];
    for y in 0..h {
        for x in w - 12..w {
            assert!(
                backgrounds.contains(&px(x, y)),
                "something reaches the right edge at ({x}, {y}): {:?}",
                px(x, y)
            );
        }
    }
    let inked = (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .filter(|&(x, y)| px(x, y).iter().all(|&c| c < 100))
        .count();
    assert!(
        inked > 2000,
        "the screenshot looks blank ({inked} dark pixels)"
    );

    // The same page with a probe that measures overflow, read back from the DOM.
    let probe = t.path().join("probe.html");
    let html = std::fs::read_to_string(&page).unwrap().replace(
        "</body>",
        "<script>document.body.setAttribute('data-overflow', [document.documentElement.scrollWidth > innerWidth].concat([...document.querySelectorAll('.scroll')].map(e => e.scrollWidth > e.clientWidth + 1)).join(','));</script></body>",
    );
    std::fs::write(&probe, html).unwrap();
    let out = chromium_command(chromium, profile.path())
        .arg("--window-size=1100,1400")
        .arg("--dump-dom")
        .arg(format!("file://{}", probe.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("data-overflow=\"false,false,false\""),
        "overflow measured: {}",
        dom.split("data-overflow=")
            .nth(1)
            .unwrap_or("(no probe result)")
            .get(..40)
            .unwrap_or("")
    );
}

/// The example portfolio has one product of each kind, each project lints
/// clean, and docs/portfolio.md shows what the binary prints for it.
#[test]
fn the_example_portfolio_matches_the_docs() {
    let examples = repo().join("examples");
    let t = Test::new().env("SUPPORTCHECK_NOW", "2026-11-30T12:00:00Z");
    for p in [
        "northwind-chat",
        "initech-mobile",
        "globex-billing",
        "umbrella-api",
    ] {
        let dir = examples.join("portfolio").join(p);
        t.exec(["-C", dir.to_str().unwrap(), "lint", "--deny-warnings"], 0);
    }
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("supportcheck"))
        .current_dir(&examples)
        .env("SUPPORTCHECK_NOW", "2026-11-30T12:00:00Z")
        .args(["portfolio", "portfolio"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    let page = std::fs::read_to_string(repo().join("docs/portfolio.md")).unwrap();
    let block = page
        .split("$ supportcheck portfolio examples/portfolio\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/portfolio.md shows the example portfolio");
    assert_eq!(
        block,
        stdout.replace("portfolio/", "examples/portfolio/"),
        "docs/portfolio.md portfolio table is out of date"
    );
    assert!(stdout.contains("1 ready, 1 not ready, 1 blocked, 1 without reports"));
}

/// Hostile report folders: a FIFO where the index should be, /dev/zero as
/// the newest report. Each is a row that says so; nothing hangs.
#[cfg(unix)]
#[test]
fn portfolio_does_not_hang_on_a_fifo_or_a_device() {
    let t = Test::new()
        .file("p/fifo/supportcheck.yaml", "product: Fifo\n")
        .file("p/zero/supportcheck.yaml", "product: Zero\n");
    std::fs::create_dir_all(t.path().join("p/fifo/readiness/reports")).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(t.path().join("p/fifo/readiness/reports/index.jsonl"))
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::create_dir_all(t.path().join("p/zero/readiness/reports")).unwrap();
    std::os::unix::fs::symlink(
        "/dev/zero",
        t.path().join("p/zero/readiness/reports/readiness-v1.json"),
    )
    .unwrap();
    let ps = products(&t.exec(["portfolio", "p", "--format", "json"], 0).stdout);
    assert_eq!(
        by_path(&ps, "p/fifo")["problem"],
        "p/fifo/readiness/reports/index.jsonl: cannot read: it is a FIFO (named pipe), not a regular file"
    );
    assert_eq!(
        by_path(&ps, "p/zero")["problem"],
        "p/zero/readiness/reports/readiness-v1.json: cannot read: it is a character device, not a regular file"
    );
}

/// The JSON output validates against `supportcheck schema portfolio`, with
/// every kind of row in it (chains included).
#[test]
fn portfolio_json_validates_against_its_schema() {
    let t = project(portfolio(), "p/real", "met");
    t.exec(["-C", "p/real", "report"], 0);
    let schema: Value = serde_json::from_str(&t.exec(["schema", "portfolio"], 0).stdout).unwrap();
    let v = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let out = t.exec(["portfolio", "p", "--format", "json", "--verify"], 1);
    let instance: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(instance["products"].as_array().unwrap().len(), 7);
    let errors: Vec<String> = v
        .iter_errors(&instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // And the schema is not vacuous: a row without a name fails it.
    let mut broken = instance.clone();
    broken["products"][0]
        .as_object_mut()
        .unwrap()
        .remove("name");
    assert!(!v.is_valid(&broken));
}

/// `portfolio()` plus a product deep in folders whose playbooks have long
/// titles, one of them never assessed.
fn wide_portfolio() -> Test {
    let mut line: Value =
        serde_json::from_str(&index_line(1, 29, "not-ready", 55.0, "Omega Support")).unwrap();
    line["playbooks"] = json!([
        {"id": "help-desk", "title": "Help desk", "score": 75.0, "answered": 4},
        {"id": "sla", "title": "Service levels and legal commitments", "score": 0.0, "answered": 0},
        {"id": "knowledge", "title": "Knowledge base and self-service content", "score": 44.4, "answered": 3},
        {"id": "escalation", "title": "Escalation to engineering and incident response", "score": 90.0, "answered": 5}
    ]);
    line["scoring"] = json!(2);
    portfolio()
        .file("p/omega-regional-customer-support/subsidiaries/emea-operations/supportcheck.yaml", "product: Omega Support\n")
        .file(
            "p/omega-regional-customer-support/subsidiaries/emea-operations/readiness/reports/index.jsonl",
            format!("{line}\n"),
        )
}

#[test]
fn the_dashboard_says_things_once_in_words_and_marks_what_nobody_assessed() {
    let t = wide_portfolio();
    let html = std::fs::read_to_string(dashboard(&t, "dash.html")).unwrap();
    // A date people read, not ISO.
    assert!(
        html.contains("generated 30 November 2026, 10:00 UTC"),
        "the timestamp"
    );
    assert!(!html.contains("2026-11-30T10:00:00Z"));
    // The summary is the tiles; the same sentence is not printed under them.
    let text_only: String = html
        .split('<')
        .map(|s| s.split_once('>').map_or(s, |x| x.1))
        .collect();
    assert!(!text_only.contains("products: "), "the summary said twice");
    assert!(
        html.contains(" products: 1 ready, "),
        "the tiles' label carries it"
    );
    // Nobody assessed the SLA playbook: a dash, not a red 0.
    assert!(html.contains(
        "<td class=\"cell na\" style=\"background: #f3f4f6\" title=\"not assessed\">–</td>"
    ));
    assert!(!html.contains("hsl(0 70% 82%)\">0</td>"));
    // The path wraps between folder names only.
    assert!(html.contains("<span class=\"seg\">omega-regional-customer-support&#x2f;</span><wbr><span class=\"seg\">subsidiaries&#x2f;</span>"));
}

/// In Chromium at 1280 and 390 px: the heatmap spans the width with its
/// headers whole, paths break only between folders, and at phone width
/// the product table says that it scrolls.
#[test]
fn the_dashboard_in_chromium_at_desktop_and_phone_width() {
    let Some(chromium) = chromium() else { return };
    let t = wide_portfolio();
    let page = dashboard(&t, "dash.html");
    let js = "[\
        Math.round(100 * d.querySelector('table.heat').getBoundingClientRect().width / d.querySelector('main').clientWidth),\
        [...d.querySelectorAll('table.heat th.pb div')].filter(e => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1).length,\
        d.querySelectorAll('small.path .seg').length,\
        [...d.querySelectorAll('small.path .seg')].filter(e => e.getClientRects().length > 1).length,\
        d.querySelector('.scroll-cue').getBoundingClientRect().height > 0,\
        (() => { const s = d.querySelector('.scroll'); return s.scrollWidth > s.clientWidth; })()\
    ].join(',')";
    let at = |width: u32| -> Vec<String> {
        crate::client::probe(chromium, &page, width, js, "portfolio")
            .split(',')
            .map(str::to_string)
            .collect()
    };
    let wide = at(1280);
    assert!(
        wide[0].parse::<u32>().unwrap() >= 95,
        "the heatmap is {}% of the width",
        wide[0]
    );
    assert_eq!(wide[1], "0", "headers cut off at 1280 px");
    assert!(
        wide[2].parse::<u32>().unwrap() >= 4,
        "path segments: {}",
        wide[2]
    );
    assert_eq!(wide[3], "0", "a path wraps mid-word at 1280 px");
    assert_eq!(wide[4], "false", "no scroll cue on a desktop");
    let narrow = at(390);
    assert_eq!(narrow[1], "0", "headers cut off at 390 px");
    assert_eq!(narrow[3], "0", "a path wraps mid-word at 390 px");
    assert_eq!(narrow[5], "true", "the product table is wider than a phone");
    assert_eq!(narrow[4], "true", "a phone is told that the table scrolls");
}
