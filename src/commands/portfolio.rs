//! `supportcheck portfolio`: finds products under the given folders, reads
//! each one's reports (or scores its answers, with `--live`) in parallel, and
//! prints them side by side, with an optional gate over all of them.

use super::{Project, Ui, emit, now};
use crate::Exit;
use crate::cli::{Global, PortfolioArgs, PortfolioFormat};
use crate::config::{self, Config};
use crate::portfolio::{self as model, Chain, Filter, Product, Record, Source};
use crate::render::portfolio as render;
use crate::report::history;
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

/// The largest index or JSON report read; a bigger one is listed as unreadable.
const MAX_READ: u64 = 512 * 1024 * 1024;

pub fn run(g: &Global, ui: &Ui, args: &PortfolioArgs) -> Result<Exit> {
    if g.dir.is_some() || g.config.is_some() || !g.checklists.is_empty() || g.answers.is_some() {
        bail!(
            "portfolio reads each project with its own settings; -C, --config, --checklists and --answers do not apply\nhelp: name the folders to search: supportcheck portfolio DIR..."
        );
    }
    let found = discover(&args.paths)?;
    let progress = ui.progress(&format!("reading {} product(s)…", found.len()));
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
            let mut p = read_product(f, args.live, &quiet);
            p.set_age(now);
            if !filter.keeps(&p) {
                return None;
            }
            if args.verify && f.problem.is_none() {
                p.chain = Some(verify(&f.reports));
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
            let mut t = render::table(&products, width, ui.color);
            t.push_str(&counts.line());
            t.push('\n');
            t
        }
        PortfolioFormat::Json => render::json(&products, &counts, &generated_at)?,
        PortfolioFormat::Md => render::markdown(&products, &counts),
        PortfolioFormat::Csv => render::csv(&products)?,
        PortfolioFormat::Html => {
            let base = match &args.output {
                Some(out) => out.parent().map(Path::to_path_buf).unwrap_or_default(),
                None => PathBuf::new(),
            };
            let links = links(&products, &base)?;
            render::html(&products, &counts, &generated_at, &links)?
        }
    };
    match &args.output {
        Some(path) => write_output(path, &text)?,
        None => emit(&text)?,
    }

    // Why the run exits 1 is said even with -q.
    let mut exit = Exit::Ok;
    if counts.broken_chains > 0 {
        eprintln!(
            "error: {} product(s) with a broken report chain",
            counts.broken_chains
        );
        exit = Exit::Findings;
    }
    for condition in &args.fail_if {
        let hits: Vec<String> = products
            .iter()
            .filter(|p| condition.matches(p))
            .map(|p| render::plain(&p.name))
            .collect();
        if !hits.is_empty() {
            eprintln!(
                "portfolio gate failed: {} product(s) {}: {}",
                hits.len(),
                condition.describe(),
                name_list(&hits)
            );
            exit = Exit::Findings;
        }
    }
    Ok(exit)
}

/// A product found on disk.
#[derive(Debug)]
struct Found {
    /// The project folder (with `supportcheck.yaml`), or the reports folder.
    path: PathBuf,
    reports: PathBuf,
    project: bool,
    /// The configured product name.
    name: Option<String>,
    /// A config that could not be read.
    problem: Option<String>,
}

/// Walks the folders for projects (`supportcheck.yaml`) and reports folders
/// (`index.jsonl` or `readiness-v<N>.json`); a reports folder that belongs to
/// a project found is not listed twice. Hidden folders, `target` and
/// `node_modules` are not entered.
fn discover(paths: &[PathBuf]) -> Result<Vec<Found>> {
    let mut projects = BTreeSet::new();
    let mut report_dirs = BTreeSet::new();
    for root in paths {
        if !root.exists() {
            bail!("{}: no such file or folder", root.display());
        }
        let walk = walkdir::WalkDir::new(root)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !e.file_type().is_dir()
                    || !e
                        .file_name()
                        .to_str()
                        .is_some_and(|n| n.starts_with('.') || n == "target" || n == "node_modules")
            });
        for entry in walk.flatten() {
            if !entry.file_type().is_file() {
                continue;
            }
            let Some(name) = entry.file_name().to_str() else {
                continue;
            };
            let dir = tidy(entry.path().parent().unwrap_or(Path::new(".")));
            if name == config::FILE_NAME {
                projects.insert(dir);
            } else if name == "index.jsonl" || version_of(name).is_some() {
                report_dirs.insert(dir);
            }
        }
    }
    let mut found: Vec<Found> = projects.into_par_iter().map(open_project).collect();
    for f in &found {
        report_dirs.remove(&f.reports);
    }
    found.extend(report_dirs.into_iter().map(|dir| Found {
        path: dir.clone(),
        reports: dir,
        project: false,
        name: None,
        problem: None,
    }));
    found.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

