//! Reads: `read_capped`, the one way every file is read (regular files
//! only, opened without blocking, never more than a cap); the answers read;
//! and small text files (config, templates).

use crate::answers::{AnswersFile, parse};
use crate::diagnostic::Finding;
use anyhow::{Result, bail};
use std::io::Read;
use std::path::Path;

/// Files over this size are refused (`too-large`).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads and parses the answers file; a missing file is an empty one.
/// An unreadable or oversized file is an error (the caller exits 2).
pub fn read(path: &Path, shown: &str) -> Result<(AnswersFile, Vec<Finding>, bool)> {
    Ok(match answers_text(path, shown)? {
        None => (AnswersFile::default(), Vec::new(), false),
        Some(text) => {
            let (file, findings) = parse(&text, shown);
            (file, findings, true)
        }
    })
}

/// The answers file's text; `None` when there is no file.
pub fn answers_text(path: &Path, shown: &str) -> Result<Option<String>> {
    // Capped: a huge file is refused without being read into memory, and a
    // FIFO or device without blocking on it.
    let bytes = match read_capped(path) {
        Ok(bytes) => bytes,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e.into_error("answers file", shown, MAX_FILE_BYTES)),
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = crate::playbook::parse::line_of(e.as_bytes(), at);
        anyhow::anyhow!("{shown}:{line}: the answers file is not valid UTF-8")
    })?;
    if text.contains('\0') {
        bail!("{shown}: the answers file is binary (contains a NUL byte)");
    }
    Ok(Some(text))
}

/// What a file's content is, for telling whether it changed since it was
/// read: the sha256 of its text (`None`: no file). Not the modification
/// time, which a quick edit in the same second leaves unchanged.
pub fn fingerprint(text: Option<&str>) -> Option<[u8; 32]> {
    use sha2::Digest;
    text.map(|t| sha2::Sha256::digest(t.as_bytes()).into())
}

/// Why [`read_capped`] gave up.
#[derive(Debug)]
pub(crate) enum ReadError {
    Io(std::io::Error),
    /// The file is over its cap; its size (or what was read of it).
    TooLarge(u64),
    /// Not a regular file: a FIFO, socket, device or folder (what it is).
    NotAFile(&'static str),
}

impl ReadError {
    /// The reason in words, for `cannot read <file>: <reason>`.
    pub(crate) fn reason(&self, limit: u64) -> String {
        match self {
            ReadError::Io(e) => io_reason(e),
            ReadError::TooLarge(size) => format!(
                "it is {} MiB; over {} MiB is refused",
                size / 1048576,
                limit / 1048576
            ),
            ReadError::NotAFile(kind) => format!("it is {kind}, not a regular file"),
        }
    }

    /// The error as a message naming the file and its kind.
    pub(crate) fn into_error(self, what: &str, shown: &str, limit: u64) -> anyhow::Error {
        match self {
            ReadError::TooLarge(size) => anyhow::anyhow!(
                "the {what} {shown} is {} MiB; over {} MiB is refused",
                size / 1048576,
                limit / 1048576
            ),
            e => anyhow::anyhow!("cannot read the {what} {shown}: {}", e.reason(limit)),
        }
    }

    pub(crate) fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}

/// What a non-regular file is, in words; `None` for a regular file.
pub(crate) fn special_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
    }
    Some("a special file")
}

/// Reads a file, refusing more than [`MAX_FILE_BYTES`] without reading it
/// all: the one way every playbook, answers file, config and template is read.
pub(crate) fn read_capped(path: &Path) -> Result<Vec<u8>, ReadError> {
    read_capped_to(path, MAX_FILE_BYTES)
}

/// Reads a regular file of at most `limit` bytes. The type is checked before
/// the file is opened (through any symlink), the open does not block (a FIFO
/// swapped in between is caught by the second check), and no more than
/// `limit + 1` bytes are ever read, whatever the file claims its size is.
pub(crate) fn read_capped_to(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, len) = open_checked(path, limit)?;
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Opens a regular file of at most `limit` bytes as [`read_capped_to`]
/// does (checked before and after opening, without blocking); the size it
/// claims is returned.
fn open_checked(path: &Path, limit: u64) -> Result<(std::fs::File, u64), ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if let Some(kind) = special_kind(&meta) {
        return Err(ReadError::NotAFile(kind));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if let Some(kind) = special_kind(&meta) {
        return Err(ReadError::NotAFile(kind));
    }
    let len = meta.len();
    if len > limit {
        return Err(ReadError::TooLarge(len));
    }
    Ok((file, len))
}

/// A regular file of at most `limit` bytes opened as a stream, checked as
/// [`read_capped_to`] checks; reading past `limit` is an error.
pub(crate) fn open_capped(path: &Path, limit: u64) -> Result<impl Read, ReadError> {
    let (file, _) = open_checked(path, limit)?;
    Ok(Capped {
        inner: file.take(limit + 1),
        read: 0,
        limit,
    })
}

struct Capped {
    inner: std::io::Take<std::fs::File>,
    read: u64,
    limit: u64,
}

impl Read for Capped {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.limit {
            return Err(std::io::Error::other(format!(
                "it is over {} MiB",
                self.limit >> 20
            )));
        }
        Ok(n)
    }
}

