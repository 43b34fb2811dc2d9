//! Client deliverables through the real binary: the HTML report's words,
//! branding, the PDF (in headless Chromium, read back with poppler), the
//! screenshots at desktop and phone widths, and spreadsheets both ways.

use crate::support::{Test, cannot_run, repo};
use std::path::Path;
use std::process::Command;

/// Three sections, with index pages naming two of them.
fn playbooks(t: Test, questions: usize) -> Test {
    let mut t = t
        .file(
            "pb/1-reach/index.md",
            "---\ntitle: Reaching support\n---\nHow customers reach us.\n",
        )
        .file(
            "pb/2-resolve/index.md",
            "---\ntitle: Resolving requests\n---\n",
        );
    for (section, n) in [("1-reach", 1), ("2-resolve", 2), ("3-team_and_tools", 3)] {
        let mut text = format!("---\ntitle: Playbook {n}\nchecklist:\n");
        for q in 1..=questions {
            text.push_str(&format!(
                "  - order: {q}\n    question: Question {q} of playbook {n}, asked in full so it wraps a little?\n    expectation: What good looks like for question {q}, in a sentence or two that a client can act on without reading anything else.\n    version: 1.0.0\n{}",
                if q == 1 { "    critical: true\n    criteria: [First part is done, Second part is done]\n" } else { "" }
            ));
        }
        text.push_str("---\n");
        t = t.file(&format!("pb/{section}/0{n}-p{n}.md"), text);
    }
    t
}

const LONG_URL: &str = "https://dashboards.example.com/support/launch/readiness/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/tail-marker";

fn project(questions: usize) -> Test {
    playbooks(Test::new(), questions)
        .file("supportcheck.yaml", "product: Acme Helpdesk\nchecklists: [pb]\n")
        .file(
            "readiness/answers.yaml",
            format!(
                "format: 1\nanswers:\n  p1/q2:\n    status: met\n    note: Verified on the live site\n    evidence: [\"{LONG_URL}\", \"javascript:alert(1)\", docs/runbook.md]\n    answered_by: Dana Lee\n    answered_at: 2026-11-20T23:30:00Z\n  p2/q1:\n    status: unmet\n    waiver:\n      reason: Contract signed in January\n      expires: 2027-01-31\n  p2/q2:\n    status: partial\n    owner: Sam Ortiz\n    due: 2026-12-15\n"
            ),
        )
        .file("docs/runbook.md", "runbook\n")
}

/// Asserts that stderr says `needle`, showing it when not.
fn said(out: &crate::support::Output, needle: &str) {
    assert!(
        out.stderr.contains(needle),
        "expected `{needle}` in:\n{}",
        out.stderr
    );
}

fn html(t: &Test) -> String {
    t.read("readiness/reports/readiness-v1.html")
}

