//! The layers of docs/development.md's "Architecture": in each crate a module may use
//! only the modules below it, so no two modules use each other. The check
//! reads the code as the compiler does: it follows `mod` declarations from
//! the crate root, parses each file with syn, and looks at every `crate::`
//! path (grouped imports included); code under `#[cfg(test)]` may reach
//! anywhere. Crossing from the core crate into the shell cannot compile at
//! all: the core does not depend on the shell.

use crate::support::repo;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// The shell crate (`src/`), top to bottom. The core's modules, which the
/// shell re-exports under their own names, sit below all of these.
const SHELL: &[&str] = &[
    "fuzz", "commands", "prober", "terminal", "store", "cli", "exit", "error",
];

/// The core crate (`crates/supportcheck-core/src`), top to bottom.
const CORE: &[&str] = &[
    "bundle",
    "sheet",
    "render",
    "schema",
    "portfolio",
    "evaluate",
    "report",
    "audit",
    "score",
    "conditions",
    "probe",
    "team",
    "signature",
    "answers",
    "config",
    "gate",
    "playbook",
    "diagnostic",
    "suggest",
    "safe_text",
    "duration",
    "words",
];

#[test]
fn no_module_of_the_shell_uses_one_above_it() {
    let found = violations(&repo().join("src"), SHELL);
    assert!(found.errors.is_empty(), "{}", found.errors.join("\n"));
    assert!(
        found.edges > 20,
        "only {} uses between modules",
        found.edges
    );
}

#[test]
fn no_module_of_the_core_uses_one_above_it() {
    let found = violations(&repo().join("crates/supportcheck-core/src"), CORE);
    assert!(found.errors.is_empty(), "{}", found.errors.join("\n"));
    assert!(
        found.edges > 50,
        "only {} uses between modules",
        found.edges
    );
}

#[test]
fn the_layer_check_sees_grouped_imports_and_code_after_a_test_module() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    let write = |name: &str, text: &str| std::fs::write(src.join(name), text).unwrap();
    write(
        "lib.rs",
        "mod high;\nmod low;\nmod other;\n#[cfg(test)]\nmod tests;\n",
    );
    write("high.rs", "pub fn up() {}\n");
    // A test module first, then code that climbs through a grouped import.
    write(
        "low.rs",
        "#[cfg(test)]\nmod t {\n    use crate::high::up;\n}\nuse crate::{high::up};\npub fn f() { up() }\n",
    );
    // A path in an expression climbs too.
    write("other.rs", "pub fn g() { crate::high::up() }\n");
    // Test-only files may reach anywhere.
    write("tests.rs", "use crate::high::up;\n");
    let found = violations(src, &["high", "other", "low"]);
    assert_eq!(
        found.errors,
        [
            "low.rs uses `high`, which is above `low`",
            "other.rs uses `high`, which is above `other`",
        ],
        "{found:?}"
    );

    // Without the climbs, nothing is found.
    write(
        "low.rs",
        "#[cfg(test)]\nmod t {\n    use crate::high::up;\n}\npub fn f() {}\n",
    );
    write("other.rs", "pub fn g() {}\n");
    assert!(violations(src, &["high", "other", "low"]).errors.is_empty());
}

#[test]
fn every_module_has_a_layer() {
    for (dir, layers) in [
        (repo().join("src"), SHELL),
        (repo().join("crates/supportcheck-core/src"), CORE),
    ] {
        let found = violations(&dir, layers);
        let unknown: Vec<_> = found
            .modules
            .iter()
            .filter(|m| !layers.contains(&m.as_str()))
            .collect();
        assert!(
            unknown.is_empty(),
            "{}: modules {unknown:?} are not in the layer list (add them where they belong)",
            dir.display()
        );
    }
}

#[derive(Debug, Default)]
struct Found {
    errors: Vec<String>,
    /// Uses of a lower module: proof that the check saw something.
    edges: usize,
    /// The crate root's modules.
    modules: BTreeSet<String>,
}

