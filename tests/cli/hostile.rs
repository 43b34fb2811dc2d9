//! Hostile inputs through the real binary: special files, the reports folder
//! as a ledger, numbers, walks, oversized lists and text that must not reach
//! a terminal or a CI log raw. Every input is generated here.

use crate::support::Test;
use std::path::{Path, PathBuf};

const PLAYBOOK: &str = "---\ntitle: Help desk\nid: help-desk\nchecklist:\n  - order: 1\n    question: Is every request tracked?\n    expectation: Every request gets a ticket.\n    version: 1.0.0\n  - order: 2\n    question: Are tickets prioritised?\n    expectation: Priorities are defined.\n    version: 1.0.0\n---\n## How\nDo it.\n";

const ANSWERS: &str = "format: 1\nanswers:\n  help-desk/q1:\n    status: met\n    note: ok\n  help-desk/q2:\n    status: partial\n";

fn project() -> Test {
    Test::new()
        .file("pb/help-desk.md", PLAYBOOK)
        .file("supportcheck.yaml", "product: Acme\nchecklists: [pb]\n")
        .file("readiness/answers.yaml", ANSWERS)
}

fn reports(t: &Test) -> PathBuf {
    t.path().join("readiness/reports")
}

/// File names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

// ---------------------------------------------------------------- ledger

#[test]
fn leftovers_of_an_interrupted_report_are_never_adopted_and_are_reported() {
    let t = project();
    t.exec(["report", "--force"], 0);
    t.exec(["report", "--force"], 0);
    let dir = reports(&t);
    // What a kill -9 between placing the files and committing leaves: files
    // of v3 without an index line, and a staged temp file.
    std::fs::write(dir.join("readiness-v3.json"), "{ garbage").unwrap();
    std::fs::write(dir.join("readiness-v3.md"), "half").unwrap();
    std::fs::write(dir.join(".supportcheck-report-abc.tmp"), vec![b'x'; 4096]).unwrap();
    let out = t.exec(["history", "--verify"], 1);
    assert!(
        out.stdout.contains("readiness-v3.json, readiness-v3.md")
            && out.stdout.contains("not committed"),
        "{}",
        out.stdout
    );
    t.exec(["report", "--force"], 0);
    let files = names(&dir);
    assert!(
        files.contains(&"readiness-v4.json".to_string()),
        "{files:?}"
    );
    assert!(
        !files.iter().any(|f| f.ends_with(".tmp")),
        "staged left-overs are swept: {files:?}"
    );
    let v4: serde_json::Value =
        serde_json::from_str(&t.read("readiness/reports/readiness-v4.json")).unwrap();
    assert_eq!(
        v4["previous"]["report_version"], 2,
        "links past the garbage"
    );
    std::fs::remove_file(dir.join("readiness-v3.json")).unwrap();
    std::fs::remove_file(dir.join("readiness-v3.md")).unwrap();
    let out = t.exec(["history", "--verify"], 0);
    assert!(out.stdout.contains("3 versions"), "{}", out.stdout);
}

#[test]
fn a_version_whose_json_was_deleted_keeps_its_number_and_is_reported() {
    let t = project();
    t.exec(["report", "--force"], 0);
    t.exec(["report", "--force"], 0);
    let dir = reports(&t);
    std::fs::remove_file(dir.join("readiness-v2.json")).unwrap();
    let out = t.exec(["history", "--verify"], 1);
    assert!(
        out.stdout
            .contains("readiness-v2.json: error[chain]: v2: missing"),
        "{}",
        out.stdout
    );
    let out = t.exec(["report", "--force"], 0);
    assert!(out.stdout.contains("readiness-v3.json"), "{}", out.stdout);
    assert!(!dir.join("readiness-v2.json").exists(), "v2 is not reused");
}

#[test]
fn stray_files_and_repeated_formats_never_half_write_a_version() {
    let t = project();
    let dir = reports(&t);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("readiness-v1.html"), "stray").unwrap();
    let out = t.exec(["report", "--force", "--format", "md,md,json,html"], 0);
    assert!(out.stdout.contains("readiness-v2.md"), "{}", out.stdout);
    assert_eq!(
        names(&dir),
        [
            ".readiness.lock",
            "index.jsonl",
            "readiness-v1.html",
            "readiness-v2.html",
            "readiness-v2.json",
            "readiness-v2.md"
        ]
    );
}

