//! Keeps the docs honest: the help block in docs/commands.md, the book's
//! table of contents, the README's length, the examples and the built-in set.

use crate::support::{Test, repo};

#[test]
fn commands_page_help_block_matches_the_binary() {
    let readme = std::fs::read_to_string(repo().join("docs/commands.md")).unwrap();
    let start = readme
        .find("<!-- help:start -->")
        .expect("help block start");
    let end = readme.find("<!-- help:end -->").expect("help block end");
    let block = &readme[start..end];
    let body = block
        .split_once("```text\n")
        .and_then(|(_, rest)| rest.rsplit_once("```"))
        .map(|(b, _)| b)
        .expect("fenced help");
    let out = Test::new().args(["--help"]).status(0);
    assert_eq!(
        body.trim_end(),
        out.stdout.trim_end(),
        "docs/commands.md help block is out of date: paste the output of `supportcheck --help`"
    );
}

#[test]
fn the_builtin_set_lints_clean_with_warnings_denied() {
    let out = Test::new()
        .args(["lint", "--deny-warnings", "--checklists", "builtin"])
        .status(0);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
}

#[test]
fn the_checklists_folder_is_what_is_embedded() {
    let dir = repo().join("checklists");
    let from_disk = Test::new()
        .args([
            "list",
            "--format",
            "json",
            "--checklists",
            dir.to_str().unwrap(),
        ])
        .status(0);
    let embedded = Test::new().args(["list", "--format", "json"]).status(0);
    let ids = |s: &str| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(s).unwrap();
        v["playbooks"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["questions"].as_array().unwrap().iter())
            .map(|q| q["id"].as_str().unwrap().to_string())
            .collect()
    };
    let disk = ids(&from_disk.stdout);
    assert!(disk.len() >= 50, "the built-in set has 50+ questions");
    assert_eq!(disk, ids(&embedded.stdout));
}

#[test]
fn the_example_project_lints_clean() {
    let acme = repo().join("examples/acme");
    Test::new()
        .args(["-C", acme.to_str().unwrap(), "lint", "--deny-warnings"])
        .status(0);
}

#[test]
fn the_example_template_renders() {
    let acme = repo().join("examples/acme");
    let t = Test::new();
    let out_dir = t.path().join("reports");
    let template = repo().join("examples/templates/consultant.md.j2");
    let out = t.exec(
        [
            "-C",
            acme.to_str().unwrap(),
            "report",
            "--format",
            "json",
            "--out",
            out_dir.to_str().unwrap(),
            "--template",
            template.to_str().unwrap(),
        ],
        0,
    );
    assert!(
        out.stdout.contains("readiness-v1-consultant.md"),
        "{}",
        out.stdout
    );
    let text = std::fs::read_to_string(out_dir.join("readiness-v1-consultant.md")).unwrap();
    assert!(
        text.contains("# Acme Helpdesk: support readiness review"),
        "{text}"
    );
    assert!(text.contains("not ready yet"), "{text}");
    assert!(text.contains("| Support channels |"), "{text}");
}

#[test]
fn man_page_has_exit_status_and_files() {
    let out = Test::new().args(["man"]).status(0);
    assert!(out.stdout.contains(".SH \"EXIT STATUS\""));
    assert!(out.stdout.contains(".SH FILES"));
    assert!(out.stdout.contains("audit"));
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = Test::new().args(["completions", shell]).status(0);
        assert!(out.stdout.contains("supportcheck"), "{shell}");
        assert!(out.stdout.contains("audit"), "{shell}");
    }
}

/// Every relative link in the README and docs/ names a file in the tree.
#[test]
fn links_in_the_docs_point_at_files_in_the_tree() {
    let mut pages = vec![repo().join("README.md")];
    for entry in std::fs::read_dir(repo().join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    assert!(pages.len() > 4, "{pages:?}");
    let mut checked = 0;
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        for (at, _) in text.match_indices("](") {
            let rest = &text[at + 2..];
            let target = &rest[..rest.find(')').unwrap_or(0)];
            let file = target.split('#').next().unwrap_or_default();
            if file.is_empty() || file.contains("://") {
                continue;
            }
            let full = page.parent().unwrap().join(file);
            assert!(full.exists(), "{}: broken link {target}", page.display());
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} links checked");
}

/// The links of docs/SUMMARY.md that name a page (mdBook's table of contents).
fn summary_pages() -> Vec<String> {
    let summary = std::fs::read_to_string(repo().join("docs/SUMMARY.md")).unwrap();
    summary
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("- ["))
        .filter_map(|rest| rest.split_once("](").map(|(_, target)| target))
        .map(|target| target[..target.find(')').unwrap_or(target.len())].to_string())
        .collect()
}

/// docs/ is an mdBook: every page in docs/*.md is in its table of contents,
/// once, and every entry names a page in the tree.
#[test]
fn the_book_summary_lists_every_page_and_only_pages_that_exist() {
    let docs = repo().join("docs");
    let book = std::fs::read_to_string(docs.join("book.toml")).unwrap();
    assert!(book.contains("src = \".\""), "{book}");
    let listed = summary_pages();
    assert!(listed.len() >= 15, "{listed:?}");
    for page in &listed {
        assert_eq!(
            listed.iter().filter(|p| *p == page).count(),
            1,
            "docs/SUMMARY.md lists {page} twice"
        );
        assert!(
            docs.join(page).is_file(),
            "docs/SUMMARY.md names {page}, which is not in docs/"
        );
    }
    for entry in std::fs::read_dir(&docs).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") && name != "SUMMARY.md" {
            assert!(
                listed.contains(&name),
                "docs/{name} is not in docs/SUMMARY.md: add it where it belongs in the reading order"
            );
        }
    }
}

/// The README is what a new user reads in the first hour; the rest is in docs/.
#[test]
fn the_readme_stays_under_300_lines() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(
        lines < 300,
        "README.md has {lines} lines; move the detail into docs/"
    );
    for part in [
        "## Quick start",
        "## A short tour",
        "## CI in one screen",
        "docs/SUMMARY.md",
    ] {
        assert!(readme.contains(part), "README.md lost {part:?}");
    }
    assert!(
        readme.contains("cargo test"),
        "the quick start runs the tests"
    );
}