/// Why [`for_each_line`] stopped.
#[derive(Debug)]
pub(crate) enum LineError {
    Read(ReadError),
    /// A line over the line cap (its 1-based number).
    LongLine(usize),
    /// What the caller said about a line.
    Line(String),
}

/// Reads a regular file of at most `limit` bytes as a stream of lines,
/// each of at most `max_line` bytes, without holding more than one line:
/// the capped read for files where each line stands alone (`index.jsonl`).
/// `each` gets the 1-based line number and the line without its newline.
pub(crate) fn for_each_line(
    path: &Path,
    limit: u64,
    max_line: usize,
    mut each: impl FnMut(usize, &[u8]) -> Result<(), String>,
) -> Result<(), LineError> {
    use std::io::BufRead;
    let (file, _) = open_checked(path, limit).map_err(LineError::Read)?;
    let mut reader = std::io::BufReader::new(file.take(limit + 1));
    let mut line = Vec::new();
    let mut total: u64 = 0;
    for number in 1.. {
        line.clear();
        let n = (&mut reader)
            .take(max_line as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| LineError::Read(ReadError::Io(e)))?;
        if n == 0 {
            break;
        }
        total += n as u64;
        if total > limit {
            return Err(LineError::Read(ReadError::TooLarge(total)));
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        } else if n > max_line {
            return Err(LineError::LongLine(number));
        }
        each(number, &line).map_err(LineError::Line)?;
    }
    Ok(())
}

/// [`read_capped_to`] with the error as a message naming the file and its
/// kind: `cannot read the config file x.yaml: it is a FIFO (named pipe), ...`.
pub fn read_named(path: &Path, what: &str, shown: &str, limit: u64) -> anyhow::Result<Vec<u8>> {
    read_capped_to(path, limit).map_err(|e| e.into_error(what, shown, limit))
}

/// Reads a small text file (the config, a report template) through the
/// capped reader; the error names the file as `what shown`.
pub fn read_text(path: &Path, what: &str, shown: &str) -> Result<String> {
    utf8(read_named(path, what, shown, MAX_FILE_BYTES)?, what, shown)
}

/// Bytes as text, or an error naming the file and the line of the first
/// bad byte.
pub fn utf8(bytes: Vec<u8>, what: &str, shown: &str) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let line = crate::playbook::parse::line_of(e.as_bytes(), e.utf8_error().valid_up_to());
        anyhow::anyhow!("{shown}:{line}: the {what} is not valid UTF-8")
    })
}

/// Logos larger than this are refused: the HTML carries them inline.
pub const MAX_LOGO_BYTES: u64 = 2 * 1024 * 1024;

/// Reads the logo through the capped reader and returns it as a `data:`
/// URI, so a report can carry it inside the one HTML file, where it is
/// shown with `<img>` (an SVG in an `<img>` runs no script). The logo must
/// be a regular file inside the project `root` (through any symlink: not
/// `/proc/self/environ`, not `../secrets`), and a PNG, JPEG, GIF, WebP or
/// SVG image by its bytes, whatever its name says.
pub fn image_data_uri(path: &Path, root: &Path, shown: &str) -> Result<String> {
    use base64::Engine as _;
    let bytes = read_inside(path, root, "logo", shown, MAX_LOGO_BYTES)?;
    let Some(mime) = image_type(&bytes) else {
        bail!("the logo {shown} is not a PNG, JPEG, GIF, WebP or SVG image (by its bytes)");
    };
    Ok(format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&bytes)
    ))
}

/// Reads a file the config names that must be inside the project `root`
/// (through any symlink: not `/proc/self/environ`, not `../secrets`),
/// through the capped reader; errors name it as `the {what} {shown}`.
pub fn read_inside(
    path: &Path,
    root: &Path,
    what: &str,
    shown: &str,
    limit: u64,
) -> Result<Vec<u8>> {
    let real = std::fs::canonicalize(path)
        .map_err(|e| anyhow::anyhow!("cannot read the {what} {shown}: {}", io_reason(&e)))?;
    let inside = std::fs::canonicalize(root).is_ok_and(|root| real.starts_with(root));
    if !inside {
        bail!(
            "the {what} {shown} is outside the project ({}); it must be a file inside it",
            real.display()
        );
    }
    read_named(&real, what, shown, limit)
}

/// The media type of an image, from its bytes.
fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        is_svg(bytes).then_some("image/svg+xml")
    }
}

/// An SVG document: UTF-8 text whose first element, after an XML
/// declaration, comments and a doctype, is `<svg`. Text that merely holds
/// `<svg` somewhere (an environment, a log) is not one.
fn is_svg(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let mut rest = text.strip_prefix('\u{feff}').unwrap_or(text);
    loop {
        rest = rest.trim_start();
        let skip = if rest.starts_with("<?") {
            rest.find("?>").map(|i| i + 2)
        } else if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else if rest.starts_with("<!") {
            rest.find('>').map(|i| i + 1)
        } else {
            break;
        };
        match skip {
            Some(n) => rest = &rest[n..],
            None => return false,
        }
    }
    rest.strip_prefix("<svg")
        .and_then(|r| r.chars().next())
        .is_some_and(|c| c.is_whitespace() || c == '>' || c == '/')
}

/// An io::Error in words a user can act on.
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "no such file or directory".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        _ => err.to_string(),
    }
}
