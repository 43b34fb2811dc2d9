//! `supportcheck portfolio`: finds products under the given folders, reads
//! each one's reports (or scores its answers, with `--live`) in parallel, and
//! prints them side by side, with an optional gate over all of them.

use super::{Project, Ui, emit, now};
use crate::Exit;
use crate::cli::{Global, PortfolioArgs, PortfolioFormat};
use crate::portfolio::{self as model, Chain, Filter, Product, Record, Source, State};
use crate::render::portfolio as render;
use crate::store::portfolio::{Found, check_newest, discover, read_reports, show};
use crate::store::{reports, write_atomic};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub fn run(g: &Global, ui: &Ui, args: &PortfolioArgs) -> Result<Exit> {
    // SUPPORTCHECK_DIR names the project of the other commands: set in the
    // environment, it is not a `-C` given to portfolio.
    let from_env = std::env::var_os("SUPPORTCHECK_DIR")
        .is_some_and(|v| g.dir.as_deref() == Some(std::path::Path::new(&v)));
    let dir = g.dir.is_some() && !from_env;
    if dir || g.config.is_some() || !g.checklists.is_empty() || g.answers.is_some() {
        bail!(
            "portfolio reads each project with its own settings; -C, --config, --checklists and --answers do not apply\nhelp: name the folders to search: supportcheck portfolio DIR..."
        );
    }
    let found = discover(&args.paths)?;
    let progress = ui.progress(&format!(
        "reading {}…",
        crate::render::count(found.len(), "product")
    ));
    let quiet = Ui {
        quiet: true,
        ..ui.clone()
    };
    let now = now();
    let filter = Filter {
        states: args.level.clone(),
        older_than: args.older_than,
    };
    // Read every product, keep those the filters ask for, and only then
    // check their chains (the costly part of --verify).
    let mut products: Vec<Product> = found
        .par_iter()
        .filter_map(|f| {
            // The gate and --verify judge the index only once its newest
            // line is checked against the JSON it commits.
            let check = args.verify || !args.fail_if.is_empty();
            let mut p = read_product(f, args.live, check, &quiet);
            p.set_age(now);
            if !filter.keeps(&p) {
                return None;
            }
            // A folder without reports has no chain to check.
            if args.verify && f.problem.is_none() && p.state() != State::NoReports {
                p.chain = Some(verify(&f.reports, now));
            }
            Some(p)
        })
        .collect();
    progress.done();

    model::sort(&mut products, args.sort);
    let counts = model::counts(&products);
    let generated_at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);

    let text = match args.format {
        PortfolioFormat::Table => {
            let width = std::io::stdout().is_terminal().then_some(ui.width);
            let mut t = render::table(&products, width, console::colors_enabled());
            t.push_str(&counts.line());
            t.push('\n');
            t
        }
        PortfolioFormat::Json => render::json(&products, &counts, &generated_at)?,
        PortfolioFormat::Md => render::markdown(&products, &counts),
        PortfolioFormat::Csv => render::csv(&products)?,
        PortfolioFormat::Html => {
            let base = match args.output.as_deref().filter(|p| !super::is_stdout(p)) {
                Some(out) => out.parent().map(Path::to_path_buf).unwrap_or_default(),
                None => PathBuf::new(),
            };
            let links = links(&products, &base)?;
            render::html(&products, &counts, &generated_at, &links)?
        }
    };
    match args.output.as_deref().filter(|p| !super::is_stdout(p)) {
        Some(path) => write_atomic(path, text.as_bytes())?,
        None => emit(&text)?,
    }

    // Why the run exits 1 is said even with -q.
    let mut exit = Exit::Ok;
    if counts.broken_chains > 0 {
        eprintln!(
            "error: {} with a broken report chain",
            crate::render::count(counts.broken_chains, "product")
        );
        exit = Exit::Findings;
    }
    // Fail closed: a product that could not be read fails every condition.
    let unreadable: Vec<String> = products
        .iter()
        .filter(|p| p.unreadable())
        .map(|p| render::plain(&p.name))
        .collect();
    if !args.fail_if.is_empty() && !unreadable.is_empty() {
        eprintln!(
            "portfolio gate failed: {} product(s) could not be read, which fails every --fail-if condition: {}",
            unreadable.len(),
            name_list(&unreadable)
        );
        exit = Exit::Findings;
    }
    for condition in &args.fail_if {
        let hits: Vec<String> = products
            .iter()
            .filter(|p| !p.unreadable() && condition.matches(p))
            .map(|p| render::plain(&p.name))
            .collect();
        if !hits.is_empty() {
            eprintln!(
                "portfolio gate failed: {}: {}",
                condition.sentence(hits.len()),
                name_list(&hits)
            );
            exit = Exit::Findings;
        }
    }
    Ok(exit)
}

