//! Prints an HTML report to PDF with a headless Chromium: finds the
//! browser, writes the page to a private temp folder, runs the browser with
//! no network and a time limit, and reads the PDF back.

use anyhow::{Context, Result, bail};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Browser names looked for on PATH, in order.
pub const BROWSERS: [&str; 4] = ["chromium", "chromium-browser", "google-chrome", "chrome"];

/// The browser to use: `SUPPORTCHECK_BROWSER` when set (it must exist),
/// else the first of [`BROWSERS`] on `path_var`.
pub fn find_browser(named: Option<OsString>, path_var: Option<OsString>) -> Result<PathBuf> {
    if let Some(named) = named.filter(|n| !n.is_empty()) {
        let path = PathBuf::from(&named);
        if path.is_file() {
            return Ok(path);
        }
        if let Some(found) = on_path(&named, path_var.as_ref()) {
            return Ok(found);
        }
        bail!(super::Error::BrowserNotFound {
            name: path.display().to_string()
        });
    }
    for name in BROWSERS {
        if let Some(found) = on_path(name.as_ref(), path_var.as_ref()) {
            return Ok(found);
        }
    }
    bail!(super::Error::NoBrowser {
        looked_for: BROWSERS.join(", ")
    })
}

fn on_path(name: &std::ffi::OsStr, path_var: Option<&OsString>) -> Option<PathBuf> {
    if Path::new(name).components().count() > 1 {
        return None;
    }
    std::env::split_paths(path_var?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Prints `html` to PDF with `browser`. The page is a local file and the
/// browser is cut off from the network (every host name resolves to
/// nothing, background services off). A browser that runs past `timeout`
/// is killed and the print fails.
pub fn print(browser: &Path, html: &str, timeout: Duration) -> Result<Vec<u8>> {
    let work = tempfile::Builder::new()
        .prefix("supportcheck-pdf-")
        .tempdir()
        .context("cannot make a temp folder to print the PDF in")?;
    let page = work.path().join("report.html");
    let pdf = work.path().join("report.pdf");
    let profile = work.path().join("profile");
    std::fs::write(&page, html).context("cannot write the page to print")?;
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-dev-shm-usage",
            // No network: names resolve to nothing, and every request,
            // to an address or to this machine too, goes to a proxy that
            // is not there.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(file_url(&page))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start the browser {}", browser.display()))?;
    // Drain stderr on a thread so a chatty browser cannot block on a full pipe.
    let mut stderr = child.stderr.take().expect("piped stderr");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            bail!(super::Error::BrowserTimeout {
                browser: browser.display().to_string(),
                secs: timeout.as_secs(),
            });
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let log = reader.join().unwrap_or_default();
    let bytes = std::fs::read(&pdf).unwrap_or_default();
    if !status.success() || !bytes.starts_with(b"%PDF-") {
        let tail: Vec<&str> = log.lines().rev().take(5).collect();
        bail!(
            "the browser {} could not print the PDF ({status})\n{}",
            browser.display(),
            tail.into_iter()
                .rev()
                .map(|l| format!("note: {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    Ok(bytes)
}

/// A `file://` URL for an absolute path, with the characters a URL cannot
/// hold percent-encoded.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_browser_is_an_error_that_says_how_to_get_one() {
        let empty = tempfile::tempdir().unwrap();
        let err = find_browser(None, Some(empty.path().into())).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("no headless Chromium"), "{text}");
        assert_eq!(crate::commands::hints::kind(&err), crate::error::Kind::Tool);
        let help = crate::commands::hints::hints(&err).join("\n");
        assert!(help.contains("apt-get install chromium"), "{help}");
        assert!(help.contains("--format html"), "{help}");
        let err = find_browser(Some("/no/such/chrome".into()), None).unwrap_err();
        assert!(err.to_string().contains("SUPPORTCHECK_BROWSER"), "{err}");
        assert!(!crate::commands::hints::hints(&err).is_empty(), "{err}");
    }

    #[test]
    fn a_browser_on_path_is_found_by_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("chromium-browser"), "").unwrap();
        let found = find_browser(None, Some(dir.path().into())).unwrap();
        assert_eq!(found, dir.path().join("chromium-browser"));
    }

    #[test]
    fn file_urls_encode_spaces_and_quotes() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/\"x\".html")),
            "file:///tmp/a%20b/%22x%22.html"
        );
    }
}
