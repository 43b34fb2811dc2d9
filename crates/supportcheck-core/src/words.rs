//! Counts in English: `1 product`, `2 products`, `3 are`.

/// `1 product`, `2 products`.
pub fn count(n: usize, one: &str) -> String {
    count_as(n, one, &format!("{one}s"))
}

/// [`count`] with the plural spelled out: `count_as(2, "is", "are")`.
pub fn count_as(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
