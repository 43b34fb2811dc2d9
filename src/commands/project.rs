//! The project a command works on: found like git finds its repository,
//! its config read, and where each of its files is.
// Shell: it reads the environment, the clock and the terminal.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::print_stdout,
    clippy::print_stderr
)]

use super::{Ui, print_findings, show, with_help};
use crate::answers::{self, AnswersFile};
use crate::cli::Global;
use crate::config::{self, Config, Gate};
use crate::diagnostic::Finding;
use crate::error::{Kind, ProjectError, hinted};
use crate::playbook::Set;
use crate::store::read::{MAX_FILE_BYTES, read_capped, utf8};
use crate::store::{self, LoadOutcome, Source, load_sources};
use anyhow::{Context as _, Result, bail};
use std::path::{Path, PathBuf};

/// The project: where things are, resolved from flags, config and defaults
/// (in that order of precedence).
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    pub config: Config,
    pub sources: Vec<Source>,
    pub answers_path: PathBuf,
    pub answers_shown: String,
    /// The answers path was given with `--answers`: a missing file there is
    /// a mistake, not a project without answers yet.
    pub answers_explicit: bool,
    pub reports_dir: PathBuf,
    /// Where the config is, or would be written.
    pub config_path: PathBuf,
    pub config_shown: String,
    /// The config as read (empty when there is none), for finding lines in it.
    pub config_text: String,
    /// `signoffs.yaml` beside the answers file.
    pub signoffs_path: PathBuf,
    pub signoffs_shown: String,
    /// `probes.jsonl` beside the answers file: the probe results.
    pub probes_path: PathBuf,
    pub probes_shown: String,
}

impl Project {
    /// The project named by `-C` (or `SUPPORTCHECK_DIR`) or `--config`, else
    /// the one found as git finds its repository: `supportcheck.yaml` in the
    /// current folder or the nearest parent. Outside any project this is a
    /// [`ProjectError::NotFound`] error (exit 2).
    pub fn open(g: &Global) -> Result<Project> {
        let root = match &g.dir {
            Some(_) => None,
            None if g.config.is_some() => Some(PathBuf::from(".")),
            None => Some(find_root(Path::new("."))?.ok_or(ProjectError::NotFound)?),
        };
        Project::open_at(g, root)
    }

    /// The project for commands that may start or lint one in the current
    /// folder (`init`, `lint PATH`): `-C` (or `SUPPORTCHECK_DIR`), else the
    /// current folder, whether or not it has a `supportcheck.yaml`.
    pub fn open_here(g: &Global) -> Result<Project> {
        Project::open_at(g, Some(PathBuf::from(".")))
    }

    /// `root` (None: the `-C` folder, which must exist).
    fn open_at(g: &Global, root: Option<PathBuf>) -> Result<Project> {
        let root = match (root, &g.dir) {
            (None, Some(dir)) | (Some(_), Some(dir)) => {
                if !dir.is_dir() {
                    bail!("-C {}: no such directory", dir.display());
                }
                dir.clone()
            }
            (Some(root), None) => root,
            (None, None) => PathBuf::from("."),
        };
        let (config, config_path, config_text) = match &g.config {
            Some(path) => {
                let full = root.join(path);
                let text = store::read::read_text(&full, "config file", &show(&full, &root))?;
                (parse_config(&text, &show(&full, &root))?, Some(full), text)
            }
            None => {
                let full = root.join(config::FILE_NAME);
                match read_capped(&full) {
                    Ok(bytes) => {
                        let text = utf8(bytes, "config file", config::FILE_NAME)?;
                        (parse_config(&text, config::FILE_NAME)?, Some(full), text)
                    }
                    Err(e) if e.is_not_found() => (Config::default(), None, String::new()),
                    Err(e) => {
                        return Err(e.into_error("config file", config::FILE_NAME, MAX_FILE_BYTES));
                    }
                }
            }
        };
        let sources = if !g.checklists.is_empty() {
            g.checklists.iter().map(|s| Source::parse(s)).collect()
        } else if let Some(list) = &config.checklists {
            list.iter().map(|s| Source::parse(s)).collect()
        } else {
            vec![Source::Builtin]
        };
        let answers_rel = g
            .answers
            .clone()
            .or_else(|| config.answers.as_ref().map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from(config::DEFAULT_ANSWERS));
        let answers_path = root.join(&answers_rel);
        let reports_dir = root.join(config.reports.as_deref().unwrap_or(config::DEFAULT_REPORTS));
        let config_path = config_path.unwrap_or_else(|| {
            root.join(g.config.as_deref().unwrap_or(Path::new(config::FILE_NAME)))
        });
        let signoffs_path = answers_path
            .parent()
            .unwrap_or(Path::new("."))
            .join(store::signoffs::FILE_NAME);
        let probes_path = answers_path
            .parent()
            .unwrap_or(Path::new("."))
            .join(store::probes::FILE_NAME);
        Ok(Project {
            probes_shown: show(&probes_path, &root),
            probes_path,
            config_text,
            config_shown: show(&config_path, &root),
            config_path,
            answers_shown: show(&answers_path, &root),
            signoffs_shown: show(&signoffs_path, &root),
            signoffs_path,
            answers_explicit: g.answers.is_some(),
            root,
            config,
            sources,
            answers_path,
            reports_dir,
        })
    }

