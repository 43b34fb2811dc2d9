//! Runs probes: the network (`http`, on ureq), the project's files
//! (`file`) and other programs (`command`). Shell: what each probe saw goes
//! to the pure judges in `probe::judge`, and the results come back as
//! records for `readiness/probes.jsonl`.
//!
//! Probes run in parallel on a fixed number of threads, each bounded by its
//! own timeout and all by one time budget: a run takes about as long as its
//! slowest probes, not their sum, and never longer than the budget.
// Shell: the network, files, processes and the clock.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::print_stdout,
    clippy::print_stderr
)]

use crate::probe::judge::{self, FoundFile, Judged, Response};
use crate::probe::safety::{host_listed_exactly, is_public, url_refused};
use crate::probe::{
    CommandProbe, FileProbe, HttpProbe, MAX_BODY_BYTES, MAX_REDIRECTS, Outcome, ProbeKind,
    ProbeResult, Seen, redact,
};
use chrono::{DateTime, FixedOffset};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// One probe to run, planned by `commands::verify`.
#[derive(Debug, Clone)]
pub struct Planned {
    pub question: String,
    /// From 1, in the question's list.
    pub index: usize,
    pub probe: crate::probe::Probe,
    /// The target with facts filled in, or why it cannot be.
    pub target: Result<String, String>,
    pub key: String,
    /// For a `command` probe: whether its playbook is trusted (else why not).
    pub trusted: Result<(), String>,
    /// For a `command` probe: the program and arguments, facts filled in.
    pub argv: Vec<String>,
}

/// What every probe run shares.
#[derive(Debug, Clone)]
pub struct Settings {
    pub root: PathBuf,
    pub allow_hosts: Vec<String>,
    /// Allowed environment variables and their values (secrets).
    pub env: Vec<(String, String)>,
    pub offline: bool,
    /// The roots `https` probes trust when `probes.ca_file` adds some to
    /// the public ones (else ureq's own public roots).
    pub roots: Option<ureq::tls::RootCerts>,
    pub jobs: usize,
    pub budget: Duration,
    /// The time recorded on every result.
    pub at: DateTime<FixedOffset>,
}

/// What became of one planned probe.
#[derive(Debug, Clone)]
pub enum Ran {
    Done(Box<ProbeResult>),
    /// Not run, and not recorded: `--offline` and a network probe.
    Offline,
}

/// Runs every planned probe, `jobs` at a time, within the budget; the
/// results come back in the order planned.
pub fn run_all(planned: &[Planned], settings: &Settings) -> Vec<Ran> {
    let start = Instant::now();
    let deadline = start + settings.budget;
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<Ran>>> = Mutex::new(vec![None; planned.len()]);
    let secrets: Vec<String> = settings.env.iter().map(|(_, v)| v.clone()).collect();
    let workers = settings.jobs.clamp(1, 256).min(planned.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(p) = planned.get(i) else { break };
                    let ran = run_one(p, settings, deadline, &secrets);
                    if let Ok(mut out) = out.lock() {
                        out[i] = Some(ran);
                    }
                }
            });
        }
    });
    out.into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.unwrap_or(Ran::Offline))
        .collect()
}

fn run_one(p: &Planned, settings: &Settings, deadline: Instant, secrets: &[String]) -> Ran {
    let started = Instant::now();
    let target = p.target.clone().unwrap_or_default();
    let record = |(outcome, seen, reason): Judged| {
        let mut seen: Seen = seen;
        seen.matched = seen.matched.map(|m| redact(&m, secrets));
        Ran::Done(Box::new(ProbeResult {
            question: p.question.clone(),
            probe: p.index,
            key: p.key.clone(),
            kind: p.probe.kind.name().to_string(),
            target: redact(&target, secrets),
            outcome,
            at: settings.at,
            seen,
            reason: redact(&reason, secrets),
            ms: started.elapsed().as_millis() as u64,
        }))
    };
    let error = |reason: String| (Outcome::Error, Seen::default(), reason);
    if let Err(why) = &p.target {
        return record(error(why.clone()));
    }
    if settings.offline && matches!(p.probe.kind, ProbeKind::Http(_)) {
        return Ran::Offline;
    }
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return record(error(format!(
            "not run: the time budget of {}s was spent",
            settings.budget.as_secs()
        )));
    }
    let timeout = Duration::from_millis(p.probe.timeout_ms).min(left);
    let judged = match &p.probe.kind {
        ProbeKind::Http(h) => http(h, &target, settings, timeout),
        ProbeKind::File(f) => file(f, &target, settings),
        ProbeKind::Command(c) => match &p.trusted {
            Ok(()) => command(c, &p.argv, settings, timeout),
            Err(why) => error(why.clone()),
        },
    };
    record(judged)
}

