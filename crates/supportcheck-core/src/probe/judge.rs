//! Judging what a probe saw against what it expects. Pure: the shell hands
//! in the status, headers and body it read (already capped), the files it
//! found, or a command's exit code and output.

use super::{CommandProbe, FileProbe, HttpProbe, Outcome, Seen, pattern_of};
use crate::playbook::sha256_hex;

/// What judging gave: the outcome, what was seen, and the reason.
pub type Judged = (Outcome, Seen, String);

/// A response as the shell read it.
#[derive(Debug, Clone)]
pub struct Response<'a> {
    pub status: u16,
    /// Header names in lower case.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    pub truncated: bool,
}

/// Text cut to 80 characters, for `seen.matched`.
fn cut(text: &str) -> String {
    crate::playbook::facts::shorten(text.trim())
}

/// Looks for `contains` and `matches` in `text`; `Err(reason)` on the first
/// that is not there; `Ok(matched text)` otherwise.
fn look_for(
    text: &str,
    contains: Option<&String>,
    matches: Option<&String>,
    what: &str,
) -> Result<Option<String>, String> {
    let mut matched = None;
    if let Some(c) = contains {
        if !text.contains(c.as_str()) {
            return Err(format!("{what} does not contain \"{}\"", cut(c)));
        }
        matched = Some(cut(c));
    }
    if let Some(m) = matches {
        let re = pattern_of(m)?;
        match re.find(text) {
            Some(found) => matched = Some(cut(found.as_str())),
            None => return Err(format!("{what} does not match `{}`", cut(m))),
        }
    }
    Ok(matched)
}

pub fn http(p: &HttpProbe, r: &Response<'_>) -> Judged {
    let mut seen = Seen {
        status: Some(r.status),
        sha256: Some(sha256_hex(r.body)),
        bytes: Some(r.body.len() as u64),
        truncated: r.truncated,
        ..Seen::default()
    };
    if let Some(why) = status_problem(p, r) {
        return (Outcome::Fail, seen, why);
    }
    if let Some(why) = header_problem(p, r) {
        return (Outcome::Fail, seen, why);
    }
    let text = String::from_utf8_lossy(r.body);
    let cap_note = if r.truncated {
        " (in the first MiB read)"
    } else {
        ""
    };
    match look_for(&text, p.contains.as_ref(), p.matches.as_ref(), "the body") {
        Ok(m) => seen.matched = m,
        Err(why) => return (Outcome::Fail, seen, format!("{why}{cap_note}")),
    }
    if !p.json.is_empty() {
        let doc: serde_json::Value = match serde_json::from_slice(r.body) {
            Ok(doc) => doc,
            Err(e) => {
                return (
                    Outcome::Fail,
                    seen,
                    format!("the body is not JSON ({e}){cap_note}"),
                );
            }
        };
        for (pointer, want) in &p.json {
            match doc.pointer(pointer) {
                Some(got) if json_equal(got, want) => {
                    seen.matched = Some(cut(&format!("{pointer} = {got}")));
                }
                Some(got) => {
                    return (
                        Outcome::Fail,
                        seen,
                        format!("{pointer} is {}, expected {want}", cut(&got.to_string())),
                    );
                }
                None => {
                    return (
                        Outcome::Fail,
                        seen,
                        format!("the JSON has nothing at {pointer}"),
                    );
                }
            }
        }
    }
    (
        Outcome::Pass,
        seen,
        format!("status {}, as expected", r.status),
    )
}

/// Why the response's status is not one the probe expects, if it is not.
fn status_problem(p: &HttpProbe, r: &Response<'_>) -> Option<String> {
    let status_ok = if p.status.is_empty() {
        (200..300).contains(&r.status)
    } else {
        p.status.contains(&r.status)
    };
    if !status_ok {
        let want = if p.status.is_empty() {
            "2xx".to_string()
        } else {
            p.status
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(" or ")
        };
        return Some(format!("status {} (expected {want})", r.status));
    }
    None
}

/// Why a header the probe expects is missing or lacks its text, if one is.
fn header_problem(p: &HttpProbe, r: &Response<'_>) -> Option<String> {
    for (name, want) in &p.header {
        let got = r
            .headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str());
        match got {
            Some(v) if v.contains(want.as_str()) => {}
            Some(v) => {
                return Some(format!(
                    "header {name} is \"{}\", without \"{}\"",
                    cut(v),
                    cut(want)
                ));
            }
            None => return Some(format!("no header {name} in the response")),
        }
    }
    None
}

