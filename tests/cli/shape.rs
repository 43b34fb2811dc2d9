//! The shape of the core's code: no function body longer than a reader can
//! hold in mind (docs/development.md, "Keeping functions short"). The check
//! parses every `.rs` file of the core with syn and measures each function
//! and method body outside `#[cfg(test)]` and `#[test]`, in lines from its
//! opening brace to its closing one.

use crate::support::repo;
use std::path::Path;
use syn::visit::Visit;

/// The longest body a function of the core may have, in lines.
const MAX_LINES: usize = 80;

/// Functions longer than [`MAX_LINES`] today, as `file: name`. This list may
/// only shrink: split a function rather than add it here.
const ALLOWED: &[&str] = &[];

#[test]
fn no_function_of_the_core_is_longer_than_80_lines() {
    let src = repo().join("crates/supportcheck-core/src");
    let found = long_functions(&src);
    assert!(found.seen > 500, "only {} functions seen", found.seen);
    let new: Vec<_> = found
        .long
        .iter()
        .filter(|(name, _)| !ALLOWED.contains(&name.as_str()))
        .map(|(name, lines)| format!("{name} is {lines} lines (at most {MAX_LINES})"))
        .collect();
    assert!(new.is_empty(), "split these:\n{}", new.join("\n"));
    let stale: Vec<_> = ALLOWED
        .iter()
        .filter(|a| !found.long.iter().any(|(name, _)| name == *a))
        .collect();
    assert!(
        stale.is_empty(),
        "{stale:?} are short now (or gone): remove them from ALLOWED"
    );
}

#[test]
fn the_shape_check_measures_methods_and_skips_tests() {
    let dir = tempfile::tempdir().unwrap();
    let body = |n: usize| format!("{{\n{}}}\n", "    let _x = 1;\n".repeat(n));
    let text = format!(
        "fn short() {}\nfn long() {}\nstruct S;\nimpl S {{\n    fn method(&self) {}\n}}\n#[cfg(test)]\nmod tests {{\n    fn helper() {}\n}}\n#[test]\nfn a_test() {}\n",
        body(3),
        body(MAX_LINES),
        body(MAX_LINES),
        body(MAX_LINES * 2),
        body(MAX_LINES * 2),
    );
    std::fs::write(dir.path().join("lib.rs"), text).unwrap();
    let found = long_functions(dir.path());
    assert_eq!(found.seen, 3, "{found:?}");
    let names: Vec<_> = found.long.iter().map(|(n, l)| format!("{n} {l}")).collect();
    // The body of `long` spans its braces: MAX_LINES statements and two more lines.
    let lines = MAX_LINES + 2;
    assert_eq!(
        names,
        [
            format!("lib.rs: long {lines}"),
            format!("lib.rs: S::method {lines}")
        ]
    );
}

#[derive(Debug, Default)]
struct Found {
    /// `file: name` and its length, of every function over the limit.
    long: Vec<(String, usize)>,
    /// Functions measured: proof that the check saw the code.
    seen: usize,
}

/// Every function over [`MAX_LINES`] in the `.rs` files under `src`.
fn long_functions(src: &Path) -> Found {
    let mut found = Found::default();
    for entry in walkdir::WalkDir::new(src).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let shown = entry
            .path()
            .strip_prefix(src)
            .unwrap()
            .display()
            .to_string();
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{shown}: {e}"));
        let mut bodies = Bodies {
            file: &shown,
            owner: None,
            found: &mut found,
        };
        bodies.visit_file(&file);
    }
    found
}

struct Bodies<'a> {
    file: &'a str,
    /// The type of the `impl` being walked.
    owner: Option<String>,
    found: &'a mut Found,
}

impl Bodies<'_> {
    fn measure(&mut self, name: &syn::Ident, block: &syn::Block) {
        let open = block.brace_token.span.open().start().line;
        let close = block.brace_token.span.close().end().line;
        assert!(
            open > 0,
            "no line numbers: syn needs proc-macro2's span-locations"
        );
        self.found.seen += 1;
        let lines = close - open + 1;
        if lines > MAX_LINES {
            let name = match &self.owner {
                Some(owner) => format!("{}: {owner}::{name}", self.file),
                None => format!("{}: {name}", self.file),
            };
            self.found.long.push((name, lines));
        }
    }
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        (a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test"))
            || a.path().is_ident("test")
    })
}

impl<'ast> Visit<'ast> for Bodies<'_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if !is_test_only(&m.attrs) {
            syn::visit::visit_item_mod(self, m);
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if !is_test_only(&f.attrs) {
            self.measure(&f.sig.ident, &f.block);
            syn::visit::visit_item_fn(self, f);
        }
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        if is_test_only(&i.attrs) {
            return;
        }
        let owner = match &*i.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        let outer = std::mem::replace(&mut self.owner, owner);
        syn::visit::visit_item_impl(self, i);
        self.owner = outer;
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if let Some(block) = &f.default
            && !is_test_only(&f.attrs)
        {
            self.measure(&f.sig.ident, block);
        }
        syn::visit::visit_trait_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if !is_test_only(&f.attrs) {
            self.measure(&f.sig.ident, &f.block);
            syn::visit::visit_impl_item_fn(self, f);
        }
    }
}
