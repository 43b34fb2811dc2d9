//! The shape of the core's code: no function body longer or deeper than a
//! reader can hold in mind (docs/development.md, "Keeping functions short").
//! The check parses every `.rs` file of the core with syn and measures each
//! function and method body outside `#[cfg(test)]` and `#[test]`: its length
//! in lines from its opening brace to its closing one, and how deep its
//! blocks nest (see [`Depth`] for what counts as a level).

use crate::support::repo;
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// The longest body a function of the core may have, in lines.
const MAX_LINES: usize = 80;

/// The deepest nesting a function of the core may have, in levels (see
/// [`Depth`]): 5 levels is one too many.
const MAX_DEPTH: usize = 4;

#[test]
fn no_function_of_the_core_is_longer_than_80_lines() {
    let src = repo().join("crates/supportcheck-core/src");
    let found = measure(&src);
    assert!(found.seen > 500, "only {} functions seen", found.seen);
    let new: Vec<_> = found
        .long
        .iter()
        .map(|(name, lines)| format!("{name} is {lines} lines (at most {MAX_LINES})"))
        .collect();
    assert!(new.is_empty(), "split these:\n{}", new.join("\n"));
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
    let found = measure(dir.path());
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

#[test]
fn no_function_of_the_core_nests_5_deep() {
    let src = repo().join("crates/supportcheck-core/src");
    let found = measure(&src);
    assert!(found.seen > 500, "only {} functions seen", found.seen);
    let new: Vec<_> = found
        .deep
        .iter()
        .map(|(name, depth)| format!("{name} nests {depth} deep (at most {MAX_DEPTH})"))
        .collect();
    assert!(new.is_empty(), "flatten these:\n{}", new.join("\n"));
}

/// Each construct that opens a level, nested [`MAX_DEPTH`] and one more
/// times: only the second is reported, at exactly one level past the limit.
#[test]
fn the_shape_check_counts_each_nesting_construct_once_and_skips_tests() {
    let constructs = [
        ("if", "if a { @ }"),
        ("if_let", "if let Some(x) = y { @ }"),
        ("else_if", "if a {} else if b { @ }"),
        ("else", "if a {} else { @ }"),
        ("let_else", "let Some(x) = y else { @ return; };"),
        ("match_arm", "match x { 1 => {} _ => { @ } }"),
        ("for", "for i in x { @ }"),
        ("while", "while a { @ }"),
        ("while_let", "while let Some(x) = y { @ }"),
        ("loop", "loop { @ }"),
        ("closure", "let f = |x| { @ };"),
        ("block", "let v = { @ };"),
        ("unsafe", "unsafe { @ }"),
        ("macro", "let v = vec![{ @ }];"),
    ];
    let nest = |construct: &str, times: usize| {
        (0..times).fold("x;".to_string(), |inner, _| construct.replace('@', &inner))
    };
    let mut text = String::new();
    let mut expected = Vec::new();
    for (name, construct) in constructs {
        let (fit, deep) = (nest(construct, MAX_DEPTH), nest(construct, MAX_DEPTH + 1));
        text += &format!("fn {name}_fits() {{ {fit} }}\nfn {name}_deep() {{ {deep} }}\n");
        expected.push(format!("lib.rs: {name}_deep {}", MAX_DEPTH + 1));
    }
    // An `else if` chain is one level, however long; a condition sits at the
    // level of its `if`, a guard at the level of its arm.
    let ifs = nest("if a { @ }", MAX_DEPTH);
    text += &format!("fn chain() {{ if a {{}} else if b {{}} else if c {{}} else {{ {ifs} }} }}\n");
    text += &format!("fn condition() {{ if (|| {{ {ifs} }})() {{}} }}\n");
    let fewer = nest("if a { @ }", MAX_DEPTH - 1);
    text += &format!("fn guard() {{ match x {{ _ if (|| {{ {fewer} }})() => {{}} }} }}\n");
    for name in ["chain", "condition", "guard"] {
        expected.push(format!("lib.rs: {name} {}", MAX_DEPTH + 1));
    }
    // A function inside a function starts again from level 0.
    let deep = nest("if a { @ }", MAX_DEPTH + 1);
    text += &format!("fn outer() {{ if a {{ fn inner() {{ {deep} }} }} }}\n");
    expected.push(format!("lib.rs: inner {}", MAX_DEPTH + 1));
    text += &format!("struct S;\nimpl S {{\n    fn method(&self) {{ {deep} }}\n}}\n");
    expected.push(format!("lib.rs: S::method {}", MAX_DEPTH + 1));
    text += &format!("#[cfg(test)]\nmod tests {{\n    fn helper() {{ {deep} }}\n}}\n");
    text += &format!("#[test]\nfn a_test() {{ {deep} }}\n");
    text += "#[cfg(test)]\nmod more;\n";

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lib.rs"), text).unwrap();
    std::fs::create_dir(dir.path().join("more")).unwrap();
    let helper = format!("fn helper() {{ {deep} }}\n");
    std::fs::write(dir.path().join("more.rs"), &helper).unwrap();
    std::fs::write(dir.path().join("more/inner.rs"), &helper).unwrap();
    let found = measure(dir.path());
    assert_eq!(found.seen, 2 * constructs.len() + 6, "{found:?}");
    let names: Vec<_> = found.deep.iter().map(|(n, d)| format!("{n} {d}")).collect();
    assert_eq!(names, expected);
}

#[derive(Debug, Default)]
struct Found {
    /// `file: name` and its length, of every function over [`MAX_LINES`].
    long: Vec<(String, usize)>,
    /// `file: name` and its depth, of every function over [`MAX_DEPTH`].
    deep: Vec<(String, usize)>,
    /// Functions measured: proof that the check saw the code.
    seen: usize,
}

/// Every function over [`MAX_LINES`] or [`MAX_DEPTH`] in the `.rs` files
/// under `src`, but for the files of modules declared `#[cfg(test)]`.
fn measure(src: &Path) -> Found {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(src).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let path = entry.path().strip_prefix(src).unwrap().to_path_buf();
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        files.push((path, file));
    }
    let tests: Vec<_> = files
        .iter()
        .flat_map(|(path, file)| test_modules(path, file))
        .collect();
    let mut found = Found::default();
    for (path, file) in &files {
        let in_tests = |t: &PathBuf| path.starts_with(t) || *path == t.with_extension("rs");
        if tests.iter().any(in_tests) {
            continue;
        }
        let shown = path.display().to_string();
        let mut bodies = Bodies {
            file: &shown,
            owner: None,
            found: &mut found,
        };
        bodies.visit_file(file);
    }
    found
}

