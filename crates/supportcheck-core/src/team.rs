//! Team readiness: which role owns each question, who is in a role, and
//! sign-offs bound to a digest of what was evaluated (answers, playbooks, gate).

use crate::answers::{Answer, AnswersFile};
use crate::config::{Config, Gate};
use crate::diagnostic::{Code, Finding, Location};
use crate::playbook::{Playbook, Question, Set, sha256_hex};
use chrono::{DateTime, FixedOffset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Gives every question the role the ownership rules name (see
/// [`crate::config::Ownership`]): a question rule, `owner:` on the item, a
/// playbook rule, `owner:` on the playbook, a tag rule, a section rule.
pub fn assign_owners(set: &mut Set, config: &Config) {
    let rules = &config.ownership;
    for p in &mut set.playbooks {
        let playbook_role = rules.playbooks.get(&p.id).or(p.owner.as_ref()).cloned();
        let section_role = p
            .section
            .as_ref()
            .and_then(|s| rules.sections.get(s))
            .cloned();
        for q in &mut p.questions {
            let tag_role = q.tags.iter().find_map(|t| rules.tags.get(t)).cloned();
            q.owner = rules
                .questions
                .get(&q.id)
                .cloned()
                .or(q.owner.take())
                .or_else(|| playbook_role.clone())
                .or(tag_role)
                .or_else(|| section_role.clone());
        }
    }
}

/// The people in a role (empty when the role is unknown).
pub fn people<'a>(config: &'a Config, role: &str) -> &'a [String] {
    config.owners.get(role).map_or(&[], Vec::as_slice)
}

/// The roles a person is in (names compared without case).
pub fn roles_of<'a>(config: &'a Config, person: &str) -> Vec<&'a str> {
    let person = person.trim().to_lowercase();
    config
        .owners
        .iter()
        .filter(|(_, people)| people.iter().any(|p| p.trim().to_lowercase() == person))
        .map(|(role, _)| role.as_str())
        .collect()
}