#[test]
fn page_one_says_how_many_questions_need_an_answer_once() {
    // Four questions, one met: 3 missing, the score and coverage below the
    // bar. The verdict sentence gives the count and the bar; the gate's line
    // adds only what the sentence did not say (the coverage).
    let mut playbook = String::from("---\ntitle: Launch\nchecklist:\n");
    for q in 1..=4 {
        playbook.push_str(&format!(
            "  - order: {q}\n    question: Question {q}?\n    expectation: Expectation {q}.\n    version: 1.0.0\n"
        ));
    }
    playbook.push_str("---\n");
    let t = Test::new()
        .file("supportcheck.yaml", "product: Acme\nchecklists: [pb]\n")
        .file("pb/launch.md", playbook)
        .file(
            "readiness/answers.yaml",
            "format: 1\nanswers:\n  launch/q1:\n    status: met\n",
        );
    t.exec(["report", "--format", "html,docx"], 0);
    let page = html(&t);
    let one = &page[page.find("class=\"summary\"").unwrap()..];
    let one = &one[..one.find("</section>").unwrap()];
    assert!(
        one.contains(
            "<p>3 of 4 questions still need an answer, and the score must reach 80.0.</p>"
        ),
        "{one}"
    );
    assert!(
        one.contains("<p class=\"gate-failed\">That is why the gate failed, along with: coverage 25.0% is below 50.0%"),
        "{one}"
    );
    assert!(!one.contains("3 missing"), "{one}");
    assert!(!one.contains("is below 80.0"), "{one}");
    // The Word report's page one says the same, once.
    let docx = std::fs::File::open(t.path().join("readiness/reports/readiness-v1.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(docx).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(
        xml.contains("That is why the gate failed, along with: coverage 25.0% is below 50.0%"),
        "{xml}"
    );
    assert!(!xml.contains("3 missing"), "{xml}");
}

#[test]
fn the_html_report_speaks_to_a_client() {
    let t = project(3);
    // The follow-up action of p2/q2 names who and by when.
    let answers = t.read("readiness/answers.yaml").replace(
        "    owner: Sam Ortiz\n    due: 2026-12-15\n",
        "    action:\n      what: Sign the support contract\n      who: Sam Ortiz\n      due: 2026-12-15\n",
    );
    assert!(answers.contains("who: Sam Ortiz"));
    t.write("readiness/answers.yaml", answers);
    t.exec(["report", "--format", "html"], 0);
    let page = html(&t);
    // Human section titles: from the index page, else from the folder name.
    for title in ["Reaching support", "Resolving requests", "Team and tools"] {
        assert!(page.contains(title), "{title}");
    }
    // Ids stay out of the client's eye (the method appendix, for
    // auditors, names each playbook's file).
    let body = &page[..page
        .find("Appendix B: How this score was computed")
        .unwrap()];
    for id in ["1-reach", "p1&#x2f;q2", "p2&#x2f;q1"] {
        let at = body.find(id);
        assert!(
            at.is_none(),
            "{id} is shown: {}",
            &page[at.unwrap().saturating_sub(200)..][..300]
        );
    }
    // Unanswered criteria are not assessed, not failed.
    assert!(page.contains("(not assessed)"));
    assert!(!page.contains("✘"));
    // Waived questions say until when, in the plan and the rows alike.
    // (the plan, the question's row, and the costliest gaps on page one)
    assert_eq!(page.matches("waived until 31 January 2027").count(), 3);
    // Only web URLs are links.
    assert!(page.contains(&format!("<a href=\"{}\">", LONG_URL.replace('/', "&#x2f;"))));
    assert!(!page.contains("href=\"javascript"));
    assert!(page.contains("javascript:alert(1)"));
    // Dates read as dates; no lint codes.
    assert!(page.contains("23 November 2026"), "the report's date");
    assert!(page.contains("— Dana Lee, 20 November 2026"));
    assert!(!page.contains("2026-11-23T12:00:00Z"));
    for code in ["evidence-missing", "expired-waiver", "na-reason", "stale:"] {
        assert!(!page.contains(code), "{code}");
    }
    // The executive summary: verdict, score against the bar, costliest gaps.
    assert!(page.contains("Executive summary") && page.contains("BLOCKED"));
    assert!(page.contains("the bar is 80.0"));
    assert!(page.contains("gaps that cost the most"));
    // The roadmap names who acts, by when.
    assert!(page.contains("<tr class=\"owner keep-next\"><th colspan=\"4\">Sam Ortiz</th></tr>"));
    assert!(page.contains("<span class=\"due\">due 15 December 2026</span>"));
    assert!(page.contains("<b>Action:</b> Sign the support contract"));
}

#[test]
fn show_ids_and_the_timezone_are_honoured() {
    let t = project(2);
    t.exec(
        [
            "report",
            "--format",
            "html",
            "--show-ids",
            "--tz",
            "Pacific/Auckland",
        ],
        0,
    );
    let page = html(&t);
    assert!(page.contains("p1&#x2f;q2") && page.contains("1-reach"));
    // 12:00 UTC on the 23rd is the 24th in Auckland; 23:30 UTC on the 20th is the 21st.
    assert!(page.contains("24 November 2026"));
    assert!(page.contains("Dana Lee, 21 November 2026"));
    assert!(page.contains("Dates are in Pacific&#x2f;Auckland"));
    let out = t.exec(["report", "--tz", "Mars/Olympus"], 2);
    said(&out, "not a timezone");
}

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x60, 0xf8, 0x0f,
    0x00, 0x01, 0x04, 0x01, 0x00, 0x5f, 0xe5, 0xc3, 0x4b, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

fn branded(questions: usize) -> Test {
    project(questions)
        .file(
            "supportcheck.yaml",
            "product: Acme Helpdesk\nchecklists: [pb]\nreport:\n  title: Launch readiness review\n  client: Globex <Corp>\n  prepared_by: Northwind Advisory\n  accent: '#0a7d5a'\n  logo: brand/logo.png\n  sections:\n    3-team_and_tools: People and tools\n",
        )
        .file("brand/logo.png", PNG)
        .file(
            "brand.html.j2",
            std::fs::read(repo().join("examples/templates/brand.html.j2")).unwrap(),
        )
}

#[test]
fn branding_comes_from_config_and_a_ten_line_template() {
    let t = branded(2);
    let out = t.exec(
        [
            "report",
            "--format",
            "json,html",
            "--template",
            "brand.html.j2",
        ],
        0,
    );
    said(
        &out,
        "with --template brand.html.j2, also written: json (always: it is the record), html (from --format)",
    );
    let page = html(&t);
    assert!(page.contains("<h1>Launch readiness review</h1>"));
    assert!(page.contains("Globex &lt;Corp&gt;"));
    assert!(page.contains("<dt>Prepared by</dt><dd>Northwind Advisory</dd>"));
    assert!(page.contains("--accent:#0a7d5a;"));
    assert!(page.contains("src=\"data:image&#x2f;png;base64,iVBORw0KGgo"));
    assert!(
        page.contains("People and tools"),
        "a section title from config"
    );
    // The template extends the built-in report and overrides named blocks.
    let brand = t.read("readiness/reports/readiness-v1-brand.html");
    assert!(brand.contains("Northwind Advisory · support readiness review"));
    assert!(brand.contains("Prepared for Globex &lt;Corp&gt; by Northwind Advisory"));
    assert!(brand.contains("--accent: #6d28d9;"));
    assert!(brand.contains("Executive summary") && brand.contains("Question by question"));
    let lines = std::fs::read_to_string(repo().join("examples/templates/brand.html.j2"))
        .unwrap()
        .lines()
        .count();
    assert!(lines <= 12, "the example brand is {lines} lines");
}

#[test]
fn a_bad_logo_or_accent_is_a_clear_error() {
    let t = branded(1).file("brand/logo.png", "not an image");
    let out = t.exec(["report"], 2);
    said(&out, "brand/logo.png is not a PNG");
    let t = branded(1).file(
        "supportcheck.yaml",
        "checklists: [pb]\nreport:\n  accent: 'red;}'\n",
    );
    let out = t.exec(["report"], 2);
    said(&out, "not a colour");
    assert!(!t.path().join("readiness/reports").exists());
}

#[test]
fn pdf_without_a_browser_says_how_to_get_one() {
    let t = project(1);
    let empty = tempfile::tempdir().unwrap();
    let out = t.exec_env(
        ["report", "--format", "pdf"],
        &[("PATH", empty.path().to_str().unwrap())],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    said(&out, "no headless Chromium found");
    said(&out, "SUPPORTCHECK_BROWSER");
    let out = t.exec_env(
        ["report", "--format", "pdf"],
        &[("SUPPORTCHECK_BROWSER", "/no/such/chromium")],
    );
    assert_eq!(out.code, 2);
    assert!(
        !t.path().join("readiness/reports").exists(),
        "no version taken"
    );
}

#[test]
fn a_browser_that_hangs_is_stopped() {
    let t = project(1).file("slow-browser", "#!/bin/sh\nsleep 30\n");
    let script = t.path().join("slow-browser");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let start = std::time::Instant::now();
    let out = t.exec_env(
        ["report", "--format", "pdf"],
        &[
            ("SUPPORTCHECK_BROWSER", script.to_str().unwrap()),
            ("SUPPORTCHECK_BROWSER_TIMEOUT", "1"),
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    said(&out, "did not finish printing");
    assert!(start.elapsed().as_secs() < 20);
    assert!(!t.path().join("readiness/reports").exists());
}

// ---- headless Chromium ----------------------------------------------------

/// Whether `name` runs and answers `flag` with success (poppler's tools
/// answer `-v`, not `--version`).
fn runs(name: &str, flag: &str) -> bool {
    Command::new(name)
        .arg(flag)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Chromium and poppler, or `None` after saying so (a failure under CI).
fn tools() -> Option<&'static str> {
    let browser = crate::support::chromium()?;
    if !runs("pdftotext", "-v") || !runs("pdfinfo", "-v") {
        cannot_run("pdftotext and pdfinfo (poppler-utils) not installed: PDF checks skipped");
        return None;
    }
    Some(browser)
}

/// Chromium as the tests run it, allowed to look into a local iframe.
fn browser(chromium: &str, profile: &Path) -> Command {
    let mut cmd = crate::support::chromium_command(chromium, profile);
    cmd.arg("--allow-file-access-from-files");
    cmd
}

/// A page whose body is `body`: iframes without borders or margins, one
/// under the other.
fn framed(body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><style>body{{margin:0}}iframe{{border:0;display:block}}</style></head><body>{body}</body></html>"
    )
}

/// Lays each page out at each width (in iframes: headless windows are at
/// least 500 px) in one Chromium start, and returns (scrollWidth,
/// clientWidth) of each, in the order given. Chromium's start is the slow
/// part, so the pages share one.
fn lay_out(chromium: &str, pages: &[(&Path, u32)]) -> Vec<(u32, u32)> {
    let dir = tempfile::tempdir().unwrap();
    let frames: String = pages
        .iter()
        .enumerate()
        .map(|(i, (page, width))| {
            format!(
                "<iframe id=\"f{i}\" src=\"file://{}\" width=\"{width}\" height=\"2400\"></iframe>",
                page.display()
            )
        })
        .collect();
    let probe = dir.path().join("probe.html");
    let measure = format!(
        "<script>window.onload=function(){{var out=[];for(var i=0;i<{n};i++){{var d=document.getElementById('f'+i).contentDocument.documentElement;out.push(d.scrollWidth+','+d.clientWidth);}}document.title='M='+out.join(';');}};</script>",
        n = pages.len()
    );
    std::fs::write(&probe, framed(&(frames + &measure))).unwrap();
    let widest = pages.iter().map(|(_, w)| *w).max().unwrap_or(500);
    let dom = browser(chromium, &dir.path().join("profile"))
        .arg(format!("--window-size={},2400", widest.max(500) + 20))
        .args(["--dump-dom", &format!("file://{}", probe.display())])
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    let measured = dom
        .split("<title>M=")
        .nth(1)
        .and_then(|s| s.split("</title>").next())
        .unwrap_or_else(|| panic!("no measurement in the page: {dom:.300}"));
    let sizes: Vec<(u32, u32)> = measured
        .split(';')
        .map(|m| {
            let (w, v) = m.split_once(',').unwrap();
            (w.parse().unwrap(), v.parse().unwrap())
        })
        .collect();
    assert_eq!(sizes.len(), pages.len(), "{measured}");
    sizes
}

/// Saves a screenshot of `page` laid out `width` px wide to
/// target/screenshots/NAME-WIDTH.png, for a person to look at.
fn screenshot(chromium: &str, page: &Path, width: u32, name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let frame = dir.path().join("frame.html");
    let body = format!(
        "<iframe src=\"file://{}\" width=\"{width}\" height=\"2400\"></iframe>",
        page.display()
    );
    std::fs::write(&frame, framed(&body)).unwrap();
    let shots = repo().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let shot = shots.join(format!("{name}-{width}.png"));
    let status = browser(chromium, &dir.path().join("profile"))
        .arg(format!("--window-size={},2400", width.max(500)))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", frame.display()))
        .output()
        .unwrap();
    assert!(status.status.success());
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a screenshot was written");
}

#[test]
fn screenshots_at_desktop_and_phone_width_never_scroll_sideways() {
    let Some(chromium) = tools() else { return };
    let cases = [
        ("long-url", project(3), None),
        ("orphans", project(12), None),
        ("branding", branded(3), Some("brand.html.j2")),
    ];
    let mut pages = Vec::new();
    for (name, t, template) in &cases {
        let mut args = vec!["report", "--format", "html"];
        if let Some(tpl) = template {
            args.extend(["--template", tpl]);
        }
        t.exec(&args, 0);
        let file = match template {
            Some(_) => "readiness/reports/readiness-v1-brand.html",
            None => "readiness/reports/readiness-v1.html",
        };
        for width in [1280, 390] {
            pages.push((*name, t.path().join(file), width));
        }
    }
    let laid_out: Vec<(&Path, u32)> = pages.iter().map(|(_, p, w)| (p.as_path(), *w)).collect();
    for ((name, page, width), (scroll, client)) in pages.iter().zip(lay_out(chromium, &laid_out)) {
        assert!(
            scroll <= client,
            "{name} at {width} px: the page is {scroll} px wide in a {client} px view"
        );
        screenshot(chromium, page, *width, name);
    }
}

struct Pdf {
    pages: usize,
    /// The whole text in the order it was drawn (each table cell whole).
    raw: String,
    /// Text per page.
    text: Vec<String>,
    width_pts: f64,
}

fn pdf(t: &Test, extra: &[&str], rel: &str) -> Pdf {
    let mut args = vec!["report", "--format", "pdf"];
    args.extend(extra);
    t.exec(&args, 0);
    let path = t.path().join(rel);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap()
    };
    let pages: usize = field("Pages:").parse().unwrap();
    let width_pts: f64 = field("Page size:")
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let text = (1..=pages)
        .map(|p| {
            let out = Command::new("pdftotext")
                .args(["-layout", "-f", &p.to_string(), "-l", &p.to_string()])
                .arg(&path)
                .arg("-")
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).to_string()
        })
        .collect();
    let raw = Command::new("pdftotext")
        .arg("-raw")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    Pdf {
        pages,
        raw: String::from_utf8_lossy(&raw.stdout).to_string(),
        text,
        width_pts,
    }
}

#[test]
fn the_pdf_has_the_verdict_on_page_one_and_page_furniture() {
    if tools().is_none() {
        return;
    }
    let t = project(3);
    let p = pdf(&t, &[], "readiness/reports/readiness-v1.pdf");
    // The PDF is a file of the version like the others: the chain holds.
    t.exec(["history", "--verify"], 0);
    assert!((p.width_pts - 595.0).abs() < 2.0, "A4: {}", p.width_pts);
    assert!(p.pages >= 2, "{} pages", p.pages);
    assert!(p.text[0].contains("Executive summary"), "{}", p.text[0]);
    assert!(p.text[0].contains("BLOCKED"), "{}", p.text[0]);
    assert!(
        !p.text[0].contains("Question by question"),
        "page one is the summary alone"
    );
    for (i, page) in p.text.iter().enumerate() {
        let footer = format!("Page {} of {}", i + 1, p.pages);
        assert!(page.contains(&footer), "page {}: {page}", i + 1);
        assert!(
            page.contains("Support readiness · Acme Helpdesk · version 1"),
            "{page}"
        );
    }
}

#[test]
fn a_long_url_wraps_in_print_instead_of_clipping() {
    if tools().is_none() {
        return;
    }
    let answers = |url: &str| {
        format!(
            "format: 1\nanswers:\n  p1/q2:\n    status: met\n    evidence: [\"{url}\"]\n  p2/q1:\n    status: unmet\n  p2/q2:\n    status: partial\n"
        )
    };
    let long = project(3).file("readiness/answers.yaml", answers(LONG_URL));
    let long = pdf(&long, &[], "readiness/reports/readiness-v1.pdf");
    let short = project(3).file("readiness/answers.yaml", answers("https://example.com/x"));
    let short = pdf(&short, &[], "readiness/reports/readiness-v1.pdf");
    assert!(
        long.pages <= short.pages + 1,
        "{} vs {}",
        long.pages,
        short.pages
    );
    let all: String = long.raw.chars().filter(|c| !c.is_whitespace()).collect();
    let at = all.find("https://dashboards").unwrap_or(0);
    assert!(
        all.contains(LONG_URL),
        "the whole URL is printed, wrapped: {}",
        &all[at..(at + 300).min(all.len())]
    );
}

#[test]
fn no_heading_is_left_alone_and_no_row_split_at_the_foot_of_a_page() {
    if tools().is_none() {
        return;
    }
    // Without `break-after: avoid` on headings, this layout leaves a
    // section and a playbook heading at the foot of page 6.
    let t = project(12).file("readiness/answers.yaml", "format: 1\nanswers: {}\n");
    let p = pdf(&t, &[], "readiness/reports/readiness-v1.pdf");
    assert!(p.pages >= 4, "{} pages", p.pages);
    // Tall rows, which a page break would cut without `break-inside: avoid`.
    let mut tall = project(12);
    for rel in [
        "pb/1-reach/01-p1.md",
        "pb/2-resolve/02-p2.md",
        "pb/3-team_and_tools/03-p3.md",
    ] {
        let text = tall.read(rel).replace(
            "asked in full so it wraps a little?",
            &format!(
                "asked in full{} so it wraps a little?",
                " and at length".repeat(12)
            ),
        );
        tall = tall.file(rel, text);
    }
    let tall = pdf(&tall, &[], "readiness/reports/readiness-v1.pdf");
    let headings = [
        "Roadmap",
        "No date yet",
        "Risk accepted",
        "Appendix A: Question by question",
        "Appendix B: How this score was computed",
        "Reaching support",
        "Resolving requests",
        "Team and tools",
        "Playbook 1",
        "Playbook 2",
        "Playbook 3",
    ];
    for (i, page) in tall.text.iter().enumerate() {
        // Every question's text ends on the page where it starts: rows are
        // not split (each text holds "Question " once and "little?" once).
        assert_eq!(
            page.matches("Question ").count() - page.matches("Question by question").count(),
            page.matches("little?").count(),
            "page {} splits a row:\n{page}",
            i + 1
        );
    }
    // Page one ends with the sections at a glance, whose rows start with
    // section titles; it holds no heading of these.
    for (i, page) in p.text.iter().enumerate().skip(1) {
        let last = page
            .lines()
            .rev()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.contains("Page ") && !l.starts_with("Support readiness"))
            .unwrap_or_default();
        assert!(
            !headings.iter().any(|h| last.starts_with(h)),
            "page {} ends with the heading `{last}`",
            i + 1
        );
    }
}