/// A path without a leading `./` and with `..`-free joins kept as written.
fn tidy(p: &Path) -> PathBuf {
    let p = p.strip_prefix(".").unwrap_or(p);
    if p.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        p.to_path_buf()
    }
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

fn version_of(name: &str) -> Option<u64> {
    name.strip_prefix("readiness-v")?
        .strip_suffix(".json")?
        .parse()
        .ok()
}

fn open_project(dir: PathBuf) -> Found {
    let file = dir.join(config::FILE_NAME);
    let shown = show(&file);
    let config = read_bounded(&file)
        .map_err(|e| format!("{shown}: cannot read: {e}"))
        .and_then(|bytes| String::from_utf8(bytes).map_err(|_| format!("{shown}: not UTF-8 text")))
        .and_then(|text| Config::parse(&text, &shown).map_err(|f| f.to_string()));
    let (config, problem) = match config {
        Ok(c) => (c, None),
        Err(e) => (Config::default(), Some(e)),
    };
    let reports = tidy(&dir.join(config.reports.as_deref().unwrap_or(config::DEFAULT_REPORTS)));
    Found {
        path: dir,
        reports,
        project: true,
        name: config.product,
        problem,
    }
}

/// A path as shown: forward slashes, as found under the given folders.
fn show(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Reads a regular file of at most [`MAX_READ`] bytes.
fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    // Look before opening: opening a FIFO would wait for a writer forever.
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if meta.len() > MAX_READ {
        return Err(std::io::Error::other(format!(
            "{} MiB is more than the {} MiB read",
            meta.len() / 1048576,
            MAX_READ / 1048576
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_READ + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// One product's row: its latest record, or why there is none.
fn read_product(f: &Found, live: bool, ui: &Ui) -> Product {
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

/// The latest record in a reports folder: from `index.jsonl`, else from the
/// newest JSON report. `Ok(None)`: the folder holds no report.
fn read_reports(dir: &Path) -> Result<Option<(Record, Source)>, String> {
    let index = dir.join("index.jsonl");
    match read_bounded(&index) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes)
                .map_err(|_| format!("{}: not UTF-8 text", show(&index)))?;
            return model::from_index(&text)
                .map(|r| Some((r, Source::Index)))
                .map_err(|e| format!("{}: {e}", show(&index)));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("{}: cannot read: {e}", show(&index))),
    }
    let versions = history::versions(dir).map_err(|e| format!("{e:#}"))?;
    let Some((n, path)) = versions.last() else {
        return Ok(None);
    };
    let bytes = read_bounded(path).map_err(|e| format!("{}: cannot read: {e}", show(path)))?;
    let mut record = model::from_report_json(&bytes, *n)
        .map_err(|e| format!("{}: not a readable report: {e}", show(path)))?;
    let html = format!("readiness-v{n}.html");
    record.html = dir.join(&html).is_file().then_some(html);
    Ok(Some((record, Source::Report)))
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

fn verify(dir: &Path) -> Chain {
    match history::verify(dir) {
        Ok(problems) if problems.is_empty() => Chain::Intact,
        Ok(problems) => Chain::Broken(
            problems
                .into_iter()
                .map(|p| format!("v{}: {}", p.report_version, p.problem))
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

/// Writes the output file whole: a temp file beside it, renamed over it.
fn write_output(path: &Path, text: &str) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write {}", path.display()))?;
    std::io::Write::write_all(&mut tmp, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644));
    }
    Ok(())
}
