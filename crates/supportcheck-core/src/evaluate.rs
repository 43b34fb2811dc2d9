//! The one evaluation: what the shell loaded, scored, with the sign-offs
//! judged and the report built. Every command that shows where a project
//! stands renders parts of this one result.

use crate::answers::AnswersFile;
use crate::config::{Config, Gate};
use crate::playbook::Set;
use crate::probe::Latest;
use crate::report::{self, Report};
use crate::score::{self, Scores};
use crate::signature::AllowedSigner;
use crate::team::{self, SignoffStatus, SignoffsFile, Snapshot};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// Everything an evaluation reads, loaded once by the shell.
#[derive(Debug)]
pub struct Inputs<'a> {
    pub set: Set,
    pub answers: AnswersFile,
    /// The answers file as shown, for findings.
    pub answers_path: &'a str,
    /// The project's config: owners, facts, the product and the configured
    /// gate (what a sign-off covers).
    pub config: &'a Config,
    /// The gate the verdict uses: the config's, or `check`'s flags over it.
    pub gate: &'a Gate,
    /// Evidence paths in the answers that do not count (the shell looked).
    pub missing_evidence: BTreeSet<String>,
    /// The newest result of each probe.
    pub probes: Latest,
    pub signoffs: Signoffs,
    /// Take the sign-off digest even when no sign-off is judged (`signoff`
    /// records it); otherwise it is taken only when there are sign-offs.
    pub digest: bool,
}

/// The sign-offs and what they are checked against.
#[derive(Debug, Default)]
pub struct Signoffs {
    pub file: SignoffsFile,
    /// The sign-offs file as shown.
    pub path: String,
    /// The `allowed_signers` file read: its signers and the lines that are
    /// not one; `None` when it does not exist or was not needed.
    pub signers: Option<AllowedSigners>,
    /// The `allowed_signers` path as shown.
    pub signers_path: String,
}

/// An `allowed_signers` file read: its signers and the lines that are not one.
pub type AllowedSigners = (Vec<AllowedSigner>, Vec<(usize, String)>);

impl Signoffs {
    /// Whether sign-offs play a part: some were given, or the gate asks for some.
    pub fn in_play(&self, gate: &Gate) -> bool {
        !self.file.signoffs.is_empty() || !gate.signoffs.is_empty()
    }

    /// Whether signatures are checked, so `allowed_signers` must be read:
    /// the gate requires them, or a sign-off carries one.
    pub fn needs_signers(&self, gate: &Gate) -> bool {
        self.in_play(gate)
            && (gate.signoffs_signed || self.file.signoffs.iter().any(|s| s.signature.is_some()))
    }
}

/// What an evaluation gives: the report, and the digest of what it was made
/// of when sign-offs were judged or it was asked for.
#[derive(Debug)]
pub struct Evaluation {
    pub report: Report,
    pub snapshot: Option<Snapshot>,
}

/// Scores the answers against the playbooks (conditions and probes
/// included), judges the sign-offs against the digest of the inputs, and
/// builds the report. Pure: the shell supplies the clock.
pub fn evaluate(inputs: Inputs<'_>, now: DateTime<Utc>) -> Evaluation {
    let Inputs {
        set,
        answers,
        answers_path,
        config,
        gate,
        missing_evidence,
        probes,
        signoffs,
        digest,
    } = inputs;
    let scores = score::score(
        &set,
        &answers,
        &score::Context {
            today: now.date_naive(),
            now,
            gate,
            owners: &config.owners,
            missing_evidence: &missing_evidence,
            answers_path,
            facts: &config.facts,
            probes: &probes,
        },
    );
    let snapshot = (digest || signoffs.in_play(&config.gate))
        .then(|| take_snapshot(&set, &answers, config, &missing_evidence, &scores));
    let statuses = match &snapshot {
        Some(now_signed) if signoffs.in_play(&config.gate) => {
            judge_signoffs(&signoffs, now_signed, config, now)
        }
        _ => Vec::new(),
    };
    let report = report::build(report::Inputs {
        set,
        answers,
        scores,
        gate,
        product: config.product.clone(),
        now,
        facts: &config.facts,
        owners: config.owners.clone(),
        signoffs: statuses,
    });
    Evaluation { report, snapshot }
}

/// What a sign-off made now would cover: the configured gate (not a
/// `check` flag's), the playbooks, the answers, the facts and which
/// evidence paths are missing.
fn take_snapshot(
    set: &Set,
    answers: &AnswersFile,
    config: &Config,
    missing_evidence: &BTreeSet<String>,
    scores: &Scores,
) -> Snapshot {
    team::snapshot(
        set,
        answers,
        &config.gate,
        team::Context {
            facts: &config.facts,
            missing_evidence,
        },
        scores.summary.score,
        scores.summary.level.as_str(),
    )
}

