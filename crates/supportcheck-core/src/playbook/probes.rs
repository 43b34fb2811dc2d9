//! Probes as a playbook declares them: the model and its parsing
//! (`probes:` on a checklist item, or in the config for a built-in
//! question). Running them, judging what they saw and what the results
//! mean live in the `probe` module; this part sits with the playbook that
//! carries it.

use super::facts::valid_fact_name;
use crate::duration::Duration;
use serde::Serialize;
use serde_json::Value;

/// The longest a single probe may take (`timeout:`), and its default.
pub const MAX_TIMEOUT_MS: u64 = 60_000;
pub const DEFAULT_TIMEOUT_MS: u64 = 10_000;
/// Redirects an `http` probe follows before it gives up.
pub const MAX_REDIRECTS: u32 = 5;
/// The most of a response body, or of a command's output, that is read.
pub const MAX_BODY_BYTES: u64 = 1024 * 1024;
/// The most probes one question may declare.
pub const MAX_PROBES_PER_QUESTION: usize = 20;
/// The longest text a probe value may hold (a URL, a pattern).
const MAX_TEXT: usize = 2048;

/// One probe as declared on a question.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub kind: ProbeKind,
    /// The probe as written, as canonical JSON: with the resolved target it
    /// keys the results, so that a changed probe does not read old ones.
    pub written: String,
    /// Per-probe timeout.
    pub timeout_ms: u64,
}

impl Serialize for Probe {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v: Value = serde_json::from_str(&self.written).unwrap_or(Value::Null);
        v.serialize(s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ProbeKind {
    Http(HttpProbe),
    File(FileProbe),
    Command(CommandProbe),
}

/// `http: URL`: a GET, judged by status, body text, JSON and headers.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpProbe {
    /// May name facts: `{{ help_center_url }}/contact`.
    pub url: String,
    pub status: Vec<u16>,
    pub contains: Option<String>,
    pub matches: Option<String>,
    /// JSON pointer to the value expected there.
    pub json: Vec<(String, Value)>,
    /// Response header name (lower case) to text its value must contain.
    pub header: Vec<(String, String)>,
    /// Request headers; a value may name an allowed environment variable
    /// as `${NAME}` (a help-desk API token), never printed.
    pub headers: Vec<(String, String)>,
}

/// `file: PATH`: a path inside the project (a glob with `*`, `?`, `**`).
#[derive(Debug, Clone, PartialEq)]
pub struct FileProbe {
    pub path: String,
    pub contains: Option<String>,
    pub matches: Option<String>,
    /// At least this many files match the glob.
    pub count: Option<u64>,
    /// Changed within this age.
    pub younger_than: Option<Duration>,
}

/// `command: [program, args...]`: run without a shell, judged by its exit
/// code and output. Runs only from a trusted playbook.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandProbe {
    pub argv: Vec<String>,
    pub exit: i32,
    pub contains: Option<String>,
}

impl ProbeKind {
    pub fn name(&self) -> &'static str {
        match self {
            ProbeKind::Http(_) => "http",
            ProbeKind::File(_) => "file",
            ProbeKind::Command(_) => "command",
        }
    }
}

/// Reads a question's `probes:` value. `allow_command` is false for probes
/// written in the config, which may not run programs.
pub fn parse_list(value: &Value, allow_command: bool) -> Result<Vec<Probe>, String> {
    let list = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Array(list) => list,
        _ => return Err("`probes` must be a list of probes (`- http: URL`, `- file: PATH`, `- command: [PROGRAM, ARGS]`)".into()),
    };
    if list.len() > MAX_PROBES_PER_QUESTION {
        return Err(format!(
            "`probes` lists {} probes; at most {MAX_PROBES_PER_QUESTION} are allowed on a question",
            list.len()
        ));
    }
    list.iter()
        .enumerate()
        .map(|(i, v)| parse_one(v, allow_command).map_err(|e| format!("probe {}: {e}", i + 1)))
        .collect()
}

