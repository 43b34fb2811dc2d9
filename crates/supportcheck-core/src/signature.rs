//! SSH signatures on sign-offs, as `git` signs commits with an SSH key: an
//! `sshsig` armoured signature (`ssh-keygen -Y sign -n supportcheck`) over
//! the sign-off's own text, checked against an `allowed_signers` file (the
//! format of `ssh-keygen -Y verify`). Pure: the file's text comes in.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use ssh_key::{PublicKey, SshSig};

/// The namespace a sign-off is signed in (`ssh-keygen -n`), so that a
/// signature made for a commit or an e-mail cannot be passed off as one.
pub const NAMESPACE: &str = "supportcheck";

/// One line of `allowed_signers`: who may sign with which key.
#[derive(Debug, Clone)]
pub struct AllowedSigner {
    /// Principal patterns (`*` and `?` match; compared without case).
    principals: Vec<String>,
    /// `namespaces="..."`: the namespaces the key may sign in (none: any).
    namespaces: Option<Vec<String>>,
    valid_after: Option<NaiveDateTime>,
    valid_before: Option<NaiveDateTime>,
    key: PublicKey,
    pub line: usize,
}

/// The signers of an `allowed_signers` text, and a message for each line
/// that is not one (named by its line).
pub fn parse_allowed_signers(text: &str) -> (Vec<AllowedSigner>, Vec<(usize, String)>) {
    let mut signers = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_line(line, i + 1) {
            Ok(s) => signers.push(s),
            Err(why) => problems.push((i + 1, why)),
        }
    }
    (signers, problems)
}

