//! `report --bundle`: the client bundle, one zip with the report and the
//! local evidence it cites, unpacked and read back.

use crate::support::{Output, Test};
use std::collections::BTreeMap;
use std::io::Read;

const PLAYBOOK: &str = "---\ntitle: Basics\nchecklist:\n  - order: 1\n    question: Is there an SLA?\n    expectation: A written SLA.\n    version: 1.0.0\n  - order: 2\n    question: Is there a runbook?\n    expectation: A runbook.\n    version: 1.0.0\n  - order: 3\n    question: Is there a rota?\n    expectation: A rota.\n    version: 1.0.0\n---\n";

/// A project whose answers cite `evidence` (a YAML flow list) on q1.
fn project(evidence: &str) -> Test {
    Test::new()
        .file("pb/basics.md", PLAYBOOK)
        .file("supportcheck.yaml", "product: Acme Helpdesk\nchecklists: [pb]\n")
        .file(
            "readiness/answers.yaml",
            format!(
                "format: 1\nanswers:\n  basics/q1:\n    status: met\n    evidence: {evidence}\n  basics/q2:\n    status: partial\n"
            ),
        )
}

/// Every entry of the zip at `rel`, by name, in the zip's order of names.
fn unzip(t: &Test, rel: &str) -> BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(t.path().join(rel)).expect("the bundle exists");
    let mut zip = zip::ZipArchive::new(file).expect("the bundle is a zip");
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        out.insert(entry.name().unwrap().to_string(), bytes);
    }
    out
}

fn text(entries: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    let bytes = entries
        .get(name)
        .unwrap_or_else(|| panic!("{name} in {:?}", entries.keys().collect::<Vec<_>>()));
    String::from_utf8(bytes.clone()).unwrap()
}

/// The bundle's HTML page, with the `/` the HTML escapes as `&#x2f;` put back.
fn page(entries: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    text(entries, name).replace("&#x2f;", "/")
}

fn said(out: &Output, needle: &str) {
    assert!(
        out.stderr.contains(needle),
        "expected `{needle}` in:\n{}",
        out.stderr
    );
}

#[test]
fn a_bundle_carries_the_report_and_the_local_evidence_it_links_to() {
    let t = project(r#"["https://example.com/sla", docs/sla.md, "docs/a b.md", docs/more]"#)
        .file("docs/sla.md", "# SLA\nFirst reply within a day.\n")
        .file("docs/a b.md", "spaced\n")
        .file("docs/more/one.md", "one\n")
        .file("docs/more/deep/two.md", "two\n")
        .file("docs/unrelated.md", "not cited\n");
    let out = t.exec(["report", "--bundle", "out/acme.zip"], 0);
    assert!(out.stdout.contains("out/acme.zip"), "{}", out.stdout);
    said(&out, "4 evidence files");
    let entries = unzip(&t, "out/acme.zip");
    let names: Vec<&str> = entries.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "evidence/docs/a b.md",
            "evidence/docs/more/deep/two.md",
            "evidence/docs/more/one.md",
            "evidence/docs/sla.md",
            "readiness-v1.html",
        ]
    );
    assert_eq!(
        text(&entries, "evidence/docs/sla.md"),
        "# SLA\nFirst reply within a day.\n"
    );
    let page = page(&entries, "readiness-v1.html");
    for link in [
        r#"href="evidence/docs/sla.md""#,
        r#"href="evidence/docs/a%20b.md""#,
        r#"href="evidence/docs/more/""#,
        // A URL stays the link it is.
        r#"href="https://example.com/sla""#,
    ] {
        assert!(page.contains(link), "{link}");
    }
    assert!(page.contains("(in this bundle)"));
    // The version's own HTML in the reports folder is not changed by it.
    let ledger = t.read("readiness/reports/readiness-v1.html");
    assert!(!ledger.contains("evidence/docs/sla.md"));
}