    /// Loads the playbooks; errors stop the command (exit 2), warnings are
    /// summarised in one line.
    pub fn load_playbooks(&self, ui: &Ui) -> Result<Set> {
        let progress = ui.progress("loading playbooks…");
        let mut outcome: LoadOutcome = load_sources(&self.sources, &self.root);
        progress.done();
        outcome.findings.extend(crate::conditions::lint(
            &outcome.set,
            &self.config.facts,
            (&self.config_shown, &self.config_text),
        ));
        outcome
            .findings
            .extend(self.settle_levels(&mut outcome.set));
        if outcome.has_errors() {
            let errors: Vec<Finding> = outcome
                .findings
                .iter()
                .filter(|f| f.is_error())
                .cloned()
                .collect();
            print_findings(&errors);
            bail!(ProjectError::PlaybookErrors {
                errors: crate::render::count(errors.len(), "error")
            });
        }
        let warnings = outcome
            .findings
            .iter()
            .filter(|f| f.severity == crate::diagnostic::Severity::Warning)
            .count();
        if ui.verbose {
            print_findings(&outcome.findings);
        } else if warnings > 0 {
            ui.hint(&format!(
                "note: the playbooks have {}; `supportcheck lint` lists them",
                crate::render::count(warnings, "lint warning")
            ));
        }
        if outcome.set.playbooks.is_empty() {
            bail!(ProjectError::NoPlaybooks {
                sources: self.sources_text()
            });
        }
        let mut set = outcome.set;
        crate::team::assign_owners(&mut set, &self.config);
        self.attach_config_probes(&mut set)?;
        Ok(set)
    }

    /// The set's maturity levels, with the config's over the set's own.
    pub fn settle_levels(&self, set: &mut Set) -> Vec<Finding> {
        crate::score::levels::settle(
            set,
            self.config.levels.as_deref(),
            &self.config.gate,
            &self.config.facts,
            (&self.config_shown, &self.config_text),
        )
    }

    /// Adds the probes `probes.questions` in the config puts on questions
    /// of playbooks the project does not edit (the built-in set).
    fn attach_config_probes(&self, set: &mut Set) -> Result<()> {
        for (id, value) in &self.config.probes.questions {
            let probes = crate::probe::parse_list(value, false).map_err(|e| {
                anyhow::anyhow!("{}: probes.questions.{id}: {e}", self.config_shown)
            })?;
            let found = set
                .playbooks
                .iter_mut()
                .flat_map(|p| p.questions.iter_mut())
                .find(|q| &q.id == id);
            match found {
                Some(q) => q.probes.extend(probes),
                None => {
                    let msg = format!(
                        "{}: probes.questions names `{id}`, which is not a loaded question",
                        self.config_shown
                    );
                    let ids = set.questions().map(|(_, q)| q.id.as_str());
                    match crate::suggest::did_you_mean(id, ids) {
                        Some(hint) => return Err(hinted(Kind::Input, msg, hint)),
                        None => bail!(msg),
                    }
                }
            }
        }
        Ok(())
    }

