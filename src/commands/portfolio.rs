//! `supportcheck portfolio`: finds products under the given folders, reads
//! each one's reports (or scores its answers, with `--live`) in parallel, and
//! prints them side by side, with an optional gate over all of them.

use super::{Project, Ui, emit, now};
use crate::Exit;
use crate::cli::{CampaignArgs, CampaignCommand, Global, PortfolioArgs, PortfolioFormat};
use crate::portfolio::campaign::{self, Campaign};
use crate::portfolio::{self as model, Chain, Filter, Product, Record, Source, State};
use crate::render::portfolio as render;
use crate::store::portfolio::{Found, check_newest, discover, read_reports, show};
use crate::store::{reports, write_atomic};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// `-C` given on the command line: `SUPPORTCHECK_DIR` names the project of
/// the other commands, and set in the environment it is not a `-C` given to
/// `portfolio` or `campaign`.
fn dir_given(g: &Global) -> bool {
    let from_env = std::env::var_os("SUPPORTCHECK_DIR")
        .is_some_and(|v| g.dir.as_deref() == Some(std::path::Path::new(&v)));
    g.dir.is_some() && !from_env
}

pub fn run(g: &Global, ui: &Ui, args: &PortfolioArgs) -> Result<Exit> {
    if dir_given(g) || g.config.is_some() || !g.checklists.is_empty() || g.answers.is_some() {
        return Err(super::with_help(
            "portfolio reads each project with its own settings; -C, --config, --checklists and --answers do not apply",
            "name the folders to search: supportcheck portfolio DIR...",
        ));
    }
    // The campaign is read first: a mistake in it costs no walk.
    let campaign_file = args.campaign.as_deref().map(read_campaign).transpose()?;
    if args.fail_if.contains(&model::FailIf::CampaignOverdue) && campaign_file.is_none() {
        return Err(super::with_help(
            "--fail-if campaign-overdue needs a campaign",
            "name it with --campaign FILE",
        ));
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
            // line is checked against the JSON it commits. A campaign's
            // progress is judged from the campaign's own reading.
            let check = args.verify
                || args
                    .fail_if
                    .iter()
                    .any(|c| *c != model::FailIf::CampaignOverdue);
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
    let outcome = campaign_file.as_ref().map(|c| {
        warn_unknown_level(c, &products);
        campaign::judge(c, campaign_inputs(c, &products), now.date_naive())
    });
    let outcome = outcome.as_ref();

    let text = match args.format {
        PortfolioFormat::Table => {
            let width = std::io::stdout().is_terminal().then_some(ui.width);
            let mut t = outcome.map(render::campaign_text).unwrap_or_default();
            t.push_str(&render::table(&products, width, console::colors_enabled()));
            t.push_str(&counts.line());
            t.push('\n');
            t
        }
        PortfolioFormat::Json => render::json(&products, &counts, &generated_at, outcome)?,
        PortfolioFormat::Md => {
            let mut t = outcome.map(render::campaign_markdown).unwrap_or_default();
            t.push_str(&render::markdown(&products, &counts));
            t
        }
        PortfolioFormat::Csv => render::csv(&products)?,
        PortfolioFormat::Html => {
            let base = match args.output.as_deref().filter(|p| !super::is_stdout(p)) {
                Some(out) => out.parent().map(Path::to_path_buf).unwrap_or_default(),
                None => PathBuf::new(),
            };
            let links = links(&products, &base)?;
            render::html(&products, &counts, &generated_at, &links, outcome)?
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
            "portfolio gate failed: {} could not be read, which fails every --fail-if condition: {}",
            crate::render::count(unreadable.len(), "product"),
            name_list(&unreadable)
        );
        exit = Exit::Findings;
    }
    for condition in &args.fail_if {
        let hits: Vec<String> = match (condition, outcome) {
            (model::FailIf::CampaignOverdue, Some(o)) => o
                .products
                .iter()
                .filter(|l| l.progress == campaign::Progress::Overdue)
                .map(|l| render::plain(&l.name))
                .collect(),
            _ => products
                .iter()
                .filter(|p| !p.unreadable() && condition.matches(p))
                .map(|p| render::plain(&p.name))
                .collect(),
        };
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
    let (reported, newest_line) = if f.problem.is_some() {
        (None, None)
    } else {
        match read_reports(&f.reports) {
            Ok(Some(r)) => (Some((r.record, r.source)), r.newest_line),
            Ok(None) => (None, None),
            Err(e) => {
                p.problem = Some(e);
                (None, None)
            }
        }
    };
    let reported = match reported {
        Some((_, Source::Index)) if check && !live => {
            match check_newest(&f.reports, newest_line.as_deref().unwrap_or_default()) {
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
            }
        }
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
    p.facts = f.facts.clone();
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
    let gate = project.gate();
    Ok(crate::evaluate::evaluate(project.load(ui, &gate)?, now()).report)
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

/// Reads and checks a campaign file (exit 2 when it is wrong).
fn read_campaign(path: &Path) -> Result<Campaign> {
    let shown = show(path);
    let text = crate::store::read::read_text(path, "campaign file", &shown)?;
    Campaign::parse(&text, &shown).map_err(|f| anyhow::anyhow!("{f}"))
}

/// What the campaign needs of each product: its versions' days and the
/// questions open toward the goal at each. A level campaign reads the
/// levels each version recorded (the index has them); a campaign over
/// questions reads each version's JSON report.
fn campaign_inputs(c: &Campaign, products: &[Product]) -> Vec<campaign::Input> {
    products
        .par_iter()
        .filter(|p| c.covers(&p.facts))
        .map(|p| {
            let versions = if c.level.is_some() {
                p.history
                    .iter()
                    .filter_map(|h| {
                        let day = model::parse_time(&h.generated_at)?.date_naive();
                        Some((day, c.open_of(&h.levels)))
                    })
                    .collect()
            } else if p.latest.is_some() {
                crate::store::portfolio::question_history(Path::new(&p.reports), &c.questions)
            } else {
                Vec::new()
            };
            campaign::Input {
                name: p.name.clone(),
                path: p.path.clone(),
                facts: p.facts.clone(),
                achieved_level: p.latest.as_ref().and_then(|s| s.achieved_level.clone()),
                levels_known: p.latest.as_ref().is_some_and(|s| !s.levels.is_empty()),
                versions,
            }
        })
        .collect()
}

/// A level no product's reports know is most likely a typo: said on stderr.
fn warn_unknown_level(c: &Campaign, products: &[Product]) {
    let Some(level) = &c.level else {
        return;
    };
    let known = products.iter().any(|p| {
        p.latest
            .as_ref()
            .is_some_and(|s| s.levels.iter().any(|l| &l.level == level))
    });
    if !known {
        eprintln!(
            "warning: no product's latest report has the level `{}`; their progress is unknown",
            render::plain(level)
        );
    }
}

/// `supportcheck campaign preview FILE PATH...`.
pub fn campaign(g: &Global, ui: &Ui, args: &CampaignArgs) -> Result<Exit> {
    if dir_given(g) || g.config.is_some() || !g.checklists.is_empty() || g.answers.is_some() {
        bail!(
            "campaign reads each project with its own settings; -C, --config, --checklists and --answers do not apply"
        );
    }
    let CampaignCommand::Preview(args) = &args.command;
    let c = read_campaign(&args.file)?;
    let found = discover(&args.paths)?;
    let quiet = Ui {
        quiet: true,
        ..ui.clone()
    };
    let products: Vec<Product> = found
        .par_iter()
        .map(|f| read_product(f, false, false, &quiet))
        .collect();
    warn_unknown_level(&c, &products);
    let preview = campaign::preview(&c, campaign_inputs(&c, &products));
    let text = match args.format {
        crate::cli::PreviewFormat::Table => render::preview_text(&preview),
        crate::cli::PreviewFormat::Json => {
            let mut t = serde_json::to_string_pretty(&preview)?;
            t.push('\n');
            t
        }
    };
    emit(&text)?;
    Ok(Exit::Ok)
}