#[test]
fn a_branded_pdf_prints_the_template_with_its_brand() {
    if tools().is_none() {
        return;
    }
    let t = branded(3);
    let plain = pdf(&branded(3), &[], "readiness/reports/readiness-v1.pdf");
    let p = pdf(
        &t,
        &["--template", "brand.html.j2"],
        "readiness/reports/readiness-v1.pdf",
    );
    assert!(p.text[0].contains("NORTHWIND ADVISORY"), "{}", p.text[0]);
    assert!(p.text[0].contains("Globex <Corp>"), "{}", p.text[0]);
    assert!(p.text[0].contains("BLOCKED"));
    assert!(p.text[0].contains("Launch readiness review · Globex <Corp> · Acme Helpdesk"));
    assert!(
        p.pages.abs_diff(plain.pages) <= 1,
        "branding changes the look, not the length: {} vs {}",
        p.pages,
        plain.pages
    );
}

// ---- spreadsheets ----------------------------------------------------------

fn check_json(t: &Test) -> serde_json::Value {
    let out = t.exec_any(["check", "--format", "json"]);
    serde_json::from_str(&out.stdout).unwrap()
}

/// The next JSON report: every question with its answer.
fn report_json(t: &Test) -> serde_json::Value {
    let out = t.exec(["report", "--format", "json"], 0);
    serde_json::from_str(&t.read(out.stdout.lines().next().unwrap())).unwrap()
}

fn question<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["playbooks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["questions"].as_array().unwrap())
        .find(|q| q["id"] == id)
        .unwrap()
}

/// The register of an exported workbook, as text rows.
pub(crate) fn read_xlsx(path: &Path) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(path).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Question register", "Improvement plan"]
    );
    let range = book.worksheet_range("Question register").unwrap();
    // A date cell as the date it shows (ToString gives Excel's serial).
    let text = |d: &calamine::Data| match d {
        calamine::Data::DateTime(t) => t
            .as_datetime()
            .map_or_else(|| d.to_string(), |t| t.date().to_string()),
        d => d.to_string(),
    };
    range.rows().map(|r| r.iter().map(text).collect()).collect()
}