/// Where the modules that `file` declares `#[cfg(test)]` in files of their
/// own live, without the `.rs`: `score/tests` for `mod tests;` in
/// `score/mod.rs`, `portfolio/tests` for it in `portfolio.rs`.
fn test_modules(path: &Path, file: &syn::File) -> Vec<PathBuf> {
    let stem = path.file_stem().and_then(|s| s.to_str());
    let dir = match stem {
        Some("lib" | "main" | "mod") => path.parent().unwrap().to_path_buf(),
        _ => path.with_extension(""),
    };
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) if m.content.is_none() && is_test_only(&m.attrs) => {
                Some(dir.join(m.ident.to_string()))
            }
            _ => None,
        })
        .collect()
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
        let name = match &self.owner {
            Some(owner) => format!("{}: {owner}::{name}", self.file),
            None => format!("{}: {name}", self.file),
        };
        let lines = close - open + 1;
        if lines > MAX_LINES {
            self.found.long.push((name.clone(), lines));
        }
        let depth = Depth::of(block);
        if depth > MAX_DEPTH {
            self.found.deep.push((name, depth));
        }
    }
}

/// How deep the blocks of one function body nest. The body is level 0, and
/// each of these opens one level more for what is inside it:
/// - the block of an `if` or `if let`; each `else if` and `else` block sits
///   at the level of the first one (a chain is one level, however long), and
///   the `else` block of a `let ... else` counts like an `if`;
/// - the arms of a `match`: one level for the match and its arms together (a
///   `{}` around an arm's body is that arm, not one more level), guards
///   included;
/// - the body of a `for`, `while`, `while let` or `loop`;
/// - the body of a closure (again, its `{}` is not one more level);
/// - a block written as an expression: `{}`, `unsafe {}`, `async {}`,
///   `const {}`, a labelled block.
///
/// A condition, a scrutinee or a loop's iterator stays at the level of its
/// construct. A function or `impl` inside the body is measured on its own,
/// from level 0. Macro arguments are walked when they read as expressions
/// separated by commas (`vec!`, `format!`, `assert!`), else not at all.
///
/// So `fn f() { for .. { if .. { match .. { _ => { if .. { x } } } } } }`
/// reaches level 4 at `x`: the deepest the core allows.
#[derive(Default)]
struct Depth {
    level: usize,
    deepest: usize,
}