#[test]
fn leading_zeros_and_huge_numbers_are_strays_not_versions() {
    let t = project();
    let dir = reports(&t);
    std::fs::create_dir_all(&dir).unwrap();
    for name in [
        "readiness-v007.json",
        "readiness-v18446744073709551615.json",
        "readiness-v99999999999999999999999.md",
    ] {
        std::fs::write(dir.join(name), "{}").unwrap();
    }
    let out = t.exec(["report", "--force", "--format", "json"], 0);
    assert!(out.stdout.contains("readiness-v1.json"), "{}", out.stdout);
    let out = t.exec(["report", "--force", "--format", "json"], 0);
    assert!(out.stdout.contains("readiness-v2.json"), "{}", out.stdout);
    let out = t.exec(["history", "--verify"], 1);
    assert!(
        out.stdout
            .contains("readiness-v007.json: error[chain]: not a report file name"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_version_number_has_a_bound_and_overflow_is_an_error() {
    let t = project();
    let dir = reports(&t);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("readiness-v1000000.md"), "x").unwrap();
    let out = t.exec(["report", "--force", "--format", "json"], 2);
    assert!(
        out.stderr.contains("versions stop at 1000000"),
        "{}",
        out.stderr
    );
    assert_eq!(names(&dir), ["readiness-v1000000.md"], "nothing written");
}

#[test]
fn a_commit_that_fails_leaves_no_file_of_the_version() {
    let t = project();
    let dir = reports(&t);
    // The index cannot be written: it is a folder.
    std::fs::create_dir_all(dir.join("index.jsonl")).unwrap();
    let out = t.exec(["report", "--force"], 2);
    assert!(out.stderr.contains("index.jsonl"), "{}", out.stderr);
    let files = names(&dir);
    assert!(
        files
            .iter()
            .all(|f| !f.starts_with("readiness-v") && !f.ends_with(".tmp")),
        "{files:?}"
    );
}

/// Rewrites a report's JSON and fills in a matching `content_sha256`, as a
/// forger who knows the format would.
fn forge(path: &Path, from: &str, to: &str) {
    use sha2::{Digest, Sha256};
    let text = std::fs::read_to_string(path).unwrap().replacen(from, to, 1);
    let key = "\"content_sha256\": \"";
    let start = text.find(key).unwrap() + key.len();
    let mut zeroed = text.clone();
    zeroed.replace_range(start..start + 64, &"0".repeat(64));
    let hash = format!("{:x}", Sha256::digest(zeroed.as_bytes()));
    let mut forged = text;
    forged.replace_range(start..start + 64, &hash);
    std::fs::write(path, forged).unwrap();
}

#[test]
fn verify_catches_edited_companions_a_deleted_newest_version_and_a_forged_newest_json() {
    let t = project();
    for _ in 0..3 {
        t.exec(["report", "--force"], 0);
    }
    let dir = reports(&t);
    t.exec(["history", "--verify"], 0);

    // An edited Markdown file of an old version.
    let md = dir.join("readiness-v1.md");
    let original = std::fs::read(&md).unwrap();
    std::fs::write(&md, b"# All green\n").unwrap();
    let out = t.exec(["history", "--verify"], 1);
    assert!(
        out.stdout
            .contains("readiness-v1.md: error[chain]: v1: edited"),
        "{}",
        out.stdout
    );
    std::fs::write(&md, &original).unwrap();

    // The newest version deleted, every file of it.
    let saved: Vec<(PathBuf, Vec<u8>)> = ["json", "md", "html"]
        .iter()
        .map(|e| {
            let p = dir.join(format!("readiness-v3.{e}"));
            let b = std::fs::read(&p).unwrap();
            std::fs::remove_file(&p).unwrap();
            (p, b)
        })
        .collect();
    let out = t.exec(["history", "--verify"], 1);
    assert!(out.stdout.contains("v3: missing"), "{}", out.stdout);
    for (p, b) in &saved {
        std::fs::write(p, b).unwrap();
    }
    t.exec(["history", "--verify"], 0);

    // The newest JSON forged, its own hash recomputed.
    forge(
        &dir.join("readiness-v3.json"),
        "\"product\": \"Acme\"",
        "\"product\": \"Acne\"",
    );
    let out = t.exec(["history", "--verify"], 1);
    assert!(
        out.stdout
            .contains("readiness-v3.json: error[chain]: v3: edited: it does not match its digest"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_damaged_index_is_a_finding_of_verify_and_stops_report() {
    let t = project();
    t.exec(["report", "--force", "--format", "json"], 0);
    t.exec(["report", "--force", "--format", "json"], 0);
    let index = reports(&t).join("index.jsonl");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(&index, format!("{text}{{not json\n")).unwrap();
    let out = t.exec(["history", "--verify"], 1);
    assert!(
        out.stdout.contains("index.jsonl: error[chain]: damaged") && out.stdout.contains(":3:"),
        "{}",
        out.stdout
    );
    let out = t.exec(["report", "--force", "--format", "json"], 2);
    assert!(out.stderr.contains("index.jsonl:3"), "{}", out.stderr);
    assert!(!reports(&t).join("readiness-v3.json").exists());
}

#[test]
fn verify_with_no_reports_says_so() {
    let t = project();
    let out = t.exec(["history", "--verify"], 0);
    assert!(
        out.stdout.contains("no reports in readiness/reports"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("intact"), "{}", out.stdout);
}

#[test]
fn history_lists_versions_from_the_index_without_reading_a_report() {
    let t = project();
    t.exec(["report", "--force", "--format", "json"], 0);
    t.exec(["report", "--force", "--format", "json"], 0);
    let index = t.read("readiness/reports/index.jsonl");
    let lines: Vec<serde_json::Value> = index
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["version"], 2);
    assert_eq!(lines[1]["product"], "Acme");
    assert_eq!(lines[1]["playbooks"][0]["id"], "help-desk");
    assert!(lines[0]["previous"].is_null());
    assert!(lines[1]["files"]["readiness-v2.json"].is_string());
    // With the reports themselves unreadable, history still lists both.
    for n in [1, 2] {
        std::fs::write(reports(&t).join(format!("readiness-v{n}.json")), "garbage").unwrap();
    }
    let out = t.exec(["history"], 0);
    assert!(
        out.stdout.contains("v1") && out.stdout.contains("v2"),
        "{}",
        out.stdout
    );
    // The trend takes only versions that verify against their JSON: with
    // both JSONs garbage, none, and `report` says so (verify flags both).
    let out = t.exec(["report", "--force", "--format", "json"], 0);
    assert!(
        out.stderr.contains("v1, v2 left out of the trend"),
        "{}",
        out.stderr
    );
    let v3: serde_json::Value =
        serde_json::from_str(&t.read("readiness/reports/readiness-v3.json")).unwrap();
    assert!(v3["trend"].is_null(), "{}", v3["trend"]);
    let out = t.exec(["history", "--verify"], 1);
    assert!(
        out.stdout
            .contains("readiness-v1.json: error[chain]: v1: edited")
            && out
                .stdout
                .contains("readiness-v2.json: error[chain]: v2: edited"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_folder_written_before_the_index_gets_one_without_adopting_garbage() {
    let t = project();
    t.exec(["report", "--force", "--format", "json"], 0);
    t.exec(["report", "--force", "--format", "json"], 0);
    let dir = reports(&t);
    // As an older supportcheck left it: no index, plus a garbage v3.
    std::fs::remove_file(dir.join("index.jsonl")).unwrap();
    std::fs::write(dir.join("readiness-v3.json"), "{}").unwrap();
    let out = t.exec(["history", "--verify"], 1);
    assert!(out.stdout.contains("v3"), "{}", out.stdout);
    t.exec(["report", "--force", "--format", "json"], 0);
    let v4: serde_json::Value =
        serde_json::from_str(&t.read("readiness/reports/readiness-v4.json")).unwrap();
    assert_eq!(v4["previous"]["report_version"], 2);
    let index = t.read("readiness/reports/index.jsonl");
    assert_eq!(index.lines().count(), 3, "{index}");
}

// ---------------------------------------------------------- special files

#[cfg(unix)]
pub(crate) fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap()
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

/// Every kind of special file the tool may be pointed at, directly or
/// through a symlink, made at `path`.
#[cfg(unix)]
type MakeSpecial = Box<dyn Fn(&Path)>;

#[cfg(unix)]
fn specials() -> Vec<(&'static str, MakeSpecial)> {
    vec![
        ("FIFO", Box::new(|p: &Path| mkfifo(p))),
        (
            "FIFO",
            Box::new(|p: &Path| {
                let target = p.with_extension("fifo-target");
                mkfifo(&target);
                std::os::unix::fs::symlink(&target, p).unwrap();
            }),
        ),
        (
            "socket",
            Box::new(|p: &Path| {
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                let l = std::os::unix::net::UnixListener::bind(p).unwrap();
                std::mem::forget(l);
            }),
        ),
        (
            "character device",
            Box::new(|p: &Path| {
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::os::unix::fs::symlink("/dev/zero", p).unwrap();
            }),
        ),
    ]
}

#[cfg(unix)]
#[test]
fn a_special_file_in_place_of_any_input_fails_fast_with_exit_2() {
    // (file to replace, extra arguments, what the message calls it)
    let cases: [(&str, &[&str], &str); 6] = [
        ("supportcheck.yaml", &["status"], "config file"),
        ("readiness/answers.yaml", &["status"], "answers file"),
        (
            "pb/help-desk.md",
            &["--checklists", "pb/help-desk.md", "status"],
            "help-desk.md",
        ),
        (
            "brand.md.j2",
            &["report", "--template", "brand.md.j2"],
            "template",
        ),
        ("other.json", &["diff", "other.json", "1"], "report"),
        (
            "readiness/reports/readiness-v1.json",
            &["diff", "1", "1"],
            "report",
        ),
    ];
    for (kind, make) in specials() {
        for (rel, args, what) in cases {
            let t = project();
            if rel.starts_with("readiness/reports") || rel == "other.json" {
                t.exec(["report", "--format", "json"], 0);
                let _ = std::fs::remove_file(t.path().join(rel));
            } else {
                std::fs::remove_file(t.path().join(rel)).ok();
            }
            make(&t.path().join(rel));
            let started = std::time::Instant::now();
            let out = t.exec(args, 2);
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "{kind} as {rel} took {:?}",
                started.elapsed()
            );
            assert!(
                out.stderr.contains(what) && out.stderr.contains(kind),
                "{kind} as {rel}: {}",
                out.stderr
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_walked_folder_is_skipped() {
    let t = project();
    mkfifo(&t.path().join("pb/pipe.md"));
    let out = t.exec(["status"], 0);
    assert!(out.stdout.contains("Help desk"), "{}", out.stdout);
}

// ----------------------------------------------------------------- walks

#[cfg(unix)]
#[test]
fn a_walk_through_doubled_links_and_a_link_to_root_stays_linear() {
    let t = project();
    // Each level holds two links to the next: 2^24 paths, 24 real folders.
    let levels = 24;
    for i in 0..levels {
        let d = t.path().join(format!("pb/l{i}"));
        std::fs::create_dir_all(&d).unwrap();
        for link in ["a", "b"] {
            std::os::unix::fs::symlink(format!("../l{}", i + 1), d.join(link)).unwrap();
        }
    }
    std::fs::create_dir_all(t.path().join(format!("pb/l{levels}"))).unwrap();
    std::os::unix::fs::symlink("/", t.path().join("pb/root")).unwrap();
    let started = std::time::Instant::now();
    // What `/` holds varies (Markdown files that are not playbooks), so the
    // lint may find problems there; it must not fail to run.
    let out = t.exec_any(["lint", "-v", "pb"]);
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(
        all.contains("pb/l1: note[io]: skipped: the same folder as pb/l0/a,"),
        "the repeat is named: {all}"
    );
}

// --------------------------------------------------------------- numbers

/// A playbook of `n` questions, each of weight `w` (as written).
fn weighted(n: usize, w: &str) -> String {
    let mut text = String::from("---\ntitle: Heavy\nid: heavy\nchecklist:\n");
    for i in 1..=n {
        text.push_str(&format!(
            "  - order: {i}\n    question: Question {i}?\n    expectation: Done.\n    version: 1.0.0\n    weight: {w}\n"
        ));
    }
    text + "---\n"
}

#[test]
fn weights_too_large_to_sum_are_a_lint_error_and_never_pass_a_gate() {
    for w in ["1e308", "1.7976931348623157e308", "1001", ".inf"] {
        let t = Test::new()
            .file("pb/heavy.md", weighted(3, w))
            .file("supportcheck.yaml", "checklists: [pb]\n")
            .file(
                "readiness/answers.yaml",
                "format: 1\nanswers:\n  heavy/q1: {status: met}\n  heavy/q2: {status: met}\n  heavy/q3: {status: met}\n",
            );
        let out = t.exec(["lint", "pb"], 1);
        assert!(
            out.stdout.contains("error[weight]") || out.stdout.contains("non-finite"),
            "{w}: {}",
            out.stdout
        );
        let out = t.exec(["check"], 2);
        assert!(!out.stdout.contains("passed"), "{w}: {}", out.stdout);
        assert!(!out.stdout.contains("NaN"), "{w}: {}", out.stdout);
    }
    // The largest weight allowed, many times over, still sums and scores.
    let t = Test::new()
        .file("pb/heavy.md", weighted(2000, "1000"))
        .file("supportcheck.yaml", "checklists: [pb]\n");
    let out = t.exec(["check", "--format", "json"], 1);
    let j: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(j["summary"]["score"], 0.0);
}

// ------------------------------------------------- cost bounded by content

#[test]
fn a_million_entry_list_in_an_answer_is_refused_by_its_length() {
    for key in ["evidence", "criteria_met"] {
        let mut text =
            format!("format: 1\nanswers:\n  help-desk/q1:\n    status: met\n    {key}:\n");
        for i in 0..1_000_000 {
            text.push_str(&format!("      - e{i}\n"));
        }
        let t = project().file("readiness/answers.yaml", text);
        let out = t.exec(["status"], 2);
        assert!(
            out.stderr.contains(&format!(
                "`{key}` lists 1,000,000 entries; an answer may list at most 1000"
            )),
            "{}",
            out.stderr
        );
        assert!(
            out.stdout.len() + out.stderr.len() < 2000,
            "output stays small"
        );
    }
}

#[test]
fn findings_per_answer_are_capped_with_a_count_of_the_rest() {
    let mut text =
        String::from("format: 1\nanswers:\n  help-desk/q1:\n    status: met\n    evidence:\n");
    for i in 0..1000 {
        text.push_str(&format!("      - docs/missing-{i}.md\n"));
    }
    let t = project().file("readiness/answers.yaml", text);
    let out = t.exec(["check", "--format", "json"], 1);
    let j: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let findings: Vec<&serde_json::Value> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "evidence-missing")
        .collect();
    assert_eq!(findings.len(), 11, "{findings:?}");
    assert!(
        findings[10]["message"]
            .as_str()
            .unwrap()
            .ends_with("and 990 more like the above"),
        "{}",
        findings[10]
    );
}

/// A billion-laughs document: ten levels of ten aliases each.
fn yaml_bomb(prefix: &str) -> String {
    let mut text = format!("{prefix}a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    text
}

#[test]
fn a_yaml_bomb_is_refused_fast_in_every_kind_of_file_and_named_by_its_kind() {
    // (The config file shares these budgets; a bomb there is refused even
    // sooner, at its first key that is not a config key.)
    let cases = [
        (
            "readiness/answers.yaml",
            format!("format: 1\n{}", yaml_bomb("")),
            "answers file",
        ),
        (
            "pb/help-desk.md",
            format!("---\n{}---\n", yaml_bomb("title: x\n")),
            "playbook",
        ),
    ];
    for (rel, text, kind) in cases {
        let t = project().file(rel, text);
        let started = std::time::Instant::now();
        let out = t.exec_any(["lint", "pb"]);
        let out = if rel.ends_with(".md") {
            out
        } else {
            t.exec_any(["status"])
        };
        assert!(out.code == 1 || out.code == 2, "{rel}: {}", out.stderr);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{rel}: {:?}",
            started.elapsed()
        );
        let all = format!("{}{}", out.stdout, out.stderr);
        assert!(all.contains(&format!("no {kind} needs")), "{rel}: {all}");
    }
}

// ------------------------------------------------------ output safe to print

/// Escape sequences, C1 controls, NUL and newlines that would start a
/// workflow command, in every kind of user text.
const EVIL: &str =
    r#"\e]0;pwned\a\e[2J\x9b31m\0 ok\n::add-mask::secret\n::error file=x::forged\r##[error]old"#;

fn evil_project() -> Test {
    let playbook = format!(
        "---\ntitle: \"Evil {EVIL}\"\nid: evil\nchecklist:\n  - order: 1\n    question: \"Question {EVIL}\"\n    expectation: \"Expect {EVIL}\"\n    version: 1.0.0\n    criteria:\n      - \"Criterion {EVIL}\"\n  - order: 2\n    question: Plain?\n    expectation: Plain.\n    version: 1.0.0\n---\n## How\nDo it.\n"
    );
    Test::new()
        .file("pb/evil.md", &playbook)
        .file("pb/::error::pwned.md", playbook.replace("id: evil", "id: evil2"))
        .file("supportcheck.yaml", format!("product: \"Acme {EVIL}\"\nchecklists: [pb]\n"))
        .file(
            "readiness/answers.yaml",
            format!(
                "format: 1\nanswers:\n  evil/q1:\n    status: unmet\n    note: \"Note {EVIL}\"\n    evidence: [\"docs/{EVIL}.md\"]\n    criteria_met: [\"c9 {EVIL}\"]\n  evil2/q1:\n    status: partial\n    note: \"n {EVIL}\"\n"
            ),
        )
}

/// Asserts that output holds no raw control character and no line a CI
/// runner would take as a command.
fn assert_safe(what: &str, text: &str, github: bool) {
    for c in text.chars() {
        assert!(
            !(c.is_control() && c != '\n' && c != '\t'),
            "{what}: raw {c:?} in output:\n{text}"
        );
    }
    for line in text.lines() {
        let t = line.trim_start();
        let ours = github
            && (t.starts_with("::error file=pb/")
                || t.starts_with("::warning file=pb/")
                || t.starts_with("::notice"));
        assert!(
            !(t.starts_with("::") || t.starts_with("##[")) || ours,
            "{what}: a line starts a workflow command: {line}\n{text}"
        );
    }
}

#[test]
fn user_text_never_reaches_an_output_raw_or_starts_a_line() {
    let t = evil_project().env("GITHUB_STEP_SUMMARY", "summary.md");
    let runs: [&[&str]; 14] = [
        &["check"],
        &["check", "-v"],
        &["check", "--format", "github"],
        &["check", "--format", "junit"],
        &["check", "--format", "json"],
        &["lint", "pb"],
        &["lint", "--format", "github", "pb"],
        &["status"],
        &["status", "--format", "json"],
        &["list"],
        &["explain", "evil/q1"],
        &["report"],
        &["history"],
        &["diff"],
    ];
    for args in runs {
        let out = t.exec_any(args);
        assert!(out.code == 0 || out.code == 1, "{args:?}: {}", out.stderr);
        let github = args.contains(&"github");
        assert_safe(&format!("{args:?} stdout"), &out.stdout, github);
        assert_safe(&format!("{args:?} stderr"), &out.stderr, false);
        if args == ["report"] {
            t.exec(["report"], 0);
        }
    }
    for ext in ["md", "html"] {
        let text = t.read(&format!("readiness/reports/readiness-v1.{ext}"));
        assert_safe(ext, &text, false);
        assert!(text.contains("pwned"), "the text is kept, escaped: {text}");
    }
    assert_safe("step summary", &t.read("summary.md"), false);
}

// ------------------------------------------------------ a tiny terminal

fn audit_project() -> Test {
    Test::new()
        .file("pb/help-desk.md", PLAYBOOK)
        .file("supportcheck.yaml", "product: Acme\nchecklists: [pb]\n")
}

#[test]
fn the_audit_in_a_two_row_terminal_asks_with_a_plain_prompt() {
    for rows in [1, 2] {
        let t = audit_project();
        let mut a =
            crate::pty::spawn_audit_after(t.path(), &format!("stty rows {rows} cols 100"), &[]);
        a.expect("[1/2]");
        a.type_line("Answer (m=Met", "m");
        a.type_line("Note", "tracked in the desk");
        a.type_line("Evidence", "");
        a.type_line("Answer (m=Met", "q");
        let (code, _, all) = a.finish_code();
        assert_eq!(code, 0, "{rows} rows:\n{all}");
        assert!(!all.contains("panicked"), "{all}");
        let saved = t.read("readiness/answers.yaml");
        assert!(
            saved.contains("status: met") && saved.contains("tracked in the desk"),
            "{saved}"
        );
    }
}

#[test]
fn a_resize_to_one_row_during_the_menu_falls_back_without_a_panic() {
    let t = audit_project();
    let mut a = crate::pty::spawn_audit_after(
        t.path(),
        "stty rows 24 cols 100\n(while [ ! -e resize.now ]; do sleep 0.05; done; stty rows 1 cols 100 < /dev/tty) &",
        &[],
    );
    a.expect("[1/2]");
    a.expect(crate::pty::MENU_END);
    std::fs::write(t.path().join("resize.now"), "").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(800));
    a.send("\x1b[B"); // the menu redraws at the new size
    a.type_line("Answer (m=Met", "p");
    a.type_line("Note", "half done");
    a.type_line("Evidence", "");
    // The follow-up action offered after a partial answer, at one row too.
    a.type_line("Follow-up action", "finish it");
    a.type_line("Who does it", "");
    a.type_line("Due date", "2026-12-01");
    a.type_line("Answer (m=Met", "q");
    let (code, _, all) = a.finish_code();
    assert_eq!(code, 0, "{all}");
    assert!(!all.contains("panicked"), "{all}");
    let saved = t.read("readiness/answers.yaml");
    assert!(saved.contains("status: partial"), "{saved}");
    assert!(
        saved.contains("    action:\n      what: finish it\n      due: 2026-12-01\n"),
        "{saved}"
    );
}

#[test]
fn kill_9_during_report_never_leaves_a_broken_chain_or_temp_files_behind() {
    let mut answers = String::from("format: 1\nanswers:\n");
    for i in 1..=1500 {
        answers.push_str(&format!(
            "  heavy/q{i}:\n    status: {}\n    note: \"note {i} with some words in it\"\n",
            ["met", "partial", "unmet"][i % 3]
        ));
    }
    let t = Test::new()
        .file("pb/heavy.md", weighted(1500, "1"))
        .file("supportcheck.yaml", "checklists: [pb]\n")
        .file("readiness/answers.yaml", answers);
    let dir = reports(&t);
    let bin = assert_cmd::cargo::cargo_bin("supportcheck");
    // Delays spread over the run, closer together near its end, where the
    // files are staged and placed (a debug build takes about 0.5 s here).
    for delay_ms in [
        0u64, 100, 200, 280, 320, 350, 380, 410, 440, 480, 540, 650, 800,
    ] {
        let mut child = std::process::Command::new(&bin)
            .current_dir(t.path())
            // The test's clock: a version dated after it is a chain problem.
            .env("SUPPORTCHECK_NOW", "2026-11-23T12:00:00Z")
            .args(["-q", "report"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        t.exec(["report"], 0);
        let files = names(&dir);
        assert!(
            !files.iter().any(|f| f.ends_with(".tmp")),
            "after a kill at {delay_ms} ms and a new report: {files:?}"
        );
        let out = t.exec_any(["history", "--verify"]);
        for line in out.stdout.lines().filter(|l| l.contains("error[chain]")) {
            assert!(
                line.contains("not committed") || line.contains("incomplete"),
                "kill at {delay_ms} ms: {line}\n{}",
                out.stdout
            );
        }
        // Every committed version has all three of its files.
        let index = std::fs::read_to_string(dir.join("index.jsonl")).unwrap();
        for line in index.lines() {
            let e: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(e["files"].as_object().unwrap().len(), 3, "{line}");
        }
    }
}
