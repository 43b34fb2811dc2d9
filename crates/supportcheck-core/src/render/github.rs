//! GitHub Actions workflow commands (`::error file=..,line=..::message`).

use crate::diagnostic::{Finding, Severity};

/// One annotation; `error` decides between `::error` and `::warning`
/// (notes become `::notice`).
pub fn annotation(f: &Finding, error: bool) -> String {
    let kind = match (error, f.severity) {
        (true, _) => "error",
        (false, Severity::Note) => "notice",
        (false, _) => "warning",
    };
    let mut props = format!("file={}", property(&f.location.path));
    if let Some(line) = f.location.line {
        props.push_str(&format!(",line={line}"));
        if let Some(col) = f.location.column {
            props.push_str(&format!(",col={col}"));
        }
    }
    props.push_str(&format!(
        ",title={}",
        property(&format!("supportcheck {}", f.code))
    ));
    format!("::{kind} {props}::{}\n", data(&f.message))
}

/// Escapes a command's message.
pub fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Annotations for lint findings: errors as `::error`, the rest by severity.
pub fn findings(findings: &[Finding], deny_warnings: bool) -> String {
    findings
        .iter()
        .map(|f| {
            annotation(
                f,
                f.is_error() || (deny_warnings && f.severity == Severity::Warning),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Location};

    #[test]
    fn escapes_properties_and_data() {
        let f = Finding::error(
            Code::Yaml,
            Location::at("a,b:c.md", 3, 7),
            "100% bad\nsecond line",
        );
        assert_eq!(
            annotation(&f, true),
            "::error file=a%2Cb%3Ac.md,line=3,col=7,title=supportcheck yaml::100%25 bad%0Asecond line\n"
        );
    }
}