impl Depth {
    fn of(body: &syn::Block) -> usize {
        let mut depth = Depth::default();
        depth.visit_block(body);
        depth.deepest
    }

    /// Walks `visit` one level deeper.
    fn deeper(&mut self, visit: impl FnOnce(&mut Self)) {
        self.level += 1;
        self.deepest = self.deepest.max(self.level);
        visit(self);
        self.level -= 1;
    }

    /// Walks the body of a construct that opened a level already: a plain
    /// `{}` around it is that level, not one more.
    fn body(&mut self, body: &syn::Expr) {
        match body {
            syn::Expr::Block(b) if b.label.is_none() && b.attrs.is_empty() => {
                self.visit_block(&b.block);
            }
            _ => self.visit_expr(body),
        }
    }

    /// An `if` and its `else if` and `else` blocks, each one level deeper
    /// than the `if`.
    fn branches(&mut self, i: &syn::ExprIf) {
        self.visit_expr(&i.cond);
        self.deeper(|d| d.visit_block(&i.then_branch));
        match i.else_branch.as_ref().map(|(_, e)| &**e) {
            Some(syn::Expr::If(next)) => self.branches(next),
            Some(other) => self.deeper(|d| d.body(other)),
            None => {}
        }
    }
}

impl<'ast> Visit<'ast> for Depth {
    fn visit_item(&mut self, _: &'ast syn::Item) {}

    fn visit_expr_if(&mut self, i: &'ast syn::ExprIf) {
        self.branches(i);
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        self.visit_pat(&l.pat);
        if let Some(init) = &l.init {
            self.visit_expr(&init.expr);
            if let Some((_, diverge)) = &init.diverge {
                self.deeper(|d| d.body(diverge));
            }
        }
    }

    fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
        self.visit_expr(&m.expr);
        self.deeper(|d| {
            for arm in &m.arms {
                d.visit_pat(&arm.pat);
                if let Some((_, guard)) = &arm.guard {
                    d.visit_expr(guard);
                }
                d.body(&arm.body);
            }
        });
    }

    fn visit_expr_for_loop(&mut self, f: &'ast syn::ExprForLoop) {
        self.visit_expr(&f.expr);
        self.deeper(|d| d.visit_block(&f.body));
    }

    fn visit_expr_while(&mut self, w: &'ast syn::ExprWhile) {
        self.visit_expr(&w.cond);
        self.deeper(|d| d.visit_block(&w.body));
    }

    fn visit_expr_loop(&mut self, l: &'ast syn::ExprLoop) {
        self.deeper(|d| d.visit_block(&l.body));
    }

    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        self.deeper(|d| d.body(&c.body));
    }

    fn visit_expr_block(&mut self, b: &'ast syn::ExprBlock) {
        self.deeper(|d| d.visit_block(&b.block));
    }

    fn visit_expr_unsafe(&mut self, u: &'ast syn::ExprUnsafe) {
        self.deeper(|d| d.visit_block(&u.block));
    }

    fn visit_expr_async(&mut self, a: &'ast syn::ExprAsync) {
        self.deeper(|d| d.visit_block(&a.block));
    }

    fn visit_expr_const(&mut self, c: &'ast syn::ExprConst) {
        self.deeper(|d| d.visit_block(&c.block));
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        let args = m.parse_body_with(
            syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
        );
        for arg in args.iter().flatten() {
            self.visit_expr(arg);
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
