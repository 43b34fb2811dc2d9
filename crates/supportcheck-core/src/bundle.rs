//! The client bundle: one zip holding the report a client reads and the
//! local evidence it cites, built from bytes the shell read. Which evidence
//! is local, the names inside the zip and the links to them live here.

use crate::render::client::is_local_evidence;
use crate::report::Report;
use std::io::Write;

/// The folder inside the bundle that holds the evidence files.
pub const EVIDENCE_DIR: &str = "evidence";

/// Every local evidence entry of the report's answers, trimmed, once each,
/// in report order: the paths a bundle tries to carry. URLs are not here:
/// they stay links.
pub fn local_evidence(report: &Report) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    report
        .questions()
        .filter_map(|(_, q)| q.answer.as_ref())
        .flat_map(|a| a.evidence.iter())
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty() && is_local_evidence(e))
        .filter(|e| seen.insert(e.clone()))
        .collect()
}

/// The name inside the zip of a file at `rel` (its path inside the project,
/// `/`-separated, without `..`): `evidence/docs/sla.md`.
pub fn entry_name(rel: &str) -> String {
    format!("{EVIDENCE_DIR}/{}", rel.trim_start_matches('/'))
}

/// The relative link to `rel` inside the bundle, each segment
/// percent-encoded, so `docs/a b#1.md` is `evidence/docs/a%20b%231.md`.
/// A folder's link ends in `/`.
pub fn href(rel: &str, folder: bool) -> String {
    let mut out = String::from(EVIDENCE_DIR);
    for segment in rel.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        for b in segment.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    if folder {
        out.push('/');
    }
    out
}

/// A zip of `entries` (name, bytes), in the order given, deflated, every
/// entry dated `date` (the report's time; the zip format's own 1980 when it
/// cannot say it), so the same inputs make the same bytes.
pub fn zip(
    entries: &[(String, Vec<u8>)],
    date: Option<chrono::NaiveDateTime>,
) -> Result<Vec<u8>, zip::result::ZipError> {
    use chrono::{Datelike, Timelike};
    let stamp = date
        .and_then(|d| {
            zip::DateTime::from_date_and_time(
                u16::try_from(d.year()).ok()?,
                d.month() as u8,
                d.day() as u8,
                d.hour() as u8,
                d.minute() as u8,
                d.second() as u8,
            )
            .ok()
        })
        .unwrap_or_default();
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(stamp)
        .unix_permissions(0o644);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        writer.start_file(name.as_str(), options)?;
        writer.write_all(bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_and_encoded() {
        assert_eq!(href("docs/sla.md", false), "evidence/docs/sla.md");
        assert_eq!(href("docs/a b#1.md", false), "evidence/docs/a%20b%231.md");
        assert_eq!(href("docs/more", true), "evidence/docs/more/");
        assert_eq!(entry_name("docs/sla.md"), "evidence/docs/sla.md");
    }

    #[test]
    fn a_zip_holds_its_entries_in_order_and_is_the_same_each_time() {
        let entries = vec![
            ("report.html".to_string(), b"<p>hi</p>".to_vec()),
            ("evidence/docs/sla.md".to_string(), b"# SLA\n".to_vec()),
        ];
        let bytes = zip(&entries, None).unwrap();
        assert_eq!(bytes, zip(&entries, None).unwrap());
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let names: Vec<String> = (0..archive.len())
            .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
            .collect();
        assert_eq!(names, ["report.html", "evidence/docs/sla.md"]);
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut archive.by_name("evidence/docs/sla.md").unwrap(),
            &mut text,
        )
        .unwrap();
        assert_eq!(text, "# SLA\n");
    }
}