/// A resolver that refuses private, loopback and link-local addresses
/// unless the host is listed exactly in `probes.allow_hosts`. It is the
/// resolver the connection itself uses, so a host cannot resolve to a
/// public address when checked and a private one when connected.
#[derive(Debug)]
struct Guard {
    allow_hosts: Vec<String>,
}

impl ureq::unversioned::resolver::Resolver for Guard {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let resolved = ureq::unversioned::resolver::DefaultResolver::default()
            .resolve(uri, config, timeout)?;
        let host = uri
            .host()
            .unwrap_or_default()
            .trim_start_matches('[')
            .trim_end_matches(']');
        if host_listed_exactly(host, &self.allow_hosts) {
            return Ok(resolved);
        }
        let mut kept = ureq::unversioned::resolver::DefaultResolver::default().empty();
        let mut refused = None;
        for &addr in &resolved {
            if is_public(addr.ip()) {
                kept.push(addr);
            } else {
                refused.get_or_insert(addr.ip());
            }
        }
        match (kept.is_empty(), refused) {
            (true, Some(ip)) => Err(ureq::Error::Io(std::io::Error::other(format!(
                "refused: {host} resolves to {ip}, a private, loopback or link-local address; list {host} itself in probes.allow_hosts to allow it"
            )))),
            (true, None) => Err(ureq::Error::HostNotFound),
            (false, _) => Ok(kept),
        }
    }
}

/// The request headers with `${NAME}` filled from the allowed environment.
fn request_headers(h: &HttpProbe, settings: &Settings) -> Result<Vec<(String, String)>, String> {
    h.headers
        .iter()
        .map(|(name, value)| {
            let mut out = String::new();
            let mut rest = value.as_str();
            while let Some(start) = rest.find("${") {
                out.push_str(&rest[..start]);
                let after = &rest[start + 2..];
                let end = after
                    .find('}')
                    .ok_or_else(|| format!("header {name}: `${{` without its `}}`"))?;
                let var = &after[..end];
                let (_, v) = settings.env.iter().find(|(n, _)| n == var).ok_or_else(|| {
                    format!(
                        "header {name} names the environment variable {var}, which is not in probes.allow_env or not set"
                    )
                })?;
                out.push_str(v);
                rest = &after[end + 1..];
            }
            out.push_str(rest);
            Ok((name.clone(), out))
        })
        .collect()
}

/// The public roots and the CA certificates of `probes.ca_file` (its PEM
/// text), for `https` probes; an error when it holds no certificate.
pub fn roots_with(pem: &[u8], shown: &str) -> Result<ureq::tls::RootCerts, String> {
    let mut own = Vec::new();
    for item in ureq::tls::parse_pem(pem) {
        match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => own.push(c),
            Ok(_) => {}
            Err(e) => return Err(format!("probes.ca_file {shown} is not PEM: {e}")),
        }
    }
    if own.is_empty() {
        return Err(format!(
            "probes.ca_file {shown} holds no certificate (`-----BEGIN CERTIFICATE-----`)"
        ));
    }
    let public = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|c| ureq::tls::Certificate::from_der(c.as_ref()));
    Ok(public.chain(own).collect::<Vec<_>>().into())
}

/// Why a TLS handshake failed, in words: an untrusted certificate says
/// how to trust an internal CA.
fn tls_reason(url: &str, e: &ureq::Error) -> Option<String> {
    // rustls's error, as ureq gives it (directly or through an I/O error).
    let text = e.to_string();
    let (_, detail) = text.split_once("invalid peer certificate: ")?;
    let hint = if detail.contains("UnknownIssuer") {
        "; if your own CA signed it, name that CA's PEM file in probes.ca_file"
    } else {
        ""
    };
    Some(format!(
        "{url}: the server's certificate is not trusted ({detail}){hint}"
    ))
}

/// The scheme and host of a URL, as written.
fn scheme_host(url: &str) -> (String, String) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (String::new(), String::new());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit('@').next().unwrap_or_default();
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default().to_string()
    } else {
        authority.split(':').next().unwrap_or_default().to_string()
    };
    (scheme.to_ascii_lowercase(), host.to_ascii_lowercase())
}

