//! The rules that keep a playbook from turning CI into a port scanner:
//! which hosts an `http` probe may reach, and which addresses never, unless
//! the config names that exact host.

use std::net::IpAddr;

/// Whether `host` is allowed by `allow_hosts`: listed exactly, under a
/// `*.example.com` wildcard (which covers `a.example.com`, not
/// `example.com`), or by `*` (any host on the public internet).
pub fn host_allowed(host: &str, allow_hosts: &[String]) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    allow_hosts.iter().any(|a| {
        let a = a.trim().trim_end_matches('.').to_ascii_lowercase();
        if a == "*" {
            return true;
        }
        match a.strip_prefix("*.") {
            Some(domain) => host.len() > domain.len() + 1 && host.ends_with(&format!(".{domain}")),
            None => a == host,
        }
    })
}

/// Whether `host` is listed exactly (no wildcard): only then may it resolve
/// to a private, loopback or link-local address.
pub fn host_listed_exactly(host: &str, allow_hosts: &[String]) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    allow_hosts
        .iter()
        .any(|a| a.trim().trim_end_matches('.').eq_ignore_ascii_case(&host))
}

/// Whether an address is on the public internet: not loopback, private,
/// link-local, unspecified, shared (CGNAT), multicast, broadcast or
/// documentation space, in IPv4 or IPv6 (IPv4-mapped included).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (o[1] & 0xc0) == 64)
                || (o[0] == 192 && o[1] == 0 && o[2] == 0)
                || (o[0] == 198 && (o[1] & 0xfe) == 18)
                || o[0] >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] == 0x2001 && s[1] == 0x0db8)
                || (s[0] == 0x64 && s[1] == 0xff9b))
        }
    }
}

/// Why a URL may not be fetched, if it may not: its scheme, or its host
/// not allowed.
pub fn url_refused(scheme: &str, host: &str, allow_hosts: &[String]) -> Option<String> {
    if scheme != "https" && scheme != "http" {
        return Some(format!(
            "`{scheme}:` URLs are not probed; only https and http"
        ));
    }
    if host.is_empty() {
        return Some("the URL has no host".into());
    }
    if !host_allowed(host, allow_hosts) {
        return Some(format!(
            "host {host} is not in probes.allow_hosts in supportcheck.yaml; add it there to probe it"
        ));
    }
    None
}