/// Each role's sign-off judged against the snapshot, the owners, the clock
/// and, when signatures count, the allowed signers.
fn judge_signoffs(
    signoffs: &Signoffs,
    now_signed: &Snapshot,
    config: &Config,
    now: DateTime<Utc>,
) -> Vec<SignoffStatus> {
    let gate = &config.gate;
    let judge = team::Judge {
        owners: &config.owners,
        now,
        signed: gate.signoffs_signed,
        signers: signoffs.signers.as_ref().map(|(s, _)| s.as_slice()),
        signer_problems: signoffs.signers.as_ref().map_or(&[], |(_, p)| p.as_slice()),
        signers_path: &signoffs.signers_path,
    };
    team::statuses(
        &signoffs.file,
        now_signed,
        &gate.signoffs,
        &signoffs.path,
        &judge,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::parse::{FileInfo, Parsed, parse};
    use crate::team::{Signoff, SignoffState};
    use chrono::TimeZone;

    const PLAYBOOK: &str = "---\ntitle: Channels\nid: channels\nchecklist:\n  - order: 1\n    question: Can customers reach a person?\n    expectation: One monitored channel is live.\n    version: 1.0.0\n    critical: true\n---\n";
    const ANSWERS: &str =
        "format: 1\nanswers:\n  channels/q1:\n    status: met\n    question_version: 1.0.0\n";

    fn set() -> Set {
        let info = FileInfo {
            path: "pb/channels.md".into(),
            section: None,
            stem: "channels".into(),
        };
        match parse(PLAYBOOK.as_bytes().to_vec(), &info) {
            Parsed::Playbook(p, _) => Set {
                playbooks: vec![*p],
                ..Set::default()
            },
            other => panic!("{other:?}"),
        }
    }

    fn config() -> Config {
        let mut config = Config::default();
        config.owners.insert("lead".into(), vec!["Dana Lee".into()]);
        config.gate.signoffs = vec!["lead".into(), "legal".into()];
        config
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap()
    }

    fn run(config: &Config, gate: &Gate, signoffs: Signoffs, digest: bool) -> Evaluation {
        let (answers, _) = crate::answers::parse(ANSWERS, "answers.yaml");
        let inputs = Inputs {
            set: set(),
            answers,
            answers_path: "answers.yaml",
            config,
            gate,
            missing_evidence: BTreeSet::new(),
            probes: Latest::default(),
            signoffs,
            digest,
        };
        evaluate(inputs, now())
    }

    #[test]
    fn the_digest_is_taken_only_when_sign_offs_play_a_part_or_it_is_asked_for() {
        let config = Config::default();
        let gate = config.gate.clone();
        let quiet = run(&config, &gate, Signoffs::default(), false);
        assert!(quiet.snapshot.is_none());
        assert!(quiet.report.signoffs.is_empty());
        let asked = run(&config, &gate, Signoffs::default(), true);
        let snapshot = asked.snapshot.expect("asked for");
        assert_eq!(snapshot.score, asked.report.summary.score);
        assert_eq!(snapshot.answers.len(), 1);
    }

    #[test]
    fn a_sign_off_of_the_state_now_counts_and_a_required_role_without_one_is_missing() {
        let config = config();
        // A `check --min-score` gate scores; the configured one is signed.
        let mut gate = config.gate.clone();
        gate.min_score = 10.0;
        let first = run(&config, &gate, Signoffs::default(), false);
        let snapshot = first.snapshot.expect("required sign-offs take the digest");
        assert_eq!(first.report.summary.signoffs_missing, 2);
        let configured = run(&config, &config.gate, Signoffs::default(), false);
        assert_eq!(
            configured.snapshot.map(|s| s.digest),
            Some(snapshot.digest.clone())
        );
        let signed = Signoff {
            role: "lead".into(),
            name: "Dana Lee".into(),
            at: now().fixed_offset(),
            note: None,
            accepted_blocked: false,
            signed: snapshot.clone(),
            signature: None,
        };
        let signoffs = Signoffs {
            file: SignoffsFile {
                format: 1,
                signoffs: vec![signed],
            },
            path: "signoffs.yaml".into(),
            ..Signoffs::default()
        };
        let second = run(&config, &gate, signoffs, false);
        let states: Vec<(&str, SignoffState)> = second
            .report
            .signoffs
            .iter()
            .map(|s| (s.role.as_str(), s.state))
            .collect();
        assert_eq!(
            states,
            [
                ("lead", SignoffState::Signed),
                ("legal", SignoffState::Missing)
            ]
        );
        assert_eq!(second.report.summary.signoffs_missing, 1);
        assert_eq!(second.report.gate.min_score, 10.0);
        assert_eq!(second.snapshot.map(|s| s.digest), Some(snapshot.digest));
    }
}
