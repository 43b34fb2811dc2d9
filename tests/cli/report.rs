//! `report`, `diff` and `history` through the real binary.

use crate::support::Test;
use std::path::Path;

pub const PLAYBOOK: &str = "---\ntitle: \"Help <desk> & tickets\"\nid: help-desk\nchecklist:\n  - order: 1\n    question: Is every request tracked?\n    expectation: Every request gets a ticket.\n    version: 1.0.0\n    critical: true\n  - order: 2\n    question: Are tickets prioritised?\n    expectation: Priorities are defined.\n    version: 1.0.0\n    weight: 2\n---\n## How\nDo it.\n";

const XSS: &str =
    "<script>alert(1)</script><img src=x onerror=alert(2)> \"quoted\" 'single' | pipe";

pub fn project() -> Test {
    Test::new()
        .file("pb/help-desk.md", PLAYBOOK)
        .file("supportcheck.yaml", "product: Acme\nchecklists: [pb]\n")
}

pub fn answers(status1: &str, note: &str) -> String {
    format!(
        "format: 1\nanswers:\n  help-desk/q1:\n    status: {status1}\n    note: {}\n  help-desk/q2:\n    status: partial\n",
        serde_json::to_string(note).unwrap()
    )
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn report_writes_versioned_files_and_prints_their_paths() {
    let t = project().file("readiness/answers.yaml", answers("met", "ok"));
    let out = t.exec(["report"], 0);
    for ext in ["json", "md", "html"] {
        let rel = format!("readiness/reports/readiness-v1.{ext}");
        assert!(out.stdout.contains(&rel), "{}", out.stdout);
        assert!(t.path().join(&rel).exists());
    }
    let again = t.exec(["report", "--format", "md", "--force"], 0);
    assert!(
        again.stdout.contains("readiness-v2.json"),
        "{}",
        again.stdout
    );
    assert!(again.stdout.contains("readiness-v2.md"));
    assert!(
        !t.path()
            .join("readiness/reports/readiness-v2.html")
            .exists()
    );

    let v2 = json(&t.path().join("readiness/reports/readiness-v2.json"));
    assert_eq!(v2["schema"], "supportcheck.report/1");
    assert_eq!(v2["report_version"], 2);
    assert_eq!(v2["scoring"], 3);
    assert_eq!(v2["product"], "Acme");
    assert_eq!(v2["previous"]["report_version"], 1);
    let v1_bytes = std::fs::read(t.path().join("readiness/reports/readiness-v1.json")).unwrap();
    assert_eq!(
        v2["previous"]["sha256"],
        supportcheck::playbook::sha256_hex(&v1_bytes)
    );
    assert_eq!(v2["playbooks"][0]["path"], "pb/help-desk.md");
    assert_eq!(v2["playbooks"][0]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(
        v2["playbooks"][0]["questions"][0]["answer"]["status"],
        "met"
    );
    assert_eq!(v2["playbooks"][0]["questions"][1]["credit"], 0.5);
    for key in [
        "score",
        "level",
        "questions",
        "answered",
        "missing",
        "stale",
        "blockers",
        "waived",
        "expired_waivers",
        "orphaned",
    ] {
        assert!(v2["summary"].get(key).is_some(), "summary lacks {key}");
    }
    assert_eq!(v2["gate"]["min_score"], 80.0);
}

#[test]
fn user_text_is_escaped_in_html_and_markdown() {
    let t = project().file("readiness/answers.yaml", answers("met", XSS));
    t.exec(["report"], 0);
    let html = t.read("readiness/reports/readiness-v1.html");
    assert!(!html.contains("<script>alert"), "raw script in HTML");
    assert!(!html.contains("<img src=x"), "raw img in HTML");
    assert!(
        html.contains("&lt;script&gt;alert(1)"),
        "escaped note missing"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "escaped img missing"
    );
    assert!(
        html.contains("Help &lt;desk&gt; &amp; tickets"),
        "escaped title missing"
    );
    assert!(
        !html.contains("<script"),
        "the HTML report must contain no script at all"
    );
    assert!(
        !html.contains("http://") || !html.contains("src=\"http"),
        "no external resources"
    );
    let md = t.read("readiness/reports/readiness-v1.md");
    assert!(!md.contains("<script>"), "{md}");
    assert!(!md.contains("<img"), "{md}");
    assert!(
        md.contains("\\| pipe"),
        "a pipe in a note must not break the table"
    );
}

#[test]
fn the_html_report_is_self_contained() {
    let t = project().file("readiness/answers.yaml", answers("met", "ok"));
    t.exec(["report", "--format", "html"], 0);
    let html = t.read("readiness/reports/readiness-v1.html");
    assert!(html.contains("<style>"));
    assert!(html.contains("<svg"), "bar chart missing");
    assert!(html.contains("@media print"));
    for external in ["<link", "<script", "src=\"http", "url(http", "@import"] {
        assert!(!html.contains(external), "external resource: {external}");
    }
}

#[test]
fn a_trend_chart_appears_once_there_are_earlier_versions() {
    let t = project().file("readiness/answers.yaml", answers("unmet", "ok"));
    t.exec(["report", "--format", "html"], 0);
    assert!(
        !t.read("readiness/reports/readiness-v1.html")
            .contains("Trend across versions")
    );
    std::fs::write(
        t.path().join("readiness/answers.yaml"),
        answers("met", "ok"),
    )
    .unwrap();
    t.exec(["report", "--format", "html"], 0);
    let html = t.read("readiness/reports/readiness-v2.html");
    assert!(html.contains("Trend across versions"));
    assert!(html.contains(">v1<") && html.contains(">v2<"));
}

#[test]
fn eight_concurrent_reports_make_eight_versions() {
    let t = project().file("readiness/answers.yaml", answers("met", "ok"));
    let bin = assert_cmd::cargo::cargo_bin("supportcheck");
    let children: Vec<_> = (0..8)
        .map(|_| {
            std::process::Command::new(&bin)
                .current_dir(t.path())
                // The test's clock: `history --verify` below runs on it, and
                // a version dated after it is a chain problem.
                .env("SUPPORTCHECK_NOW", "2026-11-23T12:00:00Z")
                .args(["report", "--force"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let dir = t.path().join("readiness/reports");
    for n in 1..=8 {
        for ext in ["json", "md", "html"] {
            let path = dir.join(format!("readiness-v{n}.{ext}"));
            assert!(path.exists(), "{} missing", path.display());
        }
        let v = json(&dir.join(format!("readiness-v{n}.json")));
        assert_eq!(v["report_version"], n, "version {n} holds another number");
    }
    assert!(!dir.join("readiness-v9.json").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let verify = t.exec(["history", "--verify"], 0);
    assert!(verify.stdout.contains("intact"), "{}", verify.stdout);
}

#[test]
fn diff_shows_score_and_status_changes_between_the_last_two() {
    let t = project().file("readiness/answers.yaml", answers("unmet", "ok"));
    t.exec(["report", "--format", "json"], 0);
    std::fs::write(
        t.path().join("readiness/answers.yaml"),
        answers("met", "ok"),
    )
    .unwrap();
    t.exec(["report", "--format", "json"], 0);
    let out = t.exec(["diff"], 0);
    assert!(out.stdout.contains("v1 → v2"), "{}", out.stdout);
    assert!(out.stdout.contains("help-desk/q1"), "{}", out.stdout);
    assert!(out.stdout.contains("unmet → met"), "{}", out.stdout);
    let j: serde_json::Value =
        serde_json::from_str(&t.exec(["diff", "1", "2", "--format", "json"], 0).stdout).unwrap();
    assert_eq!(j["status_changes"][0]["from"], "unmet");
    assert_eq!(j["status_changes"][0]["to"], "met");
    assert!(j["score_change"].as_f64().unwrap() > 0.0);
    let md = t.exec(["diff", "--format", "markdown"], 0);
    assert!(md.stdout.contains("| `help-desk/q1`"), "{}", md.stdout);
}

#[test]
fn diff_reports_new_removed_and_reversioned_questions() {
    let t = project().file("readiness/answers.yaml", answers("met", "ok"));
    t.exec(["report", "--format", "json"], 0);
    let changed = PLAYBOOK
        .replace("version: 1.0.0\n    weight: 2", "version: 2.0.0\n    weight: 2")
        .replace("  - order: 1\n    question: Is every request tracked?\n    expectation: Every request gets a ticket.\n    version: 1.0.0\n    critical: true\n", "  - order: 3\n    question: Is there a macro library?\n    expectation: Yes.\n    version: 1.0.0\n");
    std::fs::write(t.path().join("pb/help-desk.md"), changed).unwrap();
    t.exec(["report", "--format", "json"], 0);
    let j: serde_json::Value =
        serde_json::from_str(&t.exec(["diff", "--format", "json"], 0).stdout).unwrap();
    assert_eq!(j["added"][0]["id"], "help-desk/q3");
    assert_eq!(j["removed"][0]["id"], "help-desk/q1");
    assert_eq!(j["version_changes"][0]["id"], "help-desk/q2");
    assert_eq!(j["version_changes"][0]["to"], "2.0.0");
}

#[test]
fn diff_needs_a_report_version() {
    let t = project().file("readiness/answers.yaml", answers("met", "ok"));
    let out = t.exec(["diff"], 2);
    assert!(
        out.stderr.contains("a report version to compare with"),
        "{}",
        out.stderr
    );
}

#[test]
fn history_lists_versions_with_trend() {
    let t = project().file("readiness/answers.yaml", answers("unmet", "ok"));
    t.exec(["report", "--format", "json"], 0);
    std::fs::write(
        t.path().join("readiness/answers.yaml"),
        answers("met", "ok"),
    )
    .unwrap();
    t.exec(["report", "--format", "json"], 0);
    let out = t.exec(["history"], 0);
    assert!(
        out.stdout.contains("v1") && out.stdout.contains("v2"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Trend:"), "{}", out.stdout);
    let j: serde_json::Value =
        serde_json::from_str(&t.exec(["history", "--format", "json"], 0).stdout).unwrap();
    assert_eq!(j["versions"].as_array().unwrap().len(), 2);
    assert!(j["versions"][1]["change"].as_f64().unwrap() > 0.0);
}

#[test]
fn history_verify_detects_edited_removed_and_inserted_versions() {
    let t = project().file("readiness/answers.yaml", answers("met", "ok"));
    for _ in 0..3 {
        t.exec(["report", "--format", "json", "--force"], 0);
    }
    let dir = t.path().join("readiness/reports");
    t.exec(["history", "--verify"], 0);

    // Edit the newest version: caught by its own content hash.
    let v3 = dir.join("readiness-v3.json");
    let original = std::fs::read_to_string(&v3).unwrap();
    std::fs::write(
        &v3,
        original.replacen("\"product\": \"Acme\"", "\"product\": \"Acne\"", 1),
    )
    .unwrap();
    let out = t.exec(["history", "--verify"], 1);
    assert!(
        out.stdout.contains("v3") && out.stdout.contains("edited"),
        "{}",
        out.stdout
    );
    std::fs::write(&v3, &original).unwrap();

    // Remove the middle version.
    let v2 = dir.join("readiness-v2.json");
    let saved = std::fs::read(&v2).unwrap();
    std::fs::remove_file(&v2).unwrap();
    let out = t.exec(["history", "--verify"], 1);
    assert!(out.stdout.contains("removed"), "{}", out.stdout);
    std::fs::write(&v2, &saved).unwrap();

    // Replace the middle version by another (a copy of v1 renamed): v3 no longer links to it.
    std::fs::copy(dir.join("readiness-v1.json"), &v2).unwrap();
    let out = t.exec(["history", "--verify"], 1);
    assert!(out.stdout.contains("v2"), "{}", out.stdout);
}

#[test]
fn a_user_template_renders_the_same_model() {
    let t = project()
        .file("readiness/answers.yaml", answers("met", XSS))
        .file("brand.html.j2", "<h1>{{ report.product }}</h1><p>{{ report.summary.score }}</p>{% for p in report.playbooks %}{% for q in p.questions %}<i>{{ q.answer.note }}</i>{% endfor %}{% endfor %}");
    let out = t.exec(
        ["report", "--format", "json", "--template", "brand.html.j2"],
        0,
    );
    assert!(
        out.stdout.contains("readiness-v1-brand.html"),
        "{}",
        out.stdout
    );
    let html = t.read("readiness/reports/readiness-v1-brand.html");
    assert!(html.contains("<h1>Acme</h1>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;"),
        "html templates are auto-escaped: {html}"
    );
}

#[test]
fn a_template_cannot_loop_forever_or_read_files() {
    let t = project()
        .file("readiness/answers.yaml", answers("met", "ok"))
        .file(
            "loop.md.j2",
            "{% for i in range(1000000) %}{% for j in range(1000000) %}x{% endfor %}{% endfor %}",
        )
        .file("secret.txt", "TOP SECRET")
        .file("read.md.j2", "{% include 'secret.txt' %}");
    let out = t.exec(["report", "--template", "loop.md.j2"], 2);
    assert!(out.stderr.contains("loop.md.j2"), "{}", out.stderr);
    assert!(
        !t.path()
            .join("readiness/reports/readiness-v1.json")
            .exists(),
        "a failed template must not claim a version"
    );
    let out = t.exec(["report", "--template", "read.md.j2"], 2);
    assert!(!out.stdout.contains("TOP SECRET") && !out.stderr.contains("TOP SECRET"));
    let out = t.exec(["report", "--template", "missing.j2"], 2);
    assert!(out.stderr.contains("missing.j2"), "{}", out.stderr);
}

#[test]
fn a_template_cannot_run_commands_or_read_the_environment() {
    // The usual Jinja escapes: reach Python's globals, `os`, a class tree.
    // minijinja has none of them; each is an error or renders nothing.
    let payloads = [
        "{{ cycler.__init__.__globals__.os.popen('touch pwned').read() }}",
        "{{ lipsum.__globals__['os'].system('touch pwned') }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ self._TemplateReference__context }}",
        "{{ range.__globals__ }}",
        "{{ '' | attr('__class__') }}",
        "{{ config }}{{ request }}{{ env }}{{ environ }}",
        "{{ report.__class__ }}{{ report | attr('__dict__') }}",
        "{% import 'secret.txt' as s %}",
        "{% extends 'secret.txt' %}",
    ];
    let mut t = project()
        .file("readiness/answers.yaml", answers("met", "ok"))
        .file("secret.txt", "TOP SECRET FILE")
        .env("SUPPORTCHECK_SECRET", "TOP SECRET ENV");
    for (i, payload) in payloads.iter().enumerate() {
        t = t.file(&format!("p{i}.md.j2"), *payload);
    }
    for (i, payload) in payloads.iter().enumerate() {
        let name = format!("p{i}.md.j2");
        let out = t.exec_any(["report", "--format", "json", "--template", &name]);
        let code = out.code;
        assert!(code == 0 || code == 2, "{payload}: exit {code}");
        assert!(!t.path().join("pwned").exists(), "{payload} ran a command");
        let rendered = std::fs::read_dir(t.path().join("readiness/reports"))
            .into_iter()
            .flatten()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default())
            .collect::<String>();
        for text in [&out.stdout, &out.stderr, &rendered] {
            assert!(!text.contains("TOP SECRET"), "{payload} leaked: {text}");
        }
    }
}

#[test]
fn a_template_that_eats_memory_or_cpu_is_stopped() {
    let t = project()
        .file("readiness/answers.yaml", answers("met", "ok"))
        // Doubling a string 40 times asks for 8 TiB; fuel does not see it.
        .file(
            "grow.md.j2",
            "{% set ns = namespace(s='xxxxxxxx') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
        )
        .file("list.md.j2", "{{ ([1, 2] * 1000000000) | list | length }}")
        // Summing a lazily repeated list is one instruction that runs for
        // minutes and allocates nothing, so only the CPU limit stops it.
        .file("spin.md.j2", "{{ ([1, 2] * 1000000000) | sum }}");
    for name in ["grow.md.j2", "list.md.j2"] {
        let out = t.exec(["report", "--template", name], 2);
        assert!(
            out.stderr.contains(name) && out.stderr.contains("ran out of memory"),
            "{name}: {}",
            out.stderr
        );
    }
    // The limit is 10 s; the environment may lower it, so the test does not
    // wait that long for a template that never ends.
    let out = t.exec_env(
        ["report", "--template", "spin.md.j2"],
        &[("SUPPORTCHECK_TEMPLATE_CPU_SECONDS", "1")],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("spin.md.j2") && out.stderr.contains("stopped after 1 s of CPU time"),
        "{}",
        out.stderr
    );
    assert!(
        !t.path().join("readiness/reports").exists(),
        "a stopped template must not claim a version"
    );
    // And the limits leave room for a real template.
    let real = crate::support::repo().join("examples/templates/consultant.md.j2");
    let out = t.exec(["report", "--template", real.to_str().unwrap()], 0);
    assert!(
        out.stdout.contains("readiness-v1-consultant.md"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_reports_folder_that_is_a_file_is_a_clear_error() {
    let t = project()
        .file("readiness/answers.yaml", answers("met", "ok"))
        .file("readiness/reports", "not a folder");
    let out = t.exec(["report"], 2);
    assert!(out.stderr.contains("is a file"), "{}", out.stderr);
    assert_eq!(t.read("readiness/reports"), "not a folder");
}

/// Prints the report to PDF with headless Chromium, when it is installed
/// (`.ci/run` installs it), and checks a PDF came out of user text that
/// tries to break out of the page.
#[test]
fn the_html_report_prints_to_pdf_in_chromium() {
    if crate::support::chromium().is_none() {
        return;
    }
    let t = project().file("readiness/answers.yaml", answers("met", XSS));
    t.exec(["report", "--format", "pdf"], 0);
    let bytes = std::fs::read(t.path().join("readiness/reports/readiness-v1.pdf"))
        .expect("a PDF was written");
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    assert!(
        bytes.len() > 10_000,
        "PDF suspiciously small: {} bytes",
        bytes.len()
    );
}

/// Issue 26: the Markdown improvement plan is the roadmap (by when, then by
/// who), each gap with its action and note, the expectation cut short in
/// the plan and given in full under Question by question.
#[test]
fn the_markdown_plan_is_grouped_by_horizon_and_owner_with_the_action_and_note() {
    let t = Test::new().env("SUPPORTCHECK_NOW", "2026-12-04T12:00:00Z");
    crate::action::copy_dir(&crate::support::repo().join("examples/acme"), t.path());
    t.exec(["report", "--preview", "--format", "md"], 0);
    let md = t.read("readiness/reports/preview/readiness-preview.md");
    let start = md.find("## Improvement plan").expect("a plan");
    let end = start + 1 + md[start + 1..].find("\n## ").unwrap();
    let plan = &md[start..end];
    let at = |text: &str| {
        plan.find(text)
            .unwrap_or_else(|| panic!("no {text:?} in\n{plan}"))
    };
    // Horizons in order, each with its owners below it.
    assert!(at("### Overdue · 1 gap") < at("#### Priya Raman"));
    assert!(at("#### Priya Raman") < at("### Next 30 days · 1 gap"));
    assert!(at("### Next 30 days") < at("#### Jonas Berg (legal)"));
    assert!(at("#### Jonas Berg (legal)") < at("### No date yet"));
    let row = plan
        .lines()
        .find(|l| l.contains("`help-desk/q5`"))
        .expect("the overdue gap's row");
    for part in [
        "Ticket forecast for launch week and a surge list of agents on call — due 2026-11-20, overdue",
        "No launch volume forecast yet.",
        "at least…",
    ] {
        assert!(row.contains(part), "no {part:?} in {row}");
    }
    // The full expectation is in the question-by-question tables, not the plan.
    let full = "A named person owns the queue each shift and checks backlog and the oldest open ticket at least every 2 hours.";
    assert!(!plan.contains(full), "{plan}");
    assert!(md[end..].contains(full));
    // No gap is listed twice or left out: 52 rows, as many as `export` counts.
    let rows = plan.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(rows, 52, "{plan}");
}