/// What a client does: opens the workbook, types into cells, saves. A
/// date typed into the Due column is saved as a date cell, as Excel does.
pub(crate) fn write_xlsx(path: &Path, rows: &[Vec<String>]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Question register").unwrap();
    let due = rows[0].iter().position(|h| h == "Due");
    let date_format = rust_xlsxwriter::Format::new().set_num_format("d mmm yyyy");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let date = chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d").ok();
            match date {
                Some(d) if r > 0 && Some(c) == due => {
                    use chrono::Datelike;
                    let d = rust_xlsxwriter::ExcelDateTime::from_ymd(
                        d.year() as u16,
                        d.month() as u8,
                        d.day() as u8,
                    )
                    .unwrap();
                    ws.write_datetime_with_format(r as u32, c as u16, &d, &date_format)
                        .unwrap();
                }
                _ => {
                    ws.write_string(r as u32, c as u16, cell).unwrap();
                }
            }
        }
    }
    wb.save(path).unwrap();
}

/// The register's worksheet XML, unzipped with Python's zipfile.
pub(crate) fn sheet_xml(path: &Path) -> String {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('xl/worksheets/sheet1.xml').decode())",
        ])
        .arg(path)
        .output()
        .expect("python3 runs");
    String::from_utf8_lossy(&out.stdout).to_string()
}

pub(crate) fn edit(rows: &mut [Vec<String>], id: &str, column: &str, value: &str) {
    let c = rows[0].iter().position(|h| h == column).unwrap();
    let row = rows.iter_mut().find(|r| r[0] == id).unwrap();
    row[c] = value.to_string();
}

