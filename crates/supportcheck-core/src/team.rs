//! Team readiness: which role owns each question, who is in a role, and
//! sign-offs bound to a digest of what was evaluated (answers, playbooks, gate).

use crate::answers::{Answer, AnswersFile};
use crate::config::{Config, FactValue, Gate};
use crate::diagnostic::{Code, Finding, Location};
use crate::playbook::{Playbook, Question, Set, sha256_hex};
use crate::signature::AllowedSigner;
use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
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
    /// An SSH signature (`sshsig`, namespace `supportcheck`) over
    /// [`signed_text`] of this entry: `signoff --sign`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

/// The text a sign-off's signature covers: everything in the entry but the
/// signature and the parts that only explain the digest. Strings are
/// written as JSON strings, so a line break in a note cannot forge a field.
pub fn signed_text(s: &Signoff) -> String {
    let quoted = |t: &str| serde_json::to_string(t).expect("strings serialise");
    format!(
        "supportcheck sign-off 1\nrole {}\nname {}\nat {}\nnote {}\naccepted_blocked {}\ndigest {}\n",
        quoted(&s.role),
        quoted(&s.name),
        s.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        s.note.as_deref().map_or_else(|| "null".to_string(), quoted),
        s.accepted_blocked,
        s.signed.digest,
    )
}

/// What a sign-off covers: the sha256 of the evaluated inputs, with the
/// parts it was made of, so that a later change can be named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// sha256 over the gate, every playbook, every answer, every fact and
    /// every missing evidence path below.
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
    /// Each fact the config sets, as JSON: facts decide which questions apply.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub facts: BTreeMap<String, String>,
    /// Evidence paths the answers give that do not exist.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence_missing: Vec<String>,
}

/// What a sign-off covers besides the gate, the playbooks and the answers:
/// everything else the verdict depends on.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub facts: &'a BTreeMap<String, FactValue>,
    pub missing_evidence: &'a BTreeSet<String>,
}

/// The snapshot of the evaluated inputs. Placeholder (empty) answers count
/// as absent; answers and facts are hashed as their JSON, which has a fixed
/// key order. Facts and missing evidence add lines to the digest only when
/// there are any, so a project without them keeps its digests.
pub fn snapshot(
    set: &Set,
    answers: &AnswersFile,
    gate: &Gate,
    context: Context<'_>,
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
    let facts: BTreeMap<String, String> = context
        .facts
        .iter()
        .map(|(k, v)| {
            let json = serde_json::to_string(v).expect("facts serialise");
            (k.clone(), json)
        })
        .collect();
    let evidence_missing: Vec<String> = context.missing_evidence.iter().cloned().collect();
    let mut snapshot = Snapshot {
        digest: String::new(),
        score,
        level: level.to_string(),
        gate: gate_digest,
        playbooks,
        answers,
        facts,
        evidence_missing,
    };
    snapshot.digest = digest(&snapshot, |stamp| stamp.to_string());
    snapshot
}

/// The sha256 over a snapshot's parts, one line each, with each answer's
/// stamp as `stamp` writes it.
fn digest(s: &Snapshot, stamp: impl Fn(&str) -> String) -> String {
    let mut all = format!("gate {}\n", s.gate);
    for (id, sha) in &s.playbooks {
        all.push_str(&format!("playbook {id} {sha}\n"));
    }
    for (id, answer) in &s.answers {
        all.push_str(&format!("answer {id} {}\n", stamp(answer)));
    }
    for (name, value) in &s.facts {
        all.push_str(&format!(
            "fact {} {value}\n",
            serde_json::to_string(name).expect("names serialise")
        ));
    }
    for path in &s.evidence_missing {
        all.push_str(&format!(
            "evidence-missing {}\n",
            serde_json::to_string(path).expect("paths serialise")
        ));
    }
    sha256_hex(all.as_bytes())
}

/// The one word for an answer without a status, `score::State::Missing`'s
/// (this module sits below `score`; a test holds the two equal).
const MISSING: &str = "missing";

/// The word earlier versions stamped an answer without a status with,
/// instead of [`MISSING`]. A sign-off whose digest was taken with it still
/// matches ([`Snapshot::legacy_digest`]), and [`changes`] reads it as
/// `missing`: changing the word outdates no sign-off.
const LEGACY_MISSING: &str = "unanswered";

