//! Words in English: counts (`1 product`, `2 products`, `3 are`) and
//! sentence case. The words for states are on their enums (docs/scoring.md#words).

/// `1 product`, `2 products`.
pub fn count(n: usize, one: &str) -> String {
    count_as(n, one, &format!("{one}s"))
}

/// [`count`] with the plural spelled out: `count_as(2, "is", "are")`.
pub fn count_as(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The text with its first letter capitalised: `not applicable` → `Not applicable`.
pub fn sentence(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::Status;
    use crate::score::State;

    #[test]
    fn every_state_has_the_word_its_key_spells() {
        let states = [
            State::Answered,
            State::Missing,
            State::Stale,
            State::Skipped,
            State::Upcoming,
        ];
        for s in states {
            assert_eq!(serde_json::to_value(s).unwrap(), s.word());
        }
        for s in Status::ALL {
            let key = serde_json::to_value(s).unwrap();
            assert_eq!(key.as_str().unwrap().replace('-', " "), s.word());
        }
        assert_eq!(Status::NotApplicable.label(), "Not applicable");
        assert_eq!(State::Missing.label(), "Missing");
        assert_eq!(sentence(""), "");
    }
}