#[test]
fn export_edit_import_and_check_sees_the_edits() {
    let t = project(2);
    let out = t.exec(["export"], 0);
    assert_eq!(out.stdout.trim(), "readiness/register.xlsx");
    let path = t.path().join("readiness/register.xlsx");
    let mut rows = read_xlsx(&path);
    assert_eq!(
        rows[0][..10],
        [
            "Id",
            "Playbook",
            "Question",
            "Expectation",
            "Owner",
            "Status",
            "Note",
            "Evidence",
            "Action",
            "Due"
        ]
    );
    assert_eq!(
        rows.iter().filter(|r| !r[0].contains('#')).count(),
        7,
        "a header and six questions (and a row per criterion)"
    );
    assert!(
        sheet_xml(&path).contains("<dataValidation type=\"list\""),
        "the status column has a validation list"
    );
    edit(&mut rows, "p1/q1", "Status", "met");
    edit(&mut rows, "p1/q1", "Note", "Both channels tested");
    edit(&mut rows, "p3/q2", "Status", "Not applicable");
    edit(&mut rows, "p3/q2", "Note", "No phone line");
    // A follow-up action on the partial answer, due before today (the test
    // clock says 2026-11-23), done by someone other than the owner.
    edit(&mut rows, "p2/q2", "Action", "Publish the SLA page");
    edit(&mut rows, "p2/q2", "Owner", "Kim Park");
    edit(&mut rows, "p2/q2", "Due", "2026-11-02");
    let filled = t.path().join("filled.xlsx");
    write_xlsx(&filled, &rows);
    let before = t.read("readiness/answers.yaml");
    let checked = check_json(&t)["summary"].clone();
    let out = t.exec(["import", "filled.xlsx", "--by", "Globex"], 0);
    assert!(
        out.stdout.starts_with("p1/q1\n  status: (none) → met\n  note: (none) → “Both channels tested”\n  criteria met: (none) → c1, c2\np2/q2\n  action: (none) → “Publish the SLA page”\n  who: (none) → Kim Park\n  due: (none) → 2026-11-02\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("p3/q2\n  status: (none) → not-applicable\n"),
        "{}",
        out.stdout
    );
    said(&out, "imported 3 answers");
    let after = t.read("readiness/answers.yaml");
    assert!(after.contains("Both channels tested") && after.contains("answered_by: Globex"));
    assert!(
        after.contains(
            "action:\n      what: Publish the SLA page\n      who: Kim Park\n      due: 2026-11-02\n"
        ),
        "{after}"
    );
    // Everything else the file held is still there, with the old free-text
    // `owner` and `due` keys of p2/q2 as they were.
    assert!(after.contains("Contract signed in January") && after.contains("Dana Lee"));
    assert!(
        after.contains("    due: \"2026-12-15\"\n    owner: Sam Ortiz\n"),
        "{after}"
    );
    assert_ne!(before, after);
    let summary = &check_json(&t)["summary"];
    assert_eq!(summary["met"], checked["met"].as_u64().unwrap() + 1);
    assert_eq!(summary["not_applicable"], 1);
    assert_eq!(summary["missing"], checked["missing"].as_u64().unwrap() - 2);
    assert_eq!(summary["overdue"], checked["overdue"].as_u64().unwrap() + 1);
    let out = t.exec_any(["check"]);
    assert!(
        out.stdout
            .contains("warning[overdue]: p2/q2: action overdue since 2026-11-02 (Kim Park): Publish the SLA page"),
        "{}",
        out.stdout
    );
    let r = report_json(&t);
    assert_eq!(question(&r, "p1/q1")["status"], "met");
    assert_eq!(question(&r, "p3/q2")["status"], "not-applicable");
    assert_eq!(
        question(&r, "p2/q2")["answer"]["action"],
        serde_json::json!({"what": "Publish the SLA page", "who": "Kim Park", "due": "2026-11-02"})
    );
    // The client report names who acts and marks the action overdue.
    let out = t.exec(["report", "--format", "html", "--force"], 0);
    let page = t.read(out.stdout.lines().find(|l| l.ends_with(".html")).unwrap());
    assert!(
        page.contains("<th colspan=\"4\">Kim Park</th>")
            && page.contains("<span class=\"due\">due 2 November 2026</span> <span class=\"tag s-unmet\">overdue</span>"),
        "the roadmap row"
    );
    assert!(
        page.contains("The follow-up action was due on 2 November 2026 and the gap is still open.")
    );
    // The next export shows the action, and its date as the export writes it.
    t.exec(["export", "--out", "again.xlsx"], 0);
    let again = read_xlsx(&t.path().join("again.xlsx"));
    let row = again.iter().find(|r| r[0] == "p2/q2").unwrap();
    let at = |h: &str| &row[again[0].iter().position(|c| c == h).unwrap()];
    assert_eq!(
        (
            at("Owner").as_str(),
            at("Action").as_str(),
            at("Due").as_str()
        ),
        ("Kim Park", "Publish the SLA page", "2026-11-02")
    );
    // Importing the same sheet again changes nothing.
    let out = t.exec(["import", "filled.xlsx"], 0);
    assert!(
        out.stdout.starts_with("Nothing to import"),
        "{}",
        out.stdout
    );
    assert_eq!(t.read("readiness/answers.yaml"), after);
}

#[test]
fn csv_export_and_import_round_trip() {
    let t = project(2);
    let out = t.exec(["export", "--format", "csv", "--out", "sheet.csv"], 0);
    assert_eq!(out.stdout, "sheet.csv\nsheet-plan.csv\n");
    let mut rows: Vec<Vec<String>> = csv::Reader::from_path(t.path().join("sheet.csv"))
        .unwrap()
        .into_records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let header: Vec<String> = csv::Reader::from_path(t.path().join("sheet.csv"))
        .unwrap()
        .headers()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    rows.insert(0, header);
    edit(&mut rows, "p3/q2", "Status", "partial");
    edit(
        &mut rows,
        "p3/q2",
        "Evidence",
        "https://example.com/a\ndocs/runbook.md",
    );
    let mut w = csv::Writer::from_path(t.path().join("sheet.csv")).unwrap();
    for row in &rows {
        w.write_record(row).unwrap();
    }
    w.flush().unwrap();
    let partial = check_json(&t)["summary"]["partial"].as_u64().unwrap();
    let before = t.read("readiness/answers.yaml");
    let out = t.exec(["import", "sheet.csv", "--dry-run"], 0);
    assert!(
        out.stdout.starts_with("p3/q2\n  status: (none) → partial\n  evidence: (none) → https://example.com/a, docs/runbook.md\n"),
        "{}",
        out.stdout
    );
    said(&out, "dry run: 1 answer would change");
    assert_eq!(t.read("readiness/answers.yaml"), before);
    t.exec(["import", "sheet.csv"], 0);
    assert_eq!(check_json(&t)["summary"]["partial"], partial + 1);
    let r = report_json(&t);
    let q = question(&r, "p3/q2");
    assert_eq!(q["status"], "partial");
    assert_eq!(
        q["answer"]["evidence"],
        serde_json::json!(["https://example.com/a", "docs/runbook.md"])
    );
}

#[test]
fn import_reads_the_answers_file_once_and_names_its_typo_once() {
    // An answer with a mistyped key: every read of the file names it, so
    // the warning printed once shows the file was read (and parsed) once.
    let t = project(2);
    let answers = t.read("readiness/answers.yaml").replace(
        "    owner: Sam Ortiz\n",
        "    owner: Sam Ortiz\n    stauts: met\n",
    );
    t.write("readiness/answers.yaml", answers);
    t.exec(["export"], 0);
    let path = t.path().join("readiness/register.xlsx");
    let mut rows = read_xlsx(&path);
    edit(&mut rows, "p1/q1", "Status", "met");
    write_xlsx(&t.path().join("filled.xlsx"), &rows);
    let out = t.exec(["import", "filled.xlsx"], 0);
    assert_eq!(
        out.stderr.matches("unknown key `stauts`").count(),
        1,
        "{}",
        out.stderr
    );
    said(&out, "imported 1 answer from filled.xlsx");
    let after = t.read("readiness/answers.yaml");
    // The typo is kept as written, and the imported answer is in.
    assert!(after.contains("stauts: met"), "{after}");
    assert_eq!(question(&report_json(&t), "p1/q1")["status"], "met");
}

#[test]
fn import_refuses_bad_cells_and_changed_questions_and_writes_nothing() {
    let t = project(2);
    t.exec(["export"], 0);
    let path = t.path().join("readiness/register.xlsx");
    let before = t.read("readiness/answers.yaml");
    let mut rows = read_xlsx(&path);
    edit(&mut rows, "p1/q1", "Status", "sort of");
    edit(&mut rows, "p2/q1", "Due", "soon");
    write_xlsx(&t.path().join("bad.xlsx"), &rows);
    let out = t.exec(["import", "bad.xlsx"], 2);
    said(
        &out,
        "bad.xlsx: sheet \"Question register\", row 2, column F (Status): `sort of` is not a status",
    );
    said(&out, "row 6, column J (Due)");
    said(&out, "nothing was imported");
    assert_eq!(t.read("readiness/answers.yaml"), before);

    // The playbook moves to a new version after the export.
    let mut rows = read_xlsx(&path);
    edit(&mut rows, "p1/q1", "Status", "met");
    write_xlsx(&t.path().join("old.xlsx"), &rows);
    let moved = t
        .read("pb/1-reach/01-p1.md")
        .replacen("version: 1.0.0", "version: 2.0.0", 1);
    let t = t.file("pb/1-reach/01-p1.md", moved);
    let out = t.exec(["import", "old.xlsx"], 2);
    said(&out, "column K (Version)");
    assert!(
        out.stderr
            .contains("questions changed since this sheet was exported")
    );
    assert_eq!(t.read("readiness/answers.yaml"), before);
}

#[test]
fn import_names_a_bad_due_date_and_a_due_date_without_an_action() {
    let t = project(2);
    t.exec(["export", "--format", "csv", "--out", "sheet.csv"], 0);
    let before = t.read("readiness/answers.yaml");
    let sheet = t.read("sheet.csv");
    let header = sheet.lines().next().unwrap();
    let row = |id: &str| sheet.lines().position(|l| l.starts_with(id)).unwrap();
    // p1/q2 gets an action with a date written the wrong way round.
    let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(sheet.as_bytes())
        .into_records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    edit(&mut rows, "p1/q2", "Action", "Add the chat widget");
    edit(&mut rows, "p1/q2", "Due", "31/12/2026");
    let write = |rows: &[Vec<String>]| {
        let mut w = csv::Writer::from_path(t.path().join("sheet.csv")).unwrap();
        for r in rows {
            w.write_record(r).unwrap();
        }
        w.flush().unwrap();
    };
    write(&rows);
    assert!(header.contains("Due"));
    let out = t.exec(["import", "sheet.csv"], 2);
    said(
        &out,
        &format!(
            "sheet.csv: sheet \"sheet.csv\", row {}, column J (Due): `31/12/2026` is not a date; write it as YYYY-MM-DD, e.g. 2026-12-15",
            row("p1/q2") + 1
        ),
    );
    said(&out, "nothing was imported");
    assert_eq!(t.read("readiness/answers.yaml"), before);

    // A date without an action is named at its cell too.
    edit(&mut rows, "p1/q2", "Action", "");
    edit(&mut rows, "p1/q2", "Due", "2026-12-31");
    write(&rows);
    let out = t.exec(["import", "sheet.csv"], 2);
    said(
        &out,
        "column J (Due): `p1/q2`: `2026-12-31` is the due date of a follow-up action, and this row has none",
    );
    assert_eq!(t.read("readiness/answers.yaml"), before);
}

#[test]
fn import_of_something_that_is_not_a_sheet_is_a_clear_error() {
    let t = project(1).file("notes.xlsx", "just text");
    let out = t.exec(["import", "notes.xlsx"], 2);
    said(&out, "notes.xlsx: not a spreadsheet");
    let out = t.exec(["import", "missing.csv"], 2);
    said(&out, "cannot read the sheet missing.csv");
}

#[test]
fn import_of_a_cut_short_or_damaged_workbook_is_a_clear_error() {
    let t = project(1);
    t.exec(["export"], 0);
    let before = t.read("readiness/answers.yaml");
    let whole = std::fs::read(t.path().join("readiness/register.xlsx")).unwrap();
    // Cut short, as by a download that stopped half way.
    t.write("half.xlsx", &whole[..whole.len() / 2]);
    // A zip's first bytes, then noise.
    let mut noise = b"PK\x03\x04".to_vec();
    noise.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    t.write("noise.xlsx", &noise);
    // Whole, with the sheet's compressed bytes damaged.
    let mut damaged = whole.clone();
    let at = crate::support::find_bytes(&damaged, b"xl/worksheets/sheet1.xml").unwrap() + 40;
    for b in &mut damaged[at..at + 64] {
        *b ^= 0x5a;
    }
    t.write("damaged.xlsx", &damaged);
    for name in ["half.xlsx", "noise.xlsx", "damaged.xlsx"] {
        let out = t.exec(["import", name], 2);
        said(
            &out,
            &format!("error: {name}: the workbook is damaged or cut short, and cannot be unpacked"),
        );
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    }
    assert_eq!(t.read("readiness/answers.yaml"), before);
}

/// A zip bomb dressed as a workbook: `xl/worksheets/sheet1.xml` inflates to
/// 1 GiB of zeros, written in 1 MiB chunks, and the zip is about 1 MB. It
/// is written as a tool that cannot seek writes it: the sizes follow the
/// data (a data descriptor), so only the central directory declares them.
fn zip_bomb() -> Vec<u8> {
    use std::io::Write;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut w = zip::ZipWriter::new_stream(Vec::new());
    w.start_file("[Content_Types].xml", options).unwrap();
    w.write_all(b"<Types/>").unwrap();
    w.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..1024 {
        w.write_all(&zeros).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// `zip` with the uncompressed size that its file `name` declares (in the
/// central directory and its local header) set to `size`.
fn declare_size(mut zip: Vec<u8>, name: &str, size: u32) -> Vec<u8> {
    let u16_at = |b: &[u8], at: usize| u16::from_le_bytes([b[at], b[at + 1]]) as usize;
    let u32_at =
        |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize;
    let eocd = zip.len() - 22;
    assert_eq!(&zip[eocd..eocd + 4], b"PK\x05\x06", "no comment, no zip64");
    let mut central = u32_at(&zip, eocd + 16);
    for _ in 0..u16_at(&zip, eocd + 10) {
        assert_eq!(&zip[central..central + 4], b"PK\x01\x02");
        let name_len = u16_at(&zip, central + 28);
        if &zip[central + 46..central + 46 + name_len] == name.as_bytes() {
            let local = u32_at(&zip, central + 42);
            zip[central + 24..central + 28].copy_from_slice(&size.to_le_bytes());
            zip[local + 22..local + 26].copy_from_slice(&size.to_le_bytes());
            return zip;
        }
        central += 46 + name_len + u16_at(&zip, central + 30) + u16_at(&zip, central + 32);
    }
    panic!("no {name} in the zip");
}

#[test]
fn import_refuses_a_zip_bomb_and_a_workbook_that_lies_about_its_size() {
    let t = project(1);
    let before = t.read("readiness/answers.yaml");
    let bomb = zip_bomb();
    assert!(
        bomb.len() < 4 << 20,
        "{} bytes: under the read cap",
        bomb.len()
    );
    t.write("bomb.xlsx", &bomb);
    let out = t.exec(["import", "bomb.xlsx"], 2);
    said(
        &out,
        "error: bomb.xlsx: the workbook would unpack to more than 256 MiB, and is refused",
    );
    said(
        &out,
        "help: an export of 20,000 questions unpacks to about 19 MiB",
    );
    // A declared size that lies low is found out when the file is inflated.
    t.write(
        "lying.xlsx",
        declare_size(bomb, "xl/worksheets/sheet1.xml", 1000),
    );
    let out = t.exec(["import", "lying.xlsx"], 2);
    said(
        &out,
        "error: lying.xlsx: the workbook is damaged or cut short, and cannot be unpacked: xl/worksheets/sheet1.xml",
    );
    assert_eq!(t.read("readiness/answers.yaml"), before);
}

#[test]
fn import_refuses_a_workbook_of_too_many_files() {
    use std::io::Write;
    let t = project(1);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..10_001 {
        w.start_file(format!("xl/{i}.xml"), options).unwrap();
        w.write_all(b"<x/>").unwrap();
    }
    t.write("many.xlsx", w.finish().unwrap().into_inner());
    let out = t.exec(["import", "many.xlsx"], 2);
    said(
        &out,
        "error: many.xlsx: the workbook holds 10001 files; over 10000 is refused",
    );
}

#[test]
fn the_summary_gives_the_trend_since_the_previous_version() {
    let t = project(2);
    t.exec(["report", "--format", "json"], 0);
    let better = t
        .read("readiness/answers.yaml")
        .replace("status: partial", "status: met");
    let t = t.file("readiness/answers.yaml", better);
    t.exec(["report", "--format", "html"], 0);
    let page = t.read("readiness/reports/readiness-v2.html");
    assert!(
        page.contains("<div class=\"trend up\">+")
            && page.contains(" since version 1 (16.7)</div>"),
        "{}",
        page.lines()
            .find(|l| l.contains("since version"))
            .unwrap_or("no trend line")
    );
    assert!(page.contains("Trend across versions"));
}

/// Built-in expectations are shown alone (in the plan, the sheet, the
/// audit), so none may point at text around it ("the KPIs below").
#[test]
fn builtin_expectations_stand_alone() {
    let out = Test::new().exec(["list", "--format", "json", "--checklists", "builtin"], 0);
    let list: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let mut seen = 0;
    for p in list["playbooks"].as_array().unwrap() {
        for q in p["questions"].as_array().unwrap() {
            let text = q["expectation"].as_str().unwrap().to_lowercase();
            let words: Vec<&str> = text.split_whitespace().collect();
            for (i, raw) in words.iter().enumerate() {
                let w = raw.trim_matches(|c: char| !c.is_alphanumeric());
                // "the parts below." ends a clause and points elsewhere;
                // "below 5%" and "below human-handled contacts" compare.
                let ends_clause = i + 1 == words.len() || raw.ends_with([',', '.', ';', ':']);
                let pointer = matches!(w, "below" | "above") && ends_clause;
                assert!(
                    !pointer && !text.contains("the following"),
                    "{}: `{text}` points at text that is not shown with it",
                    q["id"]
                );
            }
            seen += 1;
        }
    }
    assert!(seen >= 75, "{seen} questions");
}

/// The browser that prints the PDF fetches nothing, not even from this
/// machine: a template that points at a local server gets no request to it.
#[test]
fn printing_the_pdf_reaches_no_network() {
    if tools().is_none() {
        return;
    }
    let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    server.set_nonblocking(true).unwrap();
    let port = server.local_addr().unwrap().port();
    let t = project(1).file(
        "net.html.j2",
        format!(
            "{{% extends \"report.html\" %}}{{% block brand %}}<img src=\"http://127.0.0.1:{port}/logo.png\"><img src=\"https://example.com/x.png\">{{% endblock %}}"
        ),
    );
    t.exec(
        ["report", "--format", "pdf", "--template", "net.html.j2"],
        0,
    );
    assert!(t.path().join("readiness/reports/readiness-v1.pdf").exists());
    match server.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("the browser connected to the local server: {other:?}"),
    }
}

// ---- the deliverable: the assessor's words, roadmap, risk accepted ---------

/// What the assessor wrote: a summary, a note on one section (by its
/// title), markup that must stay text, and a link.
const SUMMARY_MD: &str = "Acme is **close to launch**: the channels work and the team is staffed.\n\nThe contract with the outsourcer is the one open risk. See [the plan](https://example.com/plan).\n\n<script>alert(1)</script>\n\n## Reaching support\n\nChannels are live; the contact page needs one fix.\n";

/// `project(3)` as a client deliverable: an assessor's summary, owners
/// with people, actions due at every horizon, a waiver, a critical
/// question marked not applicable, and a playbook nobody has answered.
fn deliverable() -> Test {
    let t = project(3)
        .file(
            "supportcheck.yaml",
            "product: Acme Helpdesk\nchecklists: [pb]\nowners:\n  legal: [Jonas Berg]\n  support-ops: [Sam Okafor, Mei Chen]\nownership:\n  questions:\n    p2/q2: legal\n    p2/q3: support-ops\n    p1/q3: support-ops\n",
        )
        .file("readiness/summary.md", SUMMARY_MD);
    // The test clock says 2026-11-23.
    t.write(
        "readiness/answers.yaml",
        format!(
            "format: 1\nanswers:\n  p1/q1:\n    status: not-applicable\n    note: No chat at launch\n    answered_by: Dana Lee\n  p1/q2:\n    status: met\n    evidence: [\"{LONG_URL}\", docs/runbook.md]\n  p1/q3:\n    status: partial\n    action:\n      what: Staff the weekend rota\n      due: 2026-12-10\n  p2/q1:\n    status: unmet\n    waiver:\n      reason: Contract signed in January\n      expires: 2027-01-31\n      approved_by: legal\n  p2/q2:\n    status: partial\n    note: The SLA draft is with legal\n    action:\n      what: Sign the support contract\n      due: 2026-11-02\n  p2/q3:\n    status: unmet\n    action:\n      what: Publish the status page\n      due: 2027-01-15\n"
        ),
    );
    t
}

/// The text of `page` between `from` and the next `<h2`.
fn part<'a>(page: &'a str, from: &str) -> &'a str {
    let start = page
        .find(from)
        .unwrap_or_else(|| panic!("no `{from}` in the page"));
    let rest = &page[start..];
    let end = rest[4..].find("<h2").map_or(rest.len(), |e| e + 4);
    &rest[..end]
}