fn parse_one(value: &Value, allow_command: bool) -> Result<Probe, String> {
    let Value::Object(map) = value else {
        return Err(
            "must be a mapping such as `http: URL`, `file: PATH` or `command: [PROGRAM, ARGS]`"
                .into(),
        );
    };
    let kind = probe_kind(map)?;
    let matches = text(map, "matches")?;
    if let Some(pattern) = &matches {
        pattern_of(pattern)?;
    }
    let contains = text(map, "contains")?;
    let timeout_ms = match map.get("timeout") {
        None | Some(Value::Null) => DEFAULT_TIMEOUT_MS,
        Some(v) => duration_ms(v)?,
    };
    let kind = match kind {
        "http" => ProbeKind::Http(http_probe(map, contains, matches)?),
        "file" => ProbeKind::File(file_probe(map, contains, matches)?),
        _ => ProbeKind::Command(command_probe(map, contains, allow_command)?),
    };
    Ok(Probe {
        kind,
        written: serde_json::to_string(value).unwrap_or_default(),
        timeout_ms,
    })
}

type Map = serde_json::Map<String, Value>;

/// Which kind of probe `map` is, once its keys are known to fit that kind.
fn probe_kind(map: &Map) -> Result<&'static str, String> {
    let kinds: Vec<&str> = ["http", "file", "command"]
        .into_iter()
        .filter(|k| map.contains_key(*k))
        .collect();
    let kind = match kinds.as_slice() {
        [one] => *one,
        [] => return Err("needs one of `http`, `file` or `command`".into()),
        _ => return Err(format!("has {}: a probe is one kind", kinds.join(" and "))),
    };
    let known: &[&str] = match kind {
        "http" => &[
            "http", "status", "contains", "matches", "json", "header", "headers", "timeout",
        ],
        "file" => &[
            "file",
            "contains",
            "matches",
            "count",
            "younger_than",
            "timeout",
        ],
        _ => &["command", "exit", "contains", "timeout"],
    };
    if let Some(key) = map.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(format!(
            "unknown key `{key}` on a {kind} probe (known: {})",
            known.join(", ")
        ));
    }
    Ok(kind)
}

/// The text at `k` (a number is read as text), if any.
fn text(map: &Map, k: &str) -> Result<Option<String>, String> {
    match map.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.chars().count() <= MAX_TEXT => Ok(Some(s.clone())),
        Some(Value::String(_)) => Err(format!("`{k}` is longer than {MAX_TEXT} characters")),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(format!("`{k}` must be text")),
    }
}

/// What a probe points at (`http`'s URL, `file`'s path): trimmed, not
/// empty, and naming only facts that are well formed.
fn target(map: &Map, key: &str, missing: &str) -> Result<String, String> {
    let value = text(map, key)?
        .filter(|v| !v.trim().is_empty())
        .ok_or(missing)?;
    let value = value.trim().to_string();
    template_names(&value)?;
    Ok(value)
}

fn http_probe(
    map: &Map,
    contains: Option<String>,
    matches: Option<String>,
) -> Result<HttpProbe, String> {
    let url = target(map, "http", "`http` needs a URL")?;
    if !url.starts_with("{{") && !url.starts_with("https://") && !url.starts_with("http://") {
        return Err(format!(
            "`http: {url}` must start with https:// or http:// (or a fact such as `{{{{ help_center_url }}}}`)"
        ));
    }
    let pointer = |k: &str| {
        if k.is_empty() || k.starts_with('/') {
            Ok(())
        } else {
            Err(format!(
                "`json` keys are JSON pointers such as `/status`; found `{k}`"
            ))
        }
    };
    Ok(HttpProbe {
        url,
        status: status_of(map.get("status"))?,
        contains,
        matches,
        json: pairs(map.get("json"), "json", pointer)?,
        header: pairs(map.get("header"), "header", header_name)?
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), text_of(&v)))
            .collect(),
        headers: pairs(map.get("headers"), "headers", header_name)?
            .into_iter()
            .map(|(k, v)| (k, text_of(&v)))
            .collect(),
    })
}

fn file_probe(
    map: &Map,
    contains: Option<String>,
    matches: Option<String>,
) -> Result<FileProbe, String> {
    let path = target(map, "file", "`file` needs a path")?;
    if !path.contains("{{") {
        relative_path(&path)?;
    }
    let count = match map.get("count") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64(),
        Some(_) => {
            return Err(
                "`count` must be a whole number: the fewest files the glob must match".into(),
            );
        }
    };
    let younger_than = match text(map, "younger_than")? {
        None => None,
        Some(t) => Some(Duration::parse(&t).map_err(|e| format!("`younger_than`: {e}"))?),
    };
    Ok(FileProbe {
        path,
        contains,
        matches,
        count,
        younger_than,
    })
}