/// Names for a message: the first twenty, then how many more.
fn name_list(names: &[String]) -> String {
    const SHOWN: usize = 20;
    let mut text = names[..names.len().min(SHOWN)].join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

/// One product's row: its latest record, or why there is none.
fn read_product(f: &Found, live: bool, check: bool, ui: &Ui) -> Product {
    let mut p = Product::empty(
        f.name.clone().unwrap_or_default(),
        show(&f.path),
        show(&f.reports),
        f.problem.clone(),
    );
    let reported = if f.problem.is_some() {
        None
    } else {
        match read_reports(&f.reports) {
            Ok(r) => r,
            Err(e) => {
                p.problem = Some(e);
                None
            }
        }
    };
    let reported = match reported {
        Some((_, Source::Index)) if check && !live => match check_newest(&f.reports) {
            Ok(None) => reported,
            // The index was edited: what its JSON says is shown and judged.
            Ok(Some((why, record))) => {
                p.problem = Some(why);
                Some((record, Source::Report))
            }
            Err(why) => {
                p.problem = Some(why);
                None
            }
        },
        other => other,
    };
    let html = |r: &Record| r.html.as_ref().map(|h| show(&f.reports.join(h)));
    if live && f.project && f.problem.is_none() {
        match evaluate(&f.path, ui) {
            Ok(report) => {
                let record = model::from_live(&report, reported.as_ref().map(|(r, _)| r));
                let link = html(&record);
                model::apply(&mut p, record, Source::Live, link);
            }
            Err(e) => p.problem = Some(format!("{}: {e:#}", show(&f.path))),
        }
    } else if let Some((record, source)) = reported {
        let link = html(&record);
        model::apply(&mut p, record, source, link);
    }
    if p.name.is_empty() {
        p.name = match f.path.file_name() {
            Some(n) if f.project => n.to_string_lossy().into_owned(),
            _ => show(&f.path),
        };
    }
    p
}

/// Scores a project's current answers, as `status` does.
fn evaluate(dir: &Path, ui: &Ui) -> Result<crate::report::Report> {
    let global = Global {
        dir: Some(dir.to_path_buf()),
        quiet: true,
        ..Global::default()
    };
    let project = Project::open(&global)?;
    Ok(project.evaluate(ui, &project.gate())?.report)
}

fn verify(dir: &Path, now: chrono::DateTime<chrono::Utc>) -> Chain {
    match reports::verify(dir, now) {
        Ok(check) if check.problems.is_empty() => Chain::Intact,
        Ok(check) => Chain::Broken(
            check
                .problems
                .into_iter()
                .map(|p| match p.report_version {
                    0 => format!("{}: {}", p.file, p.problem),
                    n => format!("v{n}: {}", p.problem),
                })
                .collect(),
        ),
        Err(e) => Chain::Broken(vec![format!("{e:#}")]),
    }
}

/// Each product's latest HTML report relative to the folder the dashboard
/// is written to.
fn links(products: &[Product], base: &Path) -> Result<Vec<Option<String>>> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let base = cwd.join(base);
    Ok(products
        .iter()
        .map(|p| {
            p.html.as_ref().map(|h| {
                let rel = model::relative_path(&cwd.join(h), &base);
                rel.to_string_lossy().replace('\\', "/")
            })
        })
        .collect())
}