    pub fn sources_text(&self) -> String {
        self.sources
            .iter()
            .map(Source::as_text)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Reads the answers file; an error in it stops the command (exit 2) so
    /// that nothing is computed from, or written over, a file we misread.
    /// Also returns the text read (`None`: no file).
    pub fn load_answers(&self, ui: &Ui) -> Result<(AnswersFile, Option<String>)> {
        self.report_answers(ui, self.read_answers())
    }

    /// Reads and parses the answers file without saying anything, so that it
    /// can run beside the playbook load; [`Project::report_answers`] speaks.
    pub(super) fn read_answers(&self) -> Result<ReadAnswers> {
        let text = store::read::answers_text(&self.answers_path, &self.answers_shown)?;
        let parsed = text
            .as_deref()
            .map(|text| answers::parse(text, &self.answers_shown));
        Ok((text, parsed))
    }

    /// The second half of [`Project::load_answers`]: errors stop the run,
    /// findings are printed.
    pub(super) fn report_answers(
        &self,
        ui: &Ui,
        read: Result<ReadAnswers>,
    ) -> Result<(AnswersFile, Option<String>)> {
        let (text, parsed) = read?;
        let (file, findings) = match parsed {
            Some(parsed) => parsed,
            None => {
                self.no_answers_file()?;
                Default::default()
            }
        };
        let errors: Vec<Finding> = findings.iter().filter(|f| f.is_error()).cloned().collect();
        if !errors.is_empty() {
            print_findings(&errors);
            bail!(
                "the answers file {} has {}; fix {} and run again",
                self.answers_shown,
                crate::render::count(errors.len(), "error"),
                if errors.len() == 1 { "it" } else { "them" }
            );
        }
        // Unknown keys are likely typos (`stauts:`): always named, with the
        // key they probably meant; the rest of the warnings with -v.
        let shown: Vec<Finding> = findings
            .into_iter()
            .filter(|f| ui.verbose || f.code == crate::diagnostic::Code::UnknownKey)
            .collect();
        if !ui.quiet || ui.verbose {
            print_findings(&shown);
        }
        Ok((file, text))
    }

    /// Takes the answers lock for a writer (`audit`, `init`), saying what to
    /// do when another one holds it.
    pub fn lock_answers(&self) -> Result<store::Lock> {
        store::Lock::acquire(&self.answers_path, &self.answers_shown)
    }

    /// There is no answers file: an error when `--answers` named it.
    pub fn no_answers_file(&self) -> Result<()> {
        if self.answers_explicit {
            bail!(ProjectError::NoAnswersFile {
                shown: self.answers_shown.clone()
            });
        }
        Ok(())
    }

    /// How client outputs look: the config's `report:` keys, the logo read
    /// and embedded, the timezone (`--tz` over the config, else UTC).
    pub fn client_options(
        &self,
        tz: Option<&str>,
        show_ids: bool,
    ) -> Result<crate::render::client::Options> {
        let branding = self.config.report.clone();
        let zone = tz.or(branding.timezone.as_deref());
        let tz = match zone {
            Some(name) => Some(name.parse::<chrono_tz::Tz>().map_err(|_| {
                with_help(
                    format!("`{name}` is not a timezone"),
                    "use an IANA name such as Europe/Berlin, America/New_York or UTC",
                )
            })?),
            None => None,
        };
        let logo = match &branding.logo {
            Some(rel) => {
                let full = self.root.join(rel);
                Some(store::read::image_data_uri(
                    &full,
                    &self.root,
                    &show(&full, &self.root),
                )?)
            }
            None => None,
        };
        Ok(crate::render::client::Options {
            branding,
            logo,
            tz,
            show_ids,
            attached: Default::default(),
        })
    }

    pub fn gate(&self) -> Gate {
        self.config.gate.clone()
    }

    /// The reports folder: `--out` (relative to the root) or the configured one.
    pub fn reports_dir_or(&self, out: Option<&PathBuf>) -> PathBuf {
        out.map_or_else(|| self.reports_dir.clone(), |o| self.root.join(o))
    }
}

/// The folder holding `supportcheck.yaml`: `start` or its nearest parent
/// that has one, as a path relative to `start` (`.`, `..`, `../..`). The
/// search stops at the root of a git repository (a folder with `.git`) and
/// at the root of the filesystem; `None` when nothing was found.
pub fn find_root(start: &Path) -> Result<Option<PathBuf>> {
    // Canonical, so that `..` from the folder is the parent searched even
    // when the folder was reached through a symbolic link.
    let abs = std::fs::canonicalize(start).context("cannot read the current folder")?;
    let mut rel = PathBuf::from(".");
    let mut dir: &Path = &abs;
    loop {
        if dir.join(config::FILE_NAME).is_file() {
            return Ok(Some(rel));
        }
        if dir.join(".git").exists() {
            return Ok(None);
        }
        match dir.parent() {
            Some(parent) => {
                dir = parent;
                rel = if rel == Path::new(".") {
                    PathBuf::from("..")
                } else {
                    rel.join("..")
                };
            }
            None => return Ok(None),
        }
    }
}

/// The answers file's text, and what parsing it gave (absent with no file).
type ReadAnswers = (Option<String>, Option<(AnswersFile, Vec<Finding>)>);

fn parse_config(text: &str, shown: &str) -> Result<Config> {
    Config::parse(text, shown).map_err(|f| anyhow::anyhow!("{f}"))
}