fn command_probe(
    map: &Map,
    contains: Option<String>,
    allow_command: bool,
) -> Result<CommandProbe, String> {
    if !allow_command {
        return Err("a command probe may only be declared in a playbook (which must be trusted with `supportcheck trust PATH`), not in supportcheck.yaml".into());
    }
    let argv = argv_of(map.get("command"))?;
    if argv[0].trim().is_empty() {
        return Err("`command` needs a program".into());
    }
    for a in &argv {
        template_names(a)?;
    }
    let exit = match map.get("exit") {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) => n
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .ok_or("`exit` must be a whole number")?,
        Some(_) => return Err("`exit` must be a whole number".into()),
    };
    Ok(CommandProbe {
        argv,
        exit,
        contains,
    })
}

/// `command: [program, args...]`: a list that is not empty, of words.
fn argv_of(value: Option<&Value>) -> Result<Vec<String>, String> {
    let Some(Value::Array(items)) = value.filter(|v| v.as_array().is_some_and(|a| !a.is_empty()))
    else {
        return Err(
            "`command` must be a list: the program, then its arguments (no shell runs it)".into(),
        );
    };
    items
        .iter()
        .map(|v| match v {
            Value::String(s) if s.len() <= MAX_TEXT => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            _ => Err(
                "`command` must be a list of words: the program, then its arguments".to_string(),
            ),
        })
        .collect()
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn header_name(k: &str) -> Result<(), String> {
    if !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Ok(())
    } else {
        Err(format!("`{k}` is not a header name"))
    }
}

fn pairs(
    value: Option<&Value>,
    key: &str,
    check: impl Fn(&str) -> Result<(), String>,
) -> Result<Vec<(String, Value)>, String> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| {
                check(k)?;
                Ok((k.clone(), v.clone()))
            })
            .collect(),
        Some(_) => Err(format!("`{key}` must be a mapping")),
    }
}

/// `status: 200`, `status: [200, 204]`; 2xx when absent.
fn status_of(value: Option<&Value>) -> Result<Vec<u16>, String> {
    let one = |v: &Value| {
        v.as_u64()
            .and_then(|n| u16::try_from(n).ok())
            .filter(|n| (100..=599).contains(n))
            .ok_or_else(|| {
                "`status` must be an HTTP status such as 200, or a list of them".to_string()
            })
    };
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(list)) if !list.is_empty() => list.iter().map(one).collect(),
        Some(v) => Ok(vec![one(v)?]),
    }
}

/// `timeout: 5s` or `500ms`: a [`Duration`] of at most [`MAX_TIMEOUT_MS`].
fn duration_ms(v: &Value) -> Result<u64, String> {
    let most = MAX_TIMEOUT_MS / 1000;
    let Value::String(text) = v else {
        return Err(format!(
            "`timeout` must be a duration such as `5s` or `500ms`, at most {most}s"
        ));
    };
    let d = Duration::parse(text).map_err(|e| format!("`timeout`: {e}"))?;
    u64::try_from(d.elapsed().num_milliseconds())
        .ok()
        .filter(|ms| *ms <= MAX_TIMEOUT_MS)
        .ok_or_else(|| format!("`timeout` {d} is too long a duration for a probe: at most {most}s"))
}

/// A `matches` pattern, compiled with a size limit.
pub fn pattern_of(pattern: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 20)
        .build()
        .map_err(|e| format!("`matches: {pattern}` is not a regular expression: {e}"))
}

/// A path written in a probe: relative, inside the project.
pub fn relative_path(path: &str) -> Result<(), String> {
    let p = path.replace('\\', "/");
    if p.starts_with('/') || p.chars().nth(1) == Some(':') {
        return Err(format!(
            "`file: {path}` must be a path inside the project, relative to its root"
        ));
    }
    if p.split('/').any(|c| c == "..") {
        return Err(format!("`file: {path}` may not leave the project (`..`)"));
    }
    Ok(())
}

/// The facts a text names with `{{ name }}`, in order; an error for a
/// `{{` without its `}}` or a name that is not a fact name.
pub fn template_names(text: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err(format!("`{text}` has a `{{{{` without its `}}}}`"));
        };
        let name = after[..end].trim();
        if !valid_fact_name(name) {
            return Err(format!(
                "`{{{{ {name} }}}}` in `{text}` must name a fact: a word of letters, digits and `_`"
            ));
        }
        names.push(name.to_string());
        rest = &after[end + 2..];
    }
    Ok(names)
}