#[test]
fn a_bundle_of_an_unchanged_report_is_the_last_version_not_a_new_one() {
    // Only a URL as evidence: the bundled page is the version's page.
    let t = project(r#"["https://example.com/sla"]"#);
    t.exec(["report", "--format", "html,docx"], 0);
    let out = t.exec(
        ["report", "--format", "html,docx", "--bundle", "acme.zip"],
        0,
    );
    said(
        &out,
        "no change since report v1: no version taken; the bundle holds v1",
    );
    assert!(
        !t.path()
            .join("readiness/reports/readiness-v2.json")
            .exists()
    );
    let entries = unzip(&t, "acme.zip");
    assert_eq!(
        entries.keys().collect::<Vec<_>>(),
        ["readiness-v1.docx", "readiness-v1.html"]
    );
    assert_eq!(
        text(&entries, "readiness-v1.html"),
        t.read("readiness/reports/readiness-v1.html"),
        "the bundle renders the version's JSON into the same page"
    );
    let docx = std::fs::read(t.path().join("readiness/reports/readiness-v1.docx")).unwrap();
    assert_eq!(
        entries["readiness-v1.docx"], docx,
        "the version's own Word file"
    );
}

#[test]
fn a_preview_bundle_takes_no_version() {
    let t = project("[docs/sla.md]").file("docs/sla.md", "# SLA\n");
    t.exec(["report", "--preview", "--bundle", "draft.zip"], 0);
    assert!(
        !t.path()
            .join("readiness/reports/readiness-v1.json")
            .exists()
    );
    let entries = unzip(&t, "draft.zip");
    assert!(page(&entries, "readiness-preview.html").contains(r#"href="evidence/docs/sla.md""#));
    assert_eq!(text(&entries, "evidence/docs/sla.md"), "# SLA\n");
}

#[cfg(unix)]
#[test]
fn links_out_of_the_project_fifos_and_devices_stay_out_of_a_bundle_without_hanging() {
    use std::os::unix::fs::symlink;
    let t = project("[docs/passwd, docs/pipe, /dev/zero, docs/mixed, ../outside.md, docs/fine.md]")
        .file("docs/fine.md", "fine\n")
        .file("docs/mixed/good.md", "good\n");
    let docs = t.path().join("docs");
    symlink("/etc/passwd", docs.join("passwd")).unwrap();
    symlink("/etc/passwd", docs.join("mixed/passwd")).unwrap();
    symlink("../fine.md", docs.join("mixed/inside.md")).unwrap();
    symlink("/dev", docs.join("mixed/dev")).unwrap();
    crate::hostile::mkfifo(&docs.join("pipe"));
    crate::hostile::mkfifo(&docs.join("mixed/pipe"));
    // The test's own 60 s timeout fails a run that blocks on a FIFO.
    let out = t.exec(["report", "--bundle", "acme.zip"], 0);
    for line in [
        "left out of the bundle: docs/passwd: it leads outside the project",
        "left out of the bundle: docs/pipe: it is a FIFO (named pipe)",
        "left out of the bundle: /dev/zero: it leads outside the project",
        "left out of the bundle: docs/mixed/passwd: it is a symbolic link that leads outside the project",
        "left out of the bundle: docs/mixed/pipe: it is a FIFO (named pipe)",
        "left out of the bundle: docs/mixed/dev: it is a symbolic link that leads outside the project",
    ] {
        said(&out, line);
    }
    let entries = unzip(&t, "acme.zip");
    assert_eq!(
        entries.keys().collect::<Vec<_>>(),
        [
            "evidence/docs/fine.md",
            "evidence/docs/mixed/good.md",
            "evidence/docs/mixed/inside.md",
            "readiness-v1.html",
        ]
    );
    let passwd = std::fs::read(docs.join("passwd")).unwrap_or_default();
    for (name, bytes) in &entries {
        assert!(
            passwd.is_empty() || !bytes.windows(passwd.len()).any(|w| w == passwd.as_slice()),
            "{name} holds /etc/passwd"
        );
    }
    let page = page(&entries, "readiness-v1.html");
    assert!(!page.contains(r#"href="evidence/docs/passwd""#));
    assert!(page.contains(r#"href="evidence/docs/mixed/""#));
}

#[test]
fn a_bundle_over_its_limit_is_refused_and_not_written() {
    let t = project("[docs/big.bin]").file("docs/big.bin", vec![b'x'; 2 * 1024 * 1024]);
    let out = t.exec_env(
        ["report", "--bundle", "acme.zip"],
        &[("SUPPORTCHECK_BUNDLE_LIMIT", "1")],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    said(
        &out,
        "the client bundle would be over 1 MiB at docs/big.bin",
    );
    assert!(!t.path().join("acme.zip").exists());
    // The version was taken; the next run bundles it without a new one.
    let out = t.exec(["report", "--bundle", "acme.zip"], 0);
    said(&out, "the bundle holds v1");
    assert_eq!(
        unzip(&t, "acme.zip")["evidence/docs/big.bin"].len(),
        2 * 1024 * 1024
    );
}

#[test]
fn a_bundle_cannot_be_written_over_a_folder() {
    let t = project("[]").file("acme.zip/keep", "x");
    let out = t.exec(["report", "--bundle", "acme.zip"], 2);
    said(&out, "it is a folder");
    // Refused before a version is taken.
    assert!(
        !t.path()
            .join("readiness/reports/readiness-v1.json")
            .exists()
    );
}