/// Equal, or the same text when one side is a number or boolean written as text.
fn json_equal(got: &serde_json::Value, want: &serde_json::Value) -> bool {
    use serde_json::Value;
    got == want
        || match (got, want) {
            (Value::String(g), w) if !w.is_string() => g == &w.to_string(),
            (g, Value::String(w)) if !g.is_string() => &g.to_string() == w,
            _ => false,
        }
}

/// One file a `file` probe found: its path, text (when it needed reading)
/// and age in days.
#[derive(Debug, Clone)]
pub struct FoundFile {
    pub path: String,
    pub bytes: Option<Vec<u8>>,
    pub age_days: Option<i64>,
}

pub fn file(p: &FileProbe, target: &str, found: &[FoundFile]) -> Judged {
    let mut seen = Seen {
        files: Some(found.len() as u64),
        ..Seen::default()
    };
    let need = p.count.unwrap_or(1).max(1);
    if (found.len() as u64) < need {
        let reason = if found.is_empty() {
            format!("{target} does not exist")
        } else {
            format!(
                "{} {target}; at least {need} expected",
                crate::words::count_as(found.len(), "file matches", "files match")
            )
        };
        return (Outcome::Fail, seen, reason);
    }
    if let Some(age) = p.younger_than {
        // A file's age is an elapsed time in whole days.
        let limit = age.elapsed().num_days();
        let newest = found.iter().filter_map(|f| f.age_days).min();
        match newest {
            Some(days) if days <= limit => {}
            Some(days) => {
                return (
                    Outcome::Fail,
                    seen,
                    format!("{target} last changed {days} days ago; younger than {age} expected"),
                );
            }
            None => {
                return (
                    Outcome::Fail,
                    seen,
                    format!("the age of {target} is unknown"),
                );
            }
        }
    }
    if p.contains.is_some() || p.matches.is_some() {
        // The first file that has it passes.
        let mut last = String::new();
        for f in found {
            let bytes = f.bytes.as_deref().unwrap_or_default();
            let text = String::from_utf8_lossy(bytes);
            match look_for(&text, p.contains.as_ref(), p.matches.as_ref(), &f.path) {
                Ok(m) => {
                    seen.matched = m;
                    seen.sha256 = Some(sha256_hex(bytes));
                    seen.bytes = Some(bytes.len() as u64);
                    return (Outcome::Pass, seen, format!("{} has it", f.path));
                }
                Err(why) => last = why,
            }
        }
        return (Outcome::Fail, seen, last);
    }
    let reason = if found.len() == 1 {
        format!("{} exists", found[0].path)
    } else {
        format!("{} files match {target}", found.len())
    };
    (Outcome::Pass, seen, reason)
}

pub fn command(p: &CommandProbe, exit: i32, output: &[u8], truncated: bool) -> Judged {
    let mut seen = Seen {
        exit: Some(exit),
        sha256: Some(sha256_hex(output)),
        bytes: Some(output.len() as u64),
        truncated,
        ..Seen::default()
    };
    if exit != p.exit {
        return (
            Outcome::Fail,
            seen,
            format!("exit code {exit} (expected {})", p.exit),
        );
    }
    let text = String::from_utf8_lossy(output);
    match look_for(&text, p.contains.as_ref(), None, "the output") {
        Ok(m) => seen.matched = m,
        Err(why) => return (Outcome::Fail, seen, why),
    }
    (
        Outcome::Pass,
        seen,
        format!("exit code {exit}, as expected"),
    )
}

/// Whether a path (relative, `/`-separated) matches a glob: `*` and `?`
/// within one component, `**` for any number of components.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    let pat: Vec<&str> = pattern
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    let parts: Vec<&str> = path
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    components(&pat, &parts)
}

fn components(pat: &[&str], parts: &[&str]) -> bool {
    match pat.split_first() {
        None => parts.is_empty(),
        Some((&"**", rest)) => (0..=parts.len()).any(|i| components(rest, &parts[i..])),
        Some((first, rest)) => match parts.split_first() {
            Some((p, prest)) => one(first.as_bytes(), p.as_bytes()) && components(rest, prest),
            None => false,
        },
    }
}

fn one(pat: &[u8], text: &[u8]) -> bool {
    // Iterative wildcard match with one backtrack point: linear-ish, no recursion.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pat.len() && (pat[p] == b'?' || pat[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pat.len() && pat[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while p < pat.len() && pat[p] == b'*' {
        p += 1;
    }
    p == pat.len()
}

/// Whether a probe path is a glob.
pub fn is_glob(path: &str) -> bool {
    path.contains(['*', '?'])
}