/// A redirect's `Location` against the URL that gave it.
fn join(base: &str, location: &str) -> String {
    if location.contains("://") {
        return location.to_string();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("https", base));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if let Some(net) = location.strip_prefix("//") {
        return format!("{scheme}://{net}");
    }
    if location.starts_with('/') {
        return format!("{scheme}://{authority}{location}");
    }
    let path = &rest[authority.len()..];
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    format!("{scheme}://{authority}{dir}/{location}")
}

/// The client for one probe: no proxy, no redirects of its own (each hop
/// is checked here), the guard as its resolver, the probe's timeout.
fn agent(settings: &Settings, timeout: Duration) -> ureq::Agent {
    let mut tls = ureq::tls::TlsConfig::builder();
    if let Some(roots) = &settings.roots {
        tls = tls.root_certs(roots.clone());
    }
    let config = ureq::Agent::config_builder()
        .tls_config(tls.build())
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .timeout_global(Some(timeout))
        .user_agent(format!(
            "supportcheck/{} (probe)",
            env!("CARGO_PKG_VERSION")
        ))
        .build();
    ureq::Agent::with_parts(
        config,
        ureq::unversioned::transport::DefaultConnector::default(),
        Guard {
            allow_hosts: settings.allow_hosts.clone(),
        },
    )
}

fn http(h: &HttpProbe, url: &str, settings: &Settings, timeout: Duration) -> Judged {
    let error = |reason: String| (Outcome::Error, Seen::default(), reason);
    let headers = match request_headers(h, settings) {
        Ok(headers) => headers,
        Err(why) => return error(why),
    };
    let agent = agent(settings, timeout);
    let first_host = scheme_host(url).1;
    let mut url = url.to_string();
    for hop in 0..=MAX_REDIRECTS {
        let (scheme, host) = scheme_host(&url);
        if let Some(why) = url_refused(&scheme, &host, &settings.allow_hosts) {
            let why = if hop > 0 {
                format!("redirected to {url}: {why}")
            } else {
                why
            };
            return error(why);
        }
        let mut req = agent.get(&url);
        // Credentials go only to the host they were written for.
        if host == first_host {
            for (k, v) in &headers {
                req = req.header(k, v);
            }
        }
        let mut resp = match req.call() {
            Ok(resp) => resp,
            Err(ureq::Error::Timeout(_)) => {
                return error(format!(
                    "no answer within {} ms (timed out)",
                    timeout.as_millis()
                ));
            }
            Err(e) => return error(tls_reason(&url, &e).unwrap_or(format!("{url}: {e}"))),
        };
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if (300..400).contains(&status)
            && let Some(location) = location
        {
            url = join(&url, location.trim());
            continue;
        }
        let headers: Vec<(String, String)> = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut body = Vec::new();
        let read = resp
            .body_mut()
            .as_reader()
            .take(MAX_BODY_BYTES + 1)
            .read_to_end(&mut body);
        if let Err(e) = read {
            let timed_out = e.kind() == std::io::ErrorKind::TimedOut
                || e.to_string().to_lowercase().contains("timeout");
            return error(if timed_out {
                format!(
                    "the body did not arrive within {} ms (timed out)",
                    timeout.as_millis()
                )
            } else {
                format!("reading the body: {e}")
            });
        }
        let truncated = body.len() as u64 > MAX_BODY_BYTES;
        body.truncate(MAX_BODY_BYTES as usize);
        let (headers, body) = without_secrets(headers, body, settings);
        return judge::http(
            h,
            &Response {
                status,
                headers: &headers,
                body: &body,
                truncated,
            },
        );
    }
    error(format!(
        "more than {MAX_REDIRECTS} redirects (last to {url}); a redirect loop?"
    ))
}

/// A response that echoes a secret, with it redacted before it is judged:
/// a reason or a match may quote part of what was seen, shortened, and a
/// shortened secret would no longer be found to redact.
fn without_secrets(
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    settings: &Settings,
) -> (Vec<(String, String)>, Vec<u8>) {
    let secrets: Vec<String> = settings.env.iter().map(|(_, v)| v.clone()).collect();
    if secrets.is_empty() {
        return (headers, body);
    }
    let headers = headers
        .into_iter()
        .map(|(k, v)| (k, redact(&v, &secrets)))
        .collect();
    let redacted = {
        let text = String::from_utf8_lossy(&body);
        secrets
            .iter()
            .any(|s| s.len() >= 4 && text.contains(s.as_str()))
            .then(|| redact(&text, &secrets).into_bytes())
    };
    (headers, redacted.unwrap_or(body))
}

