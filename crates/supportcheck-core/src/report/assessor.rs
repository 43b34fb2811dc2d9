//! The assessor's own words: `readiness/summary.md`, a Markdown file whose
//! text leads page one of the report, and whose `## ` headings that name a
//! section (by id or title) become that section's note. A heading that
//! names no section stays in the summary, so no word of it is dropped.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The summary and section notes, as Markdown; recorded in the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AssessorNotes {
    /// The file they were read from, relative to the project root.
    pub path: String,
    /// The summary that leads page one (Markdown).
    pub summary: String,
    /// A short note per section (Markdown), by section id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sections: BTreeMap<String, String>,
}

/// Splits `text` into the summary and section notes. `sections` gives each
/// section id with the names a heading may use for it (its title, its
/// human title); matching ignores case and surrounding space.
pub fn split(path: &str, text: &str, sections: &[(String, Vec<String>)]) -> AssessorNotes {
    let find = |heading: &str| {
        let h = heading.trim().to_lowercase();
        sections
            .iter()
            .find(|(id, names)| {
                id.to_lowercase() == h || names.iter().any(|n| n.trim().to_lowercase() == h)
            })
            .map(|(id, _)| id.clone())
    };
    let mut summary = String::new();
    let mut notes: BTreeMap<String, String> = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut fence: Option<&str> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
        } else if let Some(heading) = line.strip_prefix("## ") {
            if let Some(id) = find(heading) {
                current = Some(id);
                continue;
            }
            current = None;
        }
        let out = match &current {
            Some(id) => notes.entry(id.clone()).or_default(),
            None => &mut summary,
        };
        out.push_str(line);
        out.push('\n');
    }
    AssessorNotes {
        path: path.to_string(),
        summary: summary.trim().to_string(),
        sections: notes
            .into_iter()
            .map(|(k, v)| (k, v.trim().to_string()))
            .filter(|(_, v)| !v.is_empty())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections() -> Vec<(String, Vec<String>)> {
        vec![
            ("1-reach".into(), vec!["Reaching support".into()]),
            ("2-resolve".into(), vec!["Resolving requests".into()]),
        ]
    }

    #[test]
    fn headings_that_name_a_section_become_its_note_and_the_rest_stays() {
        let text = "Acme is close.\n\n## reaching support\nChat works.\n\n## Open questions\nWho signs?\n\n## 2-resolve\nSLA pending.\n```\n## not a heading\n```\n";
        let n = split("readiness/summary.md", text, &sections());
        assert_eq!(n.summary, "Acme is close.\n\n## Open questions\nWho signs?");
        assert_eq!(n.sections["1-reach"], "Chat works.");
        assert_eq!(
            n.sections["2-resolve"],
            "SLA pending.\n```\n## not a heading\n```"
        );
    }
}
