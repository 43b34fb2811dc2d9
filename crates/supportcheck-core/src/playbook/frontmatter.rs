//! Splits a Markdown file into its YAML frontmatter and its body, by hand:
//! tolerant of a BOM, CRLF and trailing blanks on the fence lines.

/// The pieces of a file with frontmatter. Offsets are byte offsets into the
/// text the split was given (after any BOM was removed by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences, without them; it starts on file line
    /// [`YAML_FIRST_LINE`].
    pub yaml: &'a str,
    /// Byte offset of the body (everything after the closing fence).
    pub body_offset: usize,
}

/// The file line (1-based) on which the YAML starts: the one after `---`.
pub const YAML_FIRST_LINE: u64 = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The first line is not `---`: the file has no frontmatter.
    NoFrontmatter,
    /// The opening `---` has no closing `---` or `...`.
    Unclosed,
}

/// Splits `text`. The first line must be `---` (trailing blanks allowed);
/// the first later line that is `---` or `...` closes the block.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text_bytes = text.as_bytes();
    let first_end = line_end(text, 0);
    if text[..first_end].trim_end() != "---" {
        return Err(SplitError::NoFrontmatter);
    }
    let yaml_start = next_line(text_bytes, first_end);
    let mut pos = yaml_start;
    while pos < text.len() {
        let end = line_end(text, pos);
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            let body_offset = next_line(text_bytes, end);
            return Ok(Split {
                yaml: &text[yaml_start..pos],
                body_offset,
            });
        }
        pos = next_line(text_bytes, end);
    }
    Err(SplitError::Unclosed)
}

/// Byte index of the end of the line starting at `start` (before `\r\n` or `\n`).
fn line_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    // `str::find` of one ASCII byte is a memchr.
    match text[start..].find('\n') {
        Some(i) => {
            let end = start + i;
            if end > start && bytes[end - 1] == b'\r' {
                end - 1
            } else {
                end
            }
        }
        None => bytes.len(),
    }
}

/// Byte index where the next line starts, given the end of this line's content.
fn next_line(bytes: &[u8], end: usize) -> usize {
    let mut i = end;
    if i < bytes.len() && bytes[i] == b'\r' {
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'\n' {
        i += 1;
    }
    i
}

/// Removes a leading UTF-8 byte order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The body of `text`, split.
    fn body<'a>(text: &'a str, s: &Split<'_>) -> &'a str {
        &text[s.body_offset..]
    }

    #[test]
    fn splits_a_plain_file() {
        let text = "---\ntitle: x\n---\n## Why\nbody\n";
        let s = split(text).unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(body(text, &s), "## Why\nbody\n");
        assert_eq!(text[..s.body_offset].lines().count() + 1, 4, "body line");
    }

    #[test]
    fn tolerates_trailing_blanks_and_crlf() {
        let text = "---  \r\ntitle: x\r\n--- \t\r\nbody\r\n";
        let s = split(text).unwrap();
        assert_eq!(s.yaml, "title: x\r\n");
        assert_eq!(body(text, &s), "body\r\n");
    }

    #[test]
    fn accepts_dots_as_closer() {
        let text = "---\na: 1\n...\nrest";
        let s = split(text).unwrap();
        assert_eq!(s.yaml, "a: 1\n");
        assert_eq!(body(text, &s), "rest");
    }

    #[test]
    fn empty_frontmatter_is_empty_yaml() {
        let text = "---\n---\n";
        let s = split(text).unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(body(text, &s), "");
    }

    #[test]
    fn a_second_fenced_block_in_the_body_stays_in_the_body() {
        let text = "---\na: 1\n---\ntext\n---\nb: 2\n---\n";
        let s = split(text).unwrap();
        assert_eq!(s.yaml, "a: 1\n");
        assert_eq!(body(text, &s), "text\n---\nb: 2\n---\n");
    }

    #[test]
    fn no_fence_means_no_frontmatter() {
        assert_eq!(split("# Title\n"), Err(SplitError::NoFrontmatter));
        assert_eq!(split(""), Err(SplitError::NoFrontmatter));
        assert_eq!(split("----\n"), Err(SplitError::NoFrontmatter));
    }

    #[test]
    fn an_unclosed_block_is_an_error() {
        assert_eq!(split("---\na: 1\n"), Err(SplitError::Unclosed));
    }

    #[test]
    fn bom_is_stripped() {
        assert_eq!(strip_bom("\u{feff}---\n"), "---\n");
    }
}