/// Splits on whitespace outside double quotes; quotes are kept.
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in line.chars() {
        if c == '"' {
            quoted = !quoted;
            current.push(c);
        } else if c.is_whitespace() && !quoted {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Splits on commas outside double quotes.
fn comma_list(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    out.push(current);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn is_key_type(field: &str) -> bool {
    field.starts_with("ssh-") || field.starts_with("ecdsa-sha2-") || field.starts_with("sk-")
}

fn parse_line(line: &str, n: usize) -> Result<AllowedSigner, String> {
    let fields = fields(line);
    let mut rest = fields.iter();
    let principals = comma_list(rest.next().map_or("", String::as_str));
    if principals.is_empty() {
        return Err("no principal".into());
    }
    let mut next = rest.next().ok_or("no key")?;
    let mut namespaces = None;
    let (mut valid_after, mut valid_before) = (None, None);
    if !is_key_type(next) {
        for option in comma_list(next) {
            let (name, value) = option.split_once('=').unwrap_or((option.as_str(), ""));
            let value = value.trim_matches('"');
            match name.to_ascii_lowercase().as_str() {
                "namespaces" => namespaces = Some(comma_list(value)),
                "valid-after" => valid_after = Some(timestamp(value)?),
                "valid-before" => valid_before = Some(timestamp(value)?),
                "cert-authority" => {
                    return Err(
                        "`cert-authority` lines are not supported: list each person's key".into(),
                    );
                }
                other => return Err(format!("unknown option `{other}`")),
            }
        }
        next = rest.next().ok_or("no key")?;
    }
    let blob = rest.next().ok_or("no key after its type")?;
    let key = PublicKey::from_openssh(&format!("{next} {blob}"))
        .map_err(|e| format!("not a public key: {e}"))?;
    Ok(AllowedSigner {
        principals,
        namespaces,
        valid_after,
        valid_before,
        key,
        line: n,
    })
}

/// `YYYYMMDD[HHMM[SS]]`, with an optional `Z` (taken as UTC either way).
fn timestamp(s: &str) -> Result<NaiveDateTime, String> {
    let digits = s.trim_end_matches(['Z', 'z']);
    let bad = || format!("`{s}` is not a time like 20261130 or 202611301200");
    let date =
        NaiveDate::parse_from_str(digits.get(..8).ok_or_else(bad)?, "%Y%m%d").map_err(|_| bad())?;
    let time = match digits.len() {
        8 => "000000".to_string(),
        12 => format!("{}00", &digits[8..]),
        14 => digits[8..].to_string(),
        _ => return Err(bad()),
    };
    let time = chrono::NaiveTime::parse_from_str(&time, "%H%M%S").map_err(|_| bad())?;
    Ok(date.and_time(time))
}

/// Whether `pattern` (`*` any run, `?` one character) matches `name`,
/// without case.
fn glob(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let n: Vec<char> = name.to_lowercase().chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

impl AllowedSigner {
    fn allows(&self, name: &str, at: &DateTime<FixedOffset>) -> bool {
        let name = name.trim();
        let mut matched = false;
        for p in &self.principals {
            match p.strip_prefix('!') {
                Some(negated) if glob(negated, name) => return false,
                Some(_) => {}
                None => matched |= glob(p, name),
            }
        }
        let at = at.naive_utc();
        matched
            && self
                .namespaces
                .as_ref()
                .is_none_or(|ns| ns.iter().any(|n| glob(n, NAMESPACE)))
            && self.valid_after.is_none_or(|t| at >= t)
            && self.valid_before.is_none_or(|t| at < t)
    }
}

/// The SHA256 fingerprint of the key that made an armoured signature.
pub fn fingerprint(armoured: &str) -> Result<String, String> {
    let sig =
        SshSig::from_pem(armoured.trim()).map_err(|e| format!("not an SSH signature: {e}"))?;
    Ok(PublicKey::from(sig.public_key().clone())
        .fingerprint(ssh_key::HashAlg::Sha256)
        .to_string())
}

/// Checks that `armoured` is a signature of `message` in [`NAMESPACE`] by a
/// key that `signers` lists for `name` at the time `at`. The fingerprint of
/// the key on success; why not otherwise.
pub fn verify(
    armoured: &str,
    message: &str,
    name: &str,
    at: &DateTime<FixedOffset>,
    signers: &[AllowedSigner],
    signers_path: &str,
) -> Result<String, String> {
    let sig = SshSig::from_pem(armoured.trim())
        .map_err(|e| format!("its signature is not an SSH signature ({e})"))?;
    let key = PublicKey::from(sig.public_key().clone());
    let print = key.fingerprint(ssh_key::HashAlg::Sha256).to_string();
    if sig.namespace() != NAMESPACE {
        return Err(format!(
            "it is signed for `{}`, not `{NAMESPACE}` (ssh-keygen -Y sign -n {NAMESPACE})",
            sig.namespace()
        ));
    }
    key.verify(NAMESPACE, message.as_bytes(), &sig)
        .map_err(|_| {
            "the signature does not match the sign-off (edited after it was signed?)".to_string()
        })?;
    if !signers
        .iter()
        .any(|s| s.key.key_data() == key.key_data() && s.allows(name, at))
    {
        return Err(format!(
            "its key {print} is not listed for {name} in {signers_path}"
        ));
    }
    Ok(print)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBBdeaC6XuH6JDu3DcXL5kabkL5rbz6vTvgj8cF1NPHp";

    #[test]
    fn allowed_signers_lines_read_quoted_principals_options_and_comments() {
        let text = format!(
            "# team\n\n\"Jonas Berg\",jonas@example.com namespaces=\"git,supportcheck\" {KEY} laptop\n*@example.com,!eve@example.com valid-after=20260101,valid-before=\"20270101Z\" {KEY}\nbroken\nx cert-authority {KEY}\n"
        );
        let (signers, problems) = parse_allowed_signers(&text);
        assert_eq!(signers.len(), 2, "{problems:?}");
        assert_eq!(signers[0].line, 3);
        assert_eq!(signers[0].principals, ["Jonas Berg", "jonas@example.com"]);
        let at = DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z").unwrap();
        assert!(signers[0].allows("jonas berg", &at));
        assert!(!signers[0].allows("Jonas", &at));
        assert!(signers[1].allows("dana@example.com", &at));
        assert!(!signers[1].allows("eve@example.com", &at));
        let later = DateTime::parse_from_rfc3339("2027-02-01T00:00:00Z").unwrap();
        assert!(!signers[1].allows("dana@example.com", &later));
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].0, 5);
        assert!(problems[1].1.contains("cert-authority"), "{problems:?}");
    }

    #[test]
    fn a_namespace_list_without_ours_allows_nothing() {
        let text = format!("jonas namespaces=\"git\" {KEY}\n");
        let (signers, _) = parse_allowed_signers(&text);
        let at = DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z").unwrap();
        assert!(!signers[0].allows("jonas", &at));
    }

    #[test]
    fn garbage_is_not_a_signature() {
        let at = DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z").unwrap();
        let err = verify("hello", "m", "x", &at, &[], "a").unwrap_err();
        assert!(err.contains("not an SSH signature"), "{err}");
    }
}
