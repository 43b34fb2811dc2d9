use super::judge::{self, Response, glob_match};
use super::safety::{host_allowed, host_listed_exactly, is_public};
use super::*;
use serde_json::json;

fn facts(pairs: &[(&str, &str)]) -> Facts {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), FactValue::One(v.to_string())))
        .collect()
}

#[test]
fn the_issue_shape_parses() {
    let v = json!([
        {"http": "{{ help_center_url }}/contact", "status": 200, "contains": "Contact us"},
        {"file": "docs/support-policy.md", "contains": "first response"},
        {"command": ["scripts/oncall-check", "--team", "support"], "exit": 0}
    ]);
    let probes = parse_list(&v, true).unwrap();
    assert_eq!(probes.len(), 3);
    assert!(matches!(&probes[0].kind, ProbeKind::Http(h) if h.status == vec![200]));
    assert!(matches!(&probes[2].kind, ProbeKind::Command(c) if c.argv.len() == 3));
    // Not from the config.
    let err = parse_list(&v, false).unwrap_err();
    assert!(err.starts_with("probe 3:"), "{err}");
}

#[test]
fn bad_probes_say_what_is_wrong() {
    for (v, want) in [
        (json!([{"http": "ftp://x"}]), "must start with https://"),
        (json!([{"http": "https://x", "file": "a"}]), "one kind"),
        (json!([{"file": "../etc/passwd"}]), "may not leave"),
        (json!([{"file": "/etc/passwd"}]), "inside the project"),
        (
            json!([{"http": "https://x", "matches": "("}]),
            "not a regular expression",
        ),
        (json!([{"http": "https://x", "timeout": "2h"}]), "duration"),
        (
            json!([{"http": "https://x", "timeout": 5}]),
            "must be a duration",
        ),
        (
            json!([{"http": "https://x", "timeout": "5"}]),
            "has no unit",
        ),
        (
            json!([{"file": "a", "younger_than": "2 weeks"}]),
            "`younger_than`: `2 weeks` is not a duration",
        ),
        (
            json!([{"http": "https://x", "bogus": 1}]),
            "unknown key `bogus`",
        ),
        (json!([{"http": "{{ nope"}]), "without its"),
        (json!([{"command": "ls -l"}]), "must be a list"),
    ] {
        let err = parse_list(&v, true).unwrap_err();
        assert!(err.contains(want), "{v}: {err}");
    }
}

#[test]
fn facts_fill_urls_and_missing_ones_are_named() {
    let f = facts(&[("help_center_url", "https://help.acme.test")]);
    assert_eq!(
        fill("{{ help_center_url }}/contact", &f).unwrap(),
        "https://help.acme.test/contact"
    );
    let err = fill("{{status_url}}", &f).unwrap_err();
    assert!(err.contains("`status_url` is not set"), "{err}");
    let probes = parse_list(&json!([{"http": "{{ status_url }}/api"}]), false).unwrap();
    assert_eq!(missing_facts(probes.iter(), &f), vec!["status_url"]);
}

#[test]
fn hosts_wildcards_and_private_addresses() {
    let allow = vec!["help.acme.test".to_string(), "*.acme.io".to_string()];
    assert!(host_allowed("help.acme.test", &allow));
    assert!(host_allowed("HELP.acme.test.", &allow));
    assert!(host_allowed("status.acme.io", &allow));
    assert!(!host_allowed("acme.io", &allow));
    assert!(!host_allowed("evil.test", &allow));
    assert!(host_listed_exactly("help.acme.test", &allow));
    assert!(!host_listed_exactly("status.acme.io", &allow));
    for private in [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "fd00::1",
        "::ffff:127.0.0.1",
        "100.64.0.1",
        "0.0.0.0",
    ] {
        assert!(!is_public(private.parse().unwrap()), "{private}");
    }
    for public in ["93.184.216.34", "2606:4700::1111"] {
        assert!(is_public(public.parse().unwrap()), "{public}");
    }
}

#[test]
fn http_judging() {
    let p = match parse_list(
        &json!([{"http": "https://x", "contains": "Contact us", "json": {"/ok": true}}]),
        false,
    )
    .unwrap()
    .remove(0)
    .kind
    {
        ProbeKind::Http(h) => h,
        _ => unreachable!(),
    };
    let headers = vec![];
    let ok = Response {
        status: 200,
        headers: &headers,
        body: br#"{"ok": true, "t": "Contact us"}"#,
        truncated: false,
    };
    assert_eq!(judge::http(&p, &ok).0, Outcome::Pass);
    let down = Response {
        status: 503,
        ..ok.clone()
    };
    let (o, seen, why) = judge::http(&p, &down);
    assert_eq!((o, seen.status), (Outcome::Fail, Some(503)));
    assert!(why.contains("expected 2xx"), "{why}");
    let wrong = Response {
        body: br#"{"ok": false, "t": "Contact us"}"#,
        ..ok
    };
    assert!(judge::http(&p, &wrong).2.contains("/ok is false"));
}

#[test]
fn globs() {
    assert!(glob_match("docs/*.md", "docs/a.md"));
    assert!(!glob_match("docs/*.md", "docs/x/a.md"));
    assert!(glob_match("docs/**/*.md", "docs/x/y/a.md"));
    assert!(glob_match("docs/**/*.md", "docs/a.md"));
    assert!(glob_match("runbook-?.txt", "runbook-1.txt"));
}

#[test]
fn the_verdict_reads_the_newest_result_and_expires_it() {
    let probes = parse_list(&json!([{"file": "a.md"}]), false).unwrap();
    let f = Facts::new();
    let k = key(&probes[0], "a.md");
    let at = |d: &str| DateTime::parse_from_rfc3339(d).unwrap();
    let result = |outcome, when: &str| ProbeResult {
        question: "p/q1".into(),
        probe: 1,
        key: k.clone(),
        kind: "file".into(),
        target: "a.md".into(),
        outcome,
        at: at(when),
        seen: Seen::default(),
        reason: "r".into(),
        ms: 1,
    };
    let latest = Latest::from_results([
        result(Outcome::Fail, "2026-11-01T00:00:00Z"),
        result(Outcome::Pass, "2026-11-20T00:00:00Z"),
    ]);
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    assert!(matches!(
        verdict("p/q1", &probes, &f, &latest, None, today),
        Some(Verdict::Pass { .. })
    ));
    let week = crate::duration::Duration::parse("1d").unwrap();
    assert!(matches!(
        verdict("p/q1", &probes, &f, &latest, Some(week), today),
        Some(Verdict::Unknown { .. })
    ));
    assert!(matches!(
        verdict("p/q1", &probes, &f, &Latest::default(), None, today),
        Some(Verdict::Unknown { .. })
    ));
}
