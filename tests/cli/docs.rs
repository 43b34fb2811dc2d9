//! Keeps the docs honest: the README's help block, the examples and the built-in set.

use crate::support::{Test, repo};

#[test]
fn readme_help_block_matches_the_binary() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
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
        "README help block is out of date: paste the output of `supportcheck --help`"
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

/// The layers of README.md's "Architecture", top to bottom: a module may
/// use only modules below it, so there are no loops. `fuzz` (test-only)
/// sits on top.
const LAYERS: [&str; 24] = [
    "fuzz",
    "commands",
    "prober",
    "store",
    "terminal",
    "sheet",
    "render",
    "schema",
    "cli",
    "portfolio",
    "report",
    "audit",
    "score",
    "conditions",
    "probe",
    "team",
    "answers",
    "config",
    "gate",
    "playbook",
    "diagnostic",
    "suggest",
    "exit",
    "safe_text",
];

#[test]
fn no_module_uses_one_above_it() {
    let src = repo().join("src");
    let mut edges = 0;
    for entry in walkdir::WalkDir::new(&src) {
        let path = entry.unwrap().into_path();
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if !rel.ends_with(".rs") || ["lib.rs", "main.rs"].contains(&rel.as_str()) {
            continue;
        }
        let module = rel.split(['/', '.']).next().unwrap();
        // Test-only files, declared `#[cfg(test)] mod name;` by their parent.
        let stem = path.file_stem().unwrap().to_string_lossy();
        let parent = path.parent().unwrap().join("mod.rs");
        if std::fs::read_to_string(parent)
            .is_ok_and(|p| p.contains(&format!("#[cfg(test)]\nmod {stem};")))
        {
            continue;
        }
        let Some(level) = LAYERS.iter().position(|m| *m == module) else {
            panic!("src/{rel}: module `{module}` is not in LAYERS (add it where it belongs)");
        };
        let text = std::fs::read_to_string(&path).unwrap();
        // Unit tests may reach anywhere; the code above them may not.
        let code = text.split("#[cfg(test)]\nmod ").next().unwrap();
        for (at, _) in code.match_indices("crate::") {
            let used: String = code[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            let Some(used_level) = LAYERS.iter().position(|m| *m == used) else {
                continue; // `crate::Exit` and other root items
            };
            assert!(
                used_level >= level,
                "src/{rel} uses `{used}`, which is above `{module}`"
            );
            edges += usize::from(used_level > level);
        }
    }
    assert!(edges > 50, "only {edges} uses between modules found");
}
