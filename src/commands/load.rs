//! The first step of every command that shows where a project stands: load,
//! once, what the evaluation reads (the playbooks, the answers, which
//! evidence paths are missing on disk, the probe results, the sign-offs and
//! the allowed signers). The core's `evaluate` then scores, judges the
//! sign-offs and builds the report, and the command renders it.

use super::{Project, Ui, show};
use crate::answers::{self, AnswersFile};
use crate::config::Gate;
use crate::evaluate::{AllowedSigners, Inputs, Signoffs};
use crate::playbook::Set;
use crate::store;
use anyhow::Result;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

impl Project {
    /// Loads the evaluation's inputs, for `gate` (the configured one, or
    /// `check`'s flags over it). The answers file is read and parsed beside
    /// the playbook load (one core each on a large project); only the load
    /// prints while both run.
    pub fn load<'a>(&'a self, ui: &Ui, gate: &'a Gate) -> Result<Inputs<'a>> {
        let (set, read) = rayon::join(|| self.load_playbooks(ui), || self.read_answers());
        let set = set?;
        let read = self.report_answers(ui, read)?;
        self.load_beside(ui, set, read, gate)
    }

    /// [`Project::load`] for playbooks already loaded.
    pub fn load_with<'a>(&'a self, ui: &Ui, set: Set, gate: &'a Gate) -> Result<Inputs<'a>> {
        let read = self.load_answers(ui)?;
        self.load_beside(ui, set, read, gate)
    }

    /// [`Project::load`] for playbooks and answers already loaded (by
    /// [`Project::load_answers`]): `import` reads the answers file once,
    /// under its lock, and evaluates and merges that one reading.
    pub fn load_read<'a>(
        &'a self,
        ui: &Ui,
        set: Set,
        read: (AnswersFile, Option<String>),
        gate: &'a Gate,
    ) -> Result<Inputs<'a>> {
        self.load_beside(ui, set, read, gate)
    }

    /// Everything else the evaluation reads, beside the playbooks and answers.
    fn load_beside<'a>(
        &'a self,
        ui: &Ui,
        set: Set,
        (answers, text): (AnswersFile, Option<String>),
        gate: &'a Gate,
    ) -> Result<Inputs<'a>> {
        // Only whether there was a file matters from here; the text goes
        // now rather than staying in memory through scoring.
        let had_file = text.is_some();
        drop(text);
        if !had_file {
            ui.hint(&format!(
                "note: no answers yet at {}; `supportcheck audit` asks the questions, `supportcheck init` writes a file to fill in",
                self.answers_shown
            ));
        }
        let missing_evidence = self.missing_evidence(&answers);
        let (probes, unreadable) = store::probes::latest(&self.probes_path, &self.probes_shown)?;
        if unreadable > 0 {
            ui.hint(&format!(
                "note: {} of {} could not be read and {} ignored",
                crate::render::count(unreadable, "line"),
                self.probes_shown,
                if unreadable == 1 { "is" } else { "are" }
            ));
        }
        let signoffs = self.load_signoffs()?;
        Ok(Inputs {
            set,
            answers,
            answers_path: &self.answers_shown,
            config: &self.config,
            gate,
            missing_evidence,
            probes,
            signoffs,
            digest: false,
        })
    }

    /// The sign-offs, and the allowed signers when signatures are checked.
    fn load_signoffs(&self) -> Result<Signoffs> {
        let file = store::signoffs::read(&self.signoffs_path, &self.signoffs_shown)?;
        let (_, signers_path) = self.allowed_signers_path();
        let mut signoffs = Signoffs {
            file,
            path: self.signoffs_shown.clone(),
            signers: None,
            signers_path,
        };
        if signoffs.needs_signers(&self.config.gate) {
            signoffs.signers = self.allowed_signers()?;
        }
        Ok(signoffs)
    }

    /// Evidence paths in the answers that do not count: each must resolve
    /// to a file or a non-empty folder inside the root (checked here, in the
    /// shell; scoring reads the result).
    pub fn missing_evidence(&self, answers: &AnswersFile) -> BTreeSet<String> {
        answers
            .answers
            .values()
            .flat_map(|a| a.evidence.iter())
            .filter(|e| !answers::is_url(e))
            .filter(|e| !store::evidence_counts(&self.root, e))
            .cloned()
            .collect()
    }

    /// The `allowed_signers` file: `gate.allowed_signers` below the root,
    /// or `allowed_signers` beside the sign-offs file.
    pub fn allowed_signers_path(&self) -> (PathBuf, String) {
        let path = match &self.config.gate.allowed_signers {
            Some(rel) => self.root.join(rel),
            None => self
                .signoffs_path
                .parent()
                .unwrap_or(Path::new("."))
                .join(store::signoffs::ALLOWED_SIGNERS),
        };
        let shown = show(&path, &self.root);
        (path, shown)
    }

    /// The allowed signers and the lines that are not one; `None` when the
    /// file does not exist.
    pub fn allowed_signers(&self) -> Result<Option<AllowedSigners>> {
        let (path, shown) = self.allowed_signers_path();
        Ok(store::signoffs::read_allowed_signers(&path, &shown)?
            .map(|text| crate::signature::parse_allowed_signers(&text)))
    }
}