/// The most entries a glob walks before it gives up.
const MAX_WALK: usize = 200_000;

fn file(f: &FileProbe, target: &str, settings: &Settings) -> Judged {
    let error = |reason: String| (Outcome::Error, Seen::default(), reason);
    let root = match settings.root.canonicalize() {
        Ok(r) => r,
        Err(e) => return error(format!("cannot read the project folder: {e}")),
    };
    let mut paths: Vec<(String, PathBuf)> = Vec::new();
    if judge::is_glob(target) {
        // The fixed folders before the first wildcard are where the walk starts.
        let fixed: Vec<&str> = target
            .split('/')
            .take_while(|c| !judge::is_glob(c))
            .collect();
        let base = root.join(fixed.join("/"));
        let mut seen = 0;
        for entry in walkdir::WalkDir::new(&base)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| e.file_name() != ".git")
        {
            seen += 1;
            if seen > MAX_WALK {
                return error(format!(
                    "{target}: more than {MAX_WALK} entries to look through"
                ));
            }
            let Ok(entry) = entry else { continue };
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&root) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if judge::glob_match(target, &rel) {
                paths.push((rel, entry.path().to_path_buf()));
            }
        }
        paths.sort();
    } else {
        let full = root.join(target);
        match full.canonicalize() {
            // A link that leads out of the project is not the project's file.
            Ok(real) if !real.starts_with(&root) => {
                return error(format!("{target} leads outside the project; not read"));
            }
            Ok(real) if real.is_file() => paths.push((target.to_string(), real)),
            Ok(_) => return error(format!("{target} is not a regular file")),
            Err(_) => {}
        }
    }
    let need_text = f.contains.is_some() || f.matches.is_some();
    let now = std::time::SystemTime::now();
    let mut found = Vec::with_capacity(paths.len());
    for (shown, full) in paths.into_iter().take(10_000) {
        let bytes = if need_text {
            match crate::store::read::read_capped_to(&full, crate::store::read::MAX_FILE_BYTES) {
                Ok(b) => Some(b),
                Err(e) => {
                    return error(format!(
                        "cannot read {shown}: {}",
                        e.reason(crate::store::read::MAX_FILE_BYTES)
                    ));
                }
            }
        } else {
            None
        };
        let age_days = std::fs::metadata(&full)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .map(|d| (d.as_secs() / 86_400) as i64);
        found.push(FoundFile {
            path: shown,
            bytes,
            age_days,
        });
    }
    judge::file(f, target, &found)
}

fn command(c: &CommandProbe, argv: &[String], settings: &Settings, timeout: Duration) -> Judged {
    let error = |reason: String| (Outcome::Error, Seen::default(), reason);
    if argv.is_empty() {
        return error("no program to run".into());
    }
    let program = &argv[0];
    // A program named with a path is the project's; otherwise it is looked
    // up on PATH. No shell ever runs it.
    let program_path = if program.contains('/') {
        let p = settings.root.join(program);
        match p.canonicalize() {
            Ok(real) => real,
            Err(_) => return error(format!("{program} does not exist in the project")),
        }
    } else {
        PathBuf::from(program)
    };
    let mut child = match std::process::Command::new(&program_path)
        .args(&argv[1..])
        .current_dir(&settings.root)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => return error(format!("cannot run {program}: {e}")),
    };
    let capped = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut kept = Vec::new();
            let _ = (&mut r).take(MAX_BODY_BYTES + 1).read_to_end(&mut kept);
            // Drain the rest so the program never blocks on a full pipe.
            let _ = std::io::copy(&mut r, &mut std::io::sink());
            kept
        })
    };
    let out = child.stdout.take().map(|s| capped(Box::new(s)));
    let err = child.stderr.take().map(|s| capped(Box::new(s)));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return error(format!("waiting for {program}: {e}")),
        }
    };
    let mut output = out.and_then(|h| h.join().ok()).unwrap_or_default();
    let _ = err.and_then(|h| h.join().ok());
    let Some(status) = status else {
        return error(format!(
            "{program} did not finish within {} ms (timed out; stopped)",
            timeout.as_millis()
        ));
    };
    let Some(code) = status.code() else {
        return error(format!("{program} was ended by a signal"));
    };
    let truncated = output.len() as u64 > MAX_BODY_BYTES;
    output.truncate(MAX_BODY_BYTES as usize);
    judge::command(c, code, &output, truncated)
}