/// `<status> <first 16 hex digits of the answer's sha256>`; `missing` for
/// an answer that has no status (a note, an owner, an action).
fn answer_stamp(a: &Answer) -> String {
    let sha = sha256_hex(&serde_json::to_vec(a).expect("answers serialise"));
    let status = a.status.map_or(MISSING, |s| s.as_str());
    format!("{status} {}", &sha[..16])
}

/// A stamp as it is written now: a legacy `unanswered` reads as `missing`.
fn current_stamp(stamp: &str) -> String {
    match stamp.strip_prefix(LEGACY_MISSING) {
        Some(rest) if rest.starts_with(' ') => format!("{MISSING}{rest}"),
        _ => stamp.to_string(),
    }
}

impl Snapshot {
    /// The digest these inputs had when an answer without a status was
    /// stamped `unanswered`; `None` when no stamp says `missing` (the
    /// digest is then the same).
    pub fn legacy_digest(&self) -> Option<String> {
        let missing = format!("{MISSING} ");
        self.answers
            .values()
            .any(|a| a.starts_with(&missing))
            .then(|| {
                digest(self, |stamp| match stamp.strip_prefix(&missing) {
                    Some(rest) => format!("{LEGACY_MISSING} {rest}"),
                    None => stamp.to_string(),
                })
            })
    }
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
    /// Signed, but answers, playbooks, facts or the gate changed since.
    Outdated,
    /// Only sign-offs that do not count: by someone outside the role, dated
    /// in the future, or not signed by a key `allowed_signers` lists.
    Invalid,
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
    /// The SHA256 fingerprint of the SSH key the sign-off is signed with,
    /// when its signature was checked against `allowed_signers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The role's entries that do not count, newest first, each with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<String>,
    /// The `signoff` finding, for a sign-off that is missing or outdated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<Finding>,
}

/// What a sign-off is judged by besides the state now: who is in each
/// role, the time, and whether (and against which signers) it must be signed.
#[derive(Debug, Clone, Copy)]
pub struct Judge<'a> {
    pub owners: &'a BTreeMap<String, Vec<String>>,
    pub now: DateTime<Utc>,
    /// `gate.signoffs_signed`: only signed sign-offs count.
    pub signed: bool,
    /// The allowed signers, when the file exists.
    pub signers: Option<&'a [AllowedSigner]>,
    /// Its lines that are not a signer, with why.
    pub signer_problems: &'a [(usize, String)],
    /// The `allowed_signers` path, as shown.
    pub signers_path: &'a str,
}

/// How far in the future a sign-off may be dated (clocks drift).
pub const CLOCK_SKEW: TimeDelta = TimeDelta::minutes(5);

/// Whether a sign-off counts on its own (whatever state it signed): why not,
/// or the fingerprint of the key that signed it (`Ok(None)`: not checked).
pub fn judge(s: &Signoff, judge: &Judge<'_>) -> Result<Option<String>, String> {
    let mut why = Vec::new();
    let people = people_of(judge.owners, &s.role);
    if !people
        .iter()
        .any(|p| p.trim().eq_ignore_ascii_case(s.name.trim()))
    {
        why.push(if judge.owners.contains_key(&s.role) {
            format!(
                "{} is not in the role `{}` ({})",
                s.name,
                s.role,
                people.join(", ")
            )
        } else {
            format!("`{}` is not a role in `owners:`", s.role)
        });
    }
    if s.at.with_timezone(&Utc) > judge.now + CLOCK_SKEW {
        why.push(format!(
            "it is dated {}, in the future",
            s.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ));
    }
    let mut key = None;
    match (&s.signature, judge.signers) {
        (None, _) if judge.signed => why.push(
            "it is not signed, and gate.signoffs_signed is on (`supportcheck signoff --sign`)"
                .into(),
        ),
        (Some(_), None) if judge.signed => why.push(format!(
            "{} does not exist, so its signature cannot be checked",
            judge.signers_path
        )),
        (Some(sig), Some(signers)) => match crate::signature::verify(
            sig,
            &signed_text(s),
            &s.name,
            &s.at,
            signers,
            judge.signers_path,
        ) {
            Ok(print) => key = Some(print),
            Err(e) => {
                let mut e = e;
                if let Some((line, problem)) = judge.signer_problems.first() {
                    e.push_str(&format!(
                        " ({}:{line} is not read: {problem})",
                        judge.signers_path
                    ));
                }
                why.push(e);
            }
        },
        _ => {}
    }
    if why.is_empty() {
        Ok(key)
    } else {
        Err(why.join("; "))
    }
}

