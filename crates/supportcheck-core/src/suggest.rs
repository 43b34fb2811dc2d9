//! "Did you mean": the closest known name to one that matches nothing.

/// The candidate closest to `word`, when one is close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    let len = word.chars().count();
    candidates
        .into_iter()
        .filter_map(|c| {
            let other = c.chars().count();
            let longest = len.max(other);
            // Under one edit in five characters (`stauts`, `servce-levels`;
            // not `q99` for `q1`). Names too different in length cannot get
            // there, and skipping them keeps thousands of lookups cheap.
            if longest == 0 || len.abs_diff(other) * 5 >= longest {
                return None;
            }
            let edits = if c.chars().any(char::is_uppercase) {
                strsim::osa_distance(&word, &c.to_lowercase())
            } else {
                strsim::osa_distance(&word, c)
            };
            (edits * 5 < longest).then_some((edits, c))
        })
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// "did you mean `x`?", a hint for the binary to print under an error, or
/// nothing when no candidate is close.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_finds_the_name_and_nonsense_finds_nothing() {
        let ids = ["service-levels", "support-channels", "status"];
        assert_eq!(closest("servce-levels", ids), Some("service-levels"));
        assert_eq!(closest("stauts", ids), Some("status"));
        assert_eq!(closest("zzzz", ids), None);
        assert_eq!(closest("basics/q99", ["basics/q1"]), None);
        assert_eq!(closest("x", []), None);
    }

    #[test]
    fn the_hint_names_the_closest_and_carries_no_help_prefix() {
        assert_eq!(
            did_you_mean("stauts", ["status", "owner"]).as_deref(),
            Some("did you mean `status`?")
        );
        assert_eq!(did_you_mean("zzzz", ["status"]), None);
    }
}
