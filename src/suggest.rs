//! "Did you mean": the closest known name to one that matches nothing.

/// The candidate closest to `word`, when one is close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::normalized_damerau_levenshtein(&word, &c.to_lowercase()),
                c,
            )
        })
        // One edit in six characters: `stauts`, `servce-levels`; not `q99` for `q1`.
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// `\nhelp: did you mean `x`?` for an error message, or nothing.
pub fn help<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates)
        .map(|c| format!("\nhelp: did you mean `{c}`?"))
        .unwrap_or_default()
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
}