fn people_of<'a>(owners: &'a BTreeMap<String, Vec<String>>, role: &str) -> &'a [String] {
    owners.get(role).map_or(&[], Vec::as_slice)
}

/// Each role's sign-off: the roles in `gate.signoffs` first (in that
/// order), then every other role that signed. Only entries that count
/// ([`judge`]) are considered: a role is signed when any of them matches
/// `now`; otherwise its latest one is outdated; with none, the role's
/// entries that do not count make it `invalid`.
pub fn statuses(
    file: &SignoffsFile,
    now: &Snapshot,
    required: &[String],
    path: &str,
    by: &Judge<'_>,
) -> Vec<SignoffStatus> {
    let mut roles: Vec<&str> = required.iter().map(String::as_str).collect();
    for s in &file.signoffs {
        if !roles.contains(&s.role.as_str()) {
            roles.push(&s.role);
        }
    }
    let judged: Vec<(&Signoff, Result<Option<String>, String>)> =
        file.signoffs.iter().map(|s| (s, judge(s, by))).collect();
    // A sign-off made when an answer without a status was stamped
    // `unanswered` signed these same inputs: it still matches.
    let legacy = now.legacy_digest();
    roles
        .into_iter()
        .map(|role| {
            let of_role = judged.iter().filter(|(s, _)| s.role == role);
            let valid = of_role
                .clone()
                .filter_map(|(s, v)| Some((*s, v.as_ref().ok()?)));
            let rejected: Vec<(&Signoff, &String)> = of_role
                .clone()
                .rev()
                .filter_map(|(s, v)| Some((*s, v.as_ref().err()?)))
                .collect();
            let current = valid.clone().rfind(|(s, _)| {
                s.signed.digest == now.digest || legacy.as_ref() == Some(&s.signed.digest)
            });
            let latest = valid.clone().next_back();
            let (state, entry, key) = match (current, latest, rejected.first()) {
                (Some((s, k)), _, _) => (SignoffState::Signed, Some(s), k.clone()),
                (None, Some((s, k)), _) => (SignoffState::Outdated, Some(s), k.clone()),
                (None, None, Some((s, _))) => (SignoffState::Invalid, Some(*s), None),
                (None, None, None) => (SignoffState::Missing, None, None),
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
                key,
                rejected: rejected
                    .iter()
                    .map(|(s, why)| {
                        format!(
                            "{}, {}: {why}",
                            s.name,
                            s.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                        )
                    })
                    .collect(),
                finding: None,
            };
            status.finding = finding(&status, rejected.first().map(|(_, w)| w.as_str()), path);
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
    let names: BTreeSet<&String> = then.facts.keys().chain(now.facts.keys()).collect();
    for name in names {
        match (then.facts.get(name), now.facts.get(name)) {
            (Some(a), Some(b)) if a != b => out.push(format!("fact `{name}` changed: {a} → {b}")),
            (None, Some(b)) => out.push(format!("fact `{name}` added: {b}")),
            (Some(_), None) => out.push(format!("fact `{name}` removed")),
            _ => {}
        }
    }
    if then.evidence_missing != now.evidence_missing {
        out.push("the evidence files that exist changed".into());
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
        let then_stamp = then.answers.get(id).map(String::as_str).map(current_stamp);
        match (then_stamp.as_ref(), now.answers.get(id)) {
            (Some(a), Some(b)) if a != b => {
                let (from, to) = (status(a), status(b));
                out.push(if from == to {
                    format!("`{id}`: {to}, answer edited")
                } else {
                    format!("`{id}`: {from} → {to}")
                });
            }
            (None, Some(b)) => out.push(format!("`{id}`: {MISSING} → {}", status(b))),
            (Some(a), None) => out.push(format!("`{id}`: {} → {MISSING}", status(a))),
            _ => {}
        }
    }
    out
}

/// The finding for a sign-off that is not current (for `check`); `rejected`
/// is why the role's newest entry that does not count does not.
fn finding(s: &SignoffStatus, rejected: Option<&str>, path: &str) -> Option<Finding> {
    let mut message = match s.state {
        SignoffState::Signed => return None,
        SignoffState::Invalid => format!(
            "the sign-off of `{}` by {} does not count: {}",
            s.role,
            s.name.as_deref().unwrap_or("?"),
            rejected.unwrap_or("it was rejected")
        ),
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
    if s.state != SignoffState::Invalid && !s.rejected.is_empty() {
        message.push_str(&format!(
            " ({} other entry(ies) of the role do not count: {})",
            s.rejected.len(),
            s.rejected.join("; ")
        ));
    }
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
            facts: BTreeMap::new(),
            evidence_missing: Vec::new(),
        }
    }

    fn owners() -> BTreeMap<String, Vec<String>> {
        BTreeMap::from([("legal".to_string(), vec!["Jonas".to_string()])])
    }

    fn by(owners: &BTreeMap<String, Vec<String>>) -> Judge<'_> {
        Judge {
            owners,
            now: DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            signed: false,
            signers: None,
            signer_problems: &[],
            signers_path: "allowed_signers",
        }
    }

    /// A sign-offs file with Jonas's legal sign-off of `signed`.
    fn signed_by_jonas(signed: Snapshot) -> SignoffsFile {
        SignoffsFile {
            format: 1,
            signoffs: vec![Signoff {
                role: "legal".into(),
                name: "Jonas".into(),
                at: DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z").unwrap(),
                note: None,
                accepted_blocked: false,
                signed,
                signature: None,
            }],
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
        let file = signed_by_jonas(then);
        let s = statuses(
            &file,
            &now,
            &["support-lead".into(), "legal".into()],
            "s.yaml",
            &by(&owners()),
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
        let owners = owners();
        let current = statuses(
            &file,
            &file.signoffs[0].signed.clone(),
            &[],
            "s.yaml",
            &by(&owners),
        );
        assert_eq!(current[0].state, SignoffState::Signed);
        // Dated in the future, or by someone outside the role: not counted.
        let mut forged = file.clone();
        forged.signoffs[0].at = DateTime::parse_from_rfc3339("2099-01-01T00:00:00Z").unwrap();
        forged.signoffs[0].name = "Mallory".into();
        let s = statuses(
            &forged,
            &file.signoffs[0].signed.clone(),
            &[],
            "s.yaml",
            &by(&owners),
        );
        assert_eq!(s[0].state, SignoffState::Invalid);
        let message = &s[0].finding.as_ref().unwrap().message;
        assert!(
            message.contains("Mallory is not in the role `legal` (Jonas)"),
            "{message}"
        );
        assert!(message.contains("in the future"), "{message}");
    }

    #[test]
    fn an_answer_without_a_status_is_stamped_with_the_one_word_for_missing() {
        assert_eq!(MISSING, crate::score::State::Missing.word());
        let a = Answer {
            note: Some("asked the vendor".into()),
            ..Answer::default()
        };
        assert!(
            answer_stamp(&a).starts_with("missing "),
            "{}",
            answer_stamp(&a)
        );
    }

    #[test]
    fn a_sign_off_stamped_unanswered_still_matches_and_names_no_change() {
        // Now: p/q2 has no status. A sign-off of the same inputs made when
        // the stamp said `unanswered` has the legacy digest.
        let mut now = snap(&[("p/q1", "met aaaa"), ("p/q2", "missing bbbb")]);
        now.digest = digest(&now, str::to_string);
        let mut then = snap(&[("p/q1", "met aaaa"), ("p/q2", "unanswered bbbb")]);
        then.digest = digest(&then, str::to_string);
        assert_ne!(then.digest, now.digest);
        assert_eq!(now.legacy_digest().as_ref(), Some(&then.digest));
        assert_eq!(then.legacy_digest(), None, "nothing stamped missing");
        assert!(
            changes(&then, &now).is_empty(),
            "{:?}",
            changes(&then, &now)
        );
        let file = signed_by_jonas(then.clone());
        let owners = owners();
        let s = statuses(&file, &now, &["legal".into()], "s.yaml", &by(&owners));
        assert_eq!(s[0].state, SignoffState::Signed);
        // An edit since is still named, in today's word.
        let edited = snap(&[("p/q1", "met aaaa"), ("p/q2", "missing cccc")]);
        assert_eq!(changes(&then, &edited), ["`p/q2`: missing, answer edited"]);
        let s = statuses(&file, &edited, &["legal".into()], "s.yaml", &by(&owners));
        assert_eq!(s[0].state, SignoffState::Outdated);
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
                signature: Some(
                    "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n".into(),
                ),
            }],
        };
        let text = signoffs_to_yaml(&file);
        assert_eq!(parse_signoffs(&text, "s.yaml").unwrap(), file, "{text}");
    }
}