#[test]
fn the_html_deliverable_leads_with_the_assessors_words() {
    let t = deliverable();
    t.exec(["report", "--format", "html,md"], 0);
    let page = html(&t);
    // The summary leads page one, before the verdict; its markup is text.
    let one = &page[..page.find("Scores by playbook").unwrap()];
    let words = one
        .find("close to launch")
        .expect("the summary on page one");
    assert!(
        words < one.find("BLOCKED").unwrap(),
        "the summary comes first"
    );
    assert!(one.contains("<strong>close to launch</strong>"));
    assert!(one.contains("<a href=\"https://example.com/plan\">the plan</a>"));
    assert!(one.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<script"));
    // The section note is not in the summary; it heads its section, and
    // its first sentence is on page one's at-a-glance table.
    let box_ = part(&page, "aria-label=\"Assessor's summary\"");
    let box_ = &box_[..box_.find("</section>").unwrap()];
    assert!(!box_.contains("contact page needs"), "{box_}");
    let glance = part(&page, "aria-label=\"Sections at a glance\"");
    assert!(glance.contains("Channels are live; the contact page needs one fix."));
    for title in ["Reaching support", "Resolving requests", "Team and tools"] {
        assert!(glance.contains(title), "{title} at a glance");
    }
    let details = part(&page, "Appendix A: Question by question");
    let note = details
        .find("class=\"section-note")
        .expect("the section's note");
    assert!(note > details.find("Reaching support").unwrap());
    // The Markdown report carries the same words, escaped.
    let md = t.read("readiness/reports/readiness-v1.md");
    assert!(md.contains("## Assessor's summary") && md.contains("**close to launch**"));
    assert!(md.contains("&lt;script&gt;"));
}

#[test]
fn the_roadmap_groups_gaps_by_when_and_who_with_the_note_and_action() {
    let t = deliverable();
    t.exec(["report", "--format", "html"], 0);
    let page = html(&t);
    let road = part(&page, "<h2 id=\"roadmap\">");
    let order: Vec<usize> = ["Overdue", "Next 30 days", "In 31 to 60 days", "No date yet"]
        .iter()
        .map(|h| {
            road.find(&format!("{h} <span class=\"count\">"))
                .unwrap_or_else(|| panic!("{h}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    let overdue = &road[order[0]..order[1]];
    // People, not role ids; the role in small type.
    assert!(
        overdue.contains("Jonas Berg <span class=\"role\">legal</span>"),
        "{overdue}"
    );
    assert!(overdue.contains("<b>Action:</b> Sign the support contract"));
    assert!(overdue.contains("Note: The SLA draft is with legal"));
    assert!(overdue.contains("<span class=\"tag s-unmet\">overdue</span>"));
    let soon = &road[order[1]..order[2]];
    assert!(soon.contains("Sam Okafor, Mei Chen <span class=\"role\">support-ops</span>"));
    assert!(soon.contains("Staff the weekend rota"));
    assert!(road[order[2]..order[3]].contains("Publish the status page"));
    assert!(road[order[3]..].contains("No owner yet"));
    // The expectation is short in the roadmap and whole in the appendix.
    let whole = "What good looks like for question 2, in a sentence or two that a client can act on without reading anything else.";
    assert!(!road.contains(whole) && road.contains("What good looks like for question 2,"));
    assert!(part(&page, "Appendix A").contains(whole));
    // No role id is shown where it has people.
    assert!(!page.contains("Owner: legal") && !page.contains("owner legal"));
}

#[test]
fn risk_accepted_is_one_table_with_the_score_without_it() {
    let t = deliverable();
    let out = t.exec(["report", "--format", "json,html"], 0);
    let json: serde_json::Value =
        serde_json::from_str(&t.read(out.stdout.lines().next().unwrap())).unwrap();
    let page = html(&t);
    let risk = part(&page, "<h2 id=\"risk\">Risk accepted</h2>");
    assert!(risk.contains("Waived") && risk.contains("Contract signed in January"));
    assert!(
        risk.contains("Jonas Berg<br>until 31 January 2027"),
        "{risk}"
    );
    assert!(risk.contains("Critical, marked not applicable") && risk.contains("No chat at launch"));
    assert!(risk.contains("Dana Lee"));
    // If p1/q1 (n/a, weight 1) and p2/q1 (waived unmet) both counted as
    // gaps, the score is what the report's own sums give with p1/q1 added
    // to the denominator.
    let (mut earned, mut possible) = (0.0, 0.0);
    for p in json["playbooks"].as_array().unwrap() {
        for q in p["questions"].as_array().unwrap() {
            let w = q["weight"].as_f64().unwrap();
            if q["id"] == "p1/q1" || q["id"] == "p2/q1" {
                possible += w;
            } else if let Some(c) = q["credit"].as_f64() {
                earned += w * c;
                possible += w;
            }
        }
    }
    let expected = format!("{:.1}", (1000.0 * earned / possible).round() / 10.0);
    assert!(
        risk.contains(&format!(
            "<b class=\"if-gaps\">{expected}</b> instead of {:.1}",
            json["summary"]["score"].as_f64().unwrap()
        )),
        "{risk}"
    );
    assert!(risk.contains("2 critical questions would block the launch"));
    // The old, separate waivers table is gone.
    assert!(!page.contains("Waivers (accepted risks)"));
}

#[test]
fn the_method_is_an_appendix_and_the_body_speaks_plainly() {
    let t = deliverable();
    t.exec(["report", "--format", "html"], 0);
    let page = html(&t);
    let appendix = page
        .find("Appendix B: How this score was computed")
        .unwrap();
    let (body, method) = page.split_at(appendix);
    for auditor in ["Σ", "sha256", "scoring rules", ">Credit<", "credit 0.5"] {
        assert!(!body.contains(auditor), "`{auditor}` in the body");
    }
    assert!(method.contains("score = 100 × Σ(weight × credit) ÷ Σ(weight)"));
    assert!(method.contains("version 3 of supportcheck's scoring rules"));
    assert_eq!(
        method.matches("class=\"digest\">").count(),
        3,
        "a digest per playbook"
    );
    // Bars: a legend, and a playbook nobody answered is "not assessed".
    assert!(page.contains("<span class=\"k-blocked\">has a blocker</span>"));
    assert!(page.contains("class=\"bar-not-assessed\""));
    assert!(page.contains("<span class=\"na\">not assessed</span>"));
    // A row with no note and no evidence starts with its owner, not a blank line.
    assert!(
        page.contains("<td class=\"note\"><div class=\"owner-line\">Owner: Sam Okafor, Mei Chen")
    );
    assert!(!page.contains("<td class=\"note\"><br>"));
    // A local evidence path says where it lives; a URL may wrap at its slashes.
    assert!(page.contains("<span class=\"where\">(a file in the Acme Helpdesk project)</span>"));
    assert!(page.contains("dashboards.<wbr>example.<wbr>com&#x2f;<wbr>support&#x2f;<wbr>"));
}

/// Loads `page` in a frame `width` px wide, evaluates `js` (an expression
/// over the frame's document `d`) once it has loaded, and returns its value
/// as text; a screenshot goes to target/screenshots/NAME-WIDTH.png.
pub(crate) fn probe(chromium: &str, page: &Path, width: u32, js: &str, name: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let probe = page.with_file_name(format!("probe-{name}-{width}.html"));
    std::fs::write(
        &probe,
        format!(
            "<!DOCTYPE html><html><head><style>body{{margin:0}}iframe{{border:0;display:block}}</style></head><body><iframe id=\"f\" src=\"{}\" width=\"{width}\" height=\"2400\"></iframe><script>window.onload=function(){{var d=document.getElementById('f').contentDocument;var r;try{{r=String({js});}}catch(e){{r='error '+e;}}document.title='R='+r;}};</script></body></html>",
            page.file_name().unwrap().to_string_lossy()
        ),
    )
    .unwrap();
    let url = format!("file://{}", probe.display());
    let dom = browser(chromium, &dir.path().join("a"))
        .arg(format!("--window-size={},2400", width.max(500) + 20))
        .args(["--dump-dom", &url])
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    let value = dom
        .split("<title>R=")
        .nth(1)
        .and_then(|s| s.split("</title>").next())
        .unwrap_or_else(|| panic!("no result in the page: {dom:.300}"))
        .to_string();
    assert!(!value.starts_with("error"), "{js}: {value}");
    let shots = repo().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let shot = shots.join(format!("{name}-{width}.png"));
    let status = browser(chromium, &dir.path().join("b"))
        .arg(format!("--window-size={},2400", width.max(500)))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .unwrap();
    assert!(status.status.success());
    value
}

/// The deliverable with a second version, so that it has a trend.
fn deliverable_v2() -> Test {
    let t = deliverable();
    t.exec(["report", "--format", "json"], 0);
    t.file_edit("readiness/answers.yaml", |s| {
        s.replace(
            "  p2/q3:\n    status: unmet",
            "  p2/q3:\n    status: partial",
        )
    });
    t.exec(["report", "--format", "html"], 0);
    t
}

#[test]
fn page_one_and_the_roadmap_read_well_at_desktop_and_phone_width() {
    let Some(chromium) = tools() else { return };
    let t = deliverable_v2();
    let page = t.path().join("readiness/reports/readiness-v2.html");
    // Per width: the smallest text of the trend chart that shows, in px;
    // whether the page scrolls sideways; the legend; the not-assessed bar
    // or line; and the furthest an "Owner:" line that starts its cell sits
    // below the cell's top.
    let js = "[\
        Math.min(...[...d.querySelectorAll('svg.chart')].filter(s => s.getAttribute('aria-label').startsWith('Line') && s.getBoundingClientRect().height > 0).flatMap(s => [...s.querySelectorAll('text')]).map(t => t.getBoundingClientRect().height)),\
        d.documentElement.scrollWidth > d.documentElement.clientWidth,\
        d.querySelector('.legend').getBoundingClientRect().height > 0,\
        [...d.querySelectorAll('.bar-not-assessed, .score-list .na')].filter(e => e.getBoundingClientRect().height > 0).length,\
        Math.max(0, ...[...d.querySelectorAll('td.note')].filter(td => td.textContent.trim().startsWith('Owner:')).map(td => { const w = d.createTreeWalker(td, NodeFilter.SHOW_TEXT); let n; while ((n = w.nextNode()) && !n.textContent.includes('Owner:')) {} const r = d.createRange(); r.selectNodeContents(n); return r.getBoundingClientRect().top - td.getBoundingClientRect().top; }))\
    ].join(',')";
    for width in [1280, 390] {
        let v: Vec<String> = probe(chromium, &page, width, js, "deliverable")
            .split(',')
            .map(str::to_string)
            .collect();
        let smallest: f64 = v[0].parse().unwrap();
        assert!(
            smallest >= 10.0,
            "at {width} px the trend chart's text is {smallest} px high"
        );
        assert_eq!(v[1], "false", "at {width} px the page scrolls sideways");
        assert_eq!(v[2], "true", "at {width} px the bar colours have no legend");
        assert_eq!(v[3], "1", "at {width} px: the playbook nobody assessed");
        let offset: f64 = v[4].parse().unwrap();
        assert!(
            offset < 10.0,
            "at {width} px an Owner line sits {offset} px below its cell's top"
        );
    }
}

#[test]
fn the_pdf_deliverable_puts_the_summary_first_and_the_method_last() {
    if tools().is_none() {
        return;
    }
    // A URL of many short parts: it must wrap at its slashes and dots.
    let url = "https://dashboards.example.com/support/launch/readiness/checklists/evidence/november/runbook-final-signed/attachments/contact-page-screenshots/index";
    let t = deliverable();
    t.file_edit("readiness/answers.yaml", |s| s.replace(LONG_URL, url));
    let p = pdf(&t, &[], "readiness/reports/readiness-v1.pdf");
    let one = &p.text[0];
    // (table headers print in capitals)
    for words in [
        "close to launch",
        "BLOCKED",
        "AT A GLANCE",
        "Reaching support",
    ] {
        assert!(one.contains(words), "page one lacks `{words}`:\n{one}");
    }
    assert!(
        !one.contains("Question by question"),
        "page one is the summary"
    );
    let method = p
        .text
        .iter()
        .position(|t| t.contains("Appendix B: How this score was computed"))
        .expect("the method appendix");
    for (i, page) in p.text.iter().enumerate().take(method) {
        assert!(
            !page.contains('Σ'),
            "the formula on page {} of the body",
            i + 1
        );
    }
    assert!(p.text[method..].iter().any(|t| t.contains('Σ')));
    let squashed: String = p.raw.split_whitespace().collect();
    assert!(
        squashed.contains("docs/runbook.md(afileintheAcmeHelpdeskproject)"),
        "{}",
        &squashed[squashed.find("runbook").unwrap_or(0).saturating_sub(100)..][..300]
    );
    // Each printed line of the URL ends where a URL may break.
    let at = p
        .raw
        .find("https://dashboards")
        .expect("the URL is printed");
    let mut seen = String::new();
    let mut lines = Vec::new();
    // (a row that runs onto the next page has the footer and header lines
    // between its parts)
    for line in p.raw[at..].lines().take(60) {
        let line = line.trim();
        if seen == url {
            break;
        }
        let rest = &url[seen.len()..];
        if !line.is_empty() && rest.starts_with(line) {
            seen.push_str(line);
            lines.push(line);
        } else if !seen.is_empty() && line.starts_with(rest) {
            // The URL's last part, and what follows it on the line.
            seen.push_str(rest);
            lines.push(rest);
        }
    }
    assert_eq!(seen, url, "the whole URL, line by line: {lines:?}");
    assert!(lines.len() > 1, "the URL wraps: {lines:?}");
    for line in &lines[..lines.len() - 1] {
        assert!(
            line.ends_with(['/', '.', '-', '_', '?', '&', '=', '#']),
            "a line of the URL breaks mid-word: {lines:?}"
        );
    }
}

/// LibreOffice's `soffice`, or `None` after saying so (a failure under CI).
fn soffice() -> Option<&'static str> {
    if runs("soffice", "--version") {
        Some("soffice")
    } else {
        cannot_run("soffice (libreoffice-writer) not installed: Word checks skipped");
        None
    }
}

#[test]
fn the_word_document_opens_in_libreoffice_with_the_verdict_summary_and_roadmap() {
    let Some(soffice) = soffice() else { return };
    if tools().is_none() {
        return;
    }
    let t = deliverable();
    t.file_edit("supportcheck.yaml", |s| {
        format!("{s}report:\n  client: Globex\n  prepared_by: Northwind Advisory\n  accent: '#0a7d5a'\n  logo: brand/logo.png\n")
    });
    t.write("brand/logo.png", PNG);
    let out = t.exec(["report", "--format", "docx"], 0);
    assert!(
        out.stdout.contains("readiness/reports/readiness-v1.docx"),
        "{}",
        out.stdout
    );
    let docx = t.path().join("readiness/reports/readiness-v1.docx");
    t.exec(["history", "--verify"], 0);
    // The package: Word's heading styles, real tables, the accent, the logo.
    let listing = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.namelist()); print(z.read('word/document.xml').decode()); print(z.read('word/styles.xml').decode())",
        ])
        .arg(&docx)
        .output()
        .unwrap();
    let xml = String::from_utf8_lossy(&listing.stdout);
    assert!(
        listing.status.success(),
        "{}",
        String::from_utf8_lossy(&listing.stderr)
    );
    assert!(xml.contains("word/media/"), "the logo is in the package");
    assert!(
        xml.contains("<w:pStyle w:val=\"Heading1\" />")
            || xml.contains("<w:pStyle w:val=\"Heading1\"/>")
    );
    assert!(
        xml.contains("<w:name w:val=\"heading 1\""),
        "Word's own heading style"
    );
    assert!(xml.contains("<w:tbl>"), "tables");
    assert!(xml.contains("0A7D5A"), "the accent colour");
    // LibreOffice opens it and prints it to PDF without a complaint.
    let home = tempfile::tempdir().unwrap();
    let outdir = t.path().join("docx-pdf");
    let run = Command::new(soffice)
        .env("HOME", home.path())
        .arg(format!(
            "-env:UserInstallation=file://{}/lo",
            home.path().display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&outdir)
        .arg(&docx)
        .output()
        .unwrap();
    let pdf = outdir.join("readiness-v1.pdf");
    assert!(
        run.status.success() && pdf.exists(),
        "soffice: {}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for words in [
        "BLOCKED",
        "close to launch",
        "Executive summary",
        "Roadmap",
        "Overdue",
        "Sign the support contract",
        "Jonas Berg",
        "Risk accepted",
        "Appendix B: How this score was computed",
    ] {
        assert!(text.contains(words), "the Word document lacks `{words}`");
    }
    let first = text.split('\u{c}').next().unwrap();
    assert!(
        first.contains("BLOCKED") && first.contains("close to launch"),
        "{first}"
    );
    // Its first page as a picture, to look at.
    let shots = repo().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let png = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf)
        .arg(shots.join("docx-page1"))
        .status()
        .unwrap();
    assert!(png.success());
}