/// Every use of a module above the one it is in, in the crate rooted at
/// `src/lib.rs`.
fn violations(src: &Path, layers: &[&str]) -> Found {
    let mut found = Found::default();
    let root = syn::parse_file(&std::fs::read_to_string(src.join("lib.rs")).unwrap()).unwrap();
    for (name, item) in modules(&root.items) {
        found.modules.insert(name.clone());
        let level = layers.iter().position(|m| *m == name);
        let mut files = Vec::new();
        match item {
            Some(items) => check_items(&items, &name, level, layers, "lib.rs", &mut found),
            None => files.push(module_file(src, &name)),
        }
        while let Some(path) = files.pop() {
            let shown = path.strip_prefix(src).unwrap().display().to_string();
            let file = syn::parse_file(&std::fs::read_to_string(&path).unwrap())
                .unwrap_or_else(|e| panic!("{shown}: {e}"));
            check_items(&file.items, &name, level, layers, &shown, &mut found);
            // Child modules in files of their own: beside a mod.rs, or in a
            // folder named after a non-mod file.
            let base = if path
                .file_name()
                .is_some_and(|f| f == "mod.rs" || f == "lib.rs")
            {
                path.parent().unwrap().to_path_buf()
            } else {
                path.with_extension("")
            };
            for (child, inline) in modules(&file.items) {
                if inline.is_none() {
                    files.push(module_file(&base, &child));
                }
            }
        }
    }
    found
}

/// The modules declared in `items` and not under `#[cfg(test)]`, with
/// their items when they are written inline.
fn modules(items: &[syn::Item]) -> Vec<(String, Option<Vec<syn::Item>>)> {
    items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) if !is_test_only(&m.attrs) => Some((
                m.ident.to_string(),
                m.content.as_ref().map(|(_, i)| i.clone()),
            )),
            _ => None,
        })
        .collect()
}

fn module_file(dir: &Path, name: &str) -> PathBuf {
    let file = dir.join(format!("{name}.rs"));
    if file.exists() {
        file
    } else {
        dir.join(name).join("mod.rs")
    }
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        (a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test"))
            || a.path().is_ident("test")
    })
}

fn check_items(
    items: &[syn::Item],
    module: &str,
    level: Option<usize>,
    layers: &[&str],
    shown: &str,
    found: &mut Found,
) {
    let mut uses = Uses::default();
    for item in items {
        uses.visit_item(item);
    }
    let Some(level) = level else { return };
    for used in uses.modules {
        let Some(used_level) = layers.iter().position(|m| *m == used) else {
            continue; // a root item (`crate::Exit`), or the core's modules from the shell
        };
        if used_level < level {
            found
                .errors
                .push(format!("{shown} uses `{used}`, which is above `{module}`"));
        }
        found.edges += usize::from(used_level > level);
    }
}

/// The first module name after `crate::` of every path, skipping test-only
/// items.
#[derive(Default)]
struct Uses {
    modules: Vec<String>,
}

impl Uses {
    fn tree(&mut self, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => self.modules.push(p.ident.to_string()),
            syn::UseTree::Name(n) => self.modules.push(n.ident.to_string()),
            syn::UseTree::Rename(r) => self.modules.push(r.ident.to_string()),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| self.tree(t)),
            syn::UseTree::Glob(_) => {}
        }
    }
}

impl<'ast> Visit<'ast> for Uses {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs: &[syn::Attribute] = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Const(c) => &c.attrs,
            syn::Item::Static(s) => &s.attrs,
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            syn::Item::Trait(t) => &t.attrs,
            _ => &[],
        };
        if !is_test_only(attrs) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        match &u.tree {
            syn::UseTree::Path(p) if p.ident == "crate" => self.tree(&p.tree),
            // `use crate::{a, b}` is a group under a path; a bare group at
            // the top (`use {crate::a}`) is not written in this code.
            _ => {}
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let mut segments = path.segments.iter();
        if segments.next().is_some_and(|s| s.ident == "crate")
            && let Some(next) = segments.next()
        {
            self.modules.push(next.ident.to_string());
        }
        syn::visit::visit_path(self, path);
    }
}

/// Counts go through `words::count` (`1 question`, `2 questions`): no
/// string in the code writes `question(s)`.
#[test]
fn no_message_counts_with_a_bracketed_plural() {
    let mut found = Vec::new();
    for root in ["src", "crates/supportcheck-core/src"] {
        for entry in walkdir::WalkDir::new(repo().join(root)).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry
                .path()
                .extension()
                .is_none_or(|e| e != "rs" && e != "j2")
            {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.trim_start();
                // `word(s)` inside a string literal: an odd number of quotes before it.
                let bracketed = code.match_indices("(s)").any(|(at, _)| {
                    code[..at].ends_with(|c: char| c.is_ascii_alphabetic())
                        && code[..at].replace("\\\"", "").matches('"').count() % 2 == 1
                });
                if bracketed && !code.starts_with("//") {
                    found.push(format!("{}:{}: {code}", entry.path().display(), n + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "use words::count:\n{}", found.join("\n"));
}