/// Ownership findings: a role nobody declared in `owners:` (`unknown-role`,
/// once per role and file, only when `owners:` lists any role), a declared
/// role with nobody in it (`no-person`), and, with `gate.require_owners`, a
/// question without an owner (`no-owner`). `set` has its owners assigned.
pub fn lint(set: &Set, config: &Config, config_path: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    let declared = !config.owners.is_empty();
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    for (p, q) in set.questions() {
        let at = Location::at(&p.path, q.line, 0);
        match &q.owner {
            Some(role)
                if declared
                    && !config.owners.contains_key(role)
                    && seen.insert((p.path.clone(), role.clone())) =>
            {
                findings.push(Finding::error(
                    Code::UnknownRole,
                    at,
                    format!(
                        "role `{role}` (owner of {}) is not in `owners:` of {config_path}; known roles: {}",
                        q.id,
                        config.owners.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
            None if config.gate.require_owners => findings.push(Finding::error(
                Code::NoOwner,
                at,
                format!(
                    "{} has no owner, and gate.require_owners is on: add `owner:` to the item or the playbook, or a rule under `ownership:` in {config_path}",
                    q.id
                ),
            )),
            _ => {}
        }
    }
    let used_in_rules = config
        .ownership
        .questions
        .values()
        .chain(config.ownership.playbooks.values())
        .chain(config.ownership.tags.values())
        .chain(config.ownership.sections.values());
    for role in used_in_rules.collect::<BTreeSet<_>>() {
        if declared && !config.owners.contains_key(role) {
            findings.push(Finding::error(
                Code::UnknownRole,
                Location::file(config_path),
                format!("role `{role}` is used under `ownership:` but not listed in `owners:`"),
            ));
        }
    }
    for role in &config.gate.signoffs {
        if !config.owners.contains_key(role) {
            findings.push(Finding::error(
                Code::UnknownRole,
                Location::file(config_path),
                format!("gate.signoffs names `{role}`, which is not listed in `owners:`: nobody could sign for it"),
            ));
        }
    }
    for (role, people) in &config.owners {
        if people.iter().all(|p| p.trim().is_empty()) {
            findings.push(Finding::warning(
                Code::NoPerson,
                Location::file(config_path),
                format!(
                    "role `{role}` has nobody in it: list at least one person under `owners.{role}`"
                ),
            ));
        }
    }
    findings
}

/// The sign-offs file (`readiness/signoffs.yaml`): every sign-off ever
/// given, oldest first. A new sign-off is appended; nothing is removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "supportcheck sign-offs")]
pub struct SignoffsFile {
    /// `1`.
    #[serde(default = "format_one")]
    pub format: u64,
    #[serde(default)]
    pub signoffs: Vec<Signoff>,
}

fn format_one() -> u64 {
    1
}

impl Default for SignoffsFile {
    fn default() -> Self {
        SignoffsFile {
            format: 1,
            signoffs: Vec::new(),
        }
    }
}

/// One person's approval, for a role, of the readiness as it stood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signoff {
    pub role: String,
    pub name: String,
    pub at: DateTime<FixedOffset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Signed although the project was blocked (`--accept-blocked`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub accepted_blocked: bool,
    /// What was signed.
    pub signed: Snapshot,
}

/// What a sign-off covers: the sha256 of the evaluated inputs, with the
/// parts it was made of, so that a later change can be named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// sha256 over the gate, every playbook and every answer below.
    #[schemars(regex(pattern = "^[0-9a-f]{64}$"))]
    pub digest: String,
    pub score: f64,
    pub level: String,
    /// sha256 of the gate settings.
    pub gate: String,
    /// Playbook id to the sha256 of its file.
    pub playbooks: BTreeMap<String, String>,
    /// Question id to `<status> <first 16 hex digits of the answer's sha256>`.
    pub answers: BTreeMap<String, String>,
}

/// The snapshot of the evaluated inputs. Placeholder (empty) answers count
/// as absent; answers are hashed as their JSON, which has a fixed key order.
pub fn snapshot(
    set: &Set,
    answers: &AnswersFile,
    gate: &Gate,
    score: f64,
    level: &str,
) -> Snapshot {
    let gate_digest = sha256_hex(&serde_json::to_vec(gate).expect("gate serialises"));
    let playbooks: BTreeMap<String, String> = set
        .playbooks
        .iter()
        .map(|p: &Playbook| (p.id.clone(), p.sha256().to_string()))
        .collect();
    let answers: BTreeMap<String, String> = answers
        .answers
        .iter()
        .filter(|(_, a)| !a.is_empty())
        .map(|(id, a)| (id.clone(), answer_stamp(a)))
        .collect();
    let mut all = format!("gate {gate_digest}\n");
    for (id, sha) in &playbooks {
        all.push_str(&format!("playbook {id} {sha}\n"));
    }
    for (id, stamp) in &answers {
        all.push_str(&format!("answer {id} {stamp}\n"));
    }
    Snapshot {
        digest: sha256_hex(all.as_bytes()),
        score,
        level: level.to_string(),
        gate: gate_digest,
        playbooks,
        answers,
    }
}

fn answer_stamp(a: &Answer) -> String {
    let sha = sha256_hex(&serde_json::to_vec(a).expect("answers serialise"));
    let status = a.status.map_or("unanswered", |s| s.as_str());
    format!("{status} {}", &sha[..16])
}

/// Where a role's sign-off stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum SignoffState {
    /// Signed, and nothing has changed since.
    Signed,
    /// Signed, but answers, playbooks or the gate changed since.
    Outdated,
    /// Not signed.
    Missing,
}

/// A role's sign-off as the report shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SignoffStatus {
    pub role: String,
    pub state: SignoffState,
    /// Listed in `gate.signoffs`.
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub accepted_blocked: bool,
    /// For an outdated sign-off: what changed since it was given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
    /// The `signoff` finding, for a sign-off that is missing or outdated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<Finding>,
}

/// Each role's sign-off: the roles in `gate.signoffs` first (in that
/// order), then every other role that signed. A role is signed when any of
/// its sign-offs matches `now`; otherwise its latest sign-off is outdated.
pub fn statuses(
    file: &SignoffsFile,
    now: &Snapshot,
    required: &[String],
    path: &str,
) -> Vec<SignoffStatus> {
    let mut roles: Vec<&str> = required.iter().map(String::as_str).collect();
    for s in &file.signoffs {
        if !roles.contains(&s.role.as_str()) {
            roles.push(&s.role);
        }
    }
    roles
        .into_iter()
        .map(|role| {
            let of_role = file.signoffs.iter().filter(|s| s.role == role);
            let current = of_role.clone().rfind(|s| s.signed.digest == now.digest);
            let latest = of_role.clone().next_back();
            let (state, entry) = match (current, latest) {
                (Some(s), _) => (SignoffState::Signed, Some(s)),
                (None, Some(s)) => (SignoffState::Outdated, Some(s)),
                (None, None) => (SignoffState::Missing, None),
            };
            let mut status = SignoffStatus {
                role: role.to_string(),
                state,
                required: required.iter().any(|r| r == role),
                name: entry.map(|s| s.name.clone()),
                at: entry.map(|s| s.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                note: entry.and_then(|s| s.note.clone()),
                accepted_blocked: entry.is_some_and(|s| s.accepted_blocked),
                changes: match state {
                    SignoffState::Outdated => {
                        entry.map(|s| changes(&s.signed, now)).unwrap_or_default()
                    }
                    _ => Vec::new(),
                },
                finding: None,
            };
            status.finding = finding(&status, path);
            status
        })
        .collect()
}

/// What changed from `then` to `now`, in words, as `diff` words it: the
/// score, the gate, each playbook edited, added or removed, and each
/// answer's status change or edit.
pub fn changes(then: &Snapshot, now: &Snapshot) -> Vec<String> {
    let mut out = Vec::new();
    if (then.score - now.score).abs() > f64::EPSILON || then.level != now.level {
        out.push(format!(
            "score {} ({}) → {} ({})",
            then.score, then.level, now.score, now.level
        ));
    }
    if then.gate != now.gate {
        out.push("gate settings changed".into());
    }
    for (id, sha) in &now.playbooks {
        match then.playbooks.get(id) {
            None => out.push(format!("playbook `{id}` added")),
            Some(old) if old != sha => out.push(format!("playbook `{id}` edited")),
            _ => {}
        }
    }
    for id in then
        .playbooks
        .keys()
        .filter(|id| !now.playbooks.contains_key(*id))
    {
        out.push(format!("playbook `{id}` removed"));
    }
    let status = |stamp: &str| stamp.split(' ').next().unwrap_or_default().to_string();
    let ids: BTreeSet<&String> = then.answers.keys().chain(now.answers.keys()).collect();
    for id in ids {
        match (then.answers.get(id), now.answers.get(id)) {
            (Some(a), Some(b)) if a != b => {
                let (from, to) = (status(a), status(b));
                out.push(if from == to {
                    format!("`{id}`: {to}, answer edited")
                } else {
                    format!("`{id}`: {from} → {to}")
                });
            }
            (None, Some(b)) => out.push(format!("`{id}`: missing → {}", status(b))),
            (Some(a), None) => out.push(format!("`{id}`: {} → missing", status(a))),
            _ => {}
        }
    }
    out
}

/// The finding for a sign-off that is not current (for `check`).
fn finding(s: &SignoffStatus, path: &str) -> Option<Finding> {
    let message = match s.state {
        SignoffState::Signed => return None,
        SignoffState::Missing => format!(
            "no sign-off from `{}`: run `supportcheck signoff {}` when the readiness is right",
            s.role, s.role
        ),
        SignoffState::Outdated => format!(
            "the sign-off of `{}` by {} is outdated: {}",
            s.role,
            s.name.as_deref().unwrap_or("?"),
            if s.changes.is_empty() {
                "the inputs changed".to_string()
            } else {
                s.changes.join("; ")
            }
        ),
    };
    Some(if s.required {
        Finding::error(Code::Signoff, Location::file(path), message)
    } else {
        Finding::warning(Code::Signoff, Location::file(path), message)
    })
}

/// Reads the sign-offs file; an empty text is an empty file.
pub fn parse_signoffs(text: &str, path: &str) -> Result<SignoffsFile, Finding> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(conflict) = crate::diagnostic::merge_conflict(text, path) {
        return Err(conflict);
    }
    if text.trim().is_empty() {
        return Ok(SignoffsFile::default());
    }
    let file: SignoffsFile =
        serde_saphyr::from_str_with_options(text, crate::playbook::parse::yaml_options()).map_err(
            |e| {
                let mut f = crate::diagnostic::yaml_error(path, 0, &e, "sign-offs file");
                f.code = Code::Signoff;
                f
            },
        )?;
    if file.format != 1 {
        return Err(Finding::error(
            Code::Signoff,
            Location::at(path, 1, 1),
            format!(
                "sign-offs format {} is not one this supportcheck reads (1)",
                file.format
            ),
        ));
    }
    Ok(file)
}

/// The sign-offs file as YAML, with a header saying what it is.
pub fn signoffs_to_yaml(file: &SignoffsFile) -> String {
    let body = serde_saphyr::to_string(file).expect("sign-offs serialise");
    format!(
        "# supportcheck sign-offs: written by `supportcheck signoff`; each entry binds\n# a person's approval to the digest of what was evaluated.\n{body}"
    )
}

/// Whether a question is in `role`'s care.
pub fn owned_by(q: &Question, role: &str) -> bool {
    q.owner.as_deref() == Some(role)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(answers: &[(&str, &str)]) -> Snapshot {
        Snapshot {
            digest: format!("{answers:?}"),
            score: 50.0,
            level: "not-ready".into(),
            gate: "g".into(),
            playbooks: BTreeMap::from([("p".to_string(), "1".to_string())]),
            answers: answers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn a_changed_answer_makes_a_sign_off_outdated_and_says_what_changed() {
        let then = snap(&[("p/q1", "partial aaaa"), ("p/q2", "met bbbb")]);
        let now = snap(&[
            ("p/q1", "met cccc"),
            ("p/q2", "met dddd"),
            ("p/q3", "unmet eeee"),
        ]);
        let file = SignoffsFile {
            format: 1,
            signoffs: vec![Signoff {
                role: "legal".into(),
                name: "Jonas".into(),
                at: DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z").unwrap(),
                note: None,
                accepted_blocked: false,
                signed: then,
            }],
        };
        let s = statuses(
            &file,
            &now,
            &["support-lead".into(), "legal".into()],
            "s.yaml",
        );
        assert!(s[0].finding.as_ref().unwrap().is_error());
        assert_eq!(s[0].state, SignoffState::Missing);
        assert_eq!(s[1].state, SignoffState::Outdated);
        assert_eq!(
            s[1].changes,
            [
                "`p/q1`: partial → met",
                "`p/q2`: met, answer edited",
                "`p/q3`: missing → unmet"
            ]
        );
        let current = statuses(&file, &file.signoffs[0].signed.clone(), &[], "s.yaml");
        assert_eq!(current[0].state, SignoffState::Signed);
    }

    #[test]
    fn the_sign_offs_file_round_trips() {
        let file = SignoffsFile {
            format: 1,
            signoffs: vec![Signoff {
                role: "legal".into(),
                name: "Jonas: \"JB\" Berg".into(),
                at: DateTime::parse_from_rfc3339("2026-11-20T10:00:00+01:00").unwrap(),
                note: Some("yes\nwith a second line".into()),
                accepted_blocked: true,
                signed: snap(&[("p/q1", "met aaaa")]),
            }],
        };
        let text = signoffs_to_yaml(&file);
        assert_eq!(parse_signoffs(&text, "s.yaml").unwrap(), file, "{text}");
    }
}
